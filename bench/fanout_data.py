"""Data around a fan-out-lag run (``bench/fanout_lag.py``): kept Redis timelines before it,
the posts' authors and audiences after it, and the check that every post reached every
follower's timeline.
"""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path
from typing import Any

from rawfanout import HOME_CAP


def authors_of(rows: list[tuple[int, int]]) -> dict[int, int]:
    return {int(status_id): int(author) for status_id, author in rows}


def sqlite_check(db: Path, ids: list[int]) -> dict[str, Any]:
    """Every measured post has exactly followers + 1 home_feed rows (one scan)."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    low = min(ids)
    got = dict(
        conn.execute(
            "SELECT status_id, count(*) FROM home_feed WHERE status_id >= ? GROUP BY status_id",
            (low,),
        ).fetchall()
    )
    expected = dict(
        conn.execute(
            "SELECT s.id, count(f.account_id) + 1 FROM statuses AS s LEFT JOIN follows AS f "
            "ON f.target_account_id = s.account_id WHERE s.id >= ? GROUP BY s.id",
            (low,),
        ).fetchall()
    )
    authors = authors_of(
        conn.execute("SELECT id, account_id FROM statuses WHERE id >= ?", (low,)).fetchall()
    )
    conn.close()
    wrong = [i for i in ids if got.get(i, 0) != expected.get(i)]
    rows = sum(got.get(i, 0) for i in ids)
    return {
        "posts": len(ids),
        "feed_rows": rows,
        "posts_with_wrong_rows": len(wrong),
        "authors": authors,
    }


def pg_audiences(url: str, ids: list[int]) -> tuple[dict[int, int], dict[int, list[int]]]:
    import psycopg

    with psycopg.connect(url) as conn:
        authors = authors_of(
            conn.execute(
                "SELECT id, account_id FROM statuses WHERE id = ANY(%s)", (ids,)
            ).fetchall()
        )
        followers: dict[int, list[int]] = {}
        for target, follower in conn.execute(
            "SELECT target_account_id, account_id FROM follows WHERE target_account_id = ANY(%s)",
            (sorted(set(authors.values())),),
        ):
            followers.setdefault(target, []).append(follower)
    return authors, {sid: followers.get(a, []) for sid, a in authors.items()}


def redis_check(redis_url: str, audiences: dict[int, list[int]]) -> dict[str, Any]:
    """Every measured post is in every follower's (kept) Redis timeline."""
    import redis

    client = redis.Redis.from_url(redis_url)
    absent: list[tuple[int, int]] = []
    checked = 0
    for status_id, owners in audiences.items():
        pipe = client.pipeline(transaction=False)
        for owner in owners:
            pipe.zscore(f"staffroom:feed:{owner}", str(status_id))
        scores = pipe.execute()
        checked += len(scores)
        absent += [(o, status_id) for o, s in zip(owners, scores, strict=True) if s is None]
    # A timeline holds its newest HOME_CAP entries: older ones are trimmed, as designed.
    trimmed = 0
    for owner, status_id in absent:
        key = f"staffroom:feed:{owner}"
        newest = client.zrevrange(key, 0, HOME_CAP - 1)
        if len(newest) >= HOME_CAP and status_id < int(newest[-1]):
            trimmed += 1
    client.close()
    return {
        "posts": len(audiences),
        "timeline_entries_checked": checked,
        "trimmed_by_cap": trimmed,
        "missing": len(absent) - trimmed,
    }


def keep_followers_timelines(url: str, redis_url: str, tokens: list[str]) -> int:
    """Give every follower of the posters a kept (existing, empty) Redis timeline, as
    ``RedisTimelineStore`` keeps one for each active user; returns how many."""
    import psycopg
    import redis

    hashes = [hashlib.sha256(t.encode()).hexdigest() for t in tokens]
    with psycopg.connect(url) as conn:
        owners = [
            r[0]
            for r in conn.execute(
                "SELECT DISTINCT f.account_id FROM access_tokens AS t JOIN follows AS f "
                "ON f.target_account_id = t.account_id WHERE t.token_hash = ANY(%s)",
                (hashes,),
            )
        ]
    client = redis.Redis.from_url(redis_url)
    pipe = client.pipeline(transaction=False)
    for owner in owners:
        pipe.zadd(f"staffroom:feed:{owner}", {"0": 0})
        pipe.expire(f"staffroom:feed:{owner}", 14 * 86400)
    pipe.execute()
    client.close()
    return len(owners)


def keep_followers_sqlite(db: str, tokens: list[str]) -> int:
    """Give the posters and every follower of theirs a kept SQL timeline (all of them
    active: the worst case for fan-out, as on Redis above); returns how many are kept."""
    import sqlite3
    import time

    hashes = [hashlib.sha256(t.encode()).hexdigest() for t in tokens]
    marks = ",".join("?" * len(hashes))
    until = int(time.time()) + 14 * 86400
    conn = sqlite3.connect(db)
    try:
        with conn:
            conn.execute(
                "INSERT OR REPLACE INTO home_timelines (account_id, kept_until)"
                " SELECT DISTINCT f.account_id, ? FROM access_tokens AS t JOIN follows AS f"
                " ON f.target_account_id = t.account_id"
                f" WHERE t.token_hash IN ({marks})"
                " UNION SELECT account_id, ? FROM access_tokens"
                f" WHERE token_hash IN ({marks})",
                (until, *hashes, until, *hashes),
            )
        return int(conn.execute("SELECT count(*) FROM home_timelines").fetchone()[0])
    finally:
        conn.close()
