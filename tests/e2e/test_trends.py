"""Trends, featured hashtags and endorsements with real clients against a live server:
Mastodon.py's ``trending_*``, ``featured_tag*``, ``account_featured_tags``, ``account_pin``
/ ``account_endorse``, ``endorsements`` and ``tag``; toot's ``tags feature|featured|
unfeature``. Every JSON answer is checked against the Mastodon OpenAPI description."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from mastodon import Mastodon

from staffroom.db.engine import create_database
from staffroom.services import trends
from tests.e2e.clients import Person, Toot
from tests.e2e.harness import LiveServer

pytestmark = pytest.mark.e2e

Masto = Callable[[Person], Mastodon]


def _refresh(server: LiveServer) -> None:
    """What the server's ``refresh_trends`` job does every five minutes, now."""
    db = create_database(server.database_url)
    try:
        db.write(trends.refresh)
    finally:
        db.dispose()


def test_mastodon_py_reads_trends(
    isolated_server: LiveServer, person: Callable[[str], Person], masto: Masto
) -> None:
    author = masto(person("author"))
    post = author.status_post(
        "Our reading corner https://example.org/reading-corner #ReadingCorner"
    )
    fans = [masto(person(f"fan{i}")) for i in range(6)]
    for fan in fans:
        fan.status_post("Love this https://example.org/reading-corner #ReadingCorner")
        fan.status_favourite(post["id"])
    _refresh(isolated_server)

    tags = fans[0].trending_tags(limit=5)
    assert [t["name"] for t in tags] == ["ReadingCorner"]
    assert tags[0]["history"][0]["accounts"] == "7"
    statuses = fans[0].trending_statuses()
    assert [s["id"] for s in statuses] == [post["id"]]
    links = fans[0].trending_links()
    assert [link["url"] for link in links] == ["https://example.org/reading-corner"]
    shown = fans[0].tag("ReadingCorner")
    assert shown["history"][0]["uses"] == "7"
    assert len(shown["history"]) == 7


def test_mastodon_py_featured_tags_and_endorsements(
    person: Callable[[str], Person], masto: Masto
) -> None:
    alice, bob = person("alice"), person("bob")
    as_alice = masto(alice)
    as_alice.status_post("Planning #ScienceWeek")
    assert [t["name"] for t in as_alice.featured_tag_suggestions()] == ["ScienceWeek"]
    made = as_alice.featured_tag_create("ScienceWeek")
    assert made["name"] == "ScienceWeek"
    assert [t["name"] for t in as_alice.account_featured_tags(alice.id)] == ["ScienceWeek"]
    featured = as_alice.tag_feature("MathsWeek")
    assert featured["featuring"] is True
    assert [t["name"] for t in as_alice.featured_tags()] == ["ScienceWeek", "MathsWeek"]
    as_alice.featured_tag_delete(made["id"])
    assert [t["name"] for t in as_alice.featured_tags()] == ["MathsWeek"]

    as_alice.account_follow(bob.id)
    assert as_alice.account_pin(bob.id)["endorsed"] is True
    assert [str(a["id"]) for a in as_alice.endorsements()] == [str(bob.id)]
    assert as_alice.account_unendorse(bob.id)["endorsed"] is False
    assert as_alice.account_endorse(bob.id)["endorsed"] is True
    assert as_alice.account_unpin(bob.id)["endorsed"] is False
    assert as_alice.endorsements() == []


def test_toot_features_hashtags(
    person: Callable[[str], Person], toot: Callable[[Person], Toot]
) -> None:
    alice = person("alice")
    cli = toot(alice)
    cli.run("tags", "feature", "#Oracy")
    listed = cli.json("tags", "featured")
    assert [t["name"] for t in listed] == ["Oracy"]
    assert "Oracy" in cli.run("tags", "featured").stdout
    cli.run("tags", "unfeature", "Oracy")
    assert cli.json("tags", "featured") == []
