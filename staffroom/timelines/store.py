"""The timeline store: the only code that knows how timelines (home and list) are kept.

Timelines are precomputed (fan-out on write): each entry is a status ID in one account's
home timeline or one list's. The feed (``staffroom.feed``) decides which timelines get an
entry; the store decides how it is kept. The SQL implementation keeps entries in
``home_feed`` and ``list_feed``; every write
is idempotent (re-adding an entry adds nothing), so a replayed fan-out is harmless.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from sqlalchemy import Connection, select

from staffroom.db import fastsql
from staffroom.db.tables import home_feed, home_timelines, list_feed, statuses
from staffroom.db.upsert import insert_ignore
from staffroom.feed.sources import timeline_ids_from_db

if TYPE_CHECKING:
    from staffroom.db import Database

# Keep this many entries per home timeline (Redis store; Mastodon keeps 400-800).
HOME_CAP = 800
# When a follow starts, copy this many recent posts of the followed account into the feed.
BACKFILL = 40

NEW_KEPT_SECONDS = 14 * 86400  # a new timeline is kept this long without reads
_CHUNK = 1000  # owners per statement (bound parameters are limited)
_KEPT_CACHE = 100_000

# Timeline kinds. A home timeline's owner is an account; a list timeline's is a list.
HOME, LIST = "home", "list"
KINDS = (HOME, LIST)


@dataclass(frozen=True, slots=True)
class _Tables:
    """Where one kind of timeline lives in SQL: its entries and its kept owners (both keyed
    by the same owner column)."""

    feed: str
    kept: str
    owner: str


_TABLES = {
    HOME: _Tables("home_feed", "home_timelines", "account_id"),
    LIST: _Tables("list_feed", "list_timelines", "list_id"),
}


@dataclass(frozen=True, slots=True)
class _Sql:
    """The hot statements of one kind, built once."""

    add_if_kept: str
    add_repost_if_kept: str
    kept_until: str
    remove: str
    page: str


def _statements(t: _Tables) -> _Sql:
    # ``WHERE`` before ``ON CONFLICT`` also keeps SQLite's parser from reading it as a join.
    # A repost enters only timelines whose newest ``FALL_OFF`` entries hold neither its
    # original nor another repost of it (Mastodon's reblog fall-off): the same post four
    # times in one page is noise. The bound on the newest entries is read through the key.
    return _Sql(
        add_if_kept=f"INSERT INTO {t.feed} ({t.owner}, status_id, author_id, reblog_of_id)"
        f" SELECT {t.owner}, ?, ?, ? FROM {t.kept}"
        f" WHERE {t.owner} IN (?) AND kept_until > ? ON CONFLICT DO NOTHING",
        add_repost_if_kept=f"INSERT INTO {t.feed} ({t.owner}, status_id, author_id, reblog_of_id)"
        f" SELECT h.{t.owner}, ?, ?, ? FROM {t.kept} h"
        f" WHERE h.{t.owner} IN (?) AND h.kept_until > ? AND NOT EXISTS ("
        f"SELECT 1 FROM {t.feed} f WHERE f.{t.owner} = h.{t.owner}"
        f" AND f.status_id >= COALESCE((SELECT g.status_id FROM {t.feed} g"
        f" WHERE g.{t.owner} = h.{t.owner} ORDER BY g.status_id DESC LIMIT 1 OFFSET ?), 0)"
        " AND (f.status_id = ? OR f.reblog_of_id = ?)) ON CONFLICT DO NOTHING",
        kept_until=f"SELECT kept_until FROM {t.kept} WHERE {t.owner} = ?",
        remove=f"DELETE FROM {t.feed} WHERE status_id = ? AND {t.owner} IN (?)",
        page=f"SELECT status_id FROM {t.feed} WHERE {t.owner} = ?",
    )


_SQL = {kind: _statements(t) for kind, t in _TABLES.items()}
_ENTRIES = "SELECT id, account_id, reblog_of_id FROM statuses WHERE id IN (?)"


@dataclass(frozen=True, slots=True)
class FeedEntry:
    status_id: int
    author_id: int
    reblog_of_id: int | None = None


# How many of a timeline's newest entries a repost is checked against.
FALL_OFF = 40


def without_fallen_off(entries: list[tuple[int, int | None]]) -> list[int]:
    """The IDs of ``entries`` (``(status ID, original's ID or None)``, newest first) that
    fan-out would have written, oldest to newest, with the fall-off rule: a repost is left
    out when the ``FALL_OFF`` entries kept before it hold its original or a repost of it.
    For rebuilding a timeline from the database with the content fan-out gives."""
    kept: list[tuple[int, int | None]] = []
    for status_id, original in reversed(entries):
        if original is not None and any(
            original in (other, other_original) for other, other_original in kept[-FALL_OFF:]
        ):
            continue
        kept.append((status_id, original))
    return [status_id for status_id, _ in reversed(kept)]


@dataclass(frozen=True, slots=True)
class FeedPage:
    """Status IDs newest first; ``partial`` while a timeline is being rebuilt (HTTP 206)."""

    ids: list[int]
    partial: bool = False


class TimelineStore(Protocol):
    """Where timelines live: SQL rows (embedded) or Redis sorted sets (scale-out).

    Every method takes the timeline ``kind`` (``HOME``: owners are accounts, ``LIST``:
    owners are lists). Which timelines a post enters is decided by ``staffroom.feed``; the
    store only keeps them, writing into *kept* timelines and rebuilding the others from
    ``staffroom.feed.sources`` when they are read again."""

    # Whether posts by accounts with very many followers are merged at read time instead
    # of being written into every follower's home timeline.
    merges_large_accounts: bool

    def add(
        self, conn: Connection, owners: Iterable[int], entry: FeedEntry, *, kind: str = HOME
    ) -> None: ...

    def remove_status(
        self,
        conn: Connection,
        status_id: int,
        owners: Iterable[int] | None = None,
        *,
        kind: str = HOME,
    ) -> None: ...

    def remove_author(
        self, conn: Connection, owner_id: int, author_id: int, *, kind: str = HOME
    ) -> None: ...

    def backfill_author(self, conn: Connection, owner_id: int, author_id: int) -> None: ...

    def backfill_authors(
        self, conn: Connection, owner_id: int, author_ids: Sequence[int]
    ) -> None: ...

    def keep_new(self, conn: Connection, owner_id: int, *, kind: str) -> None: ...

    def rebuild(self, conn: Connection, owner_id: int, *, kind: str) -> None: ...

    def drop(self, conn: Connection, owner_id: int, *, kind: str) -> None: ...

    def page(
        self,
        conn: Connection,
        owner_id: int,
        *,
        max_id: int | None,
        since_id: int | None,
        min_id: int | None,
        limit: int,
        kind: str = HOME,
    ) -> FeedPage: ...


def keep_new_timeline(conn: Connection, account_id: int, now: int) -> None:
    """A new account's timeline is complete (empty): fan-out keeps it from the start."""
    conn.execute(
        home_timelines.insert().values(account_id=account_id, kept_until=now + NEW_KEPT_SECONDS)
    )


_RECENT = (
    "SELECT id, reblog_of_id FROM statuses WHERE account_id = ? AND visibility <= 2"
    " ORDER BY id DESC LIMIT ?"
)
_BACKFILL_ORIGINALS = (
    "INSERT INTO home_feed (account_id, status_id, author_id, reblog_of_id)"
    f" SELECT ?, r.id, ?, NULL FROM ({_RECENT}) AS r WHERE r.reblog_of_id IS NULL"
    " ON CONFLICT DO NOTHING"
)
_RECENT_REPOSTS = (
    f"SELECT r.id, r.reblog_of_id FROM ({_RECENT}) AS r WHERE r.reblog_of_id IS NOT NULL"
)


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
    """Timelines as rows of ``home_feed`` / ``list_feed`` (the embedded default), written in
    the same transaction as the change that causes them.

    Like the Redis store (and Mastodon), fan-out writes only into *kept* timelines: those
    whose owner read them in the last ``active_days`` (``home_timelines``,
    ``list_timelines``). Owners who stay away cost nothing per post; when one comes back
    the timeline is rebuilt from the database before the first page is answered.
    """

    merges_large_accounts = False

    def __init__(self, db: Database, *, active_days: int = 14) -> None:
        self.db = db
        self.ttl = active_days * 86400
        # (kind, owner) -> kept_until seen in the table. Kept periods are only ever
        # extended while the owner exists, so a value read here stays true until it passes.
        self._kept: dict[tuple[str, int], int] = {}

    def add(
        self, conn: Connection, owners: Iterable[int], entry: FeedEntry, *, kind: str = HOME
    ) -> None:
        """Put ``entry`` in each kept timeline among ``owners`` (idempotent)."""
        wanted = list(set(owners))
        sql = _SQL[kind]
        now = int(time.time())
        original = entry.reblog_of_id
        for start in range(0, len(wanted), _CHUNK):
            chunk = wanted[start : start + _CHUNK]
            if original is None:
                fastsql.run(
                    conn, sql.add_if_kept, entry.status_id, entry.author_id, None, chunk, now
                )
            else:  # a repost: the fall-off rule
                fastsql.run(
                    conn,
                    sql.add_repost_if_kept,
                    entry.status_id,
                    entry.author_id,
                    original,
                    chunk,
                    now,
                    FALL_OFF - 1,
                    original,
                    original,
                )

    def _keep(self, conn: Connection, owner_id: int, kind: str = HOME) -> None:
        """Start (or extend) keeping ``owner_id``'s timeline."""
        until = int(time.time()) + self.ttl
        t = _TABLES[kind]
        fastsql.run_plain(
            conn,
            f"INSERT INTO {t.kept} ({t.owner}, kept_until) VALUES (?, 0) ON CONFLICT DO NOTHING",
            owner_id,
        )
        fastsql.run_plain(
            conn,
            f"UPDATE {t.kept} SET kept_until = ? WHERE {t.owner} = ? AND kept_until < ?",
            until,
            owner_id,
            until,
        )

    def keep_new(self, conn: Connection, owner_id: int, *, kind: str) -> None:
        """A new (empty, so complete) timeline: fan-out keeps it from the start."""
        t = _TABLES[kind]
        fastsql.run_plain(
            conn,
            f"INSERT INTO {t.kept} ({t.owner}, kept_until) VALUES (?, ?) ON CONFLICT DO NOTHING",
            owner_id,
            int(time.time()) + NEW_KEPT_SECONDS,
        )

    def _ensure_kept(self, conn: Connection, owner_id: int, kind: str = HOME) -> None:
        """Rebuild a timeline that was not kept; extend a kept one once a day."""
        now = int(time.time())
        until = self._kept.get((kind, owner_id))
        if until is None or until <= now:
            found = fastsql.run(conn, _SQL[kind].kept_until, owner_id).first()
            until = found[0] if found is not None else None
        if until is None or until <= now:
            # Two transactions, in this order: once the first commits, every fan-out
            # writes here; posts whose fan-out skipped this timeline committed before
            # it, so the rebuild (a later snapshot) sees them.
            self.db.write(self._keep, owner_id, kind)
            self.db.write(self._refill, owner_id, kind)
            until = now + self.ttl
        elif until - now < self.ttl - 86400:
            self.db.write(self._keep, owner_id, kind)
            until = now + self.ttl
        if len(self._kept) >= _KEPT_CACHE:
            self._kept.clear()
        self._kept[(kind, owner_id)] = until

    def rebuild(self, conn: Connection, owner_id: int, *, kind: str) -> None:
        """Recompute a kept timeline now, in the caller's transaction (after a change of
        what belongs in it: a list's members or hashtags, a followed hashtag, exclusivity)."""
        self._refill(conn, owner_id, kind)

    def drop(self, conn: Connection, owner_id: int, *, kind: str) -> None:
        """Forget a timeline whose owner is gone (a deleted list)."""
        t = _TABLES[kind]
        fastsql.run_plain(conn, f"DELETE FROM {t.feed} WHERE {t.owner} = ?", owner_id)
        fastsql.run_plain(conn, f"DELETE FROM {t.kept} WHERE {t.owner} = ?", owner_id)
        self._kept.pop((kind, owner_id), None)

    def _refill(self, conn: Connection, owner_id: int, kind: str = HOME) -> None:
        """Replace ``owner_id``'s rows with their newest ``HOME_CAP`` from the database."""
        ids = timeline_ids_from_db(conn, kind, owner_id, limit=HOME_CAP)
        rows = fastsql.run(conn, _ENTRIES, ids) if ids else []
        by_id = {r.id: r for r in rows}
        entries = sorted(((r.id, r.reblog_of_id) for r in rows), reverse=True)
        rows = [by_id[i] for i in without_fallen_off(entries)]
        t = _TABLES[kind]
        fastsql.run_plain(conn, f"DELETE FROM {t.feed} WHERE {t.owner} = ?", owner_id)
        if rows:
            table = home_feed if kind == HOME else list_feed
            conn.execute(
                insert_ignore(conn, table),
                [
                    {
                        t.owner: owner_id,
                        "status_id": r.id,
                        "author_id": r.account_id,
                        "reblog_of_id": r.reblog_of_id,
                    }
                    for r in rows
                ],
            )

    def remove_status(
        self,
        conn: Connection,
        status_id: int,
        owners: Iterable[int] | None = None,
        *,
        kind: str = HOME,
    ) -> None:
        """Take a deleted post out of ``owners``' timelines (by primary key). Without
        owners nothing is done: finding every timeline holding it would scan them all, and
        readers skip entries whose post is gone."""
        if owners is None:
            return
        wanted = list(set(owners))
        for start in range(0, len(wanted), _CHUNK):
            fastsql.run(conn, _SQL[kind].remove, status_id, wanted[start : start + _CHUNK])

    def remove_author(
        self, conn: Connection, owner_id: int, author_id: int, *, kind: str = HOME
    ) -> None:
        """Drop everything ``author_id`` put in ``owner_id``'s timeline (unfollow, block)."""
        t = _TABLES[kind]
        fastsql.run_plain(
            conn,
            f"DELETE FROM {t.feed} WHERE {t.owner} = ? AND author_id = ?",
            owner_id,
            author_id,
        )

    def backfill_author(self, conn: Connection, owner_id: int, author_id: int) -> None:
        """Copy the author's recent non-direct posts into a new follower's timeline."""
        for entry in recent_posts(conn, author_id):
            self.add(conn, [owner_id], entry)

    def backfill_authors(self, conn: Connection, owner_id: int, author_ids: Sequence[int]) -> None:
        """:meth:`backfill_author` for many authors at once (a follow-all): one check that
        the timeline is kept, then per author one ``INSERT ... SELECT`` of the originals
        among their ``BACKFILL`` latest posts and one read of the reposts among them, which
        go in one at a time (the fall-off rule)."""
        found = fastsql.run(conn, _SQL[HOME].kept_until, owner_id).first()
        if found is None or found[0] <= int(time.time()):
            return
        for author_id in author_ids:
            fastsql.run_plain(conn, _BACKFILL_ORIGINALS, owner_id, author_id, author_id, BACKFILL)
            for status_id, original in fastsql.run_plain(
                conn, _RECENT_REPOSTS, author_id, BACKFILL
            ):
                self.add(conn, [owner_id], FeedEntry(status_id, author_id, original))

    def page(
        self,
        conn: Connection,
        owner_id: int,
        *,
        max_id: int | None,
        since_id: int | None,
        min_id: int | None,
        limit: int,
        kind: str = HOME,
    ) -> FeedPage:
        """Status IDs of one page of ``owner_id``'s timeline, newest first."""
        self._ensure_kept(conn, owner_id, kind)
        sql = _SQL[kind].page
        params: list[object] = [owner_id]
        for bound, op in ((max_id, "<"), (since_id, ">"), (min_id, ">")):
            if bound is not None:
                sql += f" AND status_id {op} ?"
                params.append(bound)
        order = "ASC" if min_id is not None else "DESC"
        sql += f" ORDER BY status_id {order} LIMIT ?"
        ids = [r[0] for r in fastsql.run_plain(conn, sql, *params, limit)]
        return FeedPage(sorted(ids, reverse=True) if min_id is not None else ids)
