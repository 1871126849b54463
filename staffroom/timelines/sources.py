"""Reading helpers for the stores: large accounts merged at read time.

How a timeline is computed from the database lives in ``staffroom.feed.sources`` (the
feed owns which posts belong in which timeline); ``home_ids_from_db`` is re-exported here
for the stores.
"""

from __future__ import annotations

import time

from sqlalchemy import Connection

from staffroom.db import fastsql
from staffroom.feed.sources import home_ids_from_db, list_ids_from_db, timeline_ids_from_db

__all__ = ["LargeAccounts", "home_ids_from_db", "list_ids_from_db", "timeline_ids_from_db"]


class LargeAccounts:
    """Accounts whose posts are merged at read time, re-read at most every ``ttl`` seconds.

    Delivery decides on the live follower count (``>= threshold``: not fanned out); readers
    merge every account with at least ``margin`` x threshold followers, so one that crosses
    the threshold is already merged by readers whose list is up to ``ttl`` seconds old
    (unless it gained ``1 - margin`` of the threshold within that time). Merging an account
    that was also fanned out only repeats IDs, which readers drop.
    """

    def __init__(self, threshold: int, *, ttl: float = 60.0, margin: float = 0.9) -> None:
        self.floor = max(1, int(threshold * margin))
        self.ttl = ttl
        self._ids: frozenset[int] = frozenset()
        self._read_at = -ttl

    def ids(self, conn: Connection) -> frozenset[int]:
        now = time.monotonic()
        if now - self._read_at >= self.ttl:
            sql = "SELECT id FROM accounts WHERE followers_count >= ?"
            rows = fastsql.run(conn, sql, self.floor)
            self._ids = frozenset(r[0] for r in rows)
            self._read_at = now
        return self._ids

    def followed_by(self, conn: Connection, owner_id: int) -> list[int]:
        """The large accounts ``owner_id`` follows (no query while there are none)."""
        large = self.ids(conn)
        if not large:
            return []
        rows = fastsql.run(
            conn,
            "SELECT target_account_id FROM follows WHERE account_id = ?"
            " AND target_account_id IN (?)",
            owner_id,
            sorted(large),
        )
        return [r[0] for r in rows]
