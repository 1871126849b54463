"""Uploading through the API, and looking at what was stored."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from starlette.testclient import TestClient

from tests.conftest import User


def upload(
    client: TestClient,
    user: User,
    data: bytes,
    *,
    filename: str = "photo.jpg",
    content_type: str = "image/jpeg",
    version: int = 1,
    **fields: str,
) -> Any:
    """``POST /api/v{version}/media`` as a client sends it (multipart)."""
    return client.post(
        f"/api/v{version}/media",
        files={"file": (filename, data, content_type)},
        data=fields,
        headers=user.headers,
    )


def stored_files(data_dir: Path) -> list[Path]:
    """Every file under the data directory's media folders (uploads, pending uploads)."""
    found: list[Path] = []
    for folder in ("media", "pending-media"):
        root = data_dir / folder
        if root.exists():
            found.extend(p for p in root.rglob("*") if p.is_file())
    return sorted(found)


def file_of(data_dir: Path, url: str) -> Path:
    """The stored file behind an attachment URL (``http://testserver/system/...``)."""
    return data_dir / "media" / url.split("/system/", 1)[1]
