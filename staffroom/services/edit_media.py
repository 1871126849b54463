"""The media side of editing a post, as Mastodon does it.

An edit may give the post a new list of attachments (``media_ids``: at most four, each the
author's own, unattached or already this post's, processed) and change the alt text or focus
of those it keeps (``media_attributes``). Every version in ``status_edits`` keeps its
attachments (``media``: ids, alt text and focus as JSON), so the history shows each version's
images. An attachment an edit removes stays with its post at ``position`` -1: the post no
longer shows it, the versions that did still can, and deleting the post removes it.
Used by ``services.editing`` inside its transaction.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import Connection, or_, select, update

from staffroom.db.tables import media_attachments
from staffroom.errors import ValidationFailed
from staffroom.messages import N_, T_
from staffroom.services.media import FREE, MAX_ATTACHMENTS, READY, check_description
from staffroom.services.media_views import MediaView

REMOVED = -1  # the position of an attachment an edit took out of its post


@dataclass(frozen=True, slots=True)
class MediaChange:
    """``media_attributes[]``: new alt text and/or focus for one attachment."""

    id: int
    description: str | None = None
    focus: tuple[float, float] | None = None


def _rows(conn: Connection, status_id: int, ids: list[int] | None = None) -> list[Any]:
    query = select(media_attachments).where(media_attachments.c.status_id == status_id)
    if ids is None:
        query = query.where(media_attachments.c.position >= 0)
    else:
        query = query.where(media_attachments.c.id.in_(ids))
    return list(conn.execute(query.order_by(media_attachments.c.position)).all())


def current(conn: Connection, status_id: int) -> tuple[MediaView, ...]:
    """The post's attachments now, in order."""
    return tuple(MediaView.of(row) for row in _rows(conn, status_id))


def _takeable(conn: Connection, account_id: int, status_id: int, ids: list[int]) -> dict[int, Any]:
    """Attachments an edit of this post may use: the author's, unattached or this post's."""
    if len(ids) > MAX_ATTACHMENTS:
        raise ValidationFailed(T_("Cannot attach more than %(most)s files", most=MAX_ATTACHMENTS))
    rows = conn.execute(
        select(media_attachments).where(
            media_attachments.c.id.in_(ids),
            media_attachments.c.account_id == account_id,
            or_(FREE, media_attachments.c.status_id == status_id),
        )
    ).all()
    found = {int(row.id): row for row in rows}
    missing = [str(i) for i in ids if i not in found]
    if missing:
        raise ValidationFailed(
            T_(
                "Media %(ids)s not found or already attached to another post",
                ids=", ".join(missing),
            )
        )
    if any(row.state != READY for row in found.values()):
        raise ValidationFailed(
            N_("Cannot attach files that have not finished processing. Try again in a moment!")
        )
    return found


def wanted(
    conn: Connection,
    account_id: int,
    status_id: int,
    now: tuple[MediaView, ...],
    media_ids: tuple[int, ...] | None,
    changes: tuple[MediaChange, ...],
) -> tuple[MediaView, ...]:
    """The attachments the edit asks for (``media_ids`` absent: the ones it has), with their
    new alt text and focus; checked, nothing written."""
    if media_ids is None:
        chosen = list(now)
    else:
        rows = _takeable(conn, account_id, status_id, list(media_ids))
        chosen = [MediaView.of(rows[i]) for i in media_ids]
    by_id = {change.id: change for change in changes}
    out = []
    for view in chosen:
        change = by_id.get(view.id)
        if change is not None and change.description is not None:
            check_description(change.description)
            view = replace(view, description=change.description)
        if change is not None and change.focus is not None:
            view = replace(view, focus_x=change.focus[0], focus_y=change.focus[1])
        out.append(view)
    return tuple(out)


def _key(views: tuple[MediaView, ...]) -> list[tuple[int, str, float, float]]:
    return [(v.id, v.description, v.focus_x, v.focus_y) for v in views]


def changed(before: tuple[MediaView, ...], after: tuple[MediaView, ...]) -> bool:
    return _key(before) != _key(after)


def snapshot(views: tuple[MediaView, ...]) -> str:
    """A version's ``media`` column."""
    return json.dumps(
        [
            {"id": str(v.id), "description": v.description, "focus": [v.focus_x, v.focus_y]}
            for v in views
        ]
    )


def apply(
    conn: Connection, status_id: int, before: tuple[MediaView, ...], after: tuple[MediaView, ...]
) -> None:
    """Give the post ``after`` in order; those it no longer has keep it at :data:`REMOVED`."""
    kept = {view.id for view in after}
    for view in before:
        if view.id not in kept:
            conn.execute(
                update(media_attachments)
                .where(media_attachments.c.id == view.id)
                .values(position=REMOVED)
            )
    for position, view in enumerate(after):
        conn.execute(
            update(media_attachments)
            .where(media_attachments.c.id == view.id)
            .values(
                status_id=status_id,
                position=position,
                description=view.description,
                focus_x=view.focus_x,
                focus_y=view.focus_y,
            )
        )


def of_versions(
    conn: Connection, status_id: int, snapshots: list[str | None], now: tuple[MediaView, ...]
) -> list[tuple[MediaView, ...]]:
    """Each version's attachments from its ``media`` column (null: the post's own), read
    among the post's attachments only."""
    parsed = [json.loads(raw) if raw else None for raw in snapshots]
    ids = sorted({int(item["id"]) for items in parsed if items for item in items})
    rows = {int(row.id): MediaView.of(row) for row in _rows(conn, status_id, ids)} if ids else {}
    out: list[tuple[MediaView, ...]] = []
    for items in parsed:
        if items is None:
            out.append(now)
            continue
        views = []
        for item in items:
            found = rows.get(int(item["id"]))
            if found is not None:
                x, y = item.get("focus") or (0.0, 0.0)
                views.append(replace(found, description=item.get("description") or "",
                                     focus_x=float(x), focus_y=float(y)))  # fmt: skip
        out.append(tuple(views))
    return out
