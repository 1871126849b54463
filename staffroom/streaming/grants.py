"""Who is connecting: the access token of a streaming handshake, checked once.

As in Mastodon, the token comes from the ``Authorization: Bearer`` header, else the
``access_token`` query parameter, else (WebSocket only) the ``Sec-WebSocket-Protocol`` header,
which browsers can set where they cannot set ``Authorization``. Failing all three, a signed-in
browser's session cookie (the web session's own access token) is used, but only when the
request's ``Origin`` is this site (the instance's ``base_url`` or the request's own host), so
another site cannot open a stream with a visitor's cookie (cross-site WebSocket hijacking).
Server-sent events from the same origin may come without ``Origin``; a ``Sec-Fetch-Site``
other than ``same-origin`` is then refused. Every stream needs a valid user
token; a missing, unknown, revoked or app-only token is refused with 401 before anything
streams. Tokens revoked later are caught by the hub's periodic re-check.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from starlette.requests import HTTPConnection

from staffroom.runtime import runtime_of
from staffroom.services.tokens import resolve_token
from staffroom.streaming.streams import StreamError
from staffroom.web.session import session_token


@dataclass(frozen=True, slots=True)
class Grant:
    """The account a streaming connection acts for, and what its token allows."""

    account_id: int
    token_id: int
    scopes: frozenset[str]


@dataclass(frozen=True, slots=True)
class RawToken:
    value: str
    via_subprotocol: bool
    via_cookie: bool = False


def _origin_of(url: str) -> tuple[str, str]:
    parts = urlsplit(url.strip().lower())
    return parts.scheme, parts.netloc


def same_origin(conn: HTTPConnection) -> bool:
    """Whether a browser request comes from this site's own pages (see the module docstring)."""
    origin = conn.headers.get("origin")
    if origin is None:
        fetch_site = conn.headers.get("sec-fetch-site")
        return conn.scope["type"] == "http" and fetch_site in (None, "same-origin")
    scheme, netloc = _origin_of(origin)
    if scheme not in ("http", "https") or not netloc:
        return False  # includes "null" (sandboxed frames, file: pages)
    if (scheme, netloc) == _origin_of(runtime_of(conn).settings.base_url):
        return True
    return netloc == conn.headers.get("host", "").strip().lower()


def cookie_token(conn: HTTPConnection) -> RawToken | None:
    """The web session's token from the cookie, if the request comes from this site."""
    raw = session_token(conn)
    if raw is None or not same_origin(conn):
        return None
    return RawToken(raw, False, True)


def raw_token(conn: HTTPConnection) -> RawToken | None:
    """The token as sent, and whether it came as the WebSocket subprotocol."""
    header = conn.headers.get("authorization", "")
    if header[:7].lower() == "bearer " and header[7:].strip():
        return RawToken(header[7:].strip(), False)
    query = conn.query_params.get("access_token")
    if query:
        return RawToken(query, False)
    if conn.scope["type"] == "websocket":
        offered: list[str] = conn.scope.get("subprotocols") or []
        if offered and offered[0]:
            return RawToken(offered[0], True)
    return cookie_token(conn)


async def authenticate(conn: HTTPConnection) -> tuple[Grant, RawToken]:
    """The connection's grant; raises :class:`StreamError` (401) when there is none."""
    token = raw_token(conn)
    if token is None:
        raise StreamError("Missing access token", 401)
    info = await runtime_of(conn).db.aread(resolve_token, token.value)
    if info is None:
        raise StreamError("The access token is invalid", 401)
    if info.account_id is None:
        raise StreamError("This method requires an authenticated user", 401)
    return Grant(info.account_id, info.token_id, info.scopes), token
