"""Filters through Mastodon.py against a live server: v2 filters, keywords and posts, v1
filters, and ``filtered`` on the owner's posts (every answer checked against Mastodon's
OpenAPI description by the harness)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from mastodon import Mastodon

from tests.e2e.clients import Person

pytestmark = pytest.mark.e2e

Masto = Callable[[Person], Mastodon]


def test_mastodon_py_filters_v2(person: Callable[[str], Person], masto: Masto) -> None:
    as_alice = masto(person("alice"))
    assert list(as_alice.filters_v2()) == []
    made = as_alice.create_filter_v2(
        "Reports",
        ["home", "thread"],
        "warn",
        expires_in=86400,
        keywords_attributes=[{"keyword": "report card", "whole_word": True}],
    )
    assert made["title"] == "Reports" and made["expires_at"] is not None
    assert [k["keyword"] for k in made["keywords"]] == ["report card"]
    assert as_alice.filter_v2(made["id"])["id"] == made["id"]

    changed = as_alice.update_filter_v2(
        made["id"],
        filter_action="blur",
        keywords_attributes=[{"id": made["keywords"][0]["id"], "_destroy": True}],
    )
    assert changed["filter_action"] == "blur" and changed["keywords"] == []

    keyword = as_alice.add_filter_keyword_v2(made["id"], "grades", whole_word=False)
    assert [k["id"] for k in as_alice.filter_keywords_v2(made["id"])] == [keyword["id"]]
    post = as_alice.status_post("All the grades are in")
    assert [r["keyword_matches"] for r in as_alice.status(post["id"])["filtered"]] == [["grades"]]
    as_alice.delete_filter_keyword_v2(keyword["id"])
    assert list(as_alice.filter_keywords_v2(made["id"])) == []

    entry = as_alice.add_filter_status_v2(made["id"], post["id"])
    assert str(entry["status_id"]) == str(post["id"])
    assert [e["id"] for e in as_alice.filter_statuses_v2(made["id"])] == [entry["id"]]
    assert as_alice.filter_status_v2(entry["id"])["id"] == entry["id"]
    filtered = as_alice.status(post["id"])["filtered"]
    assert [[str(s) for s in r["status_matches"]] for r in filtered] == [[str(post["id"])]]
    as_alice.delete_filter_status_v2(entry["id"])
    assert list(as_alice.filter_statuses_v2(made["id"])) == []

    as_alice.delete_filter_v2(made["id"])
    assert list(as_alice.filters_v2()) == []


def test_mastodon_py_filters_v1(person: Callable[[str], Person], masto: Masto) -> None:
    as_bob = masto(person("bob"))
    made = as_bob.filter_create("detention", ["home", "notifications"], irreversible=True)
    assert made["phrase"] == "detention" and made["irreversible"] is True
    assert [f["id"] for f in as_bob.filters()] == [made["id"]]
    assert as_bob.filter(made["id"])["whole_word"] is True
    changed = as_bob.filter_update(made["id"], phrase="detentions", whole_word=False)
    assert (changed["phrase"], changed["whole_word"]) == ("detentions", False)
    v2 = as_bob.filters_v2()
    assert [(f["title"], f["filter_action"]) for f in v2] == [("detentions", "hide")]
    as_bob.filter_delete(made["id"])
    assert list(as_bob.filters()) == []
