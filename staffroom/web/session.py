"""Browser sessions: a signed, HttpOnly cookie holding the raw web-session access token.

The token (see ``services.login.start_web_session``) is what makes the session real: signing
out revokes it, and so does revoking all of an account's tokens.
"""

from __future__ import annotations

from itsdangerous import BadSignature, URLSafeTimedSerializer
from starlette.requests import HTTPConnection
from starlette.responses import Response

from staffroom.config import Settings
from staffroom.runtime import runtime_of
from staffroom.services.login import SessionUser, resolve_web_session

SESSION_COOKIE = "staffroom_session"
SESSION_MAX_AGE = 30 * 24 * 3600
_SALT = "staffroom.web-session"
_CACHE_KEY = "staffroom.web_user"


def _serializer(settings: Settings) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(settings.secret_key, salt=_SALT)


def secure_cookies(settings: Settings) -> bool:
    """Mark cookies ``Secure`` when the instance is served over HTTPS."""
    return settings.base_url.startswith("https://")


def session_token(conn: HTTPConnection) -> str | None:
    """The raw token from a validly signed session cookie, else ``None``."""
    cookie = conn.cookies.get(SESSION_COOKIE)
    if not cookie:
        return None
    settings = runtime_of(conn).settings
    try:
        raw = _serializer(settings).loads(cookie, max_age=SESSION_MAX_AGE)
    except BadSignature:
        return None
    return raw if isinstance(raw, str) else None


async def current_user(conn: HTTPConnection) -> SessionUser | None:
    """The account signed in on this browser, or ``None`` (cached per request)."""
    if _CACHE_KEY in conn.scope:
        cached: SessionUser | None = conn.scope[_CACHE_KEY]
        return cached
    raw = session_token(conn)
    user = None if raw is None else await runtime_of(conn).db.aread(resolve_web_session, raw)
    conn.scope[_CACHE_KEY] = user
    return user


async def current_account_id(conn: HTTPConnection) -> int | None:
    """The signed-in account's ID for web pages, or ``None`` when signed out."""
    user = await current_user(conn)
    return None if user is None else user.account_id


def set_session_cookie(response: Response, settings: Settings, raw_token: str) -> None:
    response.set_cookie(
        SESSION_COOKIE,
        _serializer(settings).dumps(raw_token),
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
