"""Media attachments as readers see them: :class:`MediaView`, and the media of posts.

``status_views`` asks :func:`media_of_posts` only for posts it has already decided the
viewer may see, so a post's media are shown exactly where the post is. An attachment an edit
removed keeps its post with ``position`` -1 (for the versions that showed it): not the post's.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection

from staffroom.db import fastsql

_COLUMNS = (
    "id, status_id, kind, state, file_url, preview_url, width, height, small_width,"
    " small_height, blurhash, description, focus_x, focus_y"
)
_OF_POSTS = (
    f"SELECT {_COLUMNS} FROM media_attachments WHERE status_id IN (?) AND position >= 0"
    " ORDER BY status_id, position, id"
)


@dataclass(frozen=True, slots=True)
class MediaView:
    """One attachment (immutable: a changed attachment is a new object)."""

    id: int
    kind: str
    state: str
    file_url: str | None
    preview_url: str | None
    width: int | None
    height: int | None
    small_width: int | None
    small_height: int | None
    blurhash: str | None
    description: str
    focus_x: float
    focus_y: float

    @property
    def ready(self) -> bool:
        return self.state == "ready"

    @classmethod
    def of(cls, row: Any) -> MediaView:
        """From a ``media_attachments`` row (or the tuple :data:`_COLUMNS` selects)."""
        return cls(
            int(row.id),
            str(row.kind),
            str(row.state),
            row.file_url,
            row.preview_url,
            row.width,
            row.height,
            row.small_width,
            row.small_height,
            row.blurhash,
            row.description or "",
            float(row.focus_x or 0.0),
            float(row.focus_y or 0.0),
        )


NO_MEDIA: tuple[MediaView, ...] = ()


def media_of_posts(conn: Connection, post_ids: Sequence[int]) -> dict[int, tuple[MediaView, ...]]:
    """The attachments of each post in ``post_ids`` (in their order in the post)."""
    found: dict[int, list[MediaView]] = {}
    if not post_ids:
        return {}
    for row in fastsql.run(conn, _OF_POSTS, list(post_ids)):
        found.setdefault(row.status_id, []).append(MediaView.of(row))
    return {post_id: tuple(views) for post_id, views in found.items()}


_OF_SCHEDULED = (
    f"SELECT scheduled_status_id, {_COLUMNS} FROM media_attachments"
    " WHERE scheduled_status_id IN (?) ORDER BY scheduled_status_id, position, id"
)


def media_of_scheduled(
    conn: Connection, scheduled_ids: Sequence[int]
) -> dict[int, tuple[MediaView, ...]]:
    """The attachments each scheduled post in ``scheduled_ids`` holds (in their order)."""
    found: dict[int, list[MediaView]] = {}
    if not scheduled_ids:
        return {}
    for row in fastsql.run(conn, _OF_SCHEDULED, list(scheduled_ids)):
        found.setdefault(row.scheduled_status_id, []).append(MediaView.of(row))
    return {key: tuple(views) for key, views in found.items()}
