"""Lists and followed hashtags with real clients against a live server: Mastodon.py's list
and tag calls and the toot CLI's ``lists`` and ``tags`` commands; every JSON answer is
checked against the Mastodon OpenAPI description."""

from __future__ import annotations

import uuid
from collections.abc import Callable

import pytest
from mastodon import Mastodon

from tests.e2e.clients import Person, Toot
from tests.e2e.harness import eventually

pytestmark = pytest.mark.e2e

Masto = Callable[[Person], Mastodon]


def test_mastodon_py_lists(person: Callable[[str], Person], masto: Masto) -> None:
    alice, bob, carol = person("alice"), person("bob"), person("carol")
    as_alice, as_bob = masto(alice), masto(bob)
    made = as_alice.list_create("Speakers", replies_policy="none", exclusive=True)
    assert (made["title"], made["replies_policy"], made["exclusive"]) == ("Speakers", "none", True)
    changed = as_alice.list_update(made["id"], title="ELT speakers", replies_policy="list")
    assert (changed["title"], changed["replies_policy"]) == ("ELT speakers", "list")
    assert [x["id"] for x in as_alice.lists()] == [made["id"]]
    assert as_alice.list(made["id"])["title"] == "ELT speakers"
    as_alice.list_accounts_add(made["id"], [bob.id, carol.id])  # neither is followed
    members = as_alice.list_accounts(made["id"])
    assert sorted(m["username"] for m in members) == sorted([bob.username, carol.username])
    assert [x["id"] for x in as_alice.account_lists(bob.id)] == [made["id"]]
    talk = as_bob.status_post("My talk: room 4")
    eventually(lambda: _assert_ids(as_alice.timeline_list(made["id"]), [talk["id"]]))
    assert talk["id"] not in [s["id"] for s in as_alice.timeline_home()]
    as_alice.list_accounts_delete(made["id"], [bob.id])
    assert [m["username"] for m in as_alice.list_accounts(made["id"])] == [carol.username]
    assert as_alice.timeline_list(made["id"]) == []
    as_alice.list_delete(made["id"])
    assert as_alice.lists() == []


def test_mastodon_py_followed_tags(person: Callable[[str], Person], masto: Masto) -> None:
    alice, stranger = person("alice"), person("stranger")
    as_alice, as_stranger = masto(alice), masto(stranger)
    tag = f"ELTChat{uuid.uuid4().hex[:6]}"
    followed = as_alice.tag_follow(tag)
    assert (followed["name"], followed["following"]) == (tag, True)
    assert [t["name"] for t in as_alice.followed_tags()] == [tag]
    post = as_stranger.status_post(f"Tonight's #{tag} is on feedback")
    eventually(lambda: _assert_ids(as_alice.timeline_home(), [post["id"]]))
    assert as_alice.tag_unfollow(tag)["following"] is False
    assert as_alice.followed_tags() == []
    assert as_alice.timeline_home() == []


def test_toot_lists_and_tags(
    person: Callable[[str], Person], masto: Masto, toot: Callable[[Person], Toot]
) -> None:
    alice, bob = person("alice"), person("bob")
    cli = toot(alice)
    cli.run("lists", "create", "Speakers", "--replies-policy", "list")
    listed = cli.json("lists", "list")
    assert [x["title"] for x in listed] == ["Speakers"]
    cli.run("lists", "add", "Speakers", bob.username)
    members = cli.json("lists", "accounts", "Speakers")
    assert [m["username"] for m in members] == [bob.username]
    talk = masto(bob).status_post("Slides are online")
    eventually(
        lambda: _assert_in(
            cli.run("timeline", "--list", listed[0]["id"], "--once").stdout, "Slides are online"
        )
    )
    assert talk["id"]
    cli.run("lists", "remove", "Speakers", bob.username)
    assert cli.json("lists", "accounts", "Speakers") == []
    cli.run("lists", "delete", "Speakers")
    assert cli.json("lists", "list") == []

    tag = f"phonics{uuid.uuid4().hex[:6]}"
    cli.run("tags", "follow", tag)
    assert tag in cli.run("tags", "followed").stdout
    cli.run("tags", "unfollow", tag)
    assert tag not in cli.run("tags", "followed").stdout


def _assert_ids(statuses: list[dict[str, object]], wanted: list[object]) -> None:
    assert [s["id"] for s in statuses] == wanted


def _assert_in(text: str, wanted: str) -> None:
    assert wanted in text, text
