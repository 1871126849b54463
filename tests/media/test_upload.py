"""Uploading, reading, editing and deleting attachments through the API, as Mastodon does."""

from __future__ import annotations

from collections.abc import Callable

from PIL import Image
from starlette.testclient import TestClient

from staffroom.config import Settings
from tests.conftest import BASE_URL, User
from tests.media import images
from tests.media.helpers import file_of, stored_files, upload

UserFactory = Callable[..., User]


def test_v1_answers_the_processed_attachment(
    client: TestClient, make_user: UserFactory, settings: Settings
) -> None:
    alice = make_user("alice")
    response = upload(client, alice, images.jpeg(1000, 500), description="Two colours")
    assert response.status_code == 200, response.text
    media = response.json()
    assert set(media) >= {
        "id",
        "type",
        "url",
        "preview_url",
        "remote_url",
        "meta",
        "description",
        "blurhash",
    }
    assert isinstance(media["id"], str) and media["id"].isdigit()
    assert media["type"] == "image"
    assert media["remote_url"] is None
    assert media["description"] == "Two colours"
    assert media["url"].startswith(f"{BASE_URL}/system/media_attachments/")
    assert media["url"].endswith("/original.jpg")
    assert media["preview_url"].endswith("/small.jpg")
    assert media["meta"]["original"] == {
        "width": 1000,
        "height": 500,
        "size": "1000x500",
        "aspect": 2.0,
    }
    small = media["meta"]["small"]
    assert small["width"] * small["height"] <= 230_400 and small["aspect"] > 1.9
    assert media["meta"]["focus"] == {"x": 0.0, "y": 0.0}
    assert isinstance(media["blurhash"], str) and len(media["blurhash"]) >= 6
    served = client.get(media["url"])
    assert served.status_code == 200
    assert served.headers["content-type"] == "image/jpeg"
    assert "immutable" in served.headers["cache-control"]
    with Image.open(file_of(settings.data_dir, media["preview_url"])) as preview:
        assert preview.size == (small["width"], small["height"])


def test_v2_answers_202_then_get_answers_200(client: TestClient, make_user: UserFactory) -> None:
    alice = make_user("alice")
    response = upload(
        client,
        alice,
        images.png(),
        filename="a.png",
        content_type="image/png",
        version=2,
        focus="-0.5,0.25",
    )
    assert response.status_code == 202, response.text
    pending = response.json()
    assert pending["url"] is None and pending["preview_url"] is None
    assert pending["meta"]["focus"] == {"x": -0.5, "y": 0.25}
    # Jobs run right after each commit in tests: the processing job has run by now.
    done = client.get(f"/api/v1/media/{pending['id']}", headers=alice.headers)
    assert done.status_code == 200, done.text
    assert done.json()["url"].endswith("/original.png")
    assert done.json()["meta"]["original"]["size"] == "64x48"


def test_get_answers_206_while_processing(
    client: TestClient, make_user: UserFactory, runtime: object
) -> None:
    from staffroom.runtime import Runtime

    assert isinstance(runtime, Runtime)
    alice = make_user("alice")
    runtime.db.after_commit = None  # the job waits, as with a busy worker
    pending = upload(
        client, alice, images.png(), filename="a.png", content_type="image/png", version=2
    ).json()
    still = client.get(f"/api/v1/media/{pending['id']}", headers=alice.headers)
    assert still.status_code == 206
    assert still.json()["url"] is None
    runtime.worker.drain()
    assert client.get(f"/api/v1/media/{pending['id']}", headers=alice.headers).status_code == 200


def test_only_the_owner_sees_or_changes_an_unattached_upload(
    client: TestClient, make_user: UserFactory
) -> None:
    alice, bob = make_user("alice"), make_user("bob")
    media = upload(client, alice, images.jpeg()).json()
    path = f"/api/v1/media/{media['id']}"
    assert client.get(path, headers=bob.headers).status_code == 404
    assert client.put(path, data={"description": "mine"}, headers=bob.headers).status_code == 404
    assert client.delete(path, headers=bob.headers).status_code == 404
    assert client.get(path).status_code == 401
    assert client.get(path, headers=alice.headers).status_code == 200


