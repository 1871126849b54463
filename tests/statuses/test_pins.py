"""Pinned posts: one's own public, unlisted or followers-only posts, at most five, the newest
pin first on one's profile (``?pinned=true``), never shown to anyone who may not see them."""

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


def _pinned(client: TestClient, account: User, viewer: User | None) -> list[str]:
    headers = viewer.headers if viewer else {}
    answer = client.get(f"/api/v1/accounts/{account.id}/statuses?pinned=true", headers=headers)
    assert answer.status_code == 200, answer.text
    return [status["id"] for status in answer.json()]


def test_pin_and_unpin_ones_own_posts(client: TestClient, make_user: UserFactory) -> None:
    alice, bob = make_user("alice"), make_user("bob")
    first = _post(client, alice, "Welcome to my classroom notes")
    second = _post(client, alice, "Resources for #ELTChat", visibility="unlisted")

    pinned = client.post(f"/api/v1/statuses/{first['id']}/pin", headers=alice.headers)
    client.post(f"/api/v1/statuses/{second['id']}/pin", headers=alice.headers)
    again = client.post(f"/api/v1/statuses/{second['id']}/pin", headers=alice.headers)

    assert pinned.status_code == 200 and pinned.json()["pinned"] is True
    assert again.status_code == 200 and again.json()["pinned"] is True
    assert _pinned(client, alice, bob) == [second["id"], first["id"]]  # newest pin first
    assert _pinned(client, alice, None) == [second["id"], first["id"]]
    own = client.get(f"/api/v1/statuses/{first['id']}", headers=alice.headers).json()
    assert own["pinned"] is True
    others = client.get(f"/api/v1/statuses/{first['id']}", headers=bob.headers).json()
    assert others["pinned"] is False  # the flag is the author's
    timeline = client.get(f"/api/v1/accounts/{alice.id}/statuses", headers=alice.headers)
    assert {s["id"]: s["pinned"] for s in timeline.json()} == {
        first["id"]: True,
        second["id"]: True,
    }

    unpinned = client.post(f"/api/v1/statuses/{first['id']}/unpin", headers=alice.headers)
    assert unpinned.status_code == 200 and unpinned.json()["pinned"] is False
    assert _pinned(client, alice, bob) == [second["id"]]


def test_what_cannot_be_pinned(client: TestClient, make_user: UserFactory) -> None:
    alice, bob = make_user("alice"), make_user("bob")
    bobs = _post(client, bob, "Bob's post")
    direct = _post(client, alice, "@bob just between us", visibility="direct")
    repost = client.post(f"/api/v1/statuses/{bobs['id']}/reblog", headers=alice.headers).json()
    hidden = _post(client, bob, "Followers only", visibility="private")

    def pin(status_id: str) -> tuple[int, str]:
        answer = client.post(f"/api/v1/statuses/{status_id}/pin", headers=alice.headers)
        return answer.status_code, answer.json()["error"]

    assert pin(bobs["id"]) == (422, "Validation failed: Only your own posts can be pinned.")
    assert pin(direct["id"]) == (422, "Validation failed: A direct message cannot be pinned.")
    assert pin(repost["id"])[0] == 422
    assert pin(hidden["id"])[0] == 404  # not visible to alice: as if it did not exist
    assert pin("1")[0] == 404
    assert client.post(f"/api/v1/statuses/{bobs['id']}/pin").status_code == 401
    assert _pinned(client, alice, alice) == []


def test_at_most_five_pins(client: TestClient, make_user: UserFactory) -> None:
    alice = make_user("alice")
    posts = [_post(client, alice, f"Note {n}") for n in range(6)]
    for post in posts[:5]:
        assert client.post(f"/api/v1/statuses/{post['id']}/pin", headers=alice.headers).is_success

    sixth = client.post(f"/api/v1/statuses/{posts[5]['id']}/pin", headers=alice.headers)

    assert sixth.status_code == 422
    assert "maximum number of posts" in sixth.json()["error"]
    assert len(_pinned(client, alice, alice)) == 5


def test_a_followers_only_pin_shows_only_to_followers(
    client: TestClient, make_user: UserFactory
) -> None:
    alice, follower, stranger = make_user("alice"), make_user("follower"), make_user("stranger")
    client.post(f"/api/v1/accounts/{alice.id}/follow", headers=follower.headers)
    private = _post(client, alice, "For my followers", visibility="private")
    public = _post(client, alice, "For everyone")
    for post in (private, public):
        client.post(f"/api/v1/statuses/{post['id']}/pin", headers=alice.headers)

    assert _pinned(client, alice, follower) == [public["id"], private["id"]]
    assert _pinned(client, alice, stranger) == [public["id"]]
    assert _pinned(client, alice, None) == [public["id"]]


def test_a_deleted_post_leaves_the_pins(client: TestClient, make_user: UserFactory) -> None:
    alice = make_user("alice")
    post = _post(client, alice, "Soon gone")
    client.post(f"/api/v1/statuses/{post['id']}/pin", headers=alice.headers)

    client.delete(f"/api/v1/statuses/{post['id']}", headers=alice.headers)

    assert _pinned(client, alice, alice) == []
    other = _post(client, alice, "Another")  # the freed place can be used
    assert client.post(f"/api/v1/statuses/{other['id']}/pin", headers=alice.headers).is_success
