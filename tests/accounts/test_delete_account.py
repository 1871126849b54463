"""Deleting one's own account (``POST /api/v1/accounts/delete_self``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from starlette.testclient import TestClient

from tests.conftest import User
from tests.media import images


def _account(client: TestClient, user: User) -> Any:
    return client.get(f"/api/v1/accounts/{user.id}").json()


def test_delete_removes_posts_and_fixes_everyone_elses_counters(
    client: TestClient, make_user: Callable[..., User], post: Callable[..., str]
) -> None:
    leaver, friend, fan = make_user("leaver"), make_user("friend"), make_user("fan")
    client.post(f"/api/v1/accounts/{friend.id}/follow", headers=leaver.headers)
    client.post(f"/api/v1/accounts/{leaver.id}/follow", headers=fan.headers)
    friends_post = post(friend, "Anyone for #edtech?")
    leavers_post = post(leaver, "My last words")
    post(leaver, "A reply", in_reply_to_id=friends_post)
    client.post(f"/api/v1/statuses/{friends_post}/favourite", headers=leaver.headers)
    client.post(f"/api/v1/statuses/{friends_post}/reblog", headers=leaver.headers)
    client.post(f"/api/v1/statuses/{leavers_post}/reblog", headers=fan.headers)
    assert _account(client, fan)["statuses_count"] == 1
    before = client.get(f"/api/v1/statuses/{friends_post}").json()
    assert (before["replies_count"], before["reblogs_count"], before["favourites_count"]) == (
        1,
        1,
        1,
    )

    response = client.post(
        "/api/v1/accounts/delete_self", headers=leaver.headers, data={"password": leaver.password}
    )
    assert response.status_code == 200, response.text
    assert response.json() == {}

    assert client.get(f"/api/v1/accounts/{leaver.id}").status_code == 404
    assert client.get(f"/api/v1/statuses/{leavers_post}").status_code == 404
    assert _account(client, friend)["followers_count"] == 0
    assert _account(client, fan)["following_count"] == 0
    assert _account(client, fan)["statuses_count"] == 0  # fan's reblog went with the post
    after = client.get(f"/api/v1/statuses/{friends_post}").json()
    assert (after["replies_count"], after["reblogs_count"], after["favourites_count"]) == (0, 0, 0)
    home = client.get("/api/v1/timelines/home", headers=fan.headers).json()
    assert home == []
    # the old token died with the account
    gone = client.get("/api/v1/accounts/verify_credentials", headers=leaver.headers)
    assert gone.status_code == 401


def test_delete_needs_the_right_password_and_scope(
    client: TestClient, make_user: Callable[..., User]
) -> None:
    alice = make_user("alice")
    wrong = client.post(
        "/api/v1/accounts/delete_self", headers=alice.headers, data={"password": "nope nope"}
    )
    assert wrong.status_code == 422
    assert client.post("/api/v1/accounts/delete_self", headers=alice.headers).status_code == 422
    reader = make_user("bob", scopes="read")
    refused = client.post(
        "/api/v1/accounts/delete_self", headers=reader.headers, data={"password": reader.password}
    )
    assert refused.status_code == 403
    assert client.get(f"/api/v1/accounts/{alice.id}").status_code == 200
    assert client.get(f"/api/v1/accounts/{reader.id}").status_code == 200


def test_delete_removes_the_avatar_file(client: TestClient, make_user: Callable[..., User]) -> None:
    alice = make_user("alice")
    png = images.png(32, 32)
    avatar = client.patch(
        "/api/v1/accounts/update_credentials",
        headers=alice.headers,
        files={"avatar": ("a.png", png, "image/png")},
    ).json()["avatar"]
    path = avatar.removeprefix("http://testserver")
    assert client.get(path).status_code == 200
    client.post(
        "/api/v1/accounts/delete_self", headers=alice.headers, data={"password": alice.password}
    )
    assert client.get(path).status_code == 404
