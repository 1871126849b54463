"""Editing a post's media as Mastodon does (``PUT /api/v1/statuses/:id`` with ``media_ids`` and
``media_attributes[]``), and each version's media in ``/history``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from starlette.testclient import TestClient

from staffroom.config import Settings
from tests.conftest import User
from tests.instance.openapi import schema_errors, unknown_keys
from tests.media import images
from tests.media.helpers import stored_files, upload

UserFactory = Callable[..., User]


def _media(client: TestClient, user: User, description: str = "") -> str:
    response = upload(client, user, images.jpeg(), description=description)
    assert response.status_code == 200, response.text
    media_id: str = response.json()["id"]
    return media_id


def _post(client: TestClient, user: User, **body: Any) -> dict[str, Any]:
    response = client.post("/api/v1/statuses", json=body, headers=user.headers)
    assert response.status_code == 200, response.text
    found: dict[str, Any] = response.json()
    return found


def _edit(client: TestClient, user: User, status_id: str, **body: Any) -> Any:
    return client.put(f"/api/v1/statuses/{status_id}", json=body, headers=user.headers)


def _history(client: TestClient, status_id: str, user: User | None = None) -> list[Any]:
    headers = user.headers if user else {}
    answer = client.get(f"/api/v1/statuses/{status_id}/history", headers=headers)
    assert answer.status_code == 200, answer.text
    versions: list[Any] = answer.json()
    for version in versions:
        assert schema_errors("StatusEdit", version) == []
        # (The document's MediaAttachment omits keys Mastodon sends, such as remote_url.)
        assert unknown_keys("StatusEdit", version | {"media_attachments": []}) == []
    return versions


def _described(media: list[dict[str, Any]]) -> list[tuple[str, str | None]]:
    return [(m["id"], m["description"]) for m in media]


def test_an_edit_adds_removes_reorders_and_describes_media(
    client: TestClient, make_user: UserFactory
) -> None:
    alice, bob = make_user("alice"), make_user("bob")
    a, b, c = _media(client, alice, "a kettle"), _media(client, alice), _media(client, alice)
    post = _post(client, alice, status="Lunch", media_ids=[a, b])

    edited = _edit(
        client,
        alice,
        post["id"],
        status="Lunch, again",
        media_ids=[c, a],
        media_attributes=[{"id": c, "description": "three mugs", "focus": "0.5,-0.25"}],
    )

    assert edited.status_code == 200, edited.text
    assert schema_errors("Status", edited.json()) == []
    assert _described(edited.json()["media_attachments"]) == [(c, "three mugs"), (a, "a kettle")]
    assert edited.json()["media_attachments"][0]["meta"]["focus"] == {"x": 0.5, "y": -0.25}
    shown = client.get(f"/api/v1/statuses/{post['id']}", headers=bob.headers).json()
    assert _described(shown["media_attachments"]) == [(c, "three mugs"), (a, "a kettle")]
    history = _history(client, post["id"], bob)
    assert [_described(v["media_attachments"]) for v in history] == [
        [(a, "a kettle"), (b, None)],
        [(c, "three mugs"), (a, "a kettle")],
    ]
    # The removed image is still served for the version that showed it.
    removed = history[0]["media_attachments"][1]
    assert client.get(removed["url"]).status_code == 200
    mine = client.get(f"/api/v1/accounts/{alice.id}/statuses?only_media=true").json()
    assert [s["id"] for s in mine] == [post["id"]]


def test_alt_text_alone_is_an_edit(client: TestClient, make_user: UserFactory) -> None:
    alice = make_user("alice")
    a = _media(client, alice)
    post = _post(client, alice, status="Whiteboard", media_ids=[a])

    edited = _edit(
        client,
        alice,
        post["id"],
        status="Whiteboard",
        media_attributes=[{"id": a, "description": "A whiteboard with a plan"}],
    ).json()

    assert edited["edited_at"] is not None
    assert edited["media_attachments"][0]["description"] == "A whiteboard with a plan"
    history = _history(client, post["id"])
    assert [_described(v["media_attachments"]) for v in history] == [
        [(a, None)],
        [(a, "A whiteboard with a plan")],
    ]
    again = _edit(client, alice, post["id"], status="Whiteboard", media_ids=[a]).json()
    assert again["edited_at"] == edited["edited_at"]  # the same media: nothing changed
    assert len(_history(client, post["id"])) == 2


def test_media_can_all_go_when_text_stays(client: TestClient, make_user: UserFactory) -> None:
    alice = make_user("alice")
    a = _media(client, alice)
    only_media = _post(client, alice, media_ids=[a])
    refused = _edit(client, alice, only_media["id"], status="", media_ids=[])
    assert refused.status_code == 422  # neither text nor media
    kept = _edit(client, alice, only_media["id"], media_attributes=[{"id": a, "description": "x"}])
    assert kept.status_code == 200, kept.text  # no text, the media it has
    post = _post(client, alice, status="With a photo", media_ids=[_media(client, alice)])
    form = client.put(
        f"/api/v1/statuses/{post['id']}",
        data={"status": "Without", "media_ids[]": ""},
        headers=alice.headers,
    )
    assert form.status_code == 200, form.text
    assert form.json()["media_attachments"] == []
    history = _history(client, post["id"])
    assert [len(v["media_attachments"]) for v in history] == [1, 0]


def test_an_edit_takes_only_the_authors_free_media(
    client: TestClient, make_user: UserFactory
) -> None:
    alice, bob = make_user("alice"), make_user("bob")
    post = _post(client, alice, status="Mine", media_ids=[_media(client, alice)])
    elsewhere = _media(client, alice)
    _post(client, alice, status="Other", media_ids=[elsewhere])
    bobs = _media(client, bob)
    for media_ids in ([bobs], [elsewhere], ["12345"], [_media(client, alice)] * 1 + ["x"]):
        refused = _edit(client, alice, post["id"], status="Mine", media_ids=media_ids)
        assert refused.status_code == 422, media_ids
    five = [_media(client, alice) for _ in range(5)]
    assert _edit(client, alice, post["id"], status="Mine", media_ids=five).status_code == 422
    too_long = [{"id": post["media_attachments"][0]["id"], "description": "x" * 1501}]
    refused = _edit(client, alice, post["id"], status="Mine", media_attributes=too_long)
    assert refused.status_code == 422
    # Bob's media stay his and unattached; the post is unchanged.
    assert client.get(f"/api/v1/media/{bobs}", headers=bob.headers).status_code == 200
    shown = client.get(f"/api/v1/statuses/{post['id']}").json()
    assert shown["edited_at"] is None and len(shown["media_attachments"]) == 1
    stolen = _edit(client, bob, post["id"], status="Mine", media_ids=[bobs])
    assert stolen.status_code == 404


def test_deleting_an_edited_post_removes_every_versions_files(
    client: TestClient, make_user: UserFactory, settings: Settings
) -> None:
    alice = make_user("alice")
    post = _post(client, alice, status="x", media_ids=[_media(client, alice)])
    _edit(client, alice, post["id"], status="y", media_ids=[_media(client, alice)])
    assert len(stored_files(settings.data_dir)) == 4
    assert client.delete(f"/api/v1/statuses/{post['id']}", headers=alice.headers).status_code == 200
    assert stored_files(settings.data_dir) == []


def test_history_media_follow_the_posts_visibility(
    client: TestClient, make_user: UserFactory
) -> None:
    alice, stranger = make_user("alice"), make_user("stranger")
    post = _post(
        client, alice, status="Staff only", visibility="private", media_ids=[_media(client, alice)]
    )
    _edit(client, alice, post["id"], status="Staff only!", media_ids=[])
    hidden = client.get(f"/api/v1/statuses/{post['id']}/history", headers=stranger.headers)
    assert hidden.status_code == 404
    assert post["media_attachments"][0]["url"] not in hidden.text
    mine = _history(client, post["id"], alice)
    assert [len(v["media_attachments"]) for v in mine] == [1, 0]
