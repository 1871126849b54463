"""Editing posts as Mastodon does: ``PUT /api/v1/statuses/:id``, ``/history``, ``/source``,
``edited_at``, an ``update`` notification to those who reposted it, and no version or view
reaching anyone who may not see the post."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from starlette.testclient import TestClient

from tests.conftest import User

UserFactory = Callable[..., User]


def _post(client: TestClient, user: User, text: str, **extra: object) -> dict[str, Any]:
    response = client.post("/api/v1/statuses", json={"status": text, **extra}, headers=user.headers)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def _edit(client: TestClient, user: User, status_id: str, **fields: object) -> Any:
    return client.put(f"/api/v1/statuses/{status_id}", json=fields, headers=user.headers)


def test_an_edit_changes_the_post_and_keeps_its_history(
    client: TestClient, make_user: UserFactory
) -> None:
    alice, bob = make_user("alice"), make_user("bob")
    post = _post(client, alice, "Tonight's topic: feedbak #ELTChat")
    assert post["edited_at"] is None
    assert len(client.get(f"/api/v1/statuses/{post['id']}/history").json()) == 1

    first = _edit(client, alice, post["id"], status="Tonight's topic: feedback #ELTChat")
    second = _edit(
        client, alice, post["id"], status="Topic: feedback @bob #lrnchat", spoiler_text="Long"
    )

    assert first.status_code == 200 and second.status_code == 200, second.text
    edited = second.json()
    assert edited["id"] == post["id"] and edited["edited_at"] is not None
    assert "feedback" in edited["content"] and edited["spoiler_text"] == "Long"
    assert edited["sensitive"] is True  # a content warning makes it sensitive, as posting does
    assert [t["name"] for t in edited["tags"]] == ["lrnchat"]
    assert [m["username"] for m in edited["mentions"]] == ["bob"]
    assert edited["created_at"] == post["created_at"]
    history = client.get(f"/api/v1/statuses/{post['id']}/history", headers=bob.headers).json()
    assert [("feedbak" in v["content"], v["spoiler_text"]) for v in history] == [
        (True, ""),
        (False, ""),
        (False, "Long"),
    ]
    assert history[0]["created_at"] == post["created_at"]
    assert all(v["account"]["id"] == str(alice.id) for v in history)
    source = client.get(f"/api/v1/statuses/{post['id']}/source", headers=alice.headers).json()
    assert source == {
        "id": post["id"],
        "text": "Topic: feedback @bob #lrnchat",
        "spoiler_text": "Long",
    }
    tagged = client.get("/api/v1/timelines/tag/lrnchat").json()
    assert [s["id"] for s in tagged] == [post["id"]]
    assert client.get("/api/v1/timelines/tag/ELTChat").json() == []


def test_an_edit_that_changes_nothing_records_nothing(
    client: TestClient, make_user: UserFactory
) -> None:
    alice = make_user("alice")
    post = _post(client, alice, "Same words")

    same = _edit(client, alice, post["id"], status="Same words")

    assert same.status_code == 200 and same.json()["edited_at"] is None
    assert len(client.get(f"/api/v1/statuses/{post['id']}/history").json()) == 1


def test_only_the_author_edits_and_within_the_rules(
    client: TestClient, make_user: UserFactory
) -> None:
    alice, bob = make_user("alice"), make_user("bob")
    post = _post(client, alice, "Alice's post")
    repost = client.post(f"/api/v1/statuses/{post['id']}/reblog", headers=bob.headers).json()

    assert _edit(client, bob, post["id"], status="Bob was here").status_code == 404
    assert _edit(client, bob, repost["id"], status="x").status_code == 422
    too_long = _edit(client, alice, post["id"], status="x" * 141)
    assert too_long.status_code == 422 and "character limit" in too_long.json()["error"]
    blank = _edit(client, alice, post["id"], status="   ")
    assert blank.status_code == 422
    assert client.put(f"/api/v1/statuses/{post['id']}", json={"status": "x"}).status_code == 401
    assert (
        client.get(f"/api/v1/statuses/{post['id']}/source", headers=bob.headers).status_code == 404
    )
    assert "Alice's post" in client.get(f"/api/v1/statuses/{post['id']}").json()["content"]


def test_reposters_are_told_once_per_edit(client: TestClient, make_user: UserFactory) -> None:
    alice, bob, carol = make_user("alice"), make_user("bob"), make_user("carol")
    post = _post(client, alice, "Slides from today")
    client.post(f"/api/v1/statuses/{post['id']}/reblog", headers=bob.headers)
    client.post(f"/api/v1/statuses/{post['id']}/favourite", headers=carol.headers)

    _edit(client, alice, post["id"], status="Slides from today (fixed link)")
    _edit(client, alice, post["id"], status="Slides from today (fixed link, again)")

    updates = client.get("/api/v1/notifications?types[]=update", headers=bob.headers).json()
    assert [(n["type"], n["status"]["id"]) for n in updates] == [
        ("update", post["id"]),
        ("update", post["id"]),
    ]
    assert "again" in updates[0]["status"]["content"]
    carols = client.get("/api/v1/notifications?types[]=update", headers=carol.headers).json()
    assert carols == []  # favouriting is not reposting


def test_no_version_reaches_anyone_who_may_not_see_the_post(
    client: TestClient, make_user: UserFactory
) -> None:
    alice, bob, carol = make_user("alice"), make_user("bob"), make_user("carol")
    private = _post(client, alice, "For followers: exam dates", visibility="private")
    direct = _post(client, alice, "@bob and @carol: lunch?", visibility="direct")

    _edit(client, alice, private["id"], status="For followers: new exam dates")
    _edit(client, alice, direct["id"], status="@bob: lunch?")  # carol is no longer in it

    for path in ("", "/history"):
        assert client.get(f"/api/v1/statuses/{private['id']}{path}").status_code == 404
        assert (
            client.get(f"/api/v1/statuses/{private['id']}{path}", headers=bob.headers).status_code
            == 404
        )
        assert (
            client.get(f"/api/v1/statuses/{direct['id']}{path}", headers=carol.headers).status_code
            == 404
        )
        assert (
            client.get(f"/api/v1/statuses/{direct['id']}{path}", headers=bob.headers).status_code
            == 200
        )
