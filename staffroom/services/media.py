"""Uploading, processing, editing and removing media attachments.

Writes ``media_attachments`` and the files in ``rt.media`` (storage). An upload is checked
(size, kind, declared type, pixel limits, alt text, focus) and decoded whole before anything
is stored, so a refused file leaves nothing behind. ``POST /api/v1/media`` processes at once
(:func:`upload_media` with ``wait=True``); ``POST /api/v2/media`` keeps the upload apart
(``rt.pending_uploads``), writes a row in state ``processing`` and a ``process_media`` job
that makes the variants (:func:`process_media`). Every upload also gets a
``remove_unattached_media`` job a day later (``services.media_removal``), which removes it
unless a post has taken it.
Files are written before the row that names them and removed after the row is gone, so a
row never points at a missing file.

Only the owner reads, edits or deletes an attachment here, and only before it is attached
(Mastodon's rules); once attached, it is seen through its post (``status_views``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, and_, delete, insert, select, update

from staffroom.db.tables import media_attachments
from staffroom.errors import NotFound, ValidationFailed
from staffroom.ids import new_id
from staffroom.jobs.queue import enqueue
from staffroom.jobs.registry import Lease, job_handler
from staffroom.media import images
from staffroom.media.storage import MediaStorage, new_key, sibling_key
from staffroom.messages import N_, T_
from staffroom.services.media_views import MediaView

if TYPE_CHECKING:
    from staffroom.config import Settings
    from staffroom.jobs.queue import Job
    from staffroom.runtime import Runtime

MAX_DESCRIPTION = 1500
MAX_ATTACHMENTS = 4
UNATTACHED_SECONDS = 24 * 60 * 60
READY, PROCESSING, FAILED = "ready", "processing", "failed"


@dataclass(frozen=True, slots=True)
class Upload:
    """A file as a client sent it, with the attachment's alt text and focus point."""

    data: bytes
    content_type: str | None = None
    filename: str | None = None
    description: str = ""
    focus: tuple[float, float] = (0.0, 0.0)


@dataclass(frozen=True, slots=True)
class _Stored:
    processed: images.ProcessedImage
    file_key: str
    file_url: str
    preview_key: str
    preview_url: str


# Not attached to a post, nor held by a scheduled post (Mastodon's "unattached").
FREE = and_(
    media_attachments.c.status_id.is_(None), media_attachments.c.scheduled_status_id.is_(None)
)


def _invalid(field: str, message: str) -> ValidationFailed:
    return ValidationFailed(
        message, details={field: [{"error": "ERR_INVALID", "description": message}]}
    )


_BAD_FOCUS = N_("Focus must be two numbers from -1.0 to 1.0, as x,y")


def parse_focus(raw: str | None) -> tuple[float, float] | None:
    """Mastodon's ``focus`` ("x,y", each -1.0..1.0); ``None`` when not given, 422 if bad."""
    if raw is None or raw.strip() == "":
        return None
    parts = raw.split(",")
    try:
        x, y = (float(part) for part in parts)
    except ValueError:
        raise _invalid("focus", _BAD_FOCUS) from None
    if not all(math.isfinite(v) and -1.0 <= v <= 1.0 for v in (x, y)):
        raise _invalid("focus", _BAD_FOCUS)
    return x, y


def check_description(description: str) -> None:
    if len(description) > MAX_DESCRIPTION:
        raise ValidationFailed(
            T_("Description is too long (maximum is %(most)s characters)", most=MAX_DESCRIPTION),
            details={"description": [{"error": "ERR_TOO_LONG", "description": "is too long"}]},
        )


def check_upload(settings: Settings, upload: Upload) -> str:
    """The upload's content type if it may be processed (cheap: no pixel decoded), or 422."""
    check_description(upload.description)
    if not upload.data:
        raise _invalid("file", N_("The file is empty"))
    if len(upload.data) > settings.max_image_bytes:
        limit = settings.max_image_bytes / (1024 * 1024)
        raise ValidationFailed(
            T_("The file is too large (images may be at most %(limit)s MB)", limit=f"{limit:g}"),
            details={"file": [{"error": "ERR_TOO_LARGE", "description": "is too large"}]},
        )
    try:
        content_type, _, _ = images.inspect(upload.data)
        images.check_declared(content_type, upload.content_type, upload.filename)
    except images.ImageRefused as exc:
        raise _invalid("file", exc.reason) from None
    return content_type


def _prepare(data: bytes) -> images.ProcessedImage:
    try:
        return images.process(data)
    except images.ImageRefused as exc:
        raise _invalid("file", exc.reason) from None


