"""Bearer-token authentication and per-endpoint scope checks.

``authenticate(request, "read:statuses")`` returns a :class:`Viewer` or raises the right
error: 401 for a missing or bad token, 403 when the token lacks the scope, 422 when a user is
required but the token is an app-only one (as Mastodon answers).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from sqlalchemy import Connection
from starlette.requests import HTTPConnection

from staffroom.api.ratelimit import rate_limit_headers
from staffroom.errors import Forbidden, NotAuthenticated, RateLimited, ValidationFailed
from staffroom.policies.scopes import covers
from staffroom.runtime import Runtime, runtime_of
from staffroom.services.ratelimits import account_refusal
from staffroom.services.tokens import TokenInfo, resolve_token, touch_last_active

# How often an account's ``last_active_at`` is refreshed (feeds "active users" and, at
# scale, which home timelines are kept up to date).
ACTIVITY_INTERVAL = 3600.0

_CACHE_KEY = "staffroom.token"

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Viewer:
    """The authenticated caller of one request."""

    token: TokenInfo

    @property
    def account_id(self) -> int:
        assert self.token.account_id is not None
        return self.token.account_id

    @property
    def has_account(self) -> bool:
        return self.token.account_id is not None


def bearer_token(conn: HTTPConnection) -> str | None:
    # The raw header list, read once per request (Starlette's ``Headers`` mapping costs more
    # than the rest of this function; the first ``Authorization`` header counts, as there).
    header = ""
    for name, value in conn.scope["headers"]:
        if name == b"authorization":
            header = value.decode("latin-1")
            break
    if header[:7].lower() == "bearer ":
        return header[7:].strip() or None
    return conn.query_params.get("access_token") or None


async def _token(conn: HTTPConnection) -> TokenInfo | None:
    if _CACHE_KEY in conn.scope:
        cached: TokenInfo | None = conn.scope[_CACHE_KEY]
        return cached
    raw = bearer_token(conn)
    info = None
    if raw is not None:
        rt = runtime_of(conn)
        info = await rt.db.aread(resolve_token, raw)
        if info is None:
            raise NotAuthenticated("The access token is invalid")
        if info.account_id is not None:
            _count_account(rt, info.account_id)
            await _note_activity(rt, info.account_id)
    conn.scope[_CACHE_KEY] = info
    return info


def _count_account(rt: Runtime, account_id: int) -> None:
    """429 once the account has made its window's requests, through any of its tokens."""
    verdict = account_refusal(rt.extras, rt.settings, account_id)
    if verdict is not None:
        refused = RateLimited()
        refused.headers = {
            **rate_limit_headers(verdict),
            "Retry-After": str(max(1, math.ceil(verdict.reset_at - time.time()))),
        }
        raise refused


async def _note_activity(rt: Runtime, account_id: int) -> None:
    """Record that the account is active (at most once per interval per process)."""
    now = time.monotonic()
    seen: dict[int, float] = rt.extras.setdefault("last_active", {})
    if now - seen.get(account_id, -ACTIVITY_INTERVAL) < ACTIVITY_INTERVAL:
        return
    seen[account_id] = now
    await rt.db.awrite(touch_last_active, account_id)


def _denial(info: TokenInfo | None, scope: str, user: bool) -> Exception | None:
    """Why ``info`` does not let its holder act under ``scope`` (``None``: it does)."""
    if info is None:
        return NotAuthenticated("The access token is invalid")
    if not covers(info.scopes, scope):
        return Forbidden("This action is outside the authorized scopes")
    if user and info.account_id is None:
        return ValidationFailed("This method requires an authenticated user")
    return None


def _grant(info: TokenInfo | None, scope: str, user: bool) -> Viewer:
    denial = _denial(info, scope, user)
    if denial is not None:
        raise denial
    assert info is not None
    return Viewer(info)


async def authenticate(conn: HTTPConnection, scope: str, *, user: bool = True) -> Viewer:
    """The caller, who must hold ``scope`` (and be a user unless ``user=False``)."""
    return _grant(await _token(conn), scope, user)


async def read_as_user(
    conn: HTTPConnection, scope: str, fn: Callable[[Connection, Viewer], T]
) -> tuple[Viewer, T]:
    """``authenticate(conn, scope)``, then ``rt.db.aread(fn, viewer)``, on one connection:
    the token is resolved in the same read and ``fn`` runs only if the token grants
    ``scope`` to a user. Answers (errors included) are those of the two steps."""
    rt = runtime_of(conn)
    raw = None if _CACHE_KEY in conn.scope else bearer_token(conn)
    if raw is None:  # resolved earlier in this request, or no token at all
        viewer = await authenticate(conn, scope)
        return viewer, await rt.db.aread(fn, viewer)
    resolved: list[TokenInfo | None] = []
    results: list[T] = []

    def read(db: Connection) -> None:
        info = resolve_token(db, raw)
        resolved.append(info)
        if _denial(info, scope, True) is None:
            assert info is not None
            results.append(fn(db, Viewer(info)))

    try:
        await rt.db.aread(read)
    finally:
        info = resolved[0] if resolved else None
        if info is not None:
            conn.scope[_CACHE_KEY] = info
            if info.account_id is not None:
                await _note_activity(rt, info.account_id)
    viewer = _grant(info, scope, True)  # raises where ``read`` did not run ``fn``
    return viewer, results[0]


async def optional_viewer(conn: HTTPConnection, scope: str = "read") -> Viewer | None:
    """The caller if a user token was sent (it must be valid and hold ``scope``), else None."""
    info = await _token(conn)
    if info is None or info.account_id is None:
        return None
    if not covers(info.scopes, scope):
        raise Forbidden("This action is outside the authorized scopes")
    return Viewer(info)
