"""Blocks and mutes: what they undo, what they refuse, and their paginated lists."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import update
from starlette.testclient import TestClient

from staffroom.db.tables import mutes
from staffroom.runtime import Runtime
from tests.conftest import User


def _counts(client: TestClient, user: User) -> tuple[int, int]:
    body = client.get(f"/api/v1/accounts/{user.id}").json()
    return body["followers_count"], body["following_count"]


def _home_ids(client: TestClient, user: User) -> list[str]:
    return [s["id"] for s in client.get("/api/v1/timelines/home", headers=user.headers).json()]


def test_block_removes_follows_both_ways_and_feed_entries(
    client: TestClient, make_user: Callable[..., User], post: Callable[..., str]
) -> None:
    alice, bob = make_user("alice"), make_user("bob")
    client.post(f"/api/v1/accounts/{bob.id}/follow", headers=alice.headers)
    client.post(f"/api/v1/accounts/{alice.id}/follow", headers=bob.headers)
    from_bob, from_alice = post(bob, "bob says hi"), post(alice, "alice says hi")
    assert from_bob in _home_ids(client, alice) and from_alice in _home_ids(client, bob)
    rel = client.post(f"/api/v1/accounts/{bob.id}/block", headers=alice.headers).json()
    assert rel["blocking"] is True
    assert rel["following"] is False and rel["followed_by"] is False
    assert _counts(client, alice) == (0, 0) and _counts(client, bob) == (0, 0)
    assert from_bob not in _home_ids(client, alice)
    assert from_alice not in _home_ids(client, bob)
    seen_by_bob = client.get(
        "/api/v1/accounts/relationships", headers=bob.headers, params={"id[]": alice.id}
    ).json()[0]
    assert seen_by_bob["blocked_by"] is True and seen_by_bob["blocking"] is False


def test_blocks_refuse_follows_both_ways(
    client: TestClient, make_user: Callable[..., User]
) -> None:
    alice, bob = make_user("alice"), make_user("bob")
    client.post(f"/api/v1/accounts/{bob.id}/block", headers=alice.headers)
    assert (
        client.post(f"/api/v1/accounts/{alice.id}/follow", headers=bob.headers).status_code == 403
    )
    assert (
        client.post(f"/api/v1/accounts/{bob.id}/follow", headers=alice.headers).status_code == 403
    )
    assert _counts(client, alice) == (0, 0)
    unblocked = client.post(f"/api/v1/accounts/{bob.id}/unblock", headers=alice.headers).json()
    assert unblocked["blocking"] is False
    followed = client.post(f"/api/v1/accounts/{alice.id}/follow", headers=bob.headers)
    assert followed.status_code == 200 and followed.json()["following"] is True


def test_cannot_block_or_mute_yourself(client: TestClient, make_user: Callable[..., User]) -> None:
    alice = make_user("alice")
    for action in ("block", "mute"):
        response = client.post(f"/api/v1/accounts/{alice.id}/{action}", headers=alice.headers)
        assert response.status_code == 403


def test_mute_options_and_unmute(client: TestClient, make_user: Callable[..., User]) -> None:
    alice, bob = make_user("alice"), make_user("bob")
    rel = client.post(f"/api/v1/accounts/{bob.id}/mute", headers=alice.headers).json()
    assert rel["muting"] is True and rel["muting_notifications"] is True
    assert rel["muting_expires_at"] is None
    timed = client.post(
        f"/api/v1/accounts/{bob.id}/mute",
        headers=alice.headers,
        json={"notifications": False, "duration": 3600},
    ).json()
    assert timed["muting"] is True and timed["muting_notifications"] is False
    assert timed["muting_expires_at"] is not None
    rel = client.post(f"/api/v1/accounts/{bob.id}/unmute", headers=alice.headers).json()
    assert rel["muting"] is False


def test_mute_hides_follow_notifications(
    client: TestClient, make_user: Callable[..., User]
) -> None:
    alice, bob = make_user("alice"), make_user("bob")
    client.post(f"/api/v1/accounts/{bob.id}/mute", headers=alice.headers)
    client.post(f"/api/v1/accounts/{alice.id}/follow", headers=bob.headers)
    assert client.get("/api/v1/notifications", headers=alice.headers).json() == []


def test_bad_mute_duration_is_422(client: TestClient, make_user: Callable[..., User]) -> None:
    alice, bob = make_user("alice"), make_user("bob")
    for duration in ("-5", "soon"):
        response = client.post(
            f"/api/v1/accounts/{bob.id}/mute", headers=alice.headers, data={"duration": duration}
        )
        assert response.status_code == 422


def _usernames(response: Any) -> list[str]:
    return [a["username"] for a in response.json()]


def test_block_and_mute_lists_paginate(client: TestClient, make_user: Callable[..., User]) -> None:
    me = make_user("me")
    others = [make_user(f"other{i}") for i in range(3)]
    for other in others:
        client.post(f"/api/v1/accounts/{other.id}/block", headers=me.headers)
        client.post(f"/api/v1/accounts/{other.id}/mute", headers=me.headers)
    for kind in ("blocks", "mutes"):
        first = client.get(f"/api/v1/{kind}", headers=me.headers, params={"limit": 2})
        assert _usernames(first) == ["other2", "other1"]
        link = first.headers["link"]
        assert link.index('rel="next"') < link.index('rel="prev"')
        next_url = link.split(">;")[0].lstrip("<").removeprefix("http://testserver")
        second = client.get(next_url, headers=me.headers)
        assert _usernames(second) == ["other0"]
        assert 'rel="next"' not in second.headers.get("link", "")


def test_lists_need_their_scopes(client: TestClient, make_user: Callable[..., User]) -> None:
    reader = make_user("alice", scopes="read:accounts")
    assert client.get("/api/v1/blocks", headers=reader.headers).status_code == 403
    assert client.get("/api/v1/mutes", headers=reader.headers).status_code == 403
    follow_scope = make_user("bob", scopes="follow")
    assert client.get("/api/v1/blocks", headers=follow_scope.headers).status_code == 200


def test_expired_mutes_count_as_absent(
    client: TestClient, make_user: Callable[..., User], runtime: Runtime
) -> None:
    alice, bob = make_user("alice"), make_user("bob")
    client.post(f"/api/v1/accounts/{bob.id}/mute", headers=alice.headers, data={"duration": 60})
    runtime.db.write(
        lambda conn: conn.execute(
            update(mutes).values(expires_at=datetime.now(UTC) - timedelta(seconds=1))
        )
    )
    rel = client.get(
        "/api/v1/accounts/relationships", headers=alice.headers, params={"id[]": bob.id}
    ).json()[0]
    assert rel["muting"] is False
    assert client.get("/api/v1/mutes", headers=alice.headers).json() == []
