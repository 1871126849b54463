"""Loading posts for a viewer: rows, authors, mentions, tags and the viewer's own flags.

Every read path (one post, threads, timelines, search, favourites) goes through
:func:`load_views`, which batches its queries, applies the visibility policy and returns
:class:`StatusView` objects for the serialiser. Posts the viewer may not see are dropped.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Row, select

from staffroom.cache import BoundedCache
from staffroom.db import fastsql
from staffroom.db.tables import (
    accounts,
    apps,
    mentions,
    status_tags,
    statuses,
    tags,
)
from staffroom.policies.visibility import PRIVATE, ViewerFacts, belongs_in_timeline, may_see


@dataclass(slots=True)
class StatusView:
    """One post as a viewer sees it (``reblog`` holds the original of a repost)."""

    row: Row[Any]
    account: Row[Any]
    mentions: list[tuple[int, str]] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    app: tuple[str, str | None] | None = None
    reblog: StatusView | None = None
    favourited: bool = False
    reblogged: bool = False
    bookmarked: bool = False

    @property
    def id(self) -> int:
        return int(self.row.id)


_RELATIONS = (
    "SELECT 'b', target_account_id FROM blocks WHERE account_id = ?"
    " UNION ALL SELECT 'B', account_id FROM blocks WHERE target_account_id = ?"
    " UNION ALL SELECT 'm', target_account_id FROM mutes WHERE account_id = ?"
    " AND (expires_at IS NULL OR expires_at > ?)"
)
_FOLLOWING = (
    "SELECT target_account_id FROM follows WHERE account_id = ? AND target_account_id IN (?)"
)


def viewer_facts(
    conn: Connection,
    viewer_id: int | None,
    about: Iterable[int],
    *,
    follow_check: Iterable[int] | None = None,
) -> ViewerFacts:
    """The viewer's blocks and mutes (both ways), and which of ``follow_check`` (default:
    ``about``) the viewer follows.

    Blocks and mutes are few per person, so all of them come in one indexed query with no
    ``IN`` list (much faster than probing per account); follows are checked only where a
    caller needs them (followers-only posts).
    """
    if viewer_id is None:
        return ViewerFacts(viewer_id)
    now = _db_time(conn, datetime.now(UTC))
    found: dict[str, set[int]] = {"b": set(), "B": set(), "m": set()}
    for row in fastsql.run(conn, _RELATIONS, viewer_id, viewer_id, viewer_id, now):
        found[row[0]].add(row[1])
    check = set(about if follow_check is None else follow_check)
    check.discard(viewer_id)
    following: frozenset[int] = frozenset()
    if check:
        following = frozenset(r[0] for r in fastsql.run(conn, _FOLLOWING, viewer_id, list(check)))
    return ViewerFacts(
        viewer_id,
        following=following,
        blocked_by=frozenset(found["B"]),
        blocking=frozenset(found["b"]),
        muting=frozenset(found["m"]),
    )


def _db_time(conn: Connection, value: datetime) -> Any:
    """A timestamp as the driver compares it (SQLite stores SQLAlchemy's text form)."""
    if conn.dialect.name == "sqlite":
        return value.replace(tzinfo=None).isoformat(sep=" ")
    return value


def _rows_by_id(conn: Connection, table: Any, ids: set[int]) -> dict[int, Row[Any]]:
    """Whole rows of ``statuses`` or ``accounts`` by ID (driver-level: the hot path)."""
    if not ids:
        return {}
    sql = f"SELECT * FROM {table.name} WHERE id IN (?)"
    return {r.id: r for r in fastsql.run(conn, sql, list(ids))}


@dataclass(frozen=True, slots=True)
class _Static:
    """The parts of a post that never change after posting (cached per process)."""

    mentions: list[tuple[int, str]]
    tags: list[str]
    app: tuple[str, str | None] | None


_STATIC: BoundedCache[int, _Static] = BoundedCache(100_000)


def _static_parts(conn: Connection, rows: dict[int, Row[Any]]) -> dict[int, _Static]:
    result: dict[int, _Static] = {}
    missing: list[int] = []
    for sid in rows:
        cached = _STATIC.get(sid)
        if cached is None:
            missing.append(sid)
        else:
            result[sid] = cached
    if not missing:
        return result
    mention_map: dict[int, list[tuple[int, str]]] = {}
    for status_id, account_id, username in conn.execute(
        select(mentions.c.status_id, accounts.c.id, accounts.c.username)
        .join(accounts, accounts.c.id == mentions.c.account_id)
        .where(mentions.c.status_id.in_(missing))
    ):
        mention_map.setdefault(status_id, []).append((account_id, username))
    tag_map: dict[int, list[str]] = {}
    for status_id, name in conn.execute(
        select(status_tags.c.status_id, tags.c.name)
        .join(tags, tags.c.id == status_tags.c.tag_id)
        .where(status_tags.c.status_id.in_(missing))
    ):
        tag_map.setdefault(status_id, []).append(name)
    app_ids = {rows[sid].app_id for sid in missing if rows[sid].app_id}
    app_map: dict[int, tuple[str, str | None]] = {}
    if app_ids:
        app_map = {
            a.id: (a.name, a.website)
            for a in conn.execute(
                select(apps.c.id, apps.c.name, apps.c.website).where(apps.c.id.in_(app_ids))
            )
        }
    for sid in missing:
        app_id = rows[sid].app_id
        part = _Static(mention_map.get(sid, []), tag_map.get(sid, []), app_map.get(app_id))
        _STATIC.put(sid, part)
        result[sid] = part
    return result


def forget_status(status_id: int) -> None:
    """Drop cached parts of a post (call when it is deleted or edited)."""
    _STATIC.discard(status_id)


def load_views(
    conn: Connection,
    viewer_id: int | None,
    ids: Sequence[int],
    *,
    for_timeline: bool = False,
) -> list[StatusView]:
    """Views of ``ids`` in the given order, without posts the viewer may not see.

    ``for_timeline`` also drops posts hidden by the viewer's blocks and mutes.
    """
    rows = _rows_by_id(conn, statuses, set(ids))
    all_rows = dict(rows)
    all_rows.update(
        _rows_by_id(
            conn, statuses, {r.reblog_of_id for r in rows.values() if r.reblog_of_id} - set(rows)
        )
    )
    static = _static_parts(conn, all_rows)
    follow_check = {
        r.account_id
        for r in all_rows.values()
        if r.visibility == PRIVATE
        and r.account_id != viewer_id
        and all(a != viewer_id for a, _ in static[r.id].mentions)
    }
    facts = viewer_facts(conn, viewer_id, (), follow_check=follow_check)

    def mentioned(status_id: int) -> set[int]:
        return {a for a, _ in static[status_id].mentions}

    def visible(row: Row[Any]) -> bool:
        return may_see(
            facts, author_id=row.account_id, visibility=row.visibility, mentioned=mentioned(row.id)
        )

    chosen: list[Row[Any]] = []
    for sid in ids:
        row = rows.get(sid)
        if row is None or not visible(row):
            continue
        original = all_rows.get(row.reblog_of_id) if row.reblog_of_id else None
        if row.reblog_of_id and (original is None or not visible(original)):
            continue
        if for_timeline and not belongs_in_timeline(
            facts,
            author_id=row.account_id,
            mentioned=mentioned((original or row).id),
            reblog_author_id=original.account_id if original is not None else None,
        ):
            continue
        chosen.append(row)
    return _assemble(conn, viewer_id, chosen, all_rows, static)


# Three small indexed queries beat one UNION ALL of them (measured: 30 vs 100 us).
_FLAG_QUERIES = (
    ("f", "SELECT status_id FROM favourites WHERE account_id = ? AND status_id IN (?)"),
    ("b", "SELECT status_id FROM bookmarks WHERE account_id = ? AND status_id IN (?)"),
    ("r", "SELECT reblog_of_id FROM statuses WHERE account_id = ? AND reblog_of_id IN (?)"),
)


def _viewer_flags(
    conn: Connection, viewer_id: int, needed: set[int]
) -> tuple[set[int], set[int], set[int]]:
    """(favourited, bookmarked, reblogged) among ``needed``, in one query."""
    wanted = list(needed)
    found = {
        kind: {r[0] for r in fastsql.run(conn, sql, viewer_id, wanted)}
        for kind, sql in _FLAG_QUERIES
    }
    return found["f"], found["b"], found["r"]


def _assemble(
    conn: Connection,
    viewer_id: int | None,
    chosen: list[Row[Any]],
    all_rows: dict[int, Row[Any]],
    static: dict[int, _Static],
) -> list[StatusView]:
    needed = {r.id for r in chosen} | {r.reblog_of_id for r in chosen if r.reblog_of_id}
    if not needed:
        return []
    account_rows = _rows_by_id(conn, accounts, {all_rows[i].account_id for i in needed})
    faved: set[int] = set()
    marked: set[int] = set()
    reblogged: set[int] = set()
    if viewer_id is not None:
        faved, marked, reblogged = _viewer_flags(conn, viewer_id, needed)

    def view(row: Row[Any]) -> StatusView:
        part = static[row.id]
        return StatusView(
            row=row,
            account=account_rows[row.account_id],
            mentions=part.mentions,
            tags=part.tags,
            app=part.app,
            favourited=row.id in faved,
            reblogged=row.id in reblogged,
            bookmarked=row.id in marked,
        )

    result = []
    for row in chosen:
        item = view(row)
        if row.reblog_of_id:
            item.reblog = view(all_rows[row.reblog_of_id])
        result.append(item)
    return result


def load_view(conn: Connection, viewer_id: int | None, status_id: int) -> StatusView | None:
    """One post if the viewer may see it."""
    found = load_views(conn, viewer_id, [status_id])
    return found[0] if found else None
