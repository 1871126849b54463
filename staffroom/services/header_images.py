"""Profile header images, stored like avatars under ``<data_dir>/media/headers``.

Writes ``accounts.header_path`` (and ``updated_at``, so cached account entities refresh).
Files are checked by their magic bytes (``profiles.image_extension``), re-encoded through the
media pipeline (metadata stripped) and written atomically.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Connection, select, update

from staffroom.db.tables import accounts
from staffroom.errors import NotFound, ValidationFailed
from staffroom.services.profiles import (
    image_extension,
    media_root,
    reencode_profile_image,
    verify_profile_image,
)

MAX_HEADER_BYTES = 2 * 1024 * 1024


def check_header(data: bytes) -> str:
    """The extension for an acceptable header image, or 422 (the whole image is decoded:
    blocking, run it in a thread)."""
    if len(data) > MAX_HEADER_BYTES:
        raise ValidationFailed(
            "Header file size must be less than 2 MB",
            details={"header": [{"error": "ERR_TOO_LARGE", "description": "is too large"}]},
        )
    extension = image_extension(data)
    if extension is None:
        raise ValidationFailed(
            "Header must be a PNG, JPEG, GIF or WebP image",
            details={"header": [{"error": "ERR_INVALID", "description": "is not an image"}]},
        )
    verify_profile_image("header", data)
    return extension


HEADER_BOX = (1500, 500)


def write_header(data_dir: Path, account_id: int, data: bytes) -> str:
    """Re-encode the image (the media pipeline), store it and return its public path
    ``/system/headers/<file>``. Blocking: run it in a thread."""
    check_header(data)
    data, extension = reencode_profile_image("header", data, HEADER_BOX)
    folder = media_root(data_dir) / "headers"
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{account_id}.{extension}"
    temporary = folder / f".{name}.{os.getpid()}.tmp"
    temporary.write_bytes(data)
    os.replace(temporary, folder / name)
    return f"/system/headers/{name}"


def header_path_of(conn: Connection, account_id: int) -> str | None:
    row = conn.execute(select(accounts.c.header_path).where(accounts.c.id == account_id)).first()
    if row is None:
        raise NotFound()
    found: str | None = row.header_path
    return found


def set_header_path(conn: Connection, account_id: int, header_path: str) -> str | None:
    """Point the account at a stored header image; returns the previous path."""
    previous = header_path_of(conn, account_id)
    conn.execute(
        update(accounts)
        .where(accounts.c.id == account_id)
        .values(header_path=header_path, updated_at=datetime.now(UTC))
    )
    return previous
