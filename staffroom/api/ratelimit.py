"""Rate limiting middleware: Mastodon's limits and ``X-RateLimit-*`` headers.

Requests are counted per access token (authenticated API calls), per client IP (anonymous
API calls) and, for sign-ups and logins, per IP in their own buckets (see
``staffroom.services.ratelimits``). Tokens are counted by their hash and never looked up, so
the check costs no database query. Over the limit the answer is 429
``{"error": "Too many requests"}`` (plus ``Retry-After``). With
``settings.rate_limits.enabled`` false the middleware passes every request straight through.
"""

from __future__ import annotations

import math
import time
from datetime import UTC, datetime
from functools import lru_cache
from urllib.parse import parse_qsl

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from staffroom.api.responses import error_response
from staffroom.faults import REDIS_DOWN
from staffroom.middleware import error_for
from staffroom.runtime import Runtime
from staffroom.services.ratelimits import (
    RateLimiter,
    RateLimitStoreDown,
    Verdict,
    client_key,
    limiter_for,
)
from staffroom.services.tokens import hash_token

_RETRY = {"Retry-After": str(REDIS_DOWN.retry_after)}


@lru_cache(maxsize=16)  # every key in a window shares its end: format it once
def reset_time(reset_at: float) -> str:
    """``X-RateLimit-Reset``: ISO 8601 with microseconds, as Mastodon sends it."""
    return datetime.fromtimestamp(reset_at, UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def rate_limit_headers(verdict: Verdict) -> dict[str, str]:
    return {
        "X-RateLimit-Limit": str(verdict.limit),
        "X-RateLimit-Remaining": str(verdict.remaining),
        "X-RateLimit-Reset": reset_time(verdict.reset_at),
    }


def request_token(scope: Scope) -> str | None:
    """The raw bearer token from the ``Authorization`` header or ``access_token`` parameter."""
    for name, value in scope["headers"]:
        if name == b"authorization":
            text = value.decode("latin-1")
            if text[:7].lower() == "bearer ":
                return text[7:].strip() or None
            break
    query: bytes = scope.get("query_string", b"")
    if b"access_token=" in query:
        for key, value in parse_qsl(query.decode("latin-1")):
            if key == "access_token" and value:
                return value
    return None


class RateLimitMiddleware:
    """ASGI middleware; reads its settings from ``app.state.runtime`` on the first request."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self._built = False
        self._limiter: RateLimiter | None = None

    def _build(self, scope: Scope) -> RateLimiter | None:
        runtime: Runtime = scope["app"].state.runtime
        return limiter_for(runtime.extras, runtime.settings)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not self._built:
            self._limiter, self._built = self._build(scope), True
        limiter = self._limiter
        if limiter is None or scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        token = request_token(scope)
        client = scope.get("client")
        try:
            verdict = limiter.check(
                scope["method"],
                scope["path"],
                hash_token(token) if token else None,
                client_key(client[0]) if client else "unknown",
            )
        except RateLimitStoreDown:
            await error_for(scope["path"], REDIS_DOWN.status, REDIS_DOWN.message, _RETRY)(
                scope, receive, send
            )
            return
        if verdict is None:
            await self.app(scope, receive, send)
            return
        headers = rate_limit_headers(verdict)
        if not verdict.allowed:
            response = error_response(429, "Too many requests")
            response.headers.update(headers)
            response.headers["Retry-After"] = str(max(1, math.ceil(verdict.reset_at - time.time())))
            await response(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                sent = MutableHeaders(scope=message)
                if "x-ratelimit-limit" not in sent:  # a refusal by the account bucket wins
                    sent.update(headers)
            await send(message)

        await self.app(scope, receive, send_with_headers)
