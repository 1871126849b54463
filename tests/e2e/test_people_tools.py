"""Bulk reads, removing a follower, familiar followers and timed mutes through Mastodon.py
(every answer checked against Mastodon's OpenAPI description by the harness)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from mastodon import Mastodon

from tests.e2e.clients import Person
from tests.e2e.test_timelines import in_home

pytestmark = pytest.mark.e2e

Masto = Callable[[Person], Mastodon]


def test_several_statuses_and_accounts(person: Callable[[str], Person], masto: Masto) -> None:
    alice, bob = person("alice"), person("bob")
    as_alice, as_bob = masto(alice), masto(bob)
    public = as_alice.status_post("Open day on Saturday")
    staff = as_alice.status_post("Staff meeting moved", visibility="private")
    ids = [staff["id"], public["id"]]
    assert [s["id"] for s in as_bob.statuses(ids)] == [public["id"]]
    assert [s["id"] for s in as_alice.statuses(ids)] == [staff["id"], public["id"]]
    found = as_bob.accounts([bob.id, alice.id])
    assert [str(a["id"]) for a in found] == [str(bob.id), str(alice.id)]


def test_remove_from_followers_and_familiar_followers(
    person: Callable[[str], Person], masto: Masto
) -> None:
    alice, bob, carol = person("alice"), person("bob"), person("carol")
    as_alice, as_bob, as_carol = masto(alice), masto(bob), masto(carol)
    as_alice.account_follow(bob.id)
    as_bob.account_follow(carol.id)
    familiar = as_alice.account_familiar_followers([carol.id])
    assert [str(f["id"]) for f in familiar] == [str(carol.id)]
    assert [str(a["id"]) for a in familiar[0]["accounts"]] == [str(bob.id)]

    as_carol.account_follow(alice.id)
    post = as_alice.status_post("Marking rota", visibility="private")
    in_home(as_carol, post)
    rel = as_alice.account_remove_from_followers(carol.id)
    assert rel["followed_by"] is False
    assert not any(s["id"] == post["id"] for s in as_carol.timeline_home())


def test_timed_mute(person: Callable[[str], Person], masto: Masto) -> None:
    alice, bob = person("alice"), person("bob")
    as_alice = masto(alice)
    rel = as_alice.account_mute(bob.id, notifications=False, duration=3600)
    assert rel["muting"] is True and rel["muting_notifications"] is False
    muted = as_alice.mutes()
    assert [str(a["id"]) for a in muted] == [str(bob.id)]
    assert muted[0]["mute_expires_at"] is not None
