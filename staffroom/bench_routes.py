"""Benchmark-only endpoints: the ceilings the real endpoints are measured against.

Mounted only when ``STAFFROOM_BENCH_ROUTES=1`` (see ``bench/run.py``); never in production.

- ``GET /bench/trivial``: a small constant JSON document (the framework's own ceiling).
- ``GET /bench/raw_home?account_id=``: the 20 newest precomputed ``home_feed`` entries of an
  account, joined with their statuses and authors, read with a raw ``sqlite3`` connection
  and returned with orjson (no auth, no ORM, no entity details: the "raw" ceiling).
"""

from __future__ import annotations

import sqlite3
from typing import Any

import orjson
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from staffroom.api.responses import error_response
from staffroom.runtime import runtime_of

_JSON = "application/json; charset=utf-8"
_TRIVIAL = orjson.dumps({"ok": True, "name": "staffroom", "version": "bench"})
_VISIBILITY = ("public", "unlisted", "private", "direct")

_RAW_HOME = """
SELECT s.id, s.created_at, s.in_reply_to_id, s.in_reply_to_account_id, s.reblog_of_id,
       s.sensitive, s.spoiler_text, s.visibility, s.language, s.content_html,
       s.replies_count, s.reblogs_count, s.favourites_count, s.edited_at,
       a.id, a.username, a.display_name, a.locked, a.bot, a.note_html, a.created_at,
       a.followers_count, a.following_count, a.statuses_count, a.last_status_at
FROM home_feed AS h
JOIN statuses AS s ON s.id = h.status_id
JOIN accounts AS a ON a.id = s.account_id
WHERE h.account_id = ?
ORDER BY h.status_id DESC
LIMIT 20
"""

_connections: dict[str, sqlite3.Connection] = {}


def _raw_connection(database_url: str) -> sqlite3.Connection:
    """One raw connection per process and database file, opened on first use."""
    conn = _connections.get(database_url)
    if conn is None:
        path = database_url.split("///", 1)[1]
        conn = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        conn.execute("PRAGMA cache_size=-65536")  # as the server's own connections
        conn.execute("PRAGMA query_only=ON")
        _connections[database_url] = conn
    return conn


def _iso(value: str | None) -> str | None:
    """``2026-11-21 09:30:00.123456`` (SQLite text) -> ``2026-11-21T09:30:00.123Z``."""
    if value is None:
        return None
    millis = value[20:23].ljust(3, "0")
    return f"{value[:10]}T{value[11:19]}.{millis}Z"


def _entity(row: tuple[Any, ...], base_url: str) -> dict[str, Any]:
    username = row[15]
    return {
        "id": str(row[0]),
        "created_at": _iso(row[1]),
        "in_reply_to_id": None if row[2] is None else str(row[2]),
        "in_reply_to_account_id": None if row[3] is None else str(row[3]),
        "reblog_of_id": None if row[4] is None else str(row[4]),
        "sensitive": bool(row[5]),
        "spoiler_text": row[6],
        "visibility": _VISIBILITY[row[7]],
        "language": row[8],
        "uri": f"{base_url}/users/{username}/statuses/{row[0]}",
        "url": f"{base_url}/@{username}/{row[0]}",
        "content": row[9],
        "replies_count": row[10],
        "reblogs_count": row[11],
        "favourites_count": row[12],
        "edited_at": _iso(row[13]),
        "account": {
            "id": str(row[14]),
            "username": username,
            "acct": username,
            "display_name": row[16],
            "locked": bool(row[17]),
            "bot": bool(row[18]),
            "note": row[19],
            "created_at": _iso(row[20]),
            "url": f"{base_url}/@{username}",
            "followers_count": row[21],
            "following_count": row[22],
            "statuses_count": row[23],
            "last_status_at": None if row[24] is None else row[24][:10],
        },
    }


async def trivial(request: Request) -> Response:
    """A constant JSON body: routing, middleware and the HTTP server, nothing else."""
    return Response(_TRIVIAL, media_type=_JSON)


async def raw_home(request: Request) -> Response:
    """Twenty precomputed home entries with raw sqlite3 + orjson (the raw ceiling)."""
    settings = runtime_of(request).settings
    if not settings.is_sqlite:
        return error_response(400, "raw_home needs a SQLite database")
    raw_id = request.query_params.get("account_id", "")
    if not raw_id.isdigit() or len(raw_id) > 19:
        return error_response(400, "account_id must be a numeric ID")
    conn = _raw_connection(settings.database_url)
    rows = conn.execute(_RAW_HOME, (int(raw_id),)).fetchall()
    body = [_entity(row, settings.base_url) for row in rows]
    return Response(orjson.dumps(body), media_type=_JSON)


routes: list[BaseRoute] = [
    Route("/bench/trivial", trivial, methods=["GET"]),
    Route("/bench/raw_home", raw_home, methods=["GET"]),
]
