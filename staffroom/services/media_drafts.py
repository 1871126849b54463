"""Images a web composer holds between attempts.

A post the composer sends may be refused (text too long, a damaged second image): the images
already uploaded stay as the author's unattached attachments, and the composer shows them
again (their ids in hidden fields) instead of asking for the files anew. Ids come back from a
form, so every one is checked here: only the author's own attachments are ever read,
described or deleted, unattached ones, or on the edit page the edited post's own. The
``remove_unattached_media`` job removes what is never posted, a day after its upload.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import ColumnElement, Connection, delete, or_, select, update

from staffroom.db.tables import media_attachments
from staffroom.services.media import FREE, READY, check_description
from staffroom.services.media_views import MediaView


@dataclass(frozen=True, slots=True)
class Kept:
    """What :func:`keep` found: the attachments still chosen (in the form's order), the
    storage keys of those removed (to delete after commit) and the ids refused."""

    views: tuple[MediaView, ...]
    removed_keys: tuple[str | None, ...]
    refused: tuple[int, ...]


def _own(
    conn: Connection, account_id: int, ids: list[int], status_id: int | None
) -> dict[int, Any]:
    where: ColumnElement[bool] = FREE
    if status_id is not None:
        where = or_(where, media_attachments.c.status_id == status_id)
    rows = conn.execute(
        select(media_attachments).where(
            media_attachments.c.id.in_(ids),
            media_attachments.c.account_id == account_id,
            media_attachments.c.state == READY,
            where,
        )
    ).all()
    return {int(row.id): row for row in rows}


def keep(
    conn: Connection,
    account_id: int,
    ids: list[int],
    removed: set[int],
    descriptions: dict[int, str],
) -> Kept:
    """The composer's held images: those in ``removed`` deleted, the others' alt text set
    from ``descriptions``. An id that is not one's own unattached, processed attachment is
    refused (and nothing is done with it)."""
    rows = _own(conn, account_id, ids, None) if ids else {}
    refused = tuple(i for i in ids if i not in rows)
    keys: list[str | None] = []
    views = []
    for media_id, row in rows.items():
        if media_id in removed:
            conn.execute(delete(media_attachments).where(media_attachments.c.id == media_id))
            keys += [row.file_key, row.preview_key]
    for media_id in ids:
        row = rows.get(media_id)
        if row is None or media_id in removed:
            continue
        description = descriptions.get(media_id)
        if description is not None and description != row.description:
            check_description(description)
            conn.execute(
                update(media_attachments)
                .where(media_attachments.c.id == media_id)
                .values(description=description)
            )
        view = MediaView.of(row)
        views.append(view if description is None else replace(view, description=description))
    return Kept(tuple(views), tuple(keys), refused)


def views_of(
    conn: Connection, account_id: int, status_id: int, ids: list[int]
) -> tuple[MediaView, ...]:
    """For an edit page shown again: those of ``ids`` that are the author's, unattached or
    the post's own, in the form's order."""
    rows = _own(conn, account_id, ids, status_id) if ids else {}
    return tuple(MediaView.of(rows[i]) for i in ids if i in rows)
