"""The fan-out-lag ceiling: the same posts' fan-out written raw, on the same schedule.

``sqlite_replay`` deletes the ``home_feed`` rows the server wrote for the posts (untimed),
then re-inserts them through a raw ``sqlite3`` connection with the server's durability
settings (WAL, ``synchronous=FULL``), one ``INSERT ... SELECT`` from ``follows`` per post, in
transactions of up to ``batch`` posts that are due (as the server's worker groups its
jobs), each post due at the same offset from the start as it was sent to the server. Its lag
is commit time minus due time. The database ends as the server left it.

``redis_replay`` does the same with ``ZADD`` + ``ZREMRANGEBYRANK`` (the cap) per follower,
written as raw RESP in one round trip per batch, into a scratch Redis database (db 1,
flushed before and after).

Both report the lag distribution and the capacity (posts per second of busy writing).
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Callable
from typing import Any

from servers import summary_ms

Post = tuple[int, int, float]  # status id, author id, due offset (seconds from the start)
HOME_CAP = 800

_FOLLOWER_ROWS = (
    "INSERT OR IGNORE INTO home_feed (account_id, status_id, author_id, reblog_of_id) "
    "SELECT account_id, ?, ?, NULL FROM follows WHERE target_account_id = ?"
)
_AUTHOR_ROW = (
    "INSERT OR IGNORE INTO home_feed (account_id, status_id, author_id, reblog_of_id) "
    "VALUES (?, ?, ?, NULL)"
)
_DELETE_FOLLOWER_ROWS = (
    "DELETE FROM home_feed WHERE status_id = ? AND account_id IN "
    "(SELECT account_id FROM follows WHERE target_account_id = ?)"
)


def _pinned(cpu: int | None) -> Callable[[], None]:
    """Pin this process to ``cpu``; returns a function that restores the old affinity."""
    if cpu is None:
        return lambda: None
    before = os.sched_getaffinity(0)
    os.sched_setaffinity(0, {cpu})
    return lambda: os.sched_setaffinity(0, before)


def _replay(posts: list[Post], batch: int, write: Callable[[list[Post]], None]) -> dict[str, Any]:
    """Write ``posts`` as they fall due (open loop), ``batch`` at most per write."""
    start = time.perf_counter() + 0.05
    lags: list[float] = []
    busy = 0.0
    i = 0
    ordered = sorted(posts, key=lambda p: p[2])
    while i < len(ordered):
        now = time.perf_counter()
        due_until = now - start
        if ordered[i][2] > due_until:
            time.sleep(min(0.002, ordered[i][2] - due_until))
            continue
        j = i
        while j < len(ordered) and j - i < batch and ordered[j][2] <= due_until:
            j += 1
        group = ordered[i:j]
        began = time.perf_counter()
        write(group)
        done = time.perf_counter()
        busy += done - began
        lags += [done - (start + p[2]) for p in group]
        i = j
    return {
        "lag_ms": summary_ms(lags),
        "capacity_posts_per_s": round(len(posts) / busy, 1) if busy else None,
        "batch": batch,
    }


def sqlite_replay(path: str, posts: list[Post], *, batch: int, cpu: int | None) -> dict[str, Any]:
    conn = sqlite3.connect(path, isolation_level=None, timeout=30)
    for pragma in ("journal_mode=WAL", "synchronous=FULL", "cache_size=-65536"):
        conn.execute(f"PRAGMA {pragma}")
    conn.execute("BEGIN IMMEDIATE")
    for status_id, author_id, _ in posts:
        conn.execute(_DELETE_FOLLOWER_ROWS, (status_id, author_id))
        conn.execute(
            "DELETE FROM home_feed WHERE status_id = ? AND account_id = ?", (status_id, author_id)
        )
    conn.execute("COMMIT")

    def write(group: list[Post]) -> None:
        conn.execute("BEGIN IMMEDIATE")
        for status_id, author_id, _ in group:
            conn.execute(_FOLLOWER_ROWS, (status_id, author_id, author_id))
            conn.execute(_AUTHOR_ROW, (author_id, status_id, author_id))
        conn.execute("COMMIT")

    restore = _pinned(cpu)
    try:
        return _replay(posts, batch, write)
    finally:
        restore()
        conn.close()


def _resp(*parts: bytes) -> bytes:
    """One Redis command in RESP (the wire protocol), built by hand."""
    out = [b"*%d\r\n" % len(parts)]
    for part in parts:
        out.append(b"$%d\r\n%s\r\n" % (len(part), part))
    return b"".join(out)


def redis_replay(
    redis_url: str,
    audiences: dict[int, list[int]],
    posts: list[Post],
    *,
    batch: int,
    cpu: int | None,
) -> dict[str, Any]:
    """Raw RESP over one socket: per post and follower ``ZADD`` and the cap's
    ``ZREMRANGEBYRANK``, all of a batch written at once, then every reply read."""
    import socket
    from urllib.parse import urlsplit

    where = urlsplit(redis_url)
    sock = socket.create_connection((where.hostname or "127.0.0.1", where.port or 6379))
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    cap = b"%d" % -(HOME_CAP + 1)

    def call(commands: list[bytes]) -> None:
        sock.sendall(b"".join(commands))
        expected, seen, buffer = len(commands), 0, b""
        while seen < expected:  # every reply here is one line (an integer, or an error)
            chunk = sock.recv(65536)
            if not chunk:
                raise ConnectionError("redis closed the connection")
            buffer += chunk
            seen = buffer.count(b"\r\n")
        if b"\n-" in b"\n" + buffer:  # an error reply
            raise RuntimeError(buffer[:200].decode(errors="replace"))

    call([_resp(b"SELECT", b"1"), _resp(b"FLUSHDB")])  # a scratch database

    def write(group: list[Post]) -> None:
        commands = []
        for status_id, author_id, _ in group:
            member = b"%d" % status_id
            for owner in [author_id, *audiences[status_id]]:
                key = b"staffroom:feed:%d" % owner
                commands.append(_resp(b"ZADD", key, member, member))
                commands.append(_resp(b"ZREMRANGEBYRANK", key, b"0", cap))
        call(commands)

    restore = _pinned(cpu)
    try:
        return _replay(posts, batch, write)
    finally:
        restore()
        call([_resp(b"FLUSHDB")])
        sock.close()
