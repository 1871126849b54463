"""Which posts enter a list's timeline (members followed or not, its hashtags, the replies
policy), exclusive lists taking members' posts out of home, and what changes when members,
hashtags or the list go; each case also after a rebuild, which must agree with fan-out."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from starlette.testclient import TestClient

from staffroom.runtime import Runtime
from staffroom.timelines.store import LIST
from tests.conftest import User
from tests.lists.helpers import add_members, follow, home, list_timeline, make_list, ok, post

UserFactory = Callable[..., User]


def _rebuilt(runtime: Runtime, list_id: str) -> None:
    runtime.db.write(lambda conn: runtime.timelines.rebuild(conn, int(list_id), kind=LIST))


def test_members_and_hashtags_fill_the_list(
    client: TestClient, runtime: Runtime, make_user: UserFactory
) -> None:
    alice, speaker, stranger = make_user("alice"), make_user("speaker"), make_user("stranger")
    list_id = make_list(client, alice)
    add_members(client, alice, list_id, speaker)  # not followed
    ok(
        client.post(
            f"/api/v1/lists/{list_id}/tags", json={"names": ["ELTChat"]}, headers=alice.headers
        )
    )

    by_member = post(client, speaker, "My talk is at 10")
    unlisted = post(client, speaker, "Quietly", visibility="unlisted")
    private = post(client, speaker, "Followers only", visibility="private")
    tagged = post(client, stranger, "Great session #eltchat")
    tagged_unlisted = post(client, stranger, "Hidden #ELTChat", visibility="unlisted")
    untagged = post(client, stranger, "Nothing to see")
    expected = [tagged, unlisted, by_member]
    assert list_timeline(client, alice, list_id) == expected
    _rebuilt(runtime, list_id)
    assert list_timeline(client, alice, list_id) == expected
    assert private not in expected and tagged_unlisted not in expected and untagged not in expected
    # Not exclusive: nothing left alice's home (she follows no one).
    assert home(client, alice) == []

    follow(client, alice, speaker)  # now followers-only posts are hers to see
    private_now = post(client, speaker, "Followers only, again", visibility="private")
    assert list_timeline(client, alice, list_id)[0] == private_now


@pytest.mark.parametrize(
    ("policy", "shown"),
    [
        ("followed", {"to_followed", "to_member", "to_owner", "own"}),
        ("list", {"to_member", "to_owner", "own"}),
        ("none", {"to_owner", "own"}),
    ],
)
def test_replies_policy(
    client: TestClient, runtime: Runtime, make_user: UserFactory, policy: str, shown: set[str]
) -> None:
    alice, speaker, member, friend, other = (
        make_user(n) for n in ("alice", "speaker", "member", "friend", "other")
    )
    follow(client, alice, friend)
    follow(client, alice, member)
    list_id = make_list(client, alice, replies_policy=policy)
    add_members(client, alice, list_id, speaker, member)
    parents = {
        "to_followed": post(client, friend, "hello"),
        "to_member": post(client, member, "hi"),
        "to_owner": post(client, alice, "hey"),
        "own": post(client, speaker, "thread start"),
        "to_other": post(client, other, "yo"),
    }
    replies = {
        name: post(client, speaker, "reply", in_reply_to_id=parent)
        for name, parent in parents.items()
    }
    wanted = {replies[n] for n in shown}
    got = set(list_timeline(client, alice, list_id)) & set(replies.values())
    assert got == wanted
    _rebuilt(runtime, list_id)
    assert set(list_timeline(client, alice, list_id)) & set(replies.values()) == wanted


def test_exclusive_list_takes_members_out_of_home(
    client: TestClient, runtime: Runtime, make_user: UserFactory
) -> None:
    alice, bob, carol = make_user("alice"), make_user("bob"), make_user("carol")
    follow(client, alice, bob)
    follow(client, alice, carol)
    before = post(client, bob, "before the list")
    list_id = make_list(client, alice, exclusive=True)
    add_members(client, alice, list_id, bob)
    assert before not in home(client, alice)  # rebuilt without him
    by_bob = post(client, bob, "in the list only")
    by_carol = post(client, carol, "in home")
    assert home(client, alice) == [by_carol]
    assert list_timeline(client, alice, list_id) == [by_bob, before]

    ok(client.put(f"/api/v1/lists/{list_id}", json={"exclusive": False}, headers=alice.headers))
    assert home(client, alice) == [by_carol, by_bob, before]
    ok(client.put(f"/api/v1/lists/{list_id}", json={"exclusive": True}, headers=alice.headers))
    assert home(client, alice) == [by_carol]
    ok(client.delete(f"/api/v1/lists/{list_id}", headers=alice.headers))
    assert home(client, alice) == [by_carol, by_bob, before]


def test_following_someone_listed_exclusively_brings_nothing_into_home(
    client: TestClient, make_user: UserFactory
) -> None:
    alice, bob, carol = make_user("alice"), make_user("bob"), make_user("carol")
    home(client, alice)  # alice's home is kept: fan-out and follow backfill write into it
    list_id = make_list(client, alice, exclusive=True)
    add_members(client, alice, list_id, bob)  # listed, not followed
    by_bob = post(client, bob, "conference notes")
    by_carol = post(client, carol, "a lesson idea")
    follow(client, alice, bob)
    follow(client, alice, carol)
    assert home(client, alice) == [by_carol]  # carol's post backfilled; bob's stays listed
    assert list_timeline(client, alice, list_id) == [by_bob]


def test_removing_a_member_or_hashtag_and_deleting_stop_delivery(
    client: TestClient, runtime: Runtime, make_user: UserFactory
) -> None:
    alice, bob, carol = make_user("alice"), make_user("bob"), make_user("carol")
    list_id = make_list(client, alice)
    add_members(client, alice, list_id, bob)
    ok(
        client.post(
            f"/api/v1/lists/{list_id}/tags", json={"names": ["edtech"]}, headers=alice.headers
        )
    )
    old_bob = post(client, bob, "old")
    old_tag = post(client, carol, "old #edtech")
    assert list_timeline(client, alice, list_id) == [old_tag, old_bob]
    ok(
        client.request(
            "DELETE",
            f"/api/v1/lists/{list_id}/accounts",
            json={"account_ids": [str(bob.id)]},
            headers=alice.headers,
        )
    )
    ok(
        client.request(
            "DELETE",
            f"/api/v1/lists/{list_id}/tags",
            json={"names": ["edtech"]},
            headers=alice.headers,
        )
    )
    post(client, bob, "new")
    post(client, carol, "new #edtech")
    assert list_timeline(client, alice, list_id) == []
    ok(client.delete(f"/api/v1/lists/{list_id}", headers=alice.headers))
    post(client, bob, "after deletion")
    assert client.get(f"/api/v1/timelines/list/{list_id}", headers=alice.headers).status_code == 404


def test_blocked_and_muted_members_stay_out_and_deleted_posts_leave(
    client: TestClient, runtime: Runtime, make_user: UserFactory
) -> None:
    alice, bob, carol, dan = (make_user(n) for n in ("alice", "bob", "carol", "dan"))
    list_id = make_list(client, alice)
    add_members(client, alice, list_id, bob, carol, dan)
    kept = post(client, bob, "stays")
    muted_old = post(client, carol, "muted later")
    ok(client.post(f"/api/v1/accounts/{carol.id}/mute", headers=alice.headers))
    ok(client.post(f"/api/v1/accounts/{alice.id}/block", headers=dan.headers))
    post(client, carol, "muted")
    post(client, dan, "blocks alice")
    gone = post(client, bob, "to be deleted")
    ok(client.delete(f"/api/v1/statuses/{gone}", headers=bob.headers))
    assert list_timeline(client, alice, list_id) == [kept]
    assert muted_old not in list_timeline(client, alice, list_id)
    _rebuilt(runtime, list_id)
    assert list_timeline(client, alice, list_id) == [kept]


def test_paging_a_list_timeline(client: TestClient, make_user: UserFactory) -> None:
    alice, bob = make_user("alice"), make_user("bob")
    list_id = make_list(client, alice)
    add_members(client, alice, list_id, bob)
    posted = [post(client, bob, f"post {i}") for i in range(5)]
    first = client.get(f"/api/v1/timelines/list/{list_id}?limit=2", headers=alice.headers)
    assert [s["id"] for s in first.json()] == posted[:-3:-1]
    assert 'rel="next"' in first.headers["link"]
    older = client.get(
        f"/api/v1/timelines/list/{list_id}?limit=2&max_id={posted[3]}", headers=alice.headers
    )
    assert [s["id"] for s in older.json()] == [posted[2], posted[1]]


def test_a_rebuilt_list_pages_members_and_hashtags_as_one_timeline(
    client: TestClient, runtime: Runtime, make_user: UserFactory
) -> None:
    """Member posts and tagged posts come from separate indexed reads; pages of the merge
    (newest first, ``max_id``, ``since_id`` and ``min_id``) are those of one timeline."""
    from staffroom.feed.sources import list_ids_from_db

    alice, speaker, stranger = make_user("alice"), make_user("speaker"), make_user("stranger")
    list_id = make_list(client, alice)
    add_members(client, alice, list_id, speaker)
    ok(
        client.post(
            f"/api/v1/lists/{list_id}/tags", json={"names": ["edchat"]}, headers=alice.headers
        )
    )
    ids = [
        int(
            post(
                client,
                speaker if i % 2 else stranger,
                f"Post {i} #edchat" if i % 2 == 0 else f"Post {i}",
            )
        )
        for i in range(8)
    ]
    newest_first = ids[::-1]

    def page(**kw: int) -> list[int]:
        return runtime.db.read(lambda conn: list_ids_from_db(conn, int(list_id), **kw))

    assert page(limit=20) == newest_first
    assert page(limit=3) == newest_first[:3]
    assert page(limit=3, max_id=newest_first[2]) == newest_first[3:6]
    assert page(limit=3, since_id=newest_first[3]) == newest_first[:3]
    assert page(limit=3, min_id=ids[2]) == [ids[5], ids[4], ids[3]]
