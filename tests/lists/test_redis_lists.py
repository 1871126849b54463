"""Lists and followed hashtags on the Redis timeline store: the same timelines as on SQL,
kept only while read (a list whose key went is rebuilt on the next read), exclusive lists
and removed members rebuilt at once."""

from __future__ import annotations

from collections.abc import Callable

from starlette.testclient import TestClient

from staffroom.runtime import Runtime
from staffroom.timelines.redis_store import RedisTimelineStore
from staffroom.timelines.store import LIST
from tests.conftest import User
from tests.lists.helpers import add_members, follow, home, list_timeline, make_list, ok, post
from tests.timelines.test_redis_store import rclient, redis_runtime, ruser  # noqa: F401


def test_lists_and_tags_on_redis(
    rclient: TestClient,  # noqa: F811
    redis_runtime: Runtime,  # noqa: F811
    ruser: Callable[[str], User],  # noqa: F811
) -> None:
    store = redis_runtime.timelines
    assert isinstance(store, RedisTimelineStore)
    alice, bob, carol, stranger = (ruser(n) for n in ("alice", "bob", "carol", "stranger"))
    follow(rclient, alice, bob)
    follow(rclient, alice, carol)
    home(rclient, alice)  # alice reads home: kept
    list_id = make_list(rclient, alice, exclusive=True)
    add_members(rclient, alice, list_id, bob)
    ok(
        rclient.post(
            f"/api/v1/lists/{list_id}/tags", json={"names": ["maths"]}, headers=alice.headers
        )
    )
    ok(rclient.post("/api/v1/tags/ELTChat/follow", headers=alice.headers))

    by_bob = post(rclient, bob, "Bob's news")
    by_carol = post(rclient, carol, "Carol's news")
    tagged = post(rclient, stranger, "Fractions #maths")
    followed_tag = post(rclient, stranger, "Feedback #ELTChat")
    assert list_timeline(rclient, alice, list_id) == [tagged, by_bob]
    assert home(rclient, alice) == [followed_tag, by_carol]
    assert store.redis.exists(store.key(int(list_id), LIST))

    store.redis.delete(store.key(int(list_id), LIST))  # not kept any more
    assert list_timeline(rclient, alice, list_id) == [tagged, by_bob]  # rebuilt

    ok(
        rclient.request(
            "DELETE",
            f"/api/v1/lists/{list_id}/accounts",
            json={"account_ids": [str(bob.id)]},
            headers=alice.headers,
        )
    )
    assert list_timeline(rclient, alice, list_id) == [tagged]
    assert home(rclient, alice) == [followed_tag, by_carol, by_bob]
    ok(rclient.delete(f"/api/v1/lists/{list_id}", headers=alice.headers))
    assert not store.redis.exists(store.key(int(list_id), LIST))
