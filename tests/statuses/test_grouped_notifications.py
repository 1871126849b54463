"""Grouped notifications (``/api/v2/notifications``) as Mastodon 4.3 has them: favourites,
reposts and follows of one target within a time window share a group; mentions never do;
pages count groups; every answer validates against Mastodon's OpenAPI description."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import update
from starlette.testclient import TestClient

from staffroom.db.tables import notifications
from staffroom.runtime import Runtime
from tests.conftest import User
from tests.instance.openapi import schema_errors

UserFactory = Callable[..., User]


def _post(client: TestClient, user: User, text: str, **extra: str) -> str:
    made = client.post("/api/v1/statuses", data={"status": text, **extra}, headers=user.headers)
    assert made.status_code == 200, made.text
    return str(made.json()["id"])


def _grouped(client: TestClient, user: User, **params: Any) -> dict[str, Any]:
    got = client.get("/api/v2/notifications", params=params, headers=user.headers)
    assert got.status_code == 200, got.text
    body: dict[str, Any] = got.json()
    assert schema_errors("GroupedNotificationsResults", body) == []
    return body


def test_twelve_favourites_make_one_group(client: TestClient, make_user: UserFactory) -> None:
    alice = make_user("alice")
    post = _post(client, alice, "Rubrics that students write themselves")
    fans = [make_user(f"fan{i}") for i in range(12)]
    for fan in fans:
        assert client.post(f"/api/v1/statuses/{post}/favourite", headers=fan.headers).is_success
    mention = _post(client, fans[0], "@alice thanks for this")
    _post(client, fans[1], "@alice and again")

    body = _grouped(client, alice)
    groups = body["notification_groups"]
    assert [g["type"] for g in groups] == ["mention", "mention", "favourite"]
    assert groups[1]["status_id"] == mention
    assert all(g["group_key"].startswith("ungrouped-") for g in groups[:2])  # never grouped
    favourites = groups[2]
    assert favourites["notifications_count"] == 12
    assert favourites["group_key"].startswith(f"favourite-{post}-")
    assert favourites["status_id"] == post
    newest_first = [str(f.id) for f in reversed(fans)][:8]
    assert favourites["sample_account_ids"] == newest_first
    assert {a["id"] for a in body["accounts"]} >= set(newest_first)
    assert [s["id"] for s in body["statuses"]].count(post) == 1
    assert int(favourites["page_max_id"]) == favourites["most_recent_notification_id"]

    one = client.get(f"/api/v2/notifications/{favourites['group_key']}", headers=alice.headers)
    assert one.status_code == 200 and schema_errors("GroupedNotificationsResults", one.json()) == []
    only = one.json()["notification_groups"]
    assert [g["notifications_count"] for g in only] == [12] and "page_min_id" not in only[0]
    everyone = client.get(
        f"/api/v2/notifications/{favourites['group_key']}/accounts", headers=alice.headers
    ).json()
    assert [a["id"] for a in everyone] == [str(f.id) for f in reversed(fans)]

    # A client that groups nothing gets each favourite on its own.
    flat = _grouped(client, alice, **{"grouped_types[]": "follow"})["notification_groups"]
    assert len(flat) == 14 and all(g["notifications_count"] == 1 for g in flat)

    partial = _grouped(client, alice, expand_accounts="partial_avatars")
    assert {a["id"] for a in partial["accounts"]} == {
        str(fans[11].id),
        str(fans[1].id),
        str(fans[0].id),
    }
    assert {a["id"] for a in partial["partial_accounts"]} == set(newest_first[1:])
    assert set(partial["partial_accounts"][0]) == {
        "id",
        "acct",
        "locked",
        "bot",
        "url",
        "avatar",
        "avatar_static",
    }
    bad = client.get("/api/v2/notifications?expand_accounts=some", headers=alice.headers)
    assert bad.status_code == 422

    # The v1 entity carries the same key; dismissing the group removes all twelve.
    v1 = client.get("/api/v1/notifications?types[]=favourite", headers=alice.headers).json()
    assert {n["group_key"] for n in v1} == {favourites["group_key"]}
    key = favourites["group_key"]
    assert client.post(f"/api/v2/notifications/{key}/dismiss", headers=alice.headers).is_success
    assert client.get("/api/v1/notifications?types[]=favourite", headers=alice.headers).json() == []
    assert client.get(f"/api/v2/notifications/{key}", headers=alice.headers).status_code == 404


def test_follows_group_and_nobody_else_sees_them(
    client: TestClient, make_user: UserFactory
) -> None:
    alice, mallory = make_user("alice"), make_user("mallory")
    followers = [make_user(f"f{i}") for i in range(3)]
    for f in followers:
        assert client.post(f"/api/v1/accounts/{alice.id}/follow", headers=f.headers).is_success
    groups = _grouped(client, alice)["notification_groups"]
    assert [(g["type"], g["notifications_count"]) for g in groups] == [("follow", 3)]
    key = groups[0]["group_key"]
    assert key.startswith("follow-")

    assert _grouped(client, mallory)["notification_groups"] == []
    for path in (f"/api/v2/notifications/{key}", f"/api/v2/notifications/{key}/accounts"):
        assert client.get(path, headers=mallory.headers).status_code == 404
    client.post(f"/api/v2/notifications/{key}/dismiss", headers=mallory.headers)
    assert _grouped(client, alice)["notification_groups"][0]["notifications_count"] == 3
    assert client.get("/api/v2/notifications").status_code == 401


def test_groups_split_after_twelve_hours(
    client: TestClient, runtime: Runtime, make_user: UserFactory
) -> None:
    alice, bob, carol = make_user("alice"), make_user("bob"), make_user("carol")
    post = _post(client, alice, "Old post")
    client.post(f"/api/v1/statuses/{post}/favourite", headers=bob.headers)
    old_key = _grouped(client, alice)["notification_groups"][0]["group_key"]
    hour = int(old_key.rsplit("-", 1)[1])
    # Move bob's favourite (and its group) a day back: carol's starts a new group.
    from datetime import UTC, datetime, timedelta

    day_ago = datetime.now(UTC) - timedelta(days=1)
    runtime.db.write(
        lambda conn: conn.execute(
            update(notifications)
            .where(notifications.c.account_id == alice.id)
            .values(created_at=day_ago, group_key=f"favourite-{post}-{hour - 24}")
        )
    )
    client.post(f"/api/v1/statuses/{post}/favourite", headers=carol.headers)
    groups = _grouped(client, alice)["notification_groups"]
    assert [g["notifications_count"] for g in groups] == [1, 1]
    assert groups[0]["group_key"] == f"favourite-{post}-{hour}"


def test_paging_counts_groups_and_covers_each_notification_once(
    client: TestClient, make_user: UserFactory
) -> None:
    """As Mastodon's: a page holds ``limit`` groups and represents the notifications from its
    oldest group's newest member up to its newest group's; the next page starts below, so a
    group whose older members lie further down shows again with them (clients merge by key)."""
    alice = make_user("alice")
    fans = [make_user(f"p{i}") for i in range(3)]
    posts = [_post(client, alice, f"Post {i}") for i in range(3)]
    for post in posts:  # post 0's group is the oldest
        for fan in fans:
            client.post(f"/api/v1/statuses/{post}/favourite", headers=fan.headers)
    n = sorted(
        int(x["id"]) for x in client.get("/api/v1/notifications", headers=alice.headers).json()
    )

    pages: list[list[tuple[str, int, int, int]]] = []
    params: dict[str, Any] = {"limit": 2}
    while True:
        got = client.get("/api/v2/notifications", params=params, headers=alice.headers)
        assert schema_errors("GroupedNotificationsResults", got.json()) == []
        groups = got.json()["notification_groups"]
        if not groups:
            break
        pages.append(
            [
                (
                    g["status_id"],
                    g["notifications_count"],
                    int(g["page_min_id"]),
                    int(g["page_max_id"]),
                )
                for g in groups
            ]
        )
        params = {"limit": 2, "max_id": got.headers["link"].split("max_id=")[1].split(">")[0]}
    assert pages == [
        [(posts[2], 3, n[6], n[8]), (posts[1], 3, n[5], n[5])],
        [(posts[1], 2, n[3], n[4]), (posts[0], 3, n[2], n[2])],
        [(posts[0], 2, n[0], n[1])],
    ]
    covered = [i for page in pages for _, _, low, high in page for i in n if low <= i <= high]
    assert sorted(covered) == n  # every notification represented exactly once

    # Newer than the newest: nothing; min_id pages upwards, answered newest first.
    assert _grouped(client, alice, min_id=str(n[-1]))["notification_groups"] == []
    up = _grouped(client, alice, min_id=str(n[2]))["notification_groups"]
    assert [g["status_id"] for g in up] == [posts[2], posts[1]]
    since = _grouped(client, alice, since_id=str(n[5]))["notification_groups"]
    assert [(g["status_id"], g["notifications_count"]) for g in since] == [(posts[2], 3)]


def test_unread_counts_follow_the_marker(client: TestClient, make_user: UserFactory) -> None:
    alice, bob = make_user("alice"), make_user("bob")
    posts = [_post(client, alice, f"Post {i}") for i in range(3)]
    fans = [make_user(f"u{i}") for i in range(2)]
    for post in posts:
        for fan in fans:
            client.post(f"/api/v1/statuses/{post}/favourite", headers=fan.headers)
    v1 = lambda **p: client.get(  # noqa: E731
        "/api/v1/notifications/unread_count", params=p, headers=alice.headers
    ).json()["count"]
    v2 = lambda **p: client.get(  # noqa: E731
        "/api/v2/notifications/unread_count", params=p, headers=alice.headers
    ).json()["count"]
    assert (v1(), v2()) == (6, 3)
    assert (v1(limit=4), v2(limit=2)) == (4, 2)
    assert v1(**{"types[]": "reblog"}) == 0
    ids = sorted(
        int(n["id"]) for n in client.get("/api/v1/notifications", headers=alice.headers).json()
    )
    client.post(
        "/api/v1/markers",
        json={"notifications": {"last_read_id": str(ids[3])}},
        headers=alice.headers,
    )
    assert (v1(), v2()) == (2, 1)
    bobs = client.get("/api/v2/notifications/unread_count", headers=bob.headers).json()
    assert bobs == {"count": 0}


def test_muted_and_blocked_people_leave_groups(client: TestClient, make_user: UserFactory) -> None:
    alice = make_user("alice")
    fans = [make_user(f"m{i}") for i in range(4)]
    post = _post(client, alice, "Muted fans leave the group")
    for fan in fans:
        client.post(f"/api/v1/statuses/{post}/favourite", headers=fan.headers)
    client.post(f"/api/v1/accounts/{fans[3].id}/mute", headers=alice.headers)
    client.post(f"/api/v1/accounts/{fans[2].id}/block", headers=alice.headers)
    (group,) = _grouped(client, alice)["notification_groups"]
    assert group["notifications_count"] == 2
    assert group["sample_account_ids"] == [str(fans[1].id), str(fans[0].id)]
    everyone = client.get(
        f"/api/v2/notifications/{group['group_key']}/accounts", headers=alice.headers
    ).json()
    assert [a["id"] for a in everyone] == [str(fans[1].id), str(fans[0].id)]
    assert client.get("/api/v2/notifications/unread_count", headers=alice.headers).json() == {
        "count": 1
    }
