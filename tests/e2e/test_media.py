"""Images with real clients: Mastodon.py's ``media_post`` and ``status_post(media_ids=...)``,
toot's ``upload``, ``post --media`` and header upload, against a live server; every JSON
answer is checked against the Mastodon OpenAPI description."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
import requests
from mastodon import Mastodon, MastodonAPIError

from tests.e2e.clients import Person, Toot
from tests.e2e.harness import LiveServer
from tests.media import images

pytestmark = pytest.mark.e2e

Masto = Callable[[Person], Mastodon]


def _file(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_mastodon_py_uploads_and_posts_an_image(
    person: Callable[[str], Person], masto: Masto, tmp_path: Path
) -> None:
    alice = person("alice")
    client = masto(alice)
    photo = _file(tmp_path, "display.jpg", images.jpeg(800, 600, gps=True))
    media = client.media_post(
        str(photo), mime_type="image/jpeg", description="Our wall display", synchronous=True
    )
    assert media["url"] and media["type"] == "image"
    assert media["meta"]["original"]["width"] == 800
    updated = client.media_update(media["id"], description="Our new wall display")
    assert updated["description"] == "Our new wall display"
    posted = client.status_post("Finished the display", media_ids=[media["id"]])
    assert [m["id"] for m in posted["media_attachments"]] == [media["id"]]
    assert posted["media_attachments"][0]["description"] == "Our new wall display"
    served = requests.get(media["url"], timeout=10)
    assert served.status_code == 200 and served.headers["content-type"] == "image/jpeg"
    assert b"Exif" not in served.content
    again = client.status(posted["id"])
    assert again["media_attachments"][0]["preview_url"] == media["preview_url"]


def test_mastodon_py_sees_a_clear_error_for_a_hostile_file(
    person: Callable[[str], Person], masto: Masto, tmp_path: Path
) -> None:
    client = masto(person("alice"))
    fake = _file(tmp_path, "fake.png", b"<svg xmlns='http://www.w3.org/2000/svg'/>")
    with pytest.raises(MastodonAPIError) as refused:
        client.media_post(str(fake), mime_type="image/png")
    assert "422" in str(refused.value) and "not an image" in str(refused.value)


def test_toot_uploads_and_posts_with_media(
    person: Callable[[str], Person],
    toot: Callable[[Person], Toot],
    masto: Masto,
    tmp_path: Path,
) -> None:
    alice = person("alice")
    cli = toot(alice)
    photo = _file(tmp_path, "plan.png", images.png(320, 200))
    uploaded = cli.run("upload", str(photo), "--description", "A seating plan")
    assert re.search(r"\d{6,}", uploaded.stdout), uploaded.stdout
    shown = cli.run(
        "post", "New seating plan", "--media", str(photo), "--description", "Desks in pairs"
    )
    match = re.search(r"/@" + alice.username + r"/(\d+)", shown.stdout)
    assert match, shown.stdout
    status = masto(alice).status(match.group(1))
    assert [m["description"] for m in status["media_attachments"]] == ["Desks in pairs"]
    assert status["media_attachments"][0]["url"].endswith("/original.png")


def test_toot_uploads_a_header(
    person: Callable[[str], Person],
    toot: Callable[[Person], Toot],
    masto: Masto,
    tmp_path: Path,
    server: LiveServer,
) -> None:
    alice = person("alice")
    header = _file(tmp_path, "header.jpg", images.jpeg(1500, 500, gps=True))
    toot(alice).run("update_account", "--header", str(header))
    me = masto(alice).me()
    assert "/system/headers/" in me["header"]
    served = requests.get(me["header"], timeout=10)
    assert served.status_code == 200
    assert b"Exif" not in served.content and b"PhoneMaker" not in served.content
