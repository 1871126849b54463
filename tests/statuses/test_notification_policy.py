"""Notification policies (``/api/v2/notifications/policy``) and requests
(``/api/v1/notifications/requests``) as Mastodon 4.3: ``filter`` holds a notification back
(stored, not listed, not streamed; a private mention waits in its sender's request),
``drop`` never stores it, accepting a request releases its notifications and lets that
sender through from then on, dismissing deletes them. Nobody else reaches any of it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import update
from starlette.testclient import TestClient

from staffroom.db.tables import accounts
from staffroom.runtime import Runtime
from staffroom.services.notifications import find_notification
from tests.conftest import User
from tests.instance.openapi import schema_errors

UserFactory = Callable[..., User]


def _policy(client: TestClient, user: User, **changes: str) -> dict[str, Any]:
    if changes:
        got = client.patch("/api/v2/notifications/policy", data=changes, headers=user.headers)
    else:
        got = client.get("/api/v2/notifications/policy", headers=user.headers)
    assert got.status_code == 200, got.text
    body: dict[str, Any] = got.json()
    assert schema_errors("NotificationPolicy", body) == []
    return body


def _types(client: TestClient, user: User, **params: Any) -> list[tuple[str, str]]:
    got = client.get("/api/v1/notifications", params=params, headers=user.headers).json()
    return [(n["type"], n["account"]["username"]) for n in got]


def _old(runtime: Runtime, *users: User) -> None:
    long_ago = datetime.now(UTC) - timedelta(days=90)
    ids = [u.id for u in users]
    runtime.db.write(
        lambda c: c.execute(
            update(accounts).where(accounts.c.id.in_(ids)).values(created_at=long_ago)
        )
    )


def _dm(client: TestClient, sender: User, text: str) -> str:
    made = client.post(
        "/api/v1/statuses", data={"status": text, "visibility": "direct"}, headers=sender.headers
    )
    assert made.status_code == 200, made.text
    return str(made.json()["id"])


def test_defaults_and_changes(client: TestClient, make_user: UserFactory) -> None:
    alice = make_user("alice")
    assert _policy(client, alice) == {
        "for_not_following": "accept",
        "for_not_followers": "accept",
        "for_new_accounts": "accept",
        "for_private_mentions": "filter",
        "for_limited_accounts": "filter",
        "summary": {"pending_requests_count": 0, "pending_notifications_count": 0},
    }
    changed = _policy(client, alice, for_not_following="drop", for_new_accounts="filter")
    assert (changed["for_not_following"], changed["for_new_accounts"]) == ("drop", "filter")
    assert _policy(client, alice)["for_not_following"] == "drop"
    bad = client.patch(
        "/api/v2/notifications/policy", data={"for_not_followers": "ignore"}, headers=alice.headers
    )
    assert bad.status_code == 422 and "accept, filter or drop" in bad.json()["error"]
    assert _policy(client, alice)["for_not_followers"] == "accept"  # nothing half-written


def test_drop_and_filter_strangers(
    client: TestClient, runtime: Runtime, make_user: UserFactory
) -> None:
    alice, friend, stranger = make_user("alice"), make_user("friend"), make_user("stranger")
    _old(runtime, friend, stranger)
    client.post(f"/api/v1/accounts/{friend.id}/follow", headers=alice.headers)
    post = client.post("/api/v1/statuses", data={"status": "Hi"}, headers=alice.headers).json()

    _policy(client, alice, for_not_following="drop")
    for who in (friend, stranger):
        client.post(f"/api/v1/statuses/{post['id']}/favourite", headers=who.headers)
    assert _types(client, alice) == [("favourite", "friend")]
    assert _types(client, alice, include_filtered="true") == [("favourite", "friend")]  # dropped

    _policy(client, alice, for_not_following="accept", for_not_followers="filter")
    client.post(f"/api/v1/accounts/{alice.id}/follow", headers=stranger.headers)
    # A follower of less than three days is not one yet: the follow itself is filtered.
    assert _types(client, alice) == [("favourite", "friend")]
    held = _types(client, alice, include_filtered="true")
    assert held == [("follow", "stranger"), ("favourite", "friend")]
    assert _types(client, alice, account_id=str(stranger.id)) == [("follow", "stranger")]
    grouped = client.get("/api/v2/notifications", headers=alice.headers).json()
    assert [g["type"] for g in grouped["notification_groups"]] == ["favourite"]
    counts = client.get("/api/v1/notifications/unread_count", headers=alice.headers).json()
    assert counts == {"count": 1}


def test_new_accounts_filtered(
    client: TestClient, runtime: Runtime, make_user: UserFactory
) -> None:
    alice, veteran, newcomer = make_user("alice"), make_user("veteran"), make_user("newcomer")
    _old(runtime, veteran)
    _policy(client, alice, for_new_accounts="filter")
    for who in (veteran, newcomer):
        client.post(f"/api/v1/accounts/{alice.id}/follow", headers=who.headers)
    assert _types(client, alice) == [("follow", "veteran")]


def test_private_mentions_wait_in_requests(
    client: TestClient, runtime: Runtime, make_user: UserFactory
) -> None:
    alice, bob, carol, friend = (make_user(n) for n in ("alice", "bob", "carol", "friend"))
    mallory = make_user("mallory")
    _old(runtime, bob, carol, friend)
    client.post(f"/api/v1/accounts/{friend.id}/follow", headers=alice.headers)
    first = _dm(client, bob, "@alice a private question")
    second = _dm(client, bob, "@alice and another")
    _dm(client, carol, "@alice hello")
    _dm(client, friend, "@alice from someone you follow")
    public = client.post("/api/v1/statuses", data={"status": "@alice public"}, headers=bob.headers)
    assert public.status_code == 200

    assert _types(client, alice) == [("mention", "bob"), ("mention", "friend")]
    policy = _policy(client, alice)
    assert policy["summary"] == {"pending_requests_count": 2, "pending_notifications_count": 3}
    requests = client.get("/api/v1/notifications/requests", headers=alice.headers).json()
    assert [(r["account"]["username"], r["notifications_count"]) for r in requests] == [
        ("carol", "1"),
        ("bob", "2"),
    ]
    for r in requests:
        assert schema_errors("NotificationRequest", r) == []
    assert requests[1]["last_status"]["id"] == second
    bobs = requests[1]["id"]

    # Held notifications are never streamed, nor anyone else's to read or act on.
    held = client.get(
        "/api/v1/notifications", params={"account_id": str(bob.id)}, headers=alice.headers
    ).json()
    assert {n["status"]["id"] for n in held if n["type"] == "mention"} >= {first, second}
    private_ids = [n["id"] for n in held if n["status"]["visibility"] == "direct"]
    assert all(runtime.db.read(find_notification, int(i)) is None for i in private_ids)
    assert client.get("/api/v1/notifications/requests", headers=mallory.headers).json() == []
    for path in (f"/{bobs}", f"/{bobs}/accept", f"/{bobs}/dismiss"):
        call = client.get if path == f"/{bobs}" else client.post
        assert (
            call(f"/api/v1/notifications/requests{path}", headers=mallory.headers).status_code
            == 404
        )
    one = client.get(f"/api/v1/notifications/requests/{bobs}", headers=alice.headers)
    assert one.status_code == 200 and one.json()["account"]["username"] == "bob"

    accepted = client.post(f"/api/v1/notifications/requests/{bobs}/accept", headers=alice.headers)
    assert accepted.status_code == 200 and accepted.json() == {}
    assert [t for t in _types(client, alice) if t[1] == "bob"] == [("mention", "bob")] * 3
    assert client.get("/api/v1/notifications/requests/merged", headers=alice.headers).json() == {
        "merged": True
    }
    _dm(client, bob, "@alice now I get through")  # accepted once: never filtered again
    assert [t for t in _types(client, alice) if t[1] == "bob"] == [("mention", "bob")] * 4

    (carols,) = [
        r["id"] for r in client.get("/api/v1/notifications/requests", headers=alice.headers).json()
    ]
    assert (
        client.post(
            f"/api/v1/notifications/requests/{carols}/dismiss", headers=alice.headers
        ).status_code
        == 200
    )
    assert client.get("/api/v1/notifications/requests", headers=alice.headers).json() == []
    assert ("mention", "carol") not in _types(client, alice, include_filtered="true")
    assert _policy(client, alice)["summary"]["pending_requests_count"] == 0


def test_bulk_accept_and_dismiss(
    client: TestClient, runtime: Runtime, make_user: UserFactory
) -> None:
    alice = make_user("alice")
    senders = [make_user(f"s{i}") for i in range(4)]
    _old(runtime, *senders)
    for s in senders:
        _dm(client, s, f"@alice from {s.username}")
    ids = {
        r["account"]["username"]: r["id"]
        for r in client.get("/api/v1/notifications/requests", headers=alice.headers).json()
    }
    assert len(ids) == 4
    missing = client.post(
        "/api/v1/notifications/requests/accept",
        data={"id[]": [ids["s0"], "999"]},
        headers=alice.headers,
    )
    assert missing.status_code == 404
    assert len(client.get("/api/v1/notifications/requests", headers=alice.headers).json()) == 4
    ok = client.post(
        "/api/v1/notifications/requests/accept",
        data={"id[]": [ids["s0"], ids["s1"]]},
        headers=alice.headers,
    )
    assert ok.status_code == 200
    gone = client.post(
        "/api/v1/notifications/requests/dismiss",
        data={"id[]": [ids["s2"], ids["s3"]]},
        headers=alice.headers,
    )
    assert gone.status_code == 200
    assert client.get("/api/v1/notifications/requests", headers=alice.headers).json() == []
    assert sorted(u for _, u in _types(client, alice)) == ["s0", "s1"]
