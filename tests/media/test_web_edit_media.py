"""The web edit page changes a post's images (alt text, remove, add) with plain forms, and the
history page shows each version's images."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from starlette.testclient import TestClient

from tests.conftest import User
from tests.media import images
from tests.media.webforms import submitted
from tests.oauth.helpers import sign_in

UserFactory = Callable[..., User]


def _media(client: TestClient, user: User, description: str = "") -> str:
    answer = client.post(
        "/api/v1/media",
        files={"file": ("a.png", images.png(), "image/png")},
        data={"description": description},
        headers=user.headers,
    )
    assert answer.status_code == 200, answer.text
    media_id: str = answer.json()["id"]
    return media_id


def _post_with(client: TestClient, user: User, *media_ids: str) -> dict[str, Any]:
    answer = client.post(
        "/api/v1/statuses",
        json={"status": "Our reading corner", "media_ids": list(media_ids)},
        headers=user.headers,
    )
    assert answer.status_code == 200, answer.text
    post: dict[str, Any] = answer.json()
    return post


def test_change_alt_text_remove_and_add_images(client: TestClient, make_user: UserFactory) -> None:
    alice = make_user("alice")
    first, second = _media(client, alice, "Beanbags"), _media(client, alice, "A shelf")
    post = _post_with(client, alice, first, second)
    sign_in(client, alice.email, alice.password)
    page = client.get(f"/@alice/{post['id']}/edit").text
    assert 'enctype="multipart/form-data"' in page
    action, fields = submitted(page, "Save changes")
    assert fields["media_ids"] == [first, second]
    assert fields[f"media_description_{first}"] == ["Beanbags"]
    assert 'name="image_2"' in page and 'name="image_3"' not in page  # four in all
    fields |= {
        f"media_description_{first}": ["Beanbags under the window"],
        "remove_media": [second],
        "image_description": ["A new rug"],
    }
    saved = client.post(
        action,
        data=fields,
        files={"image": ("rug.png", images.png(), "image/png")},
        follow_redirects=False,
    )
    assert saved.status_code == 303, saved.text

    now = client.get(f"/api/v1/statuses/{post['id']}").json()
    assert [m["description"] for m in now["media_attachments"]] == [
        "Beanbags under the window",
        "A new rug",
    ]
    history = client.get(f"/@alice/{post['id']}/history").text
    versions = history.split('<li class="version">')[1:]  # newest first
    alts = [re.findall(r'<img src="[^"]+" alt="([^"]*)"', v) for v in versions]
    assert alts == [["Beanbags under the window", "A new rug"], ["Beanbags", "A shelf"]]


def test_a_refused_edit_keeps_its_new_image(client: TestClient, make_user: UserFactory) -> None:
    alice = make_user("alice")
    post = _post_with(client, alice, _media(client, alice, "Beanbags"))
    sign_in(client, alice.email, alice.password)
    action, fields = submitted(client.get(f"/@alice/{post['id']}/edit").text, "Save changes")
    refused = client.post(
        action,
        data=fields | {"status": ["x" * 600], "image_description": ["A rug"]},
        files={"image": ("rug.png", images.png(), "image/png")},
    )
    assert refused.status_code == 422 and "character limit" in refused.text
    action, fields = submitted(refused.text, "Save changes")
    assert len(fields["media_ids"]) == 2
    assert ">A rug</textarea>" in refused.text
    unchanged = client.get(f"/api/v1/statuses/{post['id']}").json()
    assert unchanged["edited_at"] is None and len(unchanged["media_attachments"]) == 1
    saved = client.post(
        action, data=fields | {"status": ["Our corner, with a rug"]}, follow_redirects=False
    )
    assert saved.status_code == 303, saved.text
    now = client.get(f"/api/v1/statuses/{post['id']}").json()
    assert [m["description"] for m in now["media_attachments"]] == ["Beanbags", "A rug"]


def test_the_edit_form_takes_no_one_elses_media(client: TestClient, make_user: UserFactory) -> None:
    alice, bob = make_user("alice"), make_user("bob")
    post = _post_with(client, alice, _media(client, alice))
    bobs = _media(client, bob, "Bob's photo")
    sign_in(client, alice.email, alice.password)
    action, fields = submitted(client.get(f"/@alice/{post['id']}/edit").text, "Save changes")
    refused = client.post(action, data=fields | {"media_ids": [*fields["media_ids"], bobs]})
    assert refused.status_code == 422 and "not found" in refused.text
    assert "Bob's photo" not in refused.text
    assert len(client.get(f"/api/v1/statuses/{post['id']}").json()["media_attachments"]) == 1
    assert client.get(f"/api/v1/media/{bobs}", headers=bob.headers).status_code == 200
