"""Reading notifications grouped as Mastodon 4.3 does (``GET /api/v2/notifications``).

A page holds at most ``limit`` groups: the viewer's notifications are read newest first
(oldest first after ``min_id``) and each group is represented by the first of its members
met; a notification without a ``group_key``, or of a type the client does not want grouped
(``grouped_types``), is a group of its own, ``ungrouped-<id>``. Each group then gets its
count, its newest members (``sample`` accounts, newest first) and the bounds of its members
inside the page's range (``page_min_id``, ``page_max_id``), as Mastodon's
``NotificationGroup.from_notifications``; a group whose members straddle the page's end
shows again on the next page, with the older members (clients merge by ``group_key``).

Notifications from accounts the viewer blocks, is blocked by or mutes (follows excepted, as
for ``/api/v1/notifications``) are left out of everything here, and a group whose post the
viewer may no longer see is left out. Filtered notifications are left out unless asked for.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Connection, Row, and_, delete, or_, select

from staffroom.db import fastsql
from staffroom.db.tables import accounts, notifications
from staffroom.errors import NotFound
from staffroom.ids import MAX_ID, parse_id
from staffroom.services.events import Event, events_by_id
from staffroom.services.notify import GROUPABLE, TYPES
from staffroom.services.pack_reads import Pack, packs_by_id
from staffroom.services.status_views import StatusView, load_views, viewer_facts
from staffroom.services.timelines import PageRequest

SAMPLE_SIZE = 8  # Mastodon's SAMPLE_ACCOUNTS_SIZE
_COLUMNS = (
    notifications.c.id,
    notifications.c.type,
    notifications.c.group_key,
    notifications.c.from_account_id,
    notifications.c.status_id,
    notifications.c.created_at,
    notifications.c.collection_id,
    notifications.c.event_id,
)


@dataclass(frozen=True, slots=True)
class Filters:
    """Which notifications a request reads (Mastodon's ``browserable`` plus grouping)."""

    types: Sequence[str] = ()
    exclude_types: Sequence[str] = ()
    account_id: int | None = None
    include_filtered: bool = False
    grouped_types: Sequence[str] | None = None  # None: every groupable type


@dataclass(slots=True)
class Group:
    key: str
    type: str
    count: int
    most_recent_id: int
    latest_at: datetime | str  # text from SQLite's plain reads
    sample: list[Row[Any]]  # account rows, newest first
    status: StatusView | None
    page_min_id: int | None  # None outside paging (a single group)
    page_max_id: int | None
    collection: Pack | None = None  # added_to_collection, collection_update
    event: Event | None = None  # event_reminder, event_topic


@dataclass(frozen=True, slots=True)
class GroupPage:
    groups: list[Group]
    next_max_id: int | None
    prev_min_id: int | None
    full: bool = False  # ``limit`` groups were found: older ones may follow


def _conditions(viewer_id: int, filters: Filters, hidden: Iterable[int]) -> list[Any]:
    where: list[Any] = [notifications.c.account_id == viewer_id]
    types = [t for t in filters.types if t in TYPES] if filters.types else list(TYPES)
    types = [t for t in types if t not in set(filters.exclude_types)]
    if len(types) != len(TYPES):
        where.append(notifications.c.type.in_(types))
    if filters.account_id is not None:
        where.append(notifications.c.from_account_id == filters.account_id)
    elif not filters.include_filtered:
        where.append(notifications.c.filtered.is_(False))
    where.extend(_not_hidden(hidden))
    return where


def _hidden(conn: Connection, viewer_id: int) -> tuple[frozenset[int], frozenset[int]]:
    """(accounts hidden from every notification, muted accounts hidden except follows)."""
    facts = viewer_facts(conn, viewer_id, ())
    return facts.blocking | facts.blocked_by, facts.muting


def _not_hidden(hidden: Iterable[int]) -> list[ColumnElement[bool]]:
    ids = list(hidden)
    return [notifications.c.from_account_id.not_in(ids)] if ids else []


def _muted_clause(muted: frozenset[int]) -> list[ColumnElement[bool]]:
    if not muted:
        return []
    return [or_(notifications.c.type == "follow", notifications.c.from_account_id.not_in(muted))]


def _grouped(filters: Filters) -> frozenset[str]:
    if filters.grouped_types is None or not list(filters.grouped_types):
        return frozenset(GROUPABLE)
    return frozenset(t for t in filters.grouped_types if t in GROUPABLE)


def effective_key(row: Any, grouped: frozenset[str]) -> str:
    """The key a notification is grouped under for a client grouping ``grouped``."""
    if row.group_key and row.type in grouped:
        return str(row.group_key)
    return f"ungrouped-{row.id}"


def _scan(
    conn: Connection, where: list[Any], page: PageRequest, grouped: frozenset[str], limit: int
) -> list[Any]:
    """One representative per group, newest first: at most ``limit`` groups."""
    ascending = page.min_id is not None
    column = notifications.c.id
    bounds: list[Any] = []
    if page.max_id is not None:
        bounds.append(column < page.max_id)
    if page.since_id is not None and not ascending:
        bounds.append(column > page.since_id)
    if ascending:
        bounds.append(column > page.min_id)
    seen: dict[str, Any] = {}
    cursor: int | None = None
    batch = max(limit * 2, 20)
    while len(seen) < limit:
        query = select(*_COLUMNS).where(*where, *bounds)
        if cursor is not None:
            query = query.where(column > cursor if ascending else column < cursor)
        query = query.order_by(column.asc() if ascending else column.desc()).limit(batch)
        rows = conn.execute(query).all()
        for row in rows:
            key = effective_key(row, grouped)
            if key not in seen:
                seen[key] = row
                if len(seen) == limit:
                    break
        if len(rows) < batch:
            break
        cursor = rows[-1].id
        batch = min(batch * 2, 800)
    reps = list(seen.values())
    return sorted(reps, key=lambda r: r.id, reverse=True)


_GROUP_DATA = (
    "SELECT group_key, id, from_account_id, created_at, cnt, first_low FROM ("
    " SELECT group_key, id, from_account_id, created_at,"
    "  ROW_NUMBER() OVER (PARTITION BY group_key ORDER BY id DESC) AS rk,"
    "  COUNT(*) OVER (PARTITION BY group_key) AS cnt,"
    "  MIN(CASE WHEN id >= ? THEN id END) OVER (PARTITION BY group_key) AS first_low"
    " FROM notifications WHERE account_id = ? AND group_key IN (?) AND id <= ?{hidden}"
    ") ranked WHERE rk <= {size} ORDER BY group_key, id DESC"
)


def _group_data(
    conn: Connection,
    viewer_id: int,
    keys: list[str],
    hidden: tuple[frozenset[int], frozenset[int]],
    low: int | None,
    high: int | None,
) -> dict[str, tuple[int, int | None, list[tuple[int, int, Any]]]]:
    """Per stored group key, in one indexed query: its count up to ``high``, its first
    member from ``low`` and its newest members up to ``high`` as (id, account,
    created_at), newest first."""
    if not keys:
        return {}
    blocked, muted = hidden
    extra = ""
    params: list[Any] = [low or 0, viewer_id, keys, MAX_ID if high is None else high]
    if blocked:
        extra += " AND from_account_id NOT IN (?)"
        params.append(sorted(blocked))
    if muted:
        extra += " AND (type = 'follow' OR from_account_id NOT IN (?))"
        params.append(sorted(muted))
    sql = _GROUP_DATA.format(hidden=extra, size=SAMPLE_SIZE)
    found: dict[str, tuple[int, int | None, list[tuple[int, int, Any]]]] = {}
    for key, id_, account, created, count, first in fastsql.run_plain(conn, sql, *params):
        entry = found.setdefault(key, (int(count), first, []))
        entry[2].append((id_, account, created))
    return found


def _build(
    conn: Connection,
    viewer_id: int,
    reps: list[Any],
    grouped: frozenset[str],
    hidden: tuple[frozenset[int], frozenset[int]],
    page_range: tuple[int | None, int | None] | None,
) -> list[Group]:
    keys = [effective_key(r, grouped) for r in reps]
    stored = [k for k in keys if not k.startswith("ungrouped-")]
    low, high = page_range if page_range is not None else (None, None)
    data = _group_data(conn, viewer_id, stored, hidden, low, high)
    account_ids = {r.from_account_id for r in reps}
    for _count, _first, rows in data.values():
        account_ids.update(a for _, a, _ in rows)
    account_rows = {
        r.id: r for r in conn.execute(select(accounts).where(accounts.c.id.in_(account_ids)))
    }
    status_ids = list(dict.fromkeys(r.status_id for r in reps if r.status_id is not None))
    views = {v.id: v for v in load_views(conn, viewer_id, status_ids)}
    packs = packs_by_id(conn, viewer_id, {r.collection_id for r in reps if r.collection_id})
    event_ids = sorted({r.event_id for r in reps if r.event_id is not None})
    found_events = {e.id: e for e in events_by_id(conn, event_ids)}
    groups: list[Group] = []
    for key, rep in zip(keys, reps, strict=True):
        status = views.get(rep.status_id) if rep.status_id is not None else None
        if rep.status_id is not None and status is None:
            continue  # the post is gone or no longer visible to the viewer
        if rep.collection_id is not None and rep.collection_id not in packs:
            continue  # the pack is gone
        if rep.event_id is not None and rep.event_id not in found_events:
            continue  # the event is gone
        if key in data:
            count, first, members = data[key]
            newest = members[0]
            sample = [account_rows[a] for _, a, _ in members if a in account_rows]
            most_recent, latest_at = newest[0], newest[2]
            page_min = first if first is not None else rep.id
        else:
            count, sample = 1, [account_rows[rep.from_account_id]]
            most_recent, latest_at, page_min = rep.id, rep.created_at, rep.id
        if not sample:
            continue
        paged = page_range is not None
        groups.append(
            Group(
                key,
                rep.type,
                count,
                most_recent,
                latest_at,
                list(dict.fromkeys(sample)),
                status,
                page_min if paged else None,
                most_recent if paged else None,
                packs.get(rep.collection_id) if rep.collection_id is not None else None,
                found_events.get(rep.event_id) if rep.event_id is not None else None,
            )
        )
    return groups


def list_groups(conn: Connection, viewer_id: int, page: PageRequest, filters: Filters) -> GroupPage:
    """One page of the viewer's notification groups, newest first."""
    blocked, muted = _hidden(conn, viewer_id)
    extra = [*_not_hidden(blocked), *_muted_clause(muted)]
    where = [*_conditions(viewer_id, filters, ()), *extra]
    grouped = _grouped(filters)
    reps = _scan(conn, where, page, grouped, page.limit)
    if not reps:
        return GroupPage([], None, None)
    low: int | None = reps[-1].id
    high: int | None = reps[0].id
    if len(reps) < page.limit:  # the last page: its range runs to the request's bound
        if page.min_id is not None:
            high = None if page.max_id is None else page.max_id - 1
        else:
            low = None if page.since_id is None else page.since_id + 1
    groups = _build(conn, viewer_id, reps, grouped, (blocked, muted), (low, high))
    next_max_id = reps[-1].id
    if low is None:  # the last page reached down to its groups' oldest members: go below
        next_max_id = min([next_max_id, *(g.page_min_id or next_max_id for g in groups)])
    return GroupPage(groups, next_max_id, reps[0].id, full=len(reps) == page.limit)


def _by_key(viewer_id: int, key: str) -> list[Any]:
    if key.startswith("ungrouped-"):
        found = parse_id(key.removeprefix("ungrouped-"))
        if found is None:
            raise NotFound()
        return [notifications.c.account_id == viewer_id, notifications.c.id == found]
    return [notifications.c.account_id == viewer_id, notifications.c.group_key == key]


def get_group(conn: Connection, viewer_id: int, key: str) -> Group:
    """One group by its key (404 if the viewer has none such, or may not see it)."""
    blocked, muted = _hidden(conn, viewer_id)
    extra = [*_not_hidden(blocked), *_muted_clause(muted)]
    rep = conn.execute(
        select(*_COLUMNS)
        .where(*_by_key(viewer_id, key), *extra)
        .order_by(notifications.c.id.desc())
        .limit(1)
    ).first()
    if rep is None:
        raise NotFound()
    found = _build(conn, viewer_id, [rep], frozenset(GROUPABLE), (blocked, muted), None)
    if not found:
        raise NotFound()
    return found[0]


def group_accounts(conn: Connection, viewer_id: int, key: str) -> list[Row[Any]]:
    """Every account in a group, newest first (as Mastodon's ``/accounts``)."""
    blocked, muted = _hidden(conn, viewer_id)
    extra = [*_not_hidden(blocked), *_muted_clause(muted)]
    ids = list(
        conn.execute(
            select(notifications.c.from_account_id)
            .where(*_by_key(viewer_id, key), *extra)
            .order_by(notifications.c.id.desc())
        ).scalars()
    )
    if not ids:
        raise NotFound()
    rows = {r.id: r for r in conn.execute(select(accounts).where(accounts.c.id.in_(set(ids))))}
    return [rows[i] for i in dict.fromkeys(ids) if i in rows]


def dismiss_group(conn: Connection, viewer_id: int, key: str) -> None:
    """Delete every notification of the viewer's group (nothing if there is none)."""
    conn.execute(delete(notifications).where(and_(*_by_key(viewer_id, key))))


def unread_group_count(
    conn: Connection, viewer_id: int, after_id: int | None, limit: int, filters: Filters
) -> int:
    """Groups with a notification newer than ``after_id`` (the marker), at most ``limit``."""
    blocked, muted = _hidden(conn, viewer_id)
    where = [*_conditions(viewer_id, filters, blocked), *_muted_clause(muted)]
    page = PageRequest(min_id=after_id or 0, limit=limit)
    return len(_scan(conn, where, page, _grouped(filters), limit))
