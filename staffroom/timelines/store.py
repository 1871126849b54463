"""The timeline store: the only code that knows how home timelines are kept.

Home timelines are precomputed (fan-out on write): each entry is a status ID in one
account's timeline. Writers (``services.delivery``) decide who gets an entry; the store
decides how it is kept. The SQL implementation keeps entries in ``home_feed``; every write
is idempotent (re-adding an entry adds nothing), so a replayed fan-out is harmless.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy import Connection, and_, delete, select

from staffroom.db import fastsql
from staffroom.db.tables import home_feed, statuses
from staffroom.db.upsert import insert_ignore

# Keep this many entries per home timeline (Redis store; Mastodon keeps 400-800).
HOME_CAP = 800
# When a follow starts, copy this many recent posts of the followed account into the feed.
BACKFILL = 40


@dataclass(frozen=True, slots=True)
class FeedEntry:
    status_id: int
    author_id: int
    reblog_of_id: int | None = None


@dataclass(frozen=True, slots=True)
class FeedPage:
    """Status IDs newest first; ``partial`` while a timeline is being rebuilt (HTTP 206)."""

    ids: list[int]
    partial: bool = False


class TimelineStore(Protocol):
    """Where home timelines live: SQL rows (embedded) or Redis sorted sets (scale-out)."""

    # Whether posts by accounts with very many followers are merged at read time instead
    # of being written into every follower's timeline.
    merges_large_accounts: bool

    def add(self, conn: Connection, owners: Iterable[int], entry: FeedEntry) -> None: ...

    def remove_status(
        self, conn: Connection, status_id: int, owners: Iterable[int] | None = None
    ) -> None: ...

    def remove_author(self, conn: Connection, owner_id: int, author_id: int) -> None: ...

    def backfill_author(self, conn: Connection, owner_id: int, author_id: int) -> None: ...

    def page(
        self,
        conn: Connection,
        owner_id: int,
        *,
        max_id: int | None,
        since_id: int | None,
        min_id: int | None,
        limit: int,
    ) -> FeedPage: ...


def recent_posts(conn: Connection, author_id: int, limit: int = BACKFILL) -> list[FeedEntry]:
    """The author's latest non-direct posts, for a new follower's timeline."""
    rows = conn.execute(
        select(statuses.c.id, statuses.c.reblog_of_id)
        .where(statuses.c.account_id == author_id)
        .where(statuses.c.visibility <= 2)
        .order_by(statuses.c.id.desc())
        .limit(limit)
    ).all()
    return [FeedEntry(sid, author_id, rid) for sid, rid in rows]


class SqlTimelineStore:
    """Home timelines as rows of ``home_feed`` (the embedded default), in the same
    transaction as the change that causes them."""

    merges_large_accounts = False

    def add(self, conn: Connection, owners: Iterable[int], entry: FeedEntry) -> None:
        """Put ``entry`` in each owner's timeline (idempotent)."""
        rows = [
            {
                "account_id": owner,
                "status_id": entry.status_id,
                "author_id": entry.author_id,
                "reblog_of_id": entry.reblog_of_id,
            }
            for owner in set(owners)
        ]
        if rows:
            conn.execute(insert_ignore(conn, home_feed), rows)

    def remove_status(
        self, conn: Connection, status_id: int, owners: Iterable[int] | None = None
    ) -> None:
        conn.execute(delete(home_feed).where(home_feed.c.status_id == status_id))

    def remove_author(self, conn: Connection, owner_id: int, author_id: int) -> None:
        """Drop everything ``author_id`` put in ``owner_id``'s timeline (unfollow, block)."""
        conn.execute(
            delete(home_feed).where(
                and_(home_feed.c.account_id == owner_id, home_feed.c.author_id == author_id)
            )
        )

    def backfill_author(self, conn: Connection, owner_id: int, author_id: int) -> None:
        """Copy the author's recent non-direct posts into a new follower's timeline."""
        for entry in recent_posts(conn, author_id):
            self.add(conn, [owner_id], entry)

    def page(
        self,
        conn: Connection,
        owner_id: int,
        *,
        max_id: int | None,
        since_id: int | None,
        min_id: int | None,
        limit: int,
    ) -> FeedPage:
        """Status IDs of one page of ``owner_id``'s timeline, newest first."""
        sql = "SELECT status_id FROM home_feed WHERE account_id = ?"
        params: list[object] = [owner_id]
        for bound, op in ((max_id, "<"), (since_id, ">"), (min_id, ">")):
            if bound is not None:
                sql += f" AND status_id {op} ?"
                params.append(bound)
        order = "ASC" if min_id is not None else "DESC"
        sql += f" ORDER BY status_id {order} LIMIT ?"
        ids = [r[0] for r in fastsql.run(conn, sql, *params, limit)]
        return FeedPage(sorted(ids, reverse=True) if min_id is not None else ids)
