"""Notification requests: people whose private mentions the recipient's policy held back.

Reads and writes ``notification_requests``, ``notification_permissions`` and the
``filtered`` notifications (migration 0023), as Mastodon 4.3: ``services.notify`` makes a
request per sender; accepting one records a permission (that sender is never filtered
again), releases every filtered notification from them (not streamed: clients reload) and
removes the request; dismissing one removes it and deletes the held notifications. A
request is only ever read or changed by its recipient (404 for anyone else).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Row, delete, select, update

from staffroom.db.tables import (
    accounts,
    notification_permissions,
    notification_requests,
    notifications,
)
from staffroom.db.upsert import insert_ignore
from staffroom.errors import NotFound
from staffroom.services.status_views import StatusView, load_views
from staffroom.services.timelines import PageRequest, _page_ids


@dataclass(frozen=True, slots=True)
class RequestView:
    row: Row[Any]
    account: Row[Any]
    last_status: StatusView | None


@dataclass(frozen=True, slots=True)
class RequestPage:
    items: list[RequestView]
    next_max_id: int | None
    prev_min_id: int | None


def _views(conn: Connection, viewer_id: int, rows: Sequence[Row[Any]]) -> list[RequestView]:
    senders = {
        r.id: r
        for r in conn.execute(
            select(accounts).where(accounts.c.id.in_({r.from_account_id for r in rows}))
        )
    }
    wanted = [r.last_status_id for r in rows if r.last_status_id is not None]
    statuses = {v.id: v for v in load_views(conn, viewer_id, wanted)}
    return [
        RequestView(r, senders[r.from_account_id], statuses.get(r.last_status_id or 0))
        for r in rows
        if r.from_account_id in senders
    ]


def list_requests(conn: Connection, viewer_id: int, page: PageRequest) -> RequestPage:
    """The viewer's requests, newest first."""
    query = select(notification_requests.c.id).where(
        notification_requests.c.account_id == viewer_id
    )
    ids, more = _page_ids(conn, query, notification_requests.c.id, page)
    rows = conn.execute(
        select(notification_requests)
        .where(notification_requests.c.id.in_(ids))
        .order_by(notification_requests.c.id.desc())
    ).all()
    return RequestPage(
        _views(conn, viewer_id, rows),
        next_max_id=min(ids) if ids and more else None,
        prev_min_id=max(ids) if ids else None,
    )


def _owned(conn: Connection, viewer_id: int, ids: Sequence[int]) -> list[Row[Any]]:
    """The viewer's requests with these IDs; 404 unless every one is theirs."""
    wanted = set(ids)
    rows = conn.execute(
        select(notification_requests).where(
            notification_requests.c.id.in_(wanted),
            notification_requests.c.account_id == viewer_id,
        )
    ).all()
    if not wanted or len(rows) != len(wanted):
        raise NotFound()
    return list(rows)


def get_request(conn: Connection, viewer_id: int, request_id: int) -> RequestView:
    found = _views(conn, viewer_id, _owned(conn, viewer_id, [request_id]))
    if not found:
        raise NotFound()
    return found[0]


def accept(conn: Connection, viewer_id: int, request_ids: Sequence[int]) -> None:
    """Accept requests: their senders' filtered notifications are shown from now on."""
    now = datetime.now(UTC)
    for row in _owned(conn, viewer_id, request_ids):
        conn.execute(
            insert_ignore(conn, notification_permissions),
            {"account_id": viewer_id, "from_account_id": row.from_account_id, "created_at": now},
        )
        conn.execute(
            update(notifications)
            .where(
                notifications.c.account_id == viewer_id,
                notifications.c.from_account_id == row.from_account_id,
                notifications.c.filtered.is_(True),
            )
            .values(filtered=False)
        )
        conn.execute(delete(notification_requests).where(notification_requests.c.id == row.id))


def dismiss(conn: Connection, viewer_id: int, request_ids: Sequence[int]) -> None:
    """Dismiss requests: their held notifications are deleted."""
    for row in _owned(conn, viewer_id, request_ids):
        conn.execute(
            delete(notifications).where(
                notifications.c.account_id == viewer_id,
                notifications.c.from_account_id == row.from_account_id,
                notifications.c.filtered.is_(True),
            )
        )
        conn.execute(delete(notification_requests).where(notification_requests.c.id == row.id))