def test_put_changes_description_and_focus(client: TestClient, make_user: UserFactory) -> None:
    alice = make_user("alice")
    media = upload(client, alice, images.jpeg()).json()
    assert media["description"] is None
    path = f"/api/v1/media/{media['id']}"
    changed = client.put(
        path, data={"description": "A red and blue flag", "focus": "0.5,-1"}, headers=alice.headers
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["description"] == "A red and blue flag"
    assert changed.json()["meta"]["focus"] == {"x": 0.5, "y": -1.0}
    too_long = client.put(path, data={"description": "x" * 1501}, headers=alice.headers)
    assert too_long.status_code == 422
    assert "1500" in too_long.json()["error"]
    bad_focus = client.put(path, data={"focus": "2,0"}, headers=alice.headers)
    assert bad_focus.status_code == 422
    kept = client.get(path, headers=alice.headers).json()
    assert kept["description"] == "A red and blue flag"
    longest = client.put(path, json={"description": "x" * 1500}, headers=alice.headers)
    assert longest.status_code == 200


def test_description_over_the_limit_at_upload_stores_nothing(
    client: TestClient, make_user: UserFactory, settings: Settings
) -> None:
    alice = make_user("alice")
    response = upload(client, alice, images.jpeg(), description="x" * 1501)
    assert response.status_code == 422
    assert stored_files(settings.data_dir) == []


def test_delete_removes_the_files(
    client: TestClient, make_user: UserFactory, settings: Settings
) -> None:
    alice = make_user("alice")
    media = upload(client, alice, images.jpeg()).json()
    assert len(stored_files(settings.data_dir)) == 2
    response = client.delete(f"/api/v1/media/{media['id']}", headers=alice.headers)
    assert response.status_code == 200 and response.json() == {}
    assert stored_files(settings.data_dir) == []
    assert client.get(f"/api/v1/media/{media['id']}", headers=alice.headers).status_code == 404


def test_a_token_without_write_media_is_refused(client: TestClient, make_user: UserFactory) -> None:
    reader = make_user("reader", scopes="read")
    response = upload(client, reader, images.jpeg())
    assert response.status_code == 403


def test_instance_advertises_the_limits(client: TestClient, settings: Settings) -> None:
    configuration = client.get("/api/v2/instance").json()["configuration"]
    limits = configuration["media_attachments"]
    assert set(limits["supported_mime_types"]) == {
        "image/jpeg",
        "image/png",
        "image/gif",
        "image/webp",
    }
    assert limits["image_size_limit"] == settings.max_image_bytes
    assert limits["image_matrix_limit"] == 33_177_600
    assert limits["description_limit"] == 1500
    assert configuration["statuses"]["max_media_attachments"] == 4
    v1 = client.get("/api/v1/instance").json()["configuration"]
    assert v1["media_attachments"]["image_size_limit"] == settings.max_image_bytes


def test_formats_are_kept_as_mastodon_keeps_them(
    client: TestClient, make_user: UserFactory
) -> None:
    alice = make_user("alice")
    webp = upload(client, alice, images.webp(), filename="a.webp", content_type="image/webp")
    assert webp.status_code == 200, webp.text
    assert webp.json()["url"].endswith("/original.webp")
    still = upload(client, alice, images.gif(), filename="a.gif", content_type="image/gif")
    assert still.status_code == 200, still.text
    assert still.json()["url"].endswith("/original.png")  # a static GIF becomes a PNG
    moving = upload(client, alice, images.gif(frames=5), filename="b.gif", content_type="image/gif")
    assert moving.status_code == 200, moving.text
    body = client.get(moving.json()["url"])
    assert body.headers["content-type"] == "image/gif"
    with Image.open(__import__("io").BytesIO(body.content)) as animation:
        assert animation.n_frames == 5
        assert "comment" not in animation.info
    transparent = upload(
        client, alice, images.png(alpha=True), filename="t.png", content_type="image/png"
    )
    assert transparent.json()["preview_url"].endswith("/small.png")
