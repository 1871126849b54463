"""The web composer takes up to four images, each with its alt text, and keeps the images
already uploaded when a post is refused (plain multipart forms, no JavaScript)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from starlette.testclient import TestClient

from staffroom.config import Settings
from tests.conftest import User
from tests.media import images
from tests.media.helpers import stored_files
from tests.media.webforms import submitted
from tests.oauth.helpers import sign_in

UserFactory = Callable[..., User]


def _files(*names: str) -> dict[str, Any]:
    return {name: (f"{name}.png", images.png(), "image/png") for name in names}


def _posted(client: TestClient, user: User) -> list[Any]:
    found: list[Any] = client.get(
        f"/api/v1/accounts/{user.id}/statuses", headers=user.headers
    ).json()
    return found


def test_several_images_each_with_its_alt_text(client: TestClient, make_user: UserFactory) -> None:
    alice = make_user("alice")
    sign_in(client, alice.email, alice.password)
    page = client.get("/").text
    for name in ("image", "image_2", "image_3", "image_4"):
        assert f'name="{name}"' in page
    action, fields = submitted(page, "Post")
    fields |= {
        "status": ["Our display, three ways"],
        "image_description": ["The whole wall"],
        "image_description_3": ["A close-up of the poems"],
    }
    done = client.post(
        action, data=fields, files=_files("image", "image_3", "image_4"), follow_redirects=False
    )
    assert done.status_code == 303, done.text
    media = _posted(client, alice)[0]["media_attachments"]
    assert [m["description"] for m in media] == ["The whole wall", "A close-up of the poems", None]


def test_a_refused_post_keeps_its_images_for_the_next_try(
    client: TestClient, make_user: UserFactory, settings: Settings
) -> None:
    alice = make_user("alice")
    sign_in(client, alice.email, alice.password)
    action, fields = submitted(client.get("/").text, "Post")
    refused = client.post(
        action,
        data=fields | {"status": ["x" * 600], "image_description_2": ["Chairs in a circle"]},
        files=_files("image", "image_2"),
    )
    assert refused.status_code == 422
    assert "character limit" in refused.text
    assert len(stored_files(settings.data_dir)) == 4  # kept, unattached
    held = re.findall(r'<input type="hidden" name="media_ids" value="(\d+)">', refused.text)
    assert len(held) == 2
    assert f'name="media_description_{held[1]}"' in refused.text
    assert ">Chairs in a circle</textarea>" in refused.text
    assert refused.text.count('<img src="http://testserver/system/media_attachments/') == 2
    assert 'name="image_3"' not in refused.text  # two slots left: image, image_2

    action, fields = submitted(refused.text, "Post")
    assert fields["media_ids"] == held
    fields |= {
        "status": ["Circle time"],
        "remove_media": [held[0]],
        f"media_description_{held[1]}": ["Six chairs in a circle"],
    }
    done = client.post(action, data=fields, follow_redirects=False)
    assert done.status_code == 303, done.text
    posted = _posted(client, alice)
    assert [(m["id"], m["description"]) for m in posted[0]["media_attachments"]] == [
        (held[1], "Six chairs in a circle")
    ]
    assert len(stored_files(settings.data_dir)) == 2  # the removed image's files are gone


def test_a_bad_file_keeps_the_good_ones(client: TestClient, make_user: UserFactory) -> None:
    alice = make_user("alice")
    sign_in(client, alice.email, alice.password)
    action, fields = submitted(client.get("/").text, "Post")
    files = _files("image") | {"image_2": ("x.png", b"<svg onload=alert(1)>", "image/png")}
    refused = client.post(action, data=fields | {"status": ["Look"]}, files=files)
    assert refused.status_code == 422 and "not an image" in refused.text
    held = re.findall(r'name="media_ids" value="(\d+)"', refused.text)
    assert len(held) == 1
    assert _posted(client, alice) == []


def test_only_ones_own_unattached_media_can_be_held(
    client: TestClient, make_user: UserFactory
) -> None:
    alice, bob = make_user("alice"), make_user("bob")
    bobs = client.post(
        "/api/v1/media",
        files={"file": ("b.png", images.png(), "image/png")},
        data={"description": "Bob's private photo"},
        headers=bob.headers,
    ).json()
    sign_in(client, alice.email, alice.password)
    action, fields = submitted(client.get("/").text, "Post")
    taken = client.post(
        action,
        data=fields | {"status": ["Mine now"], "media_ids": [bobs["id"]], "remove_media": []},
    )
    assert taken.status_code == 422
    assert "not found" in taken.text
    assert bobs["preview_url"] not in taken.text and "Bob's private photo" not in taken.text
    deleting = client.post(
        action,
        data=fields | {"status": ["Gone"], "media_ids": [bobs["id"]], "remove_media": [bobs["id"]]},
    )
    assert deleting.status_code == 422
    assert _posted(client, alice) == []
    still = client.get(f"/api/v1/media/{bobs['id']}", headers=bob.headers)
    assert still.status_code == 200 and still.json()["description"] == "Bob's private photo"


def test_at_most_four_images(client: TestClient, make_user: UserFactory) -> None:
    alice = make_user("alice")
    sign_in(client, alice.email, alice.password)
    action, fields = submitted(client.get("/").text, "Post")
    first = client.post(
        action, data=fields | {"status": ["x" * 600]}, files=_files("image", "image_2", "image_3")
    )
    held = re.findall(r'name="media_ids" value="(\d+)"', first.text)
    action, fields = submitted(first.text, "Post")
    assert fields["media_ids"] == held and len(held) == 3
    too_many = client.post(
        action, data=fields | {"status": ["Four?"]}, files=_files("image", "image_2")
    )
    assert too_many.status_code == 422 and "more than 4" in too_many.text
    assert _posted(client, alice) == []
