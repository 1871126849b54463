"""The Redis timeline store gives the same home timelines as the SQL one, and keeps only
active users' timelines, caps them, rebuilds them, and merges very large accounts on read."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace

import pytest
import redis
from starlette.testclient import TestClient

from staffroom.app import create_app
from staffroom.config import Settings
from staffroom.runtime import Runtime
from staffroom.services.registration import SignUp, register
from staffroom.services.tokens import issue_token
from staffroom.timelines.redis_store import RedisTimelineStore
from tests.conftest import BASE_URL, User
from tests.timelines.helpers import home as _home
from tests.timelines.helpers import post as _post

REDIS_URL = "redis://127.0.0.1:6379/13"


@pytest.fixture
def redis_runtime(settings: Settings) -> Iterator[Runtime]:
    conn = redis.Redis.from_url(REDIS_URL)
    try:
        conn.flushdb()
    except redis.ConnectionError as exc:  # a required service: fail, never skip
        pytest.fail(f"Redis is required at {REDIS_URL}: {exc}")
    rt = Runtime.build(replace(settings, redis_url=REDIS_URL, large_account_followers=3))
    assert isinstance(rt.timelines, RedisTimelineStore)
    rt.timelines.large.ttl = 0  # re-read the large accounts on every read (default: 60 s)
    yield rt
    rt.close()
    conn.flushdb()


@pytest.fixture
def rclient(redis_runtime: Runtime) -> Iterator[TestClient]:
    with TestClient(create_app(runtime=redis_runtime), base_url=BASE_URL) as c:
        yield c


@pytest.fixture
def ruser(redis_runtime: Runtime) -> Callable[[str], User]:
    def make(name: str) -> User:
        account_id = register(
            redis_runtime.db, SignUp(name, f"{name}@example.org", "correct horse battery")
        )
        raw, _ = redis_runtime.db.write(
            issue_token, app_id=None, account_id=account_id, scopes=["read", "write", "follow"]
        )
        return User(account_id, name, f"{name}@example.org", "correct horse battery", raw)

    return make


def test_home_timeline_through_redis(
    rclient: TestClient, ruser: Callable[[str], User], redis_runtime: Runtime
) -> None:
    alice, bob, carol = ruser("alice"), ruser("bob"), ruser("carol")
    assert _home(rclient, bob) == []  # reading creates bob's kept timeline
    rclient.post(f"/api/v1/accounts/{alice.id}/follow", headers=bob.headers)
    ids = [_post(rclient, alice, f"post {i}") for i in range(5)]
    secret = _post(rclient, carol, "not followed")
    assert _home(rclient, bob) == list(reversed(ids))
    assert _home(rclient, bob, limit=2, max_id=ids[3]) == [ids[2], ids[1]]
    assert _home(rclient, bob, limit=2, min_id=ids[1]) == [ids[3], ids[2]]
    assert secret not in _home(rclient, bob)

    # A timeline dropped from Redis (inactive user) is rebuilt with the same content.
    store = redis_runtime.timelines
    assert isinstance(store, RedisTimelineStore)
    store.redis.delete(store.key(bob.id))
    assert _home(rclient, bob) == list(reversed(ids))

    # While someone else rebuilds, the answer comes from the database with 206.
    store.redis.delete(store.key(bob.id))
    store.redis.set(f"{store.key(bob.id)}:rebuilding", 1)
    r = rclient.get("/api/v1/timelines/home", headers=bob.headers)
    assert r.status_code == 206 and [s["id"] for s in r.json()] == list(reversed(ids))
    store.redis.delete(f"{store.key(bob.id)}:rebuilding")

    rclient.delete(f"/api/v1/statuses/{ids[-1]}", headers=alice.headers)
    assert _home(rclient, bob) == list(reversed(ids[:-1]))
    assert store.redis.zscore(store.key(bob.id), ids[-1]) is None
    rclient.post(f"/api/v1/accounts/{alice.id}/unfollow", headers=bob.headers)
    assert _home(rclient, bob) == []


def test_inactive_timelines_are_not_written(
    rclient: TestClient, ruser: Callable[[str], User], redis_runtime: Runtime
) -> None:
    alice, dora = ruser("alice"), ruser("dora")
    rclient.post(f"/api/v1/accounts/{alice.id}/follow", headers=dora.headers)
    store = redis_runtime.timelines
    assert isinstance(store, RedisTimelineStore)
    store.redis.delete(store.key(dora.id))  # dora went away
    post = _post(rclient, alice, "while dora is away")
    assert not store.redis.exists(store.key(dora.id))
    assert _home(rclient, dora)[0] == post  # rebuilt on return


def test_large_accounts_are_merged_at_read_time(
    rclient: TestClient, ruser: Callable[[str], User], redis_runtime: Runtime
) -> None:
    star = ruser("star")
    fans = [ruser(f"fan{i}") for i in range(3)]  # threshold is 3 in this fixture
    for fan in fans:
        _home(rclient, fan)
        rclient.post(f"/api/v1/accounts/{star.id}/follow", headers=fan.headers)
    post = _post(rclient, star, "to all my fans")
    store = redis_runtime.timelines
    assert isinstance(store, RedisTimelineStore)
    assert store.redis.zscore(store.key(fans[0].id), post) is None  # not fanned out
    for fan in fans:
        assert _home(rclient, fan)[0] == post  # but merged when read
    own = _post(rclient, fans[0], "my own")
    assert _home(rclient, fans[0])[:2] == [own, post]


def test_timelines_are_capped(
    redis_runtime: Runtime, ruser: Callable[[str], User], rclient: TestClient
) -> None:
    from staffroom.timelines.store import HOME_CAP, FeedEntry

    reader = ruser("reader")
    _home(rclient, reader)
    store = redis_runtime.timelines
    assert isinstance(store, RedisTimelineStore)
    with redis_runtime.db.engine.connect() as conn:
        for i in range(1, HOME_CAP + 50):
            store.add(conn, [reader.id], FeedEntry(i << 20, 1))
    assert store.redis.zcard(store.key(reader.id)) == HOME_CAP
    assert int(store.redis.zrange(store.key(reader.id), -1, -1)[0]) == (HOME_CAP + 49) << 20
