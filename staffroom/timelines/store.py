"""The timeline store: the only code that knows how home timelines are kept.

Home timelines are precomputed (fan-out on write): each entry is a status ID in one
account's feed. The SQL implementation keeps them in ``home_feed``; every write is
idempotent (re-adding an entry adds nothing), so a replayed fan-out is harmless.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy import Connection, and_, delete, exists, literal, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from staffroom.db import fastsql
from staffroom.db.tables import follows, home_feed, statuses

# Keep this many entries per home timeline; older ones are read from the database directly.
HOME_CAP = 800
# When a follow starts, copy this many recent posts of the followed account into the feed.
BACKFILL = 40


@dataclass(frozen=True, slots=True)
class FeedEntry:
    status_id: int
    author_id: int
    reblog_of_id: int | None = None


class TimelineStore(Protocol):
    """Where home timelines live (SQL table here, Redis sorted sets at scale)."""

    def add(self, conn: Connection, owners: Iterable[int], entry: FeedEntry) -> None: ...

    def fan_out(
        self,
        conn: Connection,
        author_id: int,
        entry: FeedEntry,
        *,
        reply_to_account_id: int | None = None,
    ) -> None: ...

    def remove_status(self, conn: Connection, status_id: int) -> None: ...

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
    ) -> list[int]: ...


def _insert_ignore(conn: Connection):  # type: ignore[no-untyped-def]
    return sqlite_insert if conn.dialect.name == "sqlite" else pg_insert


class SqlTimelineStore:
    """Home timelines as rows of ``home_feed`` (the embedded default)."""

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
            stmt = _insert_ignore(conn)(home_feed).on_conflict_do_nothing()
            conn.execute(stmt, rows)

    def fan_out(
        self,
        conn: Connection,
        author_id: int,
        entry: FeedEntry,
        *,
        reply_to_account_id: int | None = None,
    ) -> None:
        """Put ``entry`` in the timelines of the author and the author's followers.

        One ``INSERT ... SELECT`` so the database does the work. Reblogs skip followers who
        turned reblogs off; a reply to someone else reaches only followers who follow them too.
        """
        query = select(
            follows.c.account_id,
            literal(entry.status_id),
            literal(author_id),
            literal(entry.reblog_of_id),
        ).where(follows.c.target_account_id == author_id)
        if entry.reblog_of_id is not None:
            query = query.where(follows.c.show_reblogs.is_(True))
        if reply_to_account_id is not None:
            also = follows.alias("also")
            query = query.where(
                (follows.c.account_id == reply_to_account_id)
                | exists().where(
                    also.c.account_id == follows.c.account_id,
                    also.c.target_account_id == reply_to_account_id,
                )
            )
        ins = _insert_ignore(conn)(home_feed).from_select(
            ["account_id", "status_id", "author_id", "reblog_of_id"], query
        )
        conn.execute(ins.on_conflict_do_nothing())
        self.add(conn, [author_id], entry)

    def remove_status(self, conn: Connection, status_id: int) -> None:
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
        recent = conn.execute(
            select(statuses.c.id, statuses.c.reblog_of_id)
            .where(statuses.c.account_id == author_id)
            .where(statuses.c.visibility <= 2)
            .order_by(statuses.c.id.desc())
            .limit(BACKFILL)
        ).all()
        if recent:
            rows = [
                {
                    "account_id": owner_id,
                    "status_id": sid,
                    "author_id": author_id,
                    "reblog_of_id": rid,
                }
                for sid, rid in recent
            ]
            conn.execute(_insert_ignore(conn)(home_feed).on_conflict_do_nothing(), rows)

    def page(
        self,
        conn: Connection,
        owner_id: int,
        *,
        max_id: int | None,
        since_id: int | None,
        min_id: int | None,
        limit: int,
    ) -> list[int]:
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
        return sorted(ids, reverse=True) if min_id is not None else ids


def page_ids(ids: Sequence[int]) -> tuple[int | None, int | None]:
    """(oldest, newest) of a page, for ``Link`` cursors."""
    return (min(ids), max(ids)) if ids else (None, None)
