"""Home timelines computed straight from the database.

Used to rebuild a Redis timeline for a returning user, to answer while a rebuild is under
way, and to merge posts of very large accounts at read time. Applies the same rules as
fan-out (``services.delivery.audience``): posts and reposts of followed accounts and one's
own, followers-only posts of followed accounts, direct posts only where mentioned, replies
to others only when one follows the person replied to, no reposts from follows that hide
them; nothing by accounts one blocks or mutes.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from datetime import UTC, datetime

from sqlalchemy import Connection, and_, exists, or_, select

from staffroom.db import fastsql
from staffroom.db.tables import blocks, follows, mentions, mutes, statuses
from staffroom.policies.visibility import DIRECT


def home_ids_from_db(
    conn: Connection,
    owner_id: int,
    *,
    limit: int,
    max_id: int | None = None,
    since_id: int | None = None,
    min_id: int | None = None,
    authors: Sequence[int] | None = None,
) -> list[int]:
    """Newest-first IDs for ``owner_id``'s home timeline (optionally only from ``authors``)."""
    followed = select(follows.c.target_account_id).where(follows.c.account_id == owner_id)
    hides_reblogs = select(follows.c.target_account_id).where(
        follows.c.account_id == owner_id, follows.c.show_reblogs.is_(False)
    )
    hidden = (
        select(blocks.c.target_account_id)
        .where(blocks.c.account_id == owner_id)
        .union(
            select(mutes.c.target_account_id).where(
                mutes.c.account_id == owner_id,
                or_(mutes.c.expires_at.is_(None), mutes.c.expires_at > datetime.now(UTC)),
            )
        )
    )
    source = (
        statuses.c.account_id.in_(list(authors))
        if authors is not None
        else or_(statuses.c.account_id == owner_id, statuses.c.account_id.in_(followed))
    )
    mentioned_owner = exists().where(
        mentions.c.status_id == statuses.c.id, mentions.c.account_id == owner_id
    )
    query = (
        select(statuses.c.id)
        .where(source)
        .where(statuses.c.account_id.not_in(hidden))
        .where(
            or_(statuses.c.visibility != DIRECT, statuses.c.account_id == owner_id, mentioned_owner)
        )
        .where(
            or_(
                statuses.c.in_reply_to_account_id.is_(None),
                statuses.c.in_reply_to_account_id == statuses.c.account_id,
                statuses.c.in_reply_to_account_id == owner_id,
                statuses.c.in_reply_to_account_id.in_(followed),
            )
        )
        .where(
            or_(
                statuses.c.reblog_of_id.is_(None),
                and_(statuses.c.account_id.not_in(hides_reblogs)),
            )
        )
    )
    if max_id is not None:
        query = query.where(statuses.c.id < max_id)
    if since_id is not None:
        query = query.where(statuses.c.id > since_id)
    if min_id is not None:
        query = query.where(statuses.c.id > min_id)
        rows = conn.execute(query.order_by(statuses.c.id.asc()).limit(limit)).scalars()
        return sorted(rows, reverse=True)
    return list(conn.execute(query.order_by(statuses.c.id.desc()).limit(limit)).scalars())


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
