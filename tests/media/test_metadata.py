"""No EXIF (GPS above all) survives in any stored variant, and orientation is applied."""

from __future__ import annotations

from collections.abc import Callable

from PIL import Image
from starlette.testclient import TestClient

from staffroom.config import Settings
from tests.conftest import User
from tests.media import images
from tests.media.helpers import stored_files, upload

UserFactory = Callable[..., User]


def test_the_fixture_really_carries_gps() -> None:
    import io

    with Image.open(io.BytesIO(images.jpeg(gps=True, orientation=6))) as original:
        exif = original.getexif()
        assert exif.get(0x0112) == 6
        assert exif.get_ifd(0x8825)  # GPS
        assert b"PhoneMaker" in images.jpeg(gps=True)


def test_no_exif_survives_in_any_stored_variant(
    client: TestClient, make_user: UserFactory, settings: Settings
) -> None:
    alice = make_user("alice")
    for version in (1, 2):
        response = upload(
            client, alice, images.jpeg(2000, 1200, gps=True, orientation=6), version=version
        )
        assert response.status_code in (200, 202), response.text
    files = stored_files(settings.data_dir)
    assert len(files) == 4  # two uploads, an original and a preview each; nothing pending
    for path in files:
        raw = path.read_bytes()
        assert b"Exif" not in raw and b"PhoneMaker" not in raw, path
        with Image.open(path) as stored:
            assert not stored.getexif(), path
            assert "exif" not in stored.info and "icc_profile" not in stored.info


def test_orientation_is_applied(client: TestClient, make_user: UserFactory) -> None:
    alice = make_user("alice")
    # Orientation 6: the camera was turned; the picture is shown rotated 90 degrees.
    media = upload(client, alice, images.jpeg(200, 100, orientation=6)).json()
    assert media["meta"]["original"]["size"] == "100x200"
    served = client.get(media["url"])
    import io

    with Image.open(io.BytesIO(served.content)) as stored:
        assert stored.size == (100, 200)
        # The red half (left) is now on top.
        red, _, blue = stored.convert("RGB").getpixel((50, 20))
        assert red > 150 and blue < 100


def test_large_images_are_scaled_down(client: TestClient, make_user: UserFactory) -> None:
    alice = make_user("alice")
    media = upload(
        client, alice, images.png(4000, 3000), filename="big.png", content_type="image/png"
    ).json()
    original = media["meta"]["original"]
    assert original["width"] * original["height"] <= 8_294_400
    assert abs(original["aspect"] - 4 / 3) < 0.01


def test_avatars_and_headers_go_through_the_same_pipeline(
    client: TestClient, make_user: UserFactory, settings: Settings
) -> None:
    alice = make_user("alice")
    response = client.patch(
        "/api/v1/accounts/update_credentials",
        headers=alice.headers,
        files={
            "avatar": ("me.jpg", images.jpeg(900, 600, gps=True), "image/jpeg"),
            "header": (
                "school.jpg",
                images.jpeg(3000, 1000, gps=True, orientation=1),
                "image/jpeg",
            ),
        },
    )
    assert response.status_code == 200, response.text
    me = response.json()
    assert me["avatar"].endswith(f"/system/avatars/{alice.id}.jpg")
    assert me["header"].endswith(f"/system/headers/{alice.id}.jpg")
    import io

    for url, size in ((me["avatar"], (400, 400)), (me["header"], (1500, 500))):
        served = client.get(url)
        assert served.status_code == 200
        assert b"Exif" not in served.content and b"PhoneMaker" not in served.content
        with Image.open(io.BytesIO(served.content)) as stored:
            assert stored.size == size
    refused = client.patch(
        "/api/v1/accounts/update_credentials",
        headers=alice.headers,
        files={"header": ("cut.png", images.png(300, 200)[:-40], "image/png")},
    )
    assert refused.status_code == 422
    assert "Header" in refused.json()["error"]
    assert client.get(me["header"]).status_code == 200  # the previous header stays