def _store(storage: MediaStorage, processed: images.ProcessedImage) -> _Stored:
    original, small = processed.original, processed.small
    file_key = new_key(original.extension, "original")
    preview_key = sibling_key(file_key, small.extension, "small")
    file_url = storage.put(file_key, original.data, original.content_type)
    try:
        preview_url = storage.put(preview_key, small.data, small.content_type)
    except BaseException:
        storage.delete(file_key)
        raise
    return _Stored(processed, file_key, file_url, preview_key, preview_url)


def _unstore(storage: MediaStorage, keys: list[str | None]) -> None:
    for key in keys:
        if key:
            storage.delete(key)


def _ready_values(stored: _Stored) -> dict[str, Any]:
    original, small = stored.processed.original, stored.processed.small
    return {
        "state": READY,
        "content_type": original.content_type,
        "file_key": stored.file_key,
        "file_url": stored.file_url,
        "file_size": len(original.data),
        "preview_key": stored.preview_key,
        "preview_url": stored.preview_url,
        "width": original.width,
        "height": original.height,
        "small_width": small.width,
        "small_height": small.height,
        "blurhash": stored.processed.blurhash,
    }


_NOT_YET: dict[str, Any] = dict.fromkeys(
    (
        "content_type",
        "file_key",
        "file_url",
        "file_size",
        "preview_key",
        "preview_url",
        "width",
        "height",
        "small_width",
        "small_height",
        "blurhash",
    )
)


def _insert(
    conn: Connection, account_id: int, media_id: int, upload: Upload, values: dict[str, Any]
) -> MediaView:
    row = {
        "id": media_id,
        "account_id": account_id,
        "status_id": None,
        "position": 0,
        "kind": "image",
        "description": upload.description,
        "focus_x": upload.focus[0],
        "focus_y": upload.focus[1],
        "created_at": datetime.now(UTC),
        **_NOT_YET,
        **values,
    }
    conn.execute(insert(media_attachments), row)
    enqueue(
        conn,
        "remove_unattached_media",
        {"media_id": media_id},
        delay_seconds=UNATTACHED_SECONDS,
    )
    if values["state"] == PROCESSING:
        enqueue(conn, "process_media", {"media_id": media_id}, max_attempts=3)
    return MediaView.of(_Row(row))


class _Row:
    def __init__(self, values: dict[str, Any]) -> None:
        self.__dict__.update(values)


def upload_media(rt: Runtime, account_id: int, upload: Upload, *, wait: bool) -> MediaView:
    """Store an upload as an unattached attachment: processed now (``wait``), or kept for
    the ``process_media`` job (state ``processing``). Blocking: run it in a thread."""
    check_upload(rt.settings, upload)
    media_id = new_id()
    if not wait:
        try:  # refuse a damaged file now, with nothing stored; the job re-encodes it
            images.verify(upload.data)
        except images.ImageRefused as exc:
            raise _invalid("file", exc.reason) from None
        rt.pending_uploads.put(media_id, upload.data)
        try:
            return rt.db.write(_insert, account_id, media_id, upload, {"state": PROCESSING})
        except BaseException:
            rt.pending_uploads.delete(media_id)
            raise
    stored = _store(rt.media, _prepare(upload.data))
    try:
        return rt.db.write(_insert, account_id, media_id, upload, _ready_values(stored))
    except BaseException:
        _unstore(rt.media, [stored.file_key, stored.preview_key])
        raise


@job_handler("process_media")
def process_media(rt: Runtime, job: Job, lease: Lease) -> None:
    """Make the variants of an upload accepted by ``POST /api/v2/media``."""
    media_id = int(job.payload["media_id"])
    row = rt.db.read(_row_of, media_id)
    if row is None or row.state != PROCESSING:
        rt.pending_uploads.delete(media_id)
        return  # removed meanwhile, or a retry after it was done
    data = rt.pending_uploads.get(media_id)
    try:
        if data is None:
            raise _invalid("file", "The upload was lost before it could be processed")
        stored = _store(rt.media, _prepare(data))
    except ValidationFailed:
        rt.db.write(_set_state, media_id, {"state": FAILED}, lease)
        rt.pending_uploads.delete(media_id)
        return
    if not rt.db.write(_set_state, media_id, _ready_values(stored), lease):
        _unstore(rt.media, [stored.file_key, stored.preview_key])
    rt.pending_uploads.delete(media_id)


def _row_of(conn: Connection, media_id: int) -> Any:
    return conn.execute(select(media_attachments).where(media_attachments.c.id == media_id)).first()


