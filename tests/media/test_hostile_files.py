"""Hostile uploads are refused with a clear 422, and nothing is stored: no file, no row."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import func, select
from starlette.testclient import TestClient

from staffroom.config import Settings
from staffroom.db.tables import media_attachments
from staffroom.runtime import Runtime
from tests.conftest import User
from tests.media import images
from tests.media.helpers import stored_files, upload

UserFactory = Callable[..., User]

SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect width="9"/></svg>'
HTML = b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>"

HOSTILE = {
    "a decompression bomb": (
        images.png_declaring(50_000, 50_000),
        "bomb.png",
        "image/png",
        "too many pixels",
    ),
    "just over the pixel limit": (
        images.png_declaring(7681, 4321),
        "big.png",
        "image/png",
        "too many pixels",
    ),
    "a JPEG sent as a PNG": (images.jpeg(), "photo.png", "image/png", "JPEG"),
    "a JPEG whose name says PNG": (images.jpeg(), "photo.png", "application/octet-stream", ".png"),
    "a truncated JPEG": (
        images.jpeg(600, 400)[: len(images.jpeg(600, 400)) * 2 // 3],
        "cut.jpg",
        "image/jpeg",
        "damaged or incomplete",
    ),
    "a truncated PNG": (images.png(300, 200)[:-40], "cut.png", "image/png", "image"),
    "an SVG named .png": (SVG, "logo.png", "image/png", "not an image"),
    "an HTML file named .png": (HTML, "page.png", "image/png", "not an image"),
    "an empty file": (b"", "empty.png", "image/png", "empty"),
}


def _rows(runtime: Runtime) -> int:
    return int(
        runtime.db.read(
            lambda conn: conn.execute(
                select(func.count()).select_from(media_attachments)
            ).scalar_one()
        )
    )


@pytest.mark.parametrize("version", [1, 2])
@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_hostile_file_is_refused_and_nothing_is_stored(
    client: TestClient,
    make_user: UserFactory,
    settings: Settings,
    runtime: Runtime,
    case: str,
    version: int,
) -> None:
    alice = make_user("alice")
    data, filename, content_type, says = HOSTILE[case]
    response = upload(
        client, alice, data, filename=filename, content_type=content_type, version=version
    )
    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert error.startswith("Validation failed: ")
    assert says.lower() in error.lower(), error
    assert stored_files(settings.data_dir) == []
    assert _rows(runtime) == 0


def test_a_file_over_the_size_limit_is_refused(
    client: TestClient, make_user: UserFactory, runtime: Runtime, settings: Settings
) -> None:
    alice = make_user("alice")
    small_limit = settings.with_overrides(max_image_bytes=2048)
    runtime.settings = small_limit
    response = upload(client, alice, images.jpeg(400, 400) + b"\x00" * 4096)
    assert response.status_code == 422, response.text
    assert "too large" in response.json()["error"]
    assert stored_files(settings.data_dir) == []
    assert _rows(runtime) == 0


def test_a_body_far_over_the_limit_is_413(
    client: TestClient, make_user: UserFactory, settings: Settings
) -> None:
    alice = make_user("alice")
    huge = b"\xff\xd8\xff" + b"\x00" * (settings.max_image_bytes + 70_000)
    response = upload(client, alice, huge)
    assert response.status_code == 413
    assert stored_files(settings.data_dir) == []


def test_a_missing_file_is_a_422(client: TestClient, make_user: UserFactory) -> None:
    alice = make_user("alice")
    response = client.post("/api/v1/media", data={"description": "x"}, headers=alice.headers)
    assert response.status_code == 422
    assert "File can't be blank" in response.json()["error"]
