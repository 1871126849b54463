"""Where media files live: a small interface with a local-disk implementation.

``MediaStorage.put`` stores an object under a key and answers the URL clients fetch it from:
for local disk a path under the base URL (``/system/<key>``, served by ``api/accounts.media``
with long cache headers, as every key is new: a changed file is a new key). Uploads waiting
for ``POST /api/v2/media`` processing are kept apart, never served (``PendingUploads``).
Writes are atomic (a temporary file, then a rename), so a reader never sees half a file.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path
from typing import Protocol

_PREFIX = "media_attachments"


class MediaStorage(Protocol):
    def put(self, key: str, data: bytes, content_type: str) -> str:
        """Store ``data`` under ``key``; returns its public URL (absolute, or a path)."""

    def delete(self, key: str) -> None:
        """Remove ``key``; a missing object is fine."""


def new_key(extension: str, variant: str) -> str:
    """A fresh, unguessable key such as ``media_attachments/3kd9…/original.jpg``."""
    return f"{_PREFIX}/{secrets.token_urlsafe(18)}/{variant}.{extension}"


def sibling_key(key: str, extension: str, variant: str) -> str:
    """Another variant in the same folder as ``key``."""
    return f"{key.rpartition('/')[0]}/{variant}.{extension}"


def _write_atomically(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.parent / f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp"
    try:
        temporary.write_bytes(data)
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


class LocalMediaStorage:
    """Files under ``<data_dir>/media`` (the folder ``/system/`` serves)."""

    def __init__(self, data_dir: Path) -> None:
        self.root = data_dir / "media"

    def _path(self, key: str) -> Path:
        if not key.startswith(_PREFIX + "/") or ".." in key.split("/"):
            raise ValueError(f"not a media key: {key!r}")
        return self.root / key

    def put(self, key: str, data: bytes, content_type: str) -> str:
        _write_atomically(self._path(key), data)
        return f"/system/{key}"

    def delete(self, key: str) -> None:
        path = self._path(key)
        path.unlink(missing_ok=True)
        with contextlib.suppress(OSError):
            path.parent.rmdir()  # the key's folder, once empty


class PendingUploads:
    """Uploads accepted by ``POST /api/v2/media`` until the processing job has read them:
    ``<data_dir>/pending-media/<media id>``, outside every served folder."""

    def __init__(self, data_dir: Path) -> None:
        self.root = data_dir / "pending-media"

    def put(self, media_id: int, data: bytes) -> None:
        _write_atomically(self.root / str(int(media_id)), data)

    def get(self, media_id: int) -> bytes | None:
        try:
            return (self.root / str(int(media_id))).read_bytes()
        except FileNotFoundError:
            return None

    def delete(self, media_id: int) -> None:
        (self.root / str(int(media_id))).unlink(missing_ok=True)