def _set_state(conn: Connection, media_id: int, values: dict[str, Any], lease: Lease) -> bool:
    done = conn.execute(
        update(media_attachments)
        .where(media_attachments.c.id == media_id, media_attachments.c.state == PROCESSING)
        .values(**values)
    ).rowcount
    lease.complete_in(conn)
    return bool(done)


def _own_unattached(conn: Connection, account_id: int, media_id: int) -> Any:
    row = conn.execute(
        select(media_attachments).where(
            media_attachments.c.id == media_id,
            media_attachments.c.account_id == account_id,
            media_attachments.c.status_id.is_(None),
        )
    ).first()
    if row is None:
        raise NotFound()
    return row


def _usable(row: Any) -> MediaView:
    if row.state == FAILED:
        raise _invalid("file", N_("The file could not be processed"))
    return MediaView.of(row)


def get_media(conn: Connection, account_id: int, media_id: int) -> MediaView:
    """One's own attachment before it is attached (404 otherwise, 422 if processing failed)."""
    return _usable(_own_unattached(conn, account_id, media_id))


def update_media(
    conn: Connection,
    account_id: int,
    media_id: int,
    *,
    description: str | None,
    focus: tuple[float, float] | None,
) -> MediaView:
    """Change the alt text and/or focus point of one's own unattached attachment."""
    row = _own_unattached(conn, account_id, media_id)
    _usable(row)
    values: dict[str, Any] = {}
    if description is not None:
        check_description(description)
        values["description"] = description
    if focus is not None:
        values["focus_x"], values["focus_y"] = focus
    if values:
        conn.execute(
            update(media_attachments).where(media_attachments.c.id == media_id).values(**values)
        )
    return get_media(conn, account_id, media_id)


def delete_media(conn: Connection, account_id: int, media_id: int) -> list[str | None]:
    """Delete one's own unattached attachment; returns the keys to remove after commit."""
    row = conn.execute(
        select(media_attachments).where(
            media_attachments.c.id == media_id, media_attachments.c.account_id == account_id
        )
    ).first()
    if row is None:
        raise NotFound()
    if row.status_id is not None or row.scheduled_status_id is not None:
        raise ValidationFailed("Media attachment is currently used by a status")
    conn.execute(delete(media_attachments).where(media_attachments.c.id == media_id))
    return [row.file_key, row.preview_key]


# --- posting --------------------------------------------------------------------------------


def check_media_ids(conn: Connection, account_id: int, media_ids: list[int]) -> None:
    """Refuse ``media_ids`` a post cannot take: too many, not the author's own unattached
    attachments, or not processed yet (Mastodon's messages)."""
    if len(media_ids) > MAX_ATTACHMENTS:
        raise ValidationFailed(T_("Cannot attach more than %(most)s files", most=MAX_ATTACHMENTS))
    if not media_ids:
        return
    rows = conn.execute(
        select(media_attachments.c.id, media_attachments.c.state).where(
            media_attachments.c.id.in_(media_ids),
            media_attachments.c.account_id == account_id,
            FREE,
        )
    ).all()
    found = {row.id: row.state for row in rows}
    missing = [str(i) for i in media_ids if i not in found]
    if missing:
        raise ValidationFailed(
            T_(
                "Media %(ids)s not found or already attached to another post",
                ids=", ".join(missing),
            )
        )
    if any(state != READY for state in found.values()):
        raise ValidationFailed(
            N_("Cannot attach files that have not finished processing. Try again in a moment!")
        )


def hold_media(conn: Connection, account_id: int, scheduled_id: int, media_ids: list[int]) -> None:
    """Keep ``media_ids`` (checked by :func:`check_media_ids`) for a scheduled post, in
    their order: not cleaned up, taken by nothing else, until it is published or cancelled."""
    for position, media_id in enumerate(media_ids):
        conn.execute(
            update(media_attachments)
            .where(
                media_attachments.c.id == media_id,
                media_attachments.c.account_id == account_id,
                FREE,
            )
            .values(scheduled_status_id=scheduled_id, position=position)
        )


def attach_media(conn: Connection, account_id: int, status_id: int, media_ids: list[int]) -> None:
    """Give the post its attachments, in the order given (checked by
    :func:`check_media_ids` in the same transaction)."""
    for position, media_id in enumerate(media_ids):
        conn.execute(
            update(media_attachments)
            .where(
                media_attachments.c.id == media_id,
                media_attachments.c.account_id == account_id,
                FREE,
            )
            .values(status_id=status_id, position=position)
        )
