"""The Redis rate-limit store, against the Redis server at 127.0.0.1:6379.

Redis being unreachable fails these tests: they never skip.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator

import pytest
import redis
from starlette.testclient import TestClient

from staffroom.app import create_app
from staffroom.config import RateLimits, Settings
from staffroom.runtime import Runtime
from staffroom.services.ratelimits import RedisRateLimitStore
from staffroom.services.tokens import hash_token
from tests.conftest import BASE_URL, User

REDIS_URL = "redis://127.0.0.1:6379/0"


class Clock:
    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def redis_client() -> Iterator[redis.Redis]:
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.RedisError as exc:
        raise RuntimeError(f"Redis is required for these tests at {REDIS_URL}: {exc}") from exc
    yield client
    client.close()


@pytest.fixture
def prefix(redis_client: redis.Redis) -> Iterator[str]:
    """A key prefix of this test's own; its keys are deleted afterwards."""
    value = f"staffroom-test:{uuid.uuid4().hex}:"
    yield value
    keys = list(redis_client.scan_iter(f"{value}*"))
    if keys:
        redis_client.delete(*keys)


def test_redis_store_counts_in_fixed_windows(redis_client: redis.Redis, prefix: str) -> None:
    clock = Clock(1_000_010.0)
    store = RedisRateLimitStore(redis_client, prefix=prefix, clock=clock)
    assert store.hit("a", 300) == (1, 1_000_200.0)
    assert store.hit("a", 300) == (2, 1_000_200.0)
    assert store.hit("b", 300) == (1, 1_000_200.0)
    key = f"{prefix}a:999900"  # the window's start is part of the key
    assert int(redis_client.get(key) or 0) == 2
    assert 0 < redis_client.ttl(key) <= 301  # counts expire with their window
    clock.now = 1_000_200.0
    assert store.hit("a", 300) == (1, 1_000_500.0)


def test_redis_counts_are_shared_between_processes(redis_client: redis.Redis, prefix: str) -> None:
    clock = Clock(2_000_000.0)
    first = RedisRateLimitStore(redis_client, prefix=prefix, clock=clock)
    second = RedisRateLimitStore.from_url(REDIS_URL, prefix=prefix)
    second._clock = clock
    assert first.hit("shared", 60)[0] == 1
    assert second.hit("shared", 60)[0] == 2
    assert first.hit("shared", 60)[0] == 3


def test_app_counts_in_redis_when_configured(
    settings: Settings, redis_client: redis.Redis, make_user: Callable[..., User]
) -> None:
    alice = make_user("alice")
    limits = RateLimits(enabled=True, per_token=2, window_seconds=10_000_000)
    runtime = Runtime.build(settings.with_overrides(rate_limits=limits, redis_url=REDIS_URL))
    pattern = f"staffroom:rl:token:{hash_token(alice.token)}:*"
    try:
        with TestClient(create_app(runtime=runtime), base_url=BASE_URL) as client:
            codes = [
                client.get("/api/v1/preferences", headers=alice.headers).status_code
                for _ in range(3)
            ]
        assert codes == [200, 200, 429]
        keys = list(redis_client.scan_iter(pattern))
        assert len(keys) == 1 and int(redis_client.get(keys[0]) or 0) == 3
        assert not list(redis_client.scan_iter(f"*{alice.token}*"))  # never the raw token
    finally:
        keys = list(redis_client.scan_iter(pattern))
        if keys:
            redis_client.delete(*keys)
        runtime.close()
