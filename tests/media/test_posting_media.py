"""Posts take attachments through ``media_ids``; a post's media are seen exactly where the post
is, and go with it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import update
from starlette.testclient import TestClient

from staffroom.config import Settings
from staffroom.db.tables import jobs
from staffroom.runtime import Runtime
from tests.conftest import User
from tests.media import images
from tests.media.helpers import stored_files, upload

UserFactory = Callable[..., User]


def _media(client: TestClient, user: User, description: str = "") -> str:
    response = upload(client, user, images.jpeg(), description=description)
    assert response.status_code == 200, response.text
    media_id: str = response.json()["id"]
    return media_id


def _post(client: TestClient, user: User, **body: Any) -> Any:
    return client.post("/api/v1/statuses", json=body, headers=user.headers)


def test_a_post_shows_its_media_in_order(client: TestClient, make_user: UserFactory) -> None:
    alice = make_user("alice")
    first, second = _media(client, alice, "first"), _media(client, alice, "second")
    response = _post(client, alice, status="Our display", media_ids=[second, first])
    assert response.status_code == 200, response.text
    attached = response.json()["media_attachments"]
    assert [m["id"] for m in attached] == [second, first]
    assert [m["description"] for m in attached] == ["second", "first"]
    again = client.get(f"/api/v1/statuses/{response.json()['id']}").json()
    assert again["media_attachments"] == attached
    listed = client.get(f"/api/v1/accounts/{alice.id}/statuses?only_media=true").json()
    assert [s["id"] for s in listed] == [response.json()["id"]]


def test_form_encoded_media_ids_and_no_text(client: TestClient, make_user: UserFactory) -> None:
    alice = make_user("alice")
    media_id = _media(client, alice)
    response = client.post(
        "/api/v1/statuses", data={"media_ids[]": [media_id]}, headers=alice.headers
    )
    assert response.status_code == 200, response.text
    assert response.json()["media_attachments"][0]["id"] == media_id
    assert _post(client, alice, status="").status_code == 422  # no text and no media


def test_attached_media_are_no_longer_editable(client: TestClient, make_user: UserFactory) -> None:
    alice = make_user("alice")
    media_id = _media(client, alice)
    assert _post(client, alice, status="x", media_ids=[media_id]).status_code == 200
    path = f"/api/v1/media/{media_id}"
    assert client.get(path, headers=alice.headers).status_code == 404
    assert client.put(path, data={"description": "x"}, headers=alice.headers).status_code == 404
    refused = client.delete(path, headers=alice.headers)
    assert refused.status_code == 422
    reused = _post(client, alice, status="again", media_ids=[media_id])
    assert reused.status_code == 422
    assert "already attached" in reused.json()["error"]


def test_media_ids_that_cannot_be_taken_are_refused(
    client: TestClient, make_user: UserFactory
) -> None:
    alice, bob = make_user("alice"), make_user("bob")
    five = [_media(client, alice) for _ in range(5)]
    too_many = _post(client, alice, status="x", media_ids=five)
    assert too_many.status_code == 422
    assert "more than 4" in too_many.json()["error"]
    bobs = _media(client, bob)
    others = _post(client, alice, status="x", media_ids=[bobs])
    assert others.status_code == 422 and bobs in others.json()["error"]
    nonsense = _post(client, alice, status="x", media_ids=["abc"])
    assert nonsense.status_code == 422
    assert client.get(f"/api/v1/accounts/{alice.id}/statuses").json() == []
    four = _post(client, alice, status="x", media_ids=five[:4])
    assert four.status_code == 200 and len(four.json()["media_attachments"]) == 4


def test_unprocessed_media_cannot_be_posted(
    client: TestClient, make_user: UserFactory, runtime: Runtime
) -> None:
    alice = make_user("alice")
    runtime.db.after_commit = None
    pending = upload(
        client, alice, images.png(), filename="a.png", content_type="image/png", version=2
    ).json()
    refused = _post(client, alice, status="x", media_ids=[pending["id"]])
    assert refused.status_code == 422
    assert "finished processing" in refused.json()["error"]


def _follow(client: TestClient, who: User, whom: User) -> None:
    assert client.post(f"/api/v1/accounts/{whom.id}/follow", headers=who.headers).status_code == 200


def test_media_of_private_posts_reach_only_those_who_may_see_them(
    client: TestClient, make_user: UserFactory, runtime: Runtime
) -> None:
    alice, follower, stranger, friend = (
        make_user("alice"),
        make_user("follower"),
        make_user("stranger"),
        make_user("friend"),
    )
    _follow(client, follower, alice)
    private = _post(
        client,
        alice,
        status="class photo",
        visibility="private",
        media_ids=[_media(client, alice, "secret class photo")],
    ).json()
    direct = _post(
        client,
        alice,
        status="@friend look",
        visibility="direct",
        media_ids=[_media(client, alice, "secret direct photo")],
    ).json()
    # Those who may see the posts see their media.
    home = client.get("/api/v1/timelines/home", headers=follower.headers).json()
    assert [m["description"] for s in home for m in s["media_attachments"]] == [
        "secret class photo"
    ]
    seen = client.get(f"/api/v1/statuses/{direct['id']}", headers=friend.headers).json()
    assert seen["media_attachments"][0]["description"] == "secret direct photo"
    # Nobody else, through any endpoint.
    for viewer in (stranger, None):
        headers = viewer.headers if viewer else {}
        for post in (private, direct):
            assert client.get(f"/api/v1/statuses/{post['id']}", headers=headers).status_code == 404
            media_id = post["media_attachments"][0]["id"]
            assert client.get(f"/api/v1/media/{media_id}", headers=headers).status_code in (
                401,
                404,
            )
        responses = [
            client.get(f"/api/v1/accounts/{alice.id}/statuses", headers=headers),
            client.get(f"/api/v1/accounts/{alice.id}/statuses?only_media=true", headers=headers),
            client.get("/api/v1/timelines/public", headers=headers),
            client.get("/api/v2/search?q=photo&type=statuses", headers=headers),
        ]
        if viewer is not None:
            responses.append(client.get("/api/v1/timelines/home", headers=headers))
            responses.append(client.get("/api/v1/notifications", headers=headers))
        for response in responses:
            assert "secret" not in response.text, response.request.url
            assert private["media_attachments"][0]["url"] not in response.text
    follower_only = client.get(
        f"/api/v1/accounts/{alice.id}/statuses?only_media=true", headers=follower.headers
    ).json()
    assert [s["id"] for s in follower_only] == [private["id"]]


def test_deleting_a_post_removes_its_media(
    client: TestClient, make_user: UserFactory, settings: Settings
) -> None:
    alice = make_user("alice")
    post = _post(client, alice, status="x", media_ids=[_media(client, alice)]).json()
    assert len(stored_files(settings.data_dir)) == 2
    deleted = client.delete(f"/api/v1/statuses/{post['id']}", headers=alice.headers)
    assert deleted.status_code == 200
    assert deleted.json()["media_attachments"][0]["id"] == post["media_attachments"][0]["id"]
    assert stored_files(settings.data_dir) == []


def test_unattached_media_are_removed_after_a_day(
    client: TestClient, make_user: UserFactory, runtime: Runtime, settings: Settings
) -> None:
    alice = make_user("alice")
    kept = _media(client, alice)
    forgotten = _media(client, alice)
    post = _post(client, alice, status="x", media_ids=[kept]).json()
    assert len(stored_files(settings.data_dir)) == 4
    assert runtime.worker.drain() == 0  # nothing is due before a day has passed
    assert len(stored_files(settings.data_dir)) == 4
    tomorrow = datetime.now(UTC) - timedelta(seconds=1)
    runtime.db.write(
        lambda conn: conn.execute(
            update(jobs).where(jobs.c.kind == "remove_unattached_media").values(run_at=tomorrow)
        )
    )
    runtime.worker.drain()
    assert len(stored_files(settings.data_dir)) == 2
    assert client.get(f"/api/v1/media/{forgotten}", headers=alice.headers).status_code == 404
    shown = client.get(f"/api/v1/statuses/{post['id']}").json()["media_attachments"]
    assert [m["id"] for m in shown] == [kept]
    assert client.get(shown[0]["url"]).status_code == 200


def test_public_posts_with_media_reach_the_media_streams(
    client: TestClient, make_user: UserFactory, runtime: Runtime, monkeypatch: Any
) -> None:
    alice = make_user("alice")
    published: list[tuple[str, str]] = []
    monkeypatch.setattr(runtime.broker, "listened", lambda channels: list(channels))
    monkeypatch.setattr(
        runtime.broker, "publish", lambda channel, message: published.append((channel, message))
    )
    with_media = _post(client, alice, status="a", media_ids=[_media(client, alice)]).json()
    without = _post(client, alice, status="b").json()
    private = _post(
        client, alice, status="c", visibility="private", media_ids=[_media(client, alice)]
    ).json()

    def channels_of(post: dict[str, Any]) -> set[str]:
        return {c for c, m in published if f'\\"id\\":\\"{post["id"]}\\"' in m}

    assert {"timeline:public:media", "timeline:public:local:media"} <= channels_of(with_media)
    assert "timeline:public" in channels_of(without)
    assert not {c for c in channels_of(without) if c.endswith(":media")}
    assert not {c for c in channels_of(private) if c.startswith("timeline:public")}


def test_deleting_an_account_removes_its_files(
    client: TestClient, make_user: UserFactory, settings: Settings
) -> None:
    alice, bob = make_user("alice"), make_user("bob")
    _post(client, alice, status="x", media_ids=[_media(client, alice)])
    _media(client, alice)  # unattached
    _media(client, bob)
    assert len(stored_files(settings.data_dir)) == 6
    gone = client.post(
        "/api/v1/accounts/delete_self", data={"password": alice.password}, headers=alice.headers
    )
    assert gone.status_code == 200, gone.text
    assert len(stored_files(settings.data_dir)) == 2  # bob's


def test_an_edited_post_keeps_its_media(client: TestClient, make_user: UserFactory) -> None:
    alice = make_user("alice")
    media_id = _media(client, alice, "the display")
    post = _post(client, alice, status="before", media_ids=[media_id]).json()
    edited = client.put(
        f"/api/v1/statuses/{post['id']}", json={"status": "after"}, headers=alice.headers
    )
    assert edited.status_code == 200, edited.text
    assert [m["id"] for m in edited.json()["media_attachments"]] == [media_id]
    again = client.get(f"/api/v1/statuses/{post['id']}").json()
    assert "after" in again["content"]
    assert again["media_attachments"][0]["description"] == "the display"
