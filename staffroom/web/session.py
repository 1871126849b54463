"""Browser sessions: a signed, HttpOnly cookie holding the raw web-session access token.

The token (see ``services.login.start_web_session``) is what makes the session real: signing
out revokes it, and so does revoking all of an account's tokens.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import Connection
from starlette.requests import HTTPConnection
from starlette.responses import Response

from staffroom.cache import BoundedCache
from staffroom.config import Settings
from staffroom.runtime import runtime_of
from staffroom.services.login import SessionUser, resolve_web_session

SESSION_COOKIE = "staffroom_session"
SESSION_MAX_AGE = 30 * 24 * 3600
_SALT = "staffroom.web-session"
_CACHE_KEY = "staffroom.web_user"
T = TypeVar("T")


def _serializer(settings: Settings) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(settings.secret_key, salt=_SALT)


def secure_cookies(settings: Settings) -> bool:
    """Mark cookies ``Secure`` when the instance is served over HTTPS."""
    return settings.base_url.startswith("https://")


# Cookies whose signature this process checked: (secret key, cookie) -> (raw token, when it
# was signed). A signature, once valid for a key, stays valid (checking it cost ~50 us, more
# than the rest of the session's lookup); the cookie's age is checked on every request, and
# the token it holds is looked up every time (revocation, ``services.login``).
_VERIFIED: BoundedCache[tuple[str, str], tuple[str, int]] = BoundedCache(50_000)


def session_token(conn: HTTPConnection) -> str | None:
    """The raw token from a validly signed session cookie, else ``None``."""
    cookie = conn.cookies.get(SESSION_COOKIE)
    if not cookie:
        return None
    settings = runtime_of(conn).settings
    key = (settings.secret_key, cookie)
    verified = _VERIFIED.get(key)
    if verified is None:
        try:
            raw, signed = _serializer(settings).loads(
                cookie, max_age=SESSION_MAX_AGE, return_timestamp=True
            )
        except BadSignature:
            return None
        if not isinstance(raw, str):
            return None
        verified = (raw, int(signed.timestamp()))
        _VERIFIED.put(key, verified)
    age = int(time.time()) - verified[1]
    if age > SESSION_MAX_AGE or age < 0:  # as itsdangerous judges it
        return None
    return verified[0]


async def current_user(conn: HTTPConnection) -> SessionUser | None:
    """The account signed in on this browser, or ``None`` (cached per request)."""
    if _CACHE_KEY in conn.scope:
        cached: SessionUser | None = conn.scope[_CACHE_KEY]
        return cached
    raw = session_token(conn)
    user = None if raw is None else await runtime_of(conn).db.aread(resolve_web_session, raw)
    conn.scope[_CACHE_KEY] = user
    return user


async def read_as_viewer(
    conn: HTTPConnection, fn: Callable[[Connection, SessionUser], T]
) -> tuple[SessionUser, T] | None:
    """The signed-in account and ``fn(db_conn, viewer)`` read with it in one database read
    (one trip, as the API reads a token with its timeline), or ``None`` when signed out."""
    db = runtime_of(conn).db
    if _CACHE_KEY in conn.scope:
        known: SessionUser | None = conn.scope[_CACHE_KEY]
        return None if known is None else (known, await db.aread(fn, known))
    raw = session_token(conn)
    if raw is None:
        conn.scope[_CACHE_KEY] = None
        return None

    def both(db_conn: Connection) -> tuple[SessionUser, T] | None:
        user = resolve_web_session(db_conn, raw)
        return None if user is None else (user, fn(db_conn, user))

    found = await db.aread(both)
    conn.scope[_CACHE_KEY] = None if found is None else found[0]
    return found


async def current_account_id(conn: HTTPConnection) -> int | None:
    """The signed-in account's ID for web pages, or ``None`` when signed out."""
    user = await current_user(conn)
    return None if user is None else user.account_id


def session_cookie_value(settings: Settings, raw_token: str) -> str:
    """The signed value of the session cookie for a web-session token."""
    return _serializer(settings).dumps(raw_token)


def set_session_cookie(response: Response, settings: Settings, raw_token: str) -> None:
    response.set_cookie(
        SESSION_COOKIE,
        session_cookie_value(settings, raw_token),
        max_age=SESSION_MAX_AGE,
        path="/",
        secure=secure_cookies(settings),
        httponly=True,
        samesite="lax",
    )


def clear_session_cookie(response: Response, settings: Settings) -> None:
    response.delete_cookie(
        SESSION_COOKIE, path="/", secure=secure_cookies(settings), httponly=True, samesite="lax"
    )
