"""Reading and dismissing one's notifications.

A notification whose post the recipient may no longer see, or whose actor they now block
or mute, is left out (never leaked).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Row, delete, func, select

from staffroom.db.tables import accounts, markers, notifications
from staffroom.errors import NotFound
from staffroom.services.pack_reads import Pack, packs_by_id
from staffroom.services.status_views import StatusView, load_views, viewer_facts
from staffroom.services.timelines import PageRequest, _page_ids


@dataclass(slots=True)
class NotificationView:
    row: Row[Any]
    account: Row[Any]
    status: StatusView | None
    collection: Pack | None = None  # added_to_collection, collection_update


@dataclass(frozen=True, slots=True)
class NotificationPage:
    items: list[NotificationView]
    next_max_id: int | None
    prev_min_id: int | None


def _views(conn: Connection, viewer_id: int, rows: Sequence[Row[Any]]) -> list[NotificationView]:
    actor_rows = {
        r.id: r
        for r in conn.execute(
            select(accounts).where(accounts.c.id.in_({n.from_account_id for n in rows}))
        )
    }
    facts = viewer_facts(conn, viewer_id, actor_rows)
    status_ids = [n.status_id for n in rows if n.status_id is not None]
    statuses = {v.id: v for v in load_views(conn, viewer_id, status_ids)}
    packs = packs_by_id(conn, viewer_id, {n.collection_id for n in rows if n.collection_id})
    items = []
    for row in rows:
        actor = actor_rows.get(row.from_account_id)
        if actor is None or actor.id in facts.blocking or actor.id in facts.blocked_by:
            continue
        if row.type != "follow" and actor.id in facts.muting:
            continue
        status = statuses.get(row.status_id) if row.status_id is not None else None
        if row.status_id is not None and status is None:
            continue
        pack = packs.get(row.collection_id) if row.collection_id is not None else None
        if row.collection_id is not None and pack is None:
            continue
        items.append(NotificationView(row, actor, status, pack))
    return items


def list_notifications(
    conn: Connection,
    viewer_id: int,
    page: PageRequest,
    *,
    types: Sequence[str] = (),
    exclude_types: Sequence[str] = (),
    account_id: int | None = None,
    include_filtered: bool = False,
) -> NotificationPage:
    """One page of the viewer's notifications, newest first. Notifications held back by the
    viewer's policy are left out unless asked for or read by their sender's ``account_id``
    (as Mastodon's ``browserable``)."""
    query = select(notifications.c.id).where(notifications.c.account_id == viewer_id)
    if account_id is None and not include_filtered:
        query = query.where(notifications.c.filtered.is_(False))
    if types:
        query = query.where(notifications.c.type.in_(list(types)))
    if exclude_types:
        query = query.where(notifications.c.type.not_in(list(exclude_types)))
    if account_id is not None:
        query = query.where(notifications.c.from_account_id == account_id)
    ids, more = _page_ids(conn, query, notifications.c.id, page)
    rows = conn.execute(
        select(notifications).where(notifications.c.id.in_(ids)).order_by(notifications.c.id.desc())
    ).all()
    return NotificationPage(
        _views(conn, viewer_id, rows),
        next_max_id=min(ids) if ids and more else None,
        prev_min_id=max(ids) if ids else None,
    )


def unread_count(
    conn: Connection,
    viewer_id: int,
    limit: int,
    *,
    types: Sequence[str] = (),
    exclude_types: Sequence[str] = (),
    account_id: int | None = None,
) -> int:
    """Notifications newer than the viewer's notifications marker (all when there is none),
    at most ``limit``, as Mastodon's ``/api/v1/notifications/unread_count``."""
    marker = conn.execute(
        select(markers.c.last_read_id).where(
            markers.c.account_id == viewer_id, markers.c.timeline == "notifications"
        )
    ).scalar()
    query = select(notifications.c.id).where(
        notifications.c.account_id == viewer_id, notifications.c.id > (marker or 0)
    )
    if types:
        query = query.where(notifications.c.type.in_(list(types)))
    if exclude_types:
        query = query.where(notifications.c.type.not_in(list(exclude_types)))
    if account_id is not None:
        query = query.where(notifications.c.from_account_id == account_id)
    else:
        query = query.where(notifications.c.filtered.is_(False))
    hidden = select(func.count()).select_from(query.limit(limit).subquery())
    return int(conn.execute(hidden).scalar() or 0)


def get_notification(conn: Connection, viewer_id: int, notification_id: int) -> NotificationView:
    row = conn.execute(
        select(notifications).where(
            notifications.c.id == notification_id, notifications.c.account_id == viewer_id
        )
    ).first()
    found = _views(conn, viewer_id, [row]) if row is not None else []
    if not found:
        raise NotFound()
    return found[0]


def dismiss(conn: Connection, viewer_id: int, notification_id: int) -> None:
    """Remove one notification (404 if it is not the viewer's)."""
    result = conn.execute(
        delete(notifications).where(
            notifications.c.id == notification_id, notifications.c.account_id == viewer_id
        )
    )
    if not result.rowcount:
        raise NotFound()


def clear(conn: Connection, viewer_id: int) -> None:
    conn.execute(delete(notifications).where(notifications.c.account_id == viewer_id))


def find_notification(
    conn: Connection, notification_id: int
) -> tuple[int, NotificationView] | None:
    """(recipient, view) of a notification its recipient may still see, for streaming."""
    row = conn.execute(select(notifications).where(notifications.c.id == notification_id)).first()
    if row is None or row.filtered:
        return None
    found = _views(conn, row.account_id, [row])
    return (row.account_id, found[0]) if found else None
