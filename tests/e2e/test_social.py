"""Notifications, blocking and muting, as seen through real clients."""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Callable

import pytest
from mastodon import Mastodon

from tests.e2e.clients import Person, Toot
from tests.e2e.harness import eventually
from tests.e2e.test_timelines import in_home, walk

pytestmark = pytest.mark.e2e

Masto = Callable[[Person], Mastodon]


def test_notifications(
    person: Callable[[str], Person], masto: Masto, toot: Callable[[Person], Toot]
) -> None:
    alice, bob = person("alice"), person("bob")
    as_alice, as_bob = masto(alice), masto(bob)
    post = as_alice.status_post("Free CPD session on Thursday")
    as_bob.account_follow(alice.id)
    as_bob.status_favourite(post["id"])
    as_bob.status_reblog(post["id"])
    # Mentions are notified by background delivery (as in Mastodon): wait for each.
    mention = as_bob.status_post(f"@{alice.username} are you running it?")
    eventually(lambda: _assert_count(as_alice, 4))
    reply = as_bob.status_post(f"@{alice.username} count me in", in_reply_to_id=post["id"])
    eventually(lambda: _assert_count(as_alice, 5))
    as_bob.status_post("Not about alice at all")

    notes = as_alice.notifications()
    assert [n["type"] for n in notes] == ["mention", "mention", "reblog", "favourite", "follow"]
    assert {n["account"]["id"] for n in notes} == {bob.id}
    by_type = {n["type"]: n for n in notes}
    assert by_type["favourite"]["status"]["id"] == post["id"]
    assert by_type["reblog"]["status"]["id"] == post["id"]
    assert by_type["follow"].get("status") is None
    assert [n["status"]["id"] for n in notes[:2]] == [reply["id"], mention["id"]]
    assert notes[0]["status"]["in_reply_to_id"] == post["id"]
    assert walk(as_alice, as_alice.notifications(limit=2)) == [str(n["id"]) for n in notes]
    assert as_bob.notifications() == []  # alice did nothing to bob

    cli = toot(alice)
    assert Counter(n["type"] for n in cli.json("notifications")) == Counter(
        {"mention": 2, "reblog": 1, "favourite": 1, "follow": 1}
    )
    mentions_only = cli.json("notifications", "--type", "mention")
    assert [n["status"]["id"] for n in mentions_only] == [reply["id"], mention["id"]]
    shown = cli.run("notifications").stdout
    for line in (
        "now follows you",
        "favourited your status",
        "boosted your status",
        "mentioned you",
        "count me in",
    ):
        assert line in shown, shown


def _assert_count(client: Mastodon, count: int) -> None:
    notes = client.notifications()
    assert len(notes) == count, [n["type"] for n in notes]


def _visible_ids(client: Mastodon, tag: str) -> dict[str, set[str]]:
    return {
        "home": {str(s["id"]) for s in client.timeline_home(limit=40)},
        "public": {str(s["id"]) for s in client.timeline_public(limit=40)},
        "tag": {str(s["id"]) for s in client.timeline_hashtag(tag, limit=40)},
    }


@pytest.mark.parametrize("action", ["block", "mute"])
def test_blocked_or_muted_posts_vanish(
    action: str, person: Callable[[str], Person], masto: Masto, toot: Callable[[Person], Toot]
) -> None:
    alice, bob, carol = person("alice"), person("bob"), person("carol")
    as_alice, as_bob, as_carol = masto(alice), masto(bob), masto(carol)
    as_alice.account_follow(bob.id)
    as_alice.account_follow(carol.id)
    tag = f"t{uuid.uuid4().hex[:8]}"
    bobs = as_bob.status_post(f"bob-{tag} says hi #{tag}")
    carols = as_carol.status_post(f"carol-{tag} says hi #{tag}")
    in_home(as_alice, bobs, carols)
    before = _visible_ids(as_alice, tag)
    assert all({bobs["id"], carols["id"]} <= ids for ids in before.values()), before

    done = toot(alice).run(action, bob.username)
    assert done.returncode == 0
    relationship = as_alice.account_relationships(bob.id)[0]
    assert relationship["blocking" if action == "block" else "muting"]
    if action == "block":
        assert not relationship["following"]  # a block ends the follow

    later = as_bob.status_post(f"bob-{tag} after the {action} #{tag}")
    as_bob.status_post(f"@{alice.username} hello? {tag}")
    # carol's newer posts arriving means bob's were delivered (or withheld) before them.
    sentinel = as_carol.status_post(f"carol-{tag} again #{tag}")
    as_carol.status_post(f"@{alice.username} carol-{tag} mentions you")
    in_home(as_alice, sentinel)
    eventually(lambda: _assert_count(as_alice, 1))  # carol's mention only, none from bob
    after = _visible_ids(as_alice, tag)
    for where, ids in after.items():
        assert carols["id"] in ids, where
        assert bobs["id"] not in ids and later["id"] not in ids, f"{action}: bob still in {where}"
    shown = toot(alice).run("timeline", "--once", "--count", "20").stdout
    assert f"carol-{tag}" in shown and f"bob-{tag}" not in shown
    assert all(n["account"]["id"] == carol.id for n in as_alice.notifications())
