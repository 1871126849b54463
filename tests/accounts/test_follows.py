"""Following: counters, notifications, home feed, relationships and the paginated lists."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from starlette.testclient import TestClient

from tests.conftest import User


def _account(client: TestClient, user: User) -> Any:
    return client.get(f"/api/v1/accounts/{user.id}").json()


def _home_ids(client: TestClient, user: User) -> list[str]:
    return [s["id"] for s in client.get("/api/v1/timelines/home", headers=user.headers).json()]


def test_follow_updates_counters_notifies_and_backfills(
    client: TestClient, make_user: Callable[..., User], post: Callable[..., str]
) -> None:
    alice, bob = make_user("alice"), make_user("bob")
    earlier = post(bob, "Posted before alice followed")
    response = client.post(f"/api/v1/accounts/{bob.id}/follow", headers=alice.headers)
    assert response.status_code == 200, response.text
    rel = response.json()
    assert rel["id"] == str(bob.id)
    assert rel["following"] is True and rel["showing_reblogs"] is True
    assert rel["notifying"] is False and rel["followed_by"] is False
    assert _account(client, alice)["following_count"] == 1
    assert _account(client, bob)["followers_count"] == 1
    kinds = [
        (n["type"], n["account"]["id"])
        for n in client.get("/api/v1/notifications", headers=bob.headers).json()
    ]
    assert kinds == [("follow", str(alice.id))]
    assert earlier in _home_ids(client, alice)


def test_follow_is_idempotent_and_updates_options(
    client: TestClient, make_user: Callable[..., User]
) -> None:
    alice, bob = make_user("alice"), make_user("bob")
    client.post(f"/api/v1/accounts/{bob.id}/follow", headers=alice.headers)
    again = client.post(
        f"/api/v1/accounts/{bob.id}/follow",
        headers=alice.headers,
        json={"reblogs": False, "notify": True},
    ).json()
    assert again["following"] is True
    assert again["showing_reblogs"] is False and again["notifying"] is True
    assert _account(client, bob)["followers_count"] == 1
    assert _account(client, alice)["following_count"] == 1
    assert len(client.get("/api/v1/notifications", headers=bob.headers).json()) == 1


def test_unfollow_restores_counters_and_clears_the_feed(
    client: TestClient, make_user: Callable[..., User], post: Callable[..., str]
) -> None:
    alice, bob = make_user("alice"), make_user("bob")
    client.post(f"/api/v1/accounts/{bob.id}/follow", headers=alice.headers)
    status = post(bob, "Hello followers")
    assert status in _home_ids(client, alice)
    rel = client.post(f"/api/v1/accounts/{bob.id}/unfollow", headers=alice.headers).json()
    assert rel["following"] is False
    assert _account(client, alice)["following_count"] == 0
    assert _account(client, bob)["followers_count"] == 0
    assert status not in _home_ids(client, alice)
    # unfollowing again changes nothing
    client.post(f"/api/v1/accounts/{bob.id}/unfollow", headers=alice.headers)
    assert _account(client, bob)["followers_count"] == 0


def test_cannot_follow_yourself_or_nobody(
    client: TestClient, make_user: Callable[..., User]
) -> None:
    alice = make_user("alice")
    assert (
        client.post(f"/api/v1/accounts/{alice.id}/follow", headers=alice.headers).status_code == 403
    )
    assert _account(client, alice)["following_count"] == 0
    missing = client.post("/api/v1/accounts/12345/follow", headers=alice.headers)
    assert missing.status_code == 404
    assert missing.json() == {"error": "Record not found"}


def test_remove_from_followers(client: TestClient, make_user: Callable[..., User]) -> None:
    alice, bob = make_user("alice"), make_user("bob")
    client.post(f"/api/v1/accounts/{bob.id}/follow", headers=alice.headers)
    rel = client.post(
        f"/api/v1/accounts/{alice.id}/remove_from_followers", headers=bob.headers
    ).json()
    assert rel["followed_by"] is False
    assert _account(client, bob)["followers_count"] == 0


def test_relationships_matrix(client: TestClient, make_user: Callable[..., User]) -> None:
    me, friend, fan, pest, noisy = (make_user(n) for n in ("me", "friend", "fan", "pest", "noisy"))
    client.post(f"/api/v1/accounts/{friend.id}/follow", headers=me.headers)
    client.post(f"/api/v1/accounts/{me.id}/follow", headers=friend.headers)
    client.post(f"/api/v1/accounts/{me.id}/follow", headers=fan.headers)
    client.post(f"/api/v1/accounts/{pest.id}/block", headers=me.headers)
    client.post(f"/api/v1/accounts/{me.id}/block", headers=pest.headers)
    client.post(
        f"/api/v1/accounts/{noisy.id}/mute", headers=me.headers, data={"notifications": "false"}
    )
    ids = [friend.id, fan.id, pest.id, noisy.id, 999, "nonsense"]
    response = client.get(
        "/api/v1/accounts/relationships", headers=me.headers, params={"id[]": ids}
    )
    assert response.status_code == 200
    found = {r["id"]: r for r in response.json()}
    assert list(found) == [str(friend.id), str(fan.id), str(pest.id), str(noisy.id)]
    flags = ("following", "followed_by", "blocking", "blocked_by", "muting", "muting_notifications")

    def row(user: User) -> tuple[bool, ...]:
        return tuple(found[str(user.id)][f] for f in flags)

    assert row(friend) == (True, True, False, False, False, False)
    assert row(fan) == (False, True, False, False, False, False)
    assert row(pest) == (False, False, True, True, False, False)
    assert row(noisy) == (False, False, False, False, True, False)
    for entity in found.values():
        assert entity["requested"] is False and entity["note"] == ""
        assert entity["domain_blocking"] is False and entity["endorsed"] is False


def test_relationships_need_read_follows(
    client: TestClient, make_user: Callable[..., User]
) -> None:
    alice = make_user("alice", scopes="read:statuses")
    response = client.get(
        "/api/v1/accounts/relationships", headers=alice.headers, params={"id[]": "1"}
    )
    assert response.status_code == 403


def _next_link(response: Any) -> str | None:
    match = re.search(r'<([^>]+)>; rel="next"', response.headers.get("link", ""))
    return match.group(1) if match else None


def test_followers_are_paginated_with_link_headers(
    client: TestClient, make_user: Callable[..., User]
) -> None:
    star = make_user("star")
    fans = [make_user(f"fan{i}") for i in range(5)]
    for fan in fans:
        client.post(f"/api/v1/accounts/{star.id}/follow", headers=fan.headers)
    url: str | None = f"/api/v1/accounts/{star.id}/followers?limit=2"
    seen: list[str] = []
    pages = 0
    while url:
        response = client.get(url)
        assert response.status_code == 200
        link = response.headers.get("link", "")
        names = [a["username"] for a in response.json()]
        seen.extend(names)
        pages += 1
        url = _next_link(response)
        if url:
            assert link.index('rel="next"') < link.index('rel="prev"')
    assert pages == 3
    assert seen == [f"fan{i}" for i in reversed(range(5))]  # most recent follower first
    following = client.get(f"/api/v1/accounts/{fans[0].id}/following").json()
    assert [a["username"] for a in following] == ["star"]


def test_exactly_full_last_page_has_no_next_link(
    client: TestClient, make_user: Callable[..., User]
) -> None:
    star = make_user("star")
    for i in range(2):
        client.post(f"/api/v1/accounts/{star.id}/follow", headers=make_user(f"f{i}").headers)
    response = client.get(f"/api/v1/accounts/{star.id}/followers?limit=2")
    assert len(response.json()) == 2
    assert _next_link(response) is None
    assert 'rel="prev"' in response.headers["link"]


def test_follow_lists_are_hidden_from_blocked_viewers(
    client: TestClient, make_user: Callable[..., User]
) -> None:
    alice, bob, carol = make_user("alice"), make_user("bob"), make_user("carol")
    client.post(f"/api/v1/accounts/{alice.id}/follow", headers=carol.headers)
    client.post(f"/api/v1/accounts/{bob.id}/block", headers=alice.headers)
    assert client.get(f"/api/v1/accounts/{alice.id}/followers", headers=bob.headers).json() == []
    visible = client.get(f"/api/v1/accounts/{alice.id}/followers", headers=carol.headers).json()
    assert [a["username"] for a in visible] == ["carol"]


def test_follow_requests_are_empty(client: TestClient, make_user: Callable[..., User]) -> None:
    alice = make_user("alice")
    assert client.get("/api/v1/follow_requests", headers=alice.headers).json() == []
