"""Polls with real clients against a live server: toot's ``post --poll-option``, Mastodon.py's
``make_poll`` + ``status_post(poll=...)``, ``poll_vote``, ``poll`` and ``status_update`` with a
poll; every JSON answer is checked against the Mastodon OpenAPI description."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from mastodon import Mastodon, MastodonAPIError

from tests.e2e.clients import Person, Toot

pytestmark = pytest.mark.e2e

Masto = Callable[[Person], Mastodon]


def test_mastodon_py_posts_votes_and_edits_a_poll(
    person: Callable[[str], Person], masto: Masto
) -> None:
    alice, bob = person("alice"), person("bob")
    as_alice, as_bob = masto(alice), masto(bob)
    poll = as_alice.make_poll(["Drama", "Songs", "Games"], expires_in=3600, multiple=True)
    posted = as_alice.status_post("Which topic next week? #ELTChat", poll=poll)
    assert [o["title"] for o in posted["poll"]["options"]] == ["Drama", "Songs", "Games"]

    voted = as_bob.poll_vote(posted["poll"]["id"], [0, 2])
    assert voted["own_votes"] == [0, 2] and voted["voters_count"] == 1
    assert [o["votes_count"] for o in as_alice.poll(posted["poll"]["id"])["options"]] == [1, 0, 1]
    with pytest.raises(MastodonAPIError, match="already voted"):
        as_bob.poll_vote(posted["poll"]["id"], [1])

    edited = as_alice.status_update(
        posted["id"],
        "Which topic next week? Vote again #ELTChat",
        poll=as_alice.make_poll(["Drama", "Songs"], expires_in=7200),
    )
    assert edited["poll"]["votes_count"] == 0 and edited["edited_at"]
    history = as_alice.status_history(posted["id"])
    assert [len(v["poll"]["options"]) for v in history] == [3, 2]


def test_mastodon_py_schedules_a_poll(person: Callable[[str], Person], masto: Masto) -> None:
    as_alice = masto(person("alice"))
    scheduled = as_alice.status_post(
        "Q1 poll goes out tonight",
        poll=as_alice.make_poll(["Yes", "No"], expires_in=86400, hide_totals=True),
        scheduled_at=datetime.now(UTC) + timedelta(hours=2),
    )
    assert scheduled["params"]["poll"]["options"] == ["Yes", "No"]
    assert scheduled["params"]["poll"]["hide_totals"] is True


def test_toot_posts_a_poll(
    person: Callable[[str], Person], masto: Masto, toot: Callable[[Person], Toot]
) -> None:
    alice = person("alice")
    shown = toot(alice).run(
        "post",
        "Homework: yes or no?",
        "--poll-option",
        "Yes",
        "--poll-option",
        "No",
        "--poll-expires-in",
        "1 day",
        "--poll-hide-totals",
    )
    found = re.search(r"/@" + alice.username + r"/(\d+)", shown.stdout)
    assert found, shown.stdout
    status = masto(person("bob")).status(found.group(1))
    assert [o["title"] for o in status["poll"]["options"]] == ["Yes", "No"]
    assert [o["votes_count"] for o in status["poll"]["options"]] == [None, None]
