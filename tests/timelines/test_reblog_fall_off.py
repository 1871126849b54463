"""Mastodon's reblog fall-off, in both timeline stores: a repost does not enter a home
timeline whose newest 40 entries already hold its original or another repost of it; it does
once the original has fallen further back; a rebuilt timeline has the same content."""

from __future__ import annotations

from collections.abc import Callable

from starlette.testclient import TestClient

from staffroom.runtime import Runtime
from staffroom.timelines.redis_store import RedisTimelineStore
from staffroom.timelines.store import FALL_OFF, SqlTimelineStore, without_fallen_off
from tests.conftest import User
from tests.timelines.helpers import home, post
from tests.timelines.test_redis_store import rclient, redis_runtime, ruser  # noqa: F401
from tests.timelines.test_sql_store import _go_away


def _repost(client: TestClient, user: User, status_id: str) -> str:
    answer = client.post(f"/api/v1/statuses/{status_id}/reblog", headers=user.headers)
    assert answer.status_code == 200, answer.text
    return str(answer.json()["id"])


def _scenario(client: TestClient, make: Callable[[str], User]) -> tuple[User, dict[str, str]]:
    bob, alice, carol, dan, eve, fay = (
        make(n) for n in ("bob", "alice", "carol", "dan", "eve", "fay")
    )
    home(client, bob)  # bob reads: his timeline is kept
    for followed in (alice, carol, dan, fay):
        client.post(f"/api/v1/accounts/{followed.id}/follow", headers=bob.headers)
    ids: dict[str, str] = {}
    ids["p"] = post(client, alice, "Exit tickets: three words on the way out #ELTChat")
    ids["carol_p"] = _repost(client, carol, ids["p"])  # the original is right there
    ids["q"] = post(client, eve, "A post bob does not follow")
    ids["carol_q"] = _repost(client, carol, ids["q"])  # shown: bob has not seen q
    ids["dan_q"] = _repost(client, dan, ids["q"])  # carol's repost of q is right there
    for n in range(FALL_OFF):
        post(client, alice, f"filler {n}")
    ids["fay_p"] = _repost(client, fay, ids["p"])  # p is now 41 entries back: shown again
    return bob, ids


def _whole(client: TestClient, user: User) -> list[str]:
    """The whole home timeline, page by page (40 a page at most)."""
    seen = home(client, user, limit=40)
    while True:
        more = home(client, user, limit=40, max_id=seen[-1])
        if not more:
            return seen
        seen += more


def _check(client: TestClient, bob: User, ids: dict[str, str]) -> list[str]:
    seen = _whole(client, bob)
    assert ids["p"] in seen and ids["carol_q"] in seen and ids["fay_p"] in seen
    assert ids["carol_p"] not in seen and ids["dan_q"] not in seen
    assert len(seen) == 1 + 1 + FALL_OFF + 1
    return seen


def test_fall_off_in_the_sql_store_and_its_rebuild(
    client: TestClient, make_user: Callable[..., User], runtime: Runtime
) -> None:
    assert isinstance(runtime.timelines, SqlTimelineStore)
    bob, ids = _scenario(client, make_user)
    before = _check(client, bob, ids)
    _go_away(runtime, bob.id)
    assert _whole(client, bob) == before  # rebuilt from the database


def test_fall_off_in_the_redis_store_and_its_rebuild(
    rclient: TestClient,  # noqa: F811
    ruser: Callable[[str], User],  # noqa: F811
    redis_runtime: Runtime,  # noqa: F811
) -> None:
    store = redis_runtime.timelines
    assert isinstance(store, RedisTimelineStore)
    bob, ids = _scenario(rclient, ruser)
    before = _check(rclient, bob, ids)
    store.redis.delete(store.key(bob.id))
    assert _whole(rclient, bob) == before


def test_the_rule_on_its_own() -> None:
    # newest first: (id, original)
    entries = [(9, 1), (8, 5), (7, None), (6, 5), (5, None), (4, 1), (1, None)]
    assert without_fallen_off(entries) == [7, 5, 1]
    spaced = [(100, 1)] + [(99 - n, None) for n in range(FALL_OFF)] + [(1, None)]
    assert without_fallen_off(spaced)[0] == 100
