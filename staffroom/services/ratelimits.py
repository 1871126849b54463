"""Fixed-window request counting, with Mastodon's buckets and limits.

A window of ``w`` seconds starts at a multiple of ``w`` since the epoch, so every key in a
bucket resets at the same moment (as Mastodon's Rack::Attack does). Counts live in a
:class:`RateLimitStore`: in this process's memory (one server process) or in Redis (several
processes). Nothing here touches the database.
"""

from __future__ import annotations

import ipaddress
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from staffroom.config import RateLimits, Settings

if TYPE_CHECKING:
    import redis

log = logging.getLogger("staffroom.ratelimits")

# Login attempts (password grant, web sign-in) per IP, as Mastodon's throttle_login_attempts/ip.
LOGIN_ATTEMPTS_PER_IP = 25
LOGIN_WINDOW_SECONDS = 300

SIGN_UP_PATHS = frozenset({"/api/v1/accounts", "/auth/sign_up"})
LOGIN_PATHS = frozenset({"/oauth/token", "/auth/sign_in"})


class RateLimitStore(Protocol):
    """Counts hits per key in fixed windows."""

    def hit(self, key: str, window_seconds: int) -> tuple[int, float]:
        """Count one hit on ``key``; return the count in the current window and when the
        window ends (Unix seconds)."""
        ...


