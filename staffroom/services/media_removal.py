"""Removing media files once nothing needs them: unattached uploads a day old, the media of a
deleted post, everything of a deleted account.

Rows go first (in the caller's or the job's transaction), files after the commit, so a row
never names a missing file; a file left behind by a crash between the two is unreachable
(its key is random) and harmless. The jobs are durable (``staffroom/jobs``): they survive a
restart and retry.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import Connection, delete, or_, select

from staffroom.db.tables import media_attachments
from staffroom.jobs.queue import enqueue
from staffroom.jobs.registry import Lease, job_handler

if TYPE_CHECKING:
    from staffroom.jobs.queue import Job
    from staffroom.runtime import Runtime

KEYS_PER_JOB = 500


def remove_files(rt: Runtime, media_id: int, keys: list[str | None]) -> None:
    """Remove an attachment's files (call after the commit that deleted its row)."""
    for key in keys:
        if key:
            rt.media.delete(key)
    rt.pending_uploads.delete(media_id)


def _remove_if_unattached(conn: Connection, media_id: int, lease: Lease) -> list[str | None]:
    row = conn.execute(
        delete(media_attachments)
        .where(
            media_attachments.c.id == media_id,
            media_attachments.c.status_id.is_(None),
            media_attachments.c.scheduled_status_id.is_(None),
        )
        .returning(media_attachments.c.file_key, media_attachments.c.preview_key)
    ).first()
    lease.complete_in(conn)
    return [] if row is None else [row.file_key, row.preview_key]


@job_handler("remove_unattached_media")
def remove_unattached_media(rt: Runtime, job: Job, lease: Lease) -> None:
    """A day after an upload (or once its post is deleted, or its scheduled post cancelled):
    remove it unless a post or a scheduled post has taken it."""
    media_id = int(job.payload["media_id"])
    keys = rt.db.write(_remove_if_unattached, media_id, lease)
    if keys:
        remove_files(rt, media_id, keys)


def remove_media_of_post(conn: Connection, status_id: int) -> None:
    """Before a post is deleted: its attachments are removed once it is gone (the
    deletion leaves them unattached, and the job removes unattached media)."""
    for media_id in conn.execute(
        select(media_attachments.c.id).where(media_attachments.c.status_id == status_id)
    ).scalars():
        enqueue(conn, "remove_unattached_media", {"media_id": media_id})


def remove_media_of_account(conn: Connection, account_id: int) -> None:
    """Before an account is deleted (its rows go with it): a job removes the files."""
    rows = conn.execute(
        select(
            media_attachments.c.id, media_attachments.c.file_key, media_attachments.c.preview_key
        ).where(
            media_attachments.c.account_id == account_id,
            or_(
                media_attachments.c.file_key.is_not(None),
                media_attachments.c.state == "processing",
            ),
        )
    ).all()
    items = [[row.id, row.file_key, row.preview_key] for row in rows]
    for start in range(0, len(items), KEYS_PER_JOB):
        enqueue(conn, "remove_media_files", {"items": items[start : start + KEYS_PER_JOB]})


@job_handler("remove_media_files")
def remove_media_files(rt: Runtime, job: Job, lease: Lease) -> None:
    """Remove files whose rows are already gone (a deleted account's)."""
    for media_id, file_key, preview_key in job.payload["items"]:
        remove_files(rt, int(media_id), [file_key, preview_key])
