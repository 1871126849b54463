"""The counting behind rate limits: fixed windows, buckets, client keys, store failures."""

from __future__ import annotations

import logging

import pytest

from staffroom.config import RateLimits, Settings
from staffroom.services.ratelimits import (
    Bucket,
    MemoryRateLimitStore,
    RateLimiter,
    RateLimitStoreDown,
    RedisRateLimitStore,
    buckets_for,
    build_limiter,
    client_key,
)
from staffroom.services.tokens import hash_token

LIMITS = RateLimits(per_token=300, per_ip=300, window_seconds=300, sign_ups_per_ip=5)


class Clock:
    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def test_memory_store_counts_in_fixed_windows() -> None:
    clock = Clock(1_000_010.0)
    store = MemoryRateLimitStore(clock)
    assert store.hit("a", 300) == (1, 1_000_200.0)  # windows start at multiples of 300
    assert store.hit("a", 300) == (2, 1_000_200.0)
    assert store.hit("b", 300) == (1, 1_000_200.0)
    assert store.hit("a", 1800) == (1, 1_000_800.0)  # another window length, another count
    clock.now = 1_000_199.9
    assert store.hit("a", 300) == (3, 1_000_200.0)
    clock.now = 1_000_200.0
    assert store.hit("a", 300) == (1, 1_000_500.0)  # a new window starts from zero
    assert store.hit("a", 1800) == (2, 1_000_800.0)


def test_buckets_for_requests() -> None:
    token_hash = hash_token("raw-secret-token")
    signed_in = buckets_for(LIMITS, "GET", "/api/v1/timelines/home", token_hash, "192.0.2.1")
    assert signed_in == [Bucket(f"token:{token_hash}", 300, 300)]
    assert "raw-secret-token" not in signed_in[0].key
    anonymous = buckets_for(LIMITS, "GET", "/api/v1/instance", None, "192.0.2.1")
    assert anonymous == [Bucket("ip:192.0.2.1", 300, 300)]
    sign_up = buckets_for(LIMITS, "POST", "/api/v1/accounts", token_hash, "192.0.2.1")
    assert sign_up[1] == Bucket("signup:192.0.2.1", 5, 1800, fail_closed=True)
    assert buckets_for(LIMITS, "POST", "/auth/sign_up", None, "192.0.2.1") == [
        Bucket("signup:192.0.2.1", 5, 1800, fail_closed=True)
    ]
    assert buckets_for(LIMITS, "POST", "/oauth/token", None, "192.0.2.1") == [
        Bucket("login:192.0.2.1", 25, 300, fail_closed=True)
    ]
    assert len(buckets_for(LIMITS, "GET", "/api/v1/accounts", None, "192.0.2.1")) == 1
    assert buckets_for(LIMITS, "GET", "/@alice", None, "192.0.2.1") == []
    assert buckets_for(LIMITS, "GET", "/auth/sign_in", None, "192.0.2.1") == []


def test_client_keys_group_ipv6_by_network() -> None:
    assert client_key("192.0.2.1") == "192.0.2.1"
    same = client_key("2001:db8:1:2:3:4:5:6")
    assert same == client_key("2001:db8:1:2:ffff::1") == "2001:db8:1:2::"
    assert client_key("2001:db8:1:3::1") != same
    assert client_key("not:an:address") == "not:an:address"


def test_limiter_reports_the_tightest_bucket() -> None:
    limiter = RateLimiter(LIMITS, MemoryRateLimitStore(Clock(0.0)))
    verdict = limiter.check("POST", "/api/v1/accounts", None, "192.0.2.1")
    assert verdict is not None
    assert (verdict.limit, verdict.remaining, verdict.allowed) == (5, 4, True)
    for _ in range(4):
        limiter.check("POST", "/api/v1/accounts", None, "192.0.2.1")
    refused = limiter.check("POST", "/api/v1/accounts", None, "192.0.2.1")
    assert refused is not None
    assert (refused.limit, refused.remaining, refused.allowed) == (5, 0, False)
    assert refused.reset_at == 1800.0
    assert limiter.check("GET", "/about", None, "192.0.2.1") is None


class BrokenStore:
    def __init__(self) -> None:
        self.broken = True

    def hit(self, key: str, window_seconds: int) -> tuple[int, float]:
        if self.broken:
            raise ConnectionError("store is down")
        return 1, 300.0


def test_limiter_lets_requests_through_when_the_store_fails(
    caplog: pytest.LogCaptureFixture,
) -> None:
    store = BrokenStore()
    limiter = RateLimiter(LIMITS, store)
    with caplog.at_level(logging.WARNING, logger="staffroom.ratelimits"):
        assert limiter.check("GET", "/api/v1/instance", None, "192.0.2.1") is None
        assert limiter.check("GET", "/api/v1/instance", None, "192.0.2.1") is None
        store.broken = False
        verdict = limiter.check("GET", "/api/v1/instance", None, "192.0.2.1")
    assert verdict is not None and verdict.allowed
    messages = [r.getMessage() for r in caplog.records]
    assert len([m for m in messages if "unavailable" in m]) == 1  # logged once, not per request
    assert any("available again" in m for m in messages)


def test_sign_ups_and_logins_fail_closed_and_the_outage_is_logged_once_a_minute(
    caplog: pytest.LogCaptureFixture,
) -> None:
    store = BrokenStore()
    clock = Clock(0.0)
    limiter = RateLimiter(LIMITS, store, clock=clock)
    with caplog.at_level(logging.WARNING, logger="staffroom.ratelimits"):
        for path in ("/oauth/token", "/api/v1/accounts", "/auth/sign_in", "/auth/sign_up"):
            with pytest.raises(RateLimitStoreDown):
                limiter.check("POST", path, None, "192.0.2.1")
        clock.now = 59.0
        assert limiter.check("GET", "/api/v1/instance", None, "192.0.2.1") is None
        clock.now = 60.0
        assert limiter.check("GET", "/api/v1/instance", None, "192.0.2.1") is None
    outages = [r for r in caplog.records if "unavailable" in r.getMessage()]
    assert len(outages) == 2  # at 0 s and at 60 s, not once per request
    assert "refusing sign-ups and logins" in outages[0].getMessage()


def test_build_limiter_follows_settings(settings: Settings) -> None:
    assert build_limiter(settings) is None  # the test settings disable limits
    enabled = settings.with_overrides(rate_limits=RateLimits(enabled=True))
    memory = build_limiter(enabled)
    assert memory is not None and isinstance(memory.store, MemoryRateLimitStore)
    shared = build_limiter(enabled.with_overrides(redis_url="redis://127.0.0.1:6379/0"))
    assert shared is not None and isinstance(shared.store, RedisRateLimitStore)