def window_start(now: float, window_seconds: int) -> int:
    return int(now // window_seconds) * window_seconds


class MemoryRateLimitStore:
    """Counts in a dict per window length; a window's dict is dropped when the window ends.

    Meant for one event loop (one server process): no locking.
    """

    def __init__(self, clock: Callable[[], float] = time.time) -> None:
        self._clock = clock
        self._windows: dict[int, tuple[int, dict[str, int]]] = {}

    def hit(self, key: str, window_seconds: int) -> tuple[int, float]:
        start = window_start(self._clock(), window_seconds)
        current = self._windows.get(window_seconds)
        if current is None or current[0] != start:
            current = (start, {})
            self._windows[window_seconds] = current
        counts = current[1]
        count = counts.get(key, 0) + 1
        counts[key] = count
        return count, float(start + window_seconds)


class RedisRateLimitStore:
    """Counts in Redis (``INCR`` + ``EXPIRE`` in one round trip), shared by all processes."""

    def __init__(
        self,
        client: redis.Redis,
        *,
        prefix: str = "staffroom:rl:",
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._client = client
        self._prefix = prefix
        self._clock = clock

    @classmethod
    def from_url(cls, url: str, *, prefix: str = "staffroom:rl:") -> RedisRateLimitStore:
        """A store on the Redis server at ``url``; a slow server costs at most 0.5 s."""
        import redis

        client = redis.Redis.from_url(url, socket_timeout=0.5, socket_connect_timeout=0.5)
        return cls(client, prefix=prefix)

    def hit(self, key: str, window_seconds: int) -> tuple[int, float]:
        start = window_start(self._clock(), window_seconds)
        redis_key = f"{self._prefix}{key}:{start}"
        pipe = self._client.pipeline(transaction=False)
        pipe.incr(redis_key)
        pipe.expire(redis_key, window_seconds + 1)
        count, _ = pipe.execute()
        return int(count), float(start + window_seconds)


@dataclass(frozen=True, slots=True)
class Bucket:
    """One limit that applies to a request: ``limit`` hits on ``key`` per window."""

    key: str
    limit: int
    window_seconds: int
    fail_closed: bool = False  # refuse, rather than allow, while the store is down


@dataclass(frozen=True, slots=True)
class Verdict:
    """The state of the tightest bucket after counting a request."""

    limit: int
    remaining: int
    reset_at: float
    allowed: bool


def client_key(host: str) -> str:
    """IPv4 addresses as they are; IPv6 addresses by their /64 network, as Mastodon does."""
    if ":" not in host:
        return host
    try:
        network = ipaddress.IPv6Network(f"{host}/64", strict=False)
    except ValueError:
        return host
    return str(network.network_address)


def buckets_for(
    limits: RateLimits, method: str, path: str, token_hash: str | None, ip: str
) -> list[Bucket]:
    """The buckets a request counts against (none for pages outside the API and auth forms)."""
    buckets: list[Bucket] = []
    if path.startswith("/api/"):
        if token_hash is not None:
            buckets.append(Bucket(f"token:{token_hash}", limits.per_token, limits.window_seconds))
        else:
            buckets.append(Bucket(f"ip:{ip}", limits.per_ip, limits.window_seconds))
    if method == "POST":
        if path in SIGN_UP_PATHS:
            buckets.append(
                Bucket(
                    f"signup:{ip}",
                    limits.sign_ups_per_ip,
                    limits.sign_up_window_seconds,
                    fail_closed=True,
                )
            )
        elif path in LOGIN_PATHS:
            buckets.append(
                Bucket(f"login:{ip}", LOGIN_ATTEMPTS_PER_IP, LOGIN_WINDOW_SECONDS, fail_closed=True)
            )
    return buckets


class RateLimitStoreDown(Exception):
    """The store cannot count, and the request is one that must not go uncounted."""


class RateLimiter:
    """Counts a request against its buckets and says whether it may proceed.

    If the store fails (Redis down), ordinary requests are let through (an outage of the
    counter must not take the server down), but sign-ups and logins, which the limits guard
    against password guessing and spam, raise :class:`RateLimitStoreDown`: they fail closed.
    The failure is logged once a minute while it lasts, and its end once.
    """

    LOG_EVERY_SECONDS = 60.0

    def __init__(
        self, limits: RateLimits, store: RateLimitStore, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.limits = limits
        self.store = store
        self._store_failing = False
        self._clock = clock
        self._last_logged = float("-inf")

    def check(self, method: str, path: str, token_hash: str | None, ip: str) -> Verdict | None:
        """Count the request; ``None`` when no limit applies to it."""
        buckets = buckets_for(self.limits, method, path, token_hash, ip)
        if not buckets:
            return None
        verdict: Verdict | None = None
        for bucket in buckets:
            try:
                count, reset_at = self.store.hit(bucket.key, bucket.window_seconds)
            except Exception as exc:  # any store failure
                self._store_failing = True
                closed = any(b.fail_closed for b in buckets)
                now = self._clock()
                if now - self._last_logged >= self.LOG_EVERY_SECONDS:
                    self._last_logged = now
                    log.error(
                        "rate limit store unavailable (%s): refusing sign-ups and logins, "
                        "not limiting other requests",
                        exc,
                    )
                if closed:
                    raise RateLimitStoreDown(str(exc)) from exc
                return None
            current = Verdict(
                limit=bucket.limit,
                remaining=max(0, bucket.limit - count),
                reset_at=reset_at,
                allowed=count <= bucket.limit,
            )
            if verdict is None or _tighter(current, verdict):
                verdict = current
        if self._store_failing:
            log.warning("rate limit store available again")
            self._store_failing = False
            self._last_logged = float("-inf")
        return verdict


def check_account(limiter: RateLimiter, account_id: int) -> Verdict | None:
    """Count an authenticated request against its account, whichever token it used (as
    Mastodon's ``throttle_authenticated_api`` does): many tokens buy no extra requests.
    A store failure lets the request through (its token and IP buckets said the same)."""
    limits = limiter.limits
    try:
        count, reset_at = limiter.store.hit(f"account:{account_id}", limits.window_seconds)
    except Exception:
        return None
    return Verdict(
        limit=limits.per_token,
        remaining=max(0, limits.per_token - count),
        reset_at=reset_at,
        allowed=count <= limits.per_token,
    )


def _tighter(candidate: Verdict, current: Verdict) -> bool:
    """A refusal beats an allowance; among equals, fewer remaining requests wins."""
    if candidate.allowed != current.allowed:
        return not candidate.allowed
    return candidate.remaining < current.remaining


def build_limiter(settings: Settings) -> RateLimiter | None:
    """The limiter for ``settings``: ``None`` when disabled, Redis-backed when configured."""
    if not settings.rate_limits.enabled:
        return None
    store: RateLimitStore
    if settings.redis_url:
        store = RedisRateLimitStore.from_url(settings.redis_url)
    else:
        store = MemoryRateLimitStore()
    return RateLimiter(settings.rate_limits, store)


_LIMITER_KEY = "rate_limiter"


def limiter_for(extras: dict[str, object], settings: Settings) -> RateLimiter | None:
    """The one limiter of a runtime (its ``extras``), built on first use."""
    if _LIMITER_KEY not in extras:
        extras[_LIMITER_KEY] = build_limiter(settings)
    limiter = extras[_LIMITER_KEY]
    return limiter if isinstance(limiter, RateLimiter) else None


def account_refusal(
    extras: dict[str, object], settings: Settings, account_id: int
) -> Verdict | None:
    """Count one request of ``account_id``; the verdict if it must be refused, else ``None``
    (also when limits are off). The API and the web pages both ask this."""
    limiter = limiter_for(extras, settings)
    if limiter is None:
        return None
    verdict = check_account(limiter, account_id)
    return verdict if verdict is not None and not verdict.allowed else None
