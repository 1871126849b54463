"""Posts read through the per-process row caches are always current and per viewer.

Changes here are made straight in the database, as another process would make them, so
nothing in this process is told about them.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import Connection, delete, update
from starlette.testclient import TestClient

from staffroom.db.tables import accounts, statuses
from staffroom.runtime import Runtime
from staffroom.services.status_views import load_view
from tests.conftest import User

UserFactory = Callable[..., User]


def _post(client: TestClient, user: User, text: str, **extra: object) -> str:
    response = client.post("/api/v1/statuses", json={"status": text, **extra}, headers=user.headers)
    assert response.status_code == 200, response.text
    return str(response.json()["id"])


def _home(client: TestClient, user: User) -> list[dict[str, Any]]:
    response = client.get("/api/v1/timelines/home", headers=user.headers)
    assert response.status_code == 200, response.text
    body: list[dict[str, Any]] = response.json()
    return body


def _change(runtime: Runtime, statement: Any) -> None:
    def run(conn: Connection) -> None:
        conn.execute(statement)

    runtime.db.write(run)


def test_counters_edits_and_profiles_changed_elsewhere_show_at_once(
    client: TestClient, runtime: Runtime, make_user: UserFactory
) -> None:
    alice = make_user("alice")
    sid = _post(client, alice, "Counting")
    first = _home(client, alice)[0]
    assert (first["favourites_count"], first["account"]["followers_count"]) == (0, 0)

    _change(runtime, update(statuses).where(statuses.c.id == int(sid)).values(favourites_count=7))
    _change(runtime, update(accounts).where(accounts.c.id == alice.id).values(followers_count=3))
    again = _home(client, alice)[0]
    assert again["favourites_count"] == 7 and again["account"]["followers_count"] == 3

    edited = datetime.now(UTC)
    _change(
        runtime,
        update(statuses)
        .where(statuses.c.id == int(sid))
        .values(content_html="<p>Edited</p>", edited_at=edited),
    )
    _change(
        runtime,
        update(accounts)
        .where(accounts.c.id == alice.id)
        .values(display_name="Alice B.", updated_at=edited),
    )
    latest = _home(client, alice)[0]
    assert latest["content"] == "<p>Edited</p>" and latest["edited_at"] is not None
    assert latest["account"]["display_name"] == "Alice B."
    single = client.get(f"/api/v1/statuses/{sid}", headers=alice.headers).json()
    assert single["content"] == "<p>Edited</p>" and single["favourites_count"] == 7


def test_a_post_deleted_elsewhere_leaves_the_timeline(
    client: TestClient, runtime: Runtime, make_user: UserFactory
) -> None:
    alice = make_user("alice")
    kept, gone = _post(client, alice, "Kept"), _post(client, alice, "Gone")
    assert [s["id"] for s in _home(client, alice)] == [gone, kept]
    _change(runtime, delete(statuses).where(statuses.c.id == int(gone)))
    assert [s["id"] for s in _home(client, alice)] == [kept]
    assert client.get(f"/api/v1/statuses/{gone}", headers=alice.headers).status_code == 404


def test_flags_belong_to_each_viewer(client: TestClient, make_user: UserFactory) -> None:
    alice, bob, carol = make_user("alice"), make_user("bob"), make_user("carol")
    for reader in (bob, carol):
        client.post(f"/api/v1/accounts/{alice.id}/follow", headers=reader.headers)
    sid = _post(client, alice, "Flag me")
    assert _home(client, carol)[0]["favourited"] is False  # cached now
    client.post(f"/api/v1/statuses/{sid}/favourite", headers=bob.headers)
    client.post(f"/api/v1/statuses/{sid}/bookmark", headers=bob.headers)
    client.post(f"/api/v1/statuses/{sid}/reblog", headers=carol.headers)

    bobs = next(s for s in _home(client, bob) if s["id"] == sid)
    assert (bobs["favourited"], bobs["bookmarked"], bobs["reblogged"]) == (True, True, False)
    carols = _home(client, carol)
    # Her repost fell off (the post is among her newest entries): the post shows reposted.
    assert carols[0]["id"] == sid and carols[0]["reblog"] is None
    original = carols[0]
    assert (original["favourited"], original["bookmarked"], original["reblogged"]) == (
        False,
        False,
        True,
    )
    assert original["favourites_count"] == 1 and original["reblogs_count"] == 1
    anonymous = client.get(f"/api/v1/statuses/{sid}").json()
    assert (anonymous["favourited"], anonymous["bookmarked"], anonymous["reblogged"]) == (
        False,
        False,
        False,
    )


def test_followers_only_posts_follow_the_current_follow(
    client: TestClient, make_user: UserFactory
) -> None:
    alice, bob, eve = make_user("alice"), make_user("bob"), make_user("eve")
    client.post(f"/api/v1/accounts/{alice.id}/follow", headers=bob.headers)
    sid = _post(client, alice, "Followers only", visibility="private")
    assert [s["id"] for s in _home(client, bob)] == [sid]  # cached by bob's read
    assert client.get(f"/api/v1/statuses/{sid}", headers=eve.headers).status_code == 404
    assert client.get(f"/api/v1/statuses/{sid}").status_code == 404
    assert client.get(f"/api/v1/statuses/{sid}", headers=bob.headers).status_code == 200
    client.post(f"/api/v1/accounts/{alice.id}/unfollow", headers=bob.headers)
    assert client.get(f"/api/v1/statuses/{sid}", headers=bob.headers).status_code == 404


def test_blocks_and_mutes_apply_to_cached_posts(client: TestClient, make_user: UserFactory) -> None:
    alice, bob, carol = make_user("alice"), make_user("bob"), make_user("carol")
    for target in (alice, carol):
        client.post(f"/api/v1/accounts/{target.id}/follow", headers=bob.headers)
    from_alice = _post(client, alice, "From Alice")
    from_carol = _post(client, carol, "From Carol")
    assert [s["id"] for s in _home(client, bob)] == [from_carol, from_alice]
    client.post(f"/api/v1/accounts/{carol.id}/mute", headers=bob.headers)
    assert [s["id"] for s in _home(client, bob)] == [from_alice]
    client.post(f"/api/v1/accounts/{alice.id}/block", headers=bob.headers)
    assert _home(client, bob) == []
    client.post(f"/api/v1/accounts/{bob.id}/block", headers=carol.headers)
    assert client.get(f"/api/v1/statuses/{from_carol}", headers=bob.headers).status_code == 404


def test_rows_read_in_a_rolled_back_transaction_are_not_served(
    client: TestClient, runtime: Runtime, make_user: UserFactory
) -> None:
    alice = make_user("alice")
    sid = _post(client, alice, "Before")

    def change_then_fail(conn: Connection) -> None:
        now = datetime.now(UTC)
        conn.execute(
            update(accounts)
            .where(accounts.c.id == alice.id)
            .values(display_name="Never", statuses_count=99, updated_at=now)
        )
        conn.execute(update(statuses).where(statuses.c.id == int(sid)).values(favourites_count=42))
        seen = load_view(conn, alice.id, int(sid))  # cached from uncommitted rows
        assert seen is not None and seen.account.display_name == "Never"
        raise RuntimeError("roll back")

    with pytest.raises(RuntimeError):
        runtime.db.write(change_then_fail)
    after = _home(client, alice)[0]
    assert after["favourites_count"] == 0
    assert after["account"]["display_name"] == "" and after["account"]["statuses_count"] == 1
