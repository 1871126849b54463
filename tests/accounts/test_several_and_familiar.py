"""Bulk reads (``GET /api/v1/statuses?id[]=``, ``GET /api/v1/accounts?id[]=``), removing a
follower, familiar followers, and timed mutes as ``GET /api/v1/mutes`` shows them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from sqlalchemy import select, update
from starlette.testclient import TestClient

from staffroom.db.tables import mutes
from staffroom.runtime import Runtime
from tests.conftest import ServerClock, User


def _several(client: TestClient, user: User | None, ids: list[str]) -> list[str]:
    headers = user.headers if user else {}
    answer = client.get("/api/v1/statuses", headers=headers, params={"id[]": ids})
    assert answer.status_code == 200, answer.text
    return [s["id"] for s in answer.json()]


def test_several_statuses_in_the_given_order_without_missing_ones(
    client: TestClient, make_user: Callable[..., User], post: Callable[..., str]
) -> None:
    alice, bob = make_user("alice"), make_user("bob")
    first, second, third = post(alice, "one"), post(alice, "two"), post(alice, "three")
    asked = [third, "1", first, second, first, "nonsense"]
    assert _several(client, bob, asked) == [third, first, second]
    assert _several(client, None, asked) == [third, first, second]
    assert _several(client, bob, []) == []


def test_several_statuses_never_show_what_the_viewer_may_not_see(
    client: TestClient, make_user: Callable[..., User], post: Callable[..., str]
) -> None:
    alice, bob, carol, dave = (make_user(n) for n in ("alice", "bob", "carol", "dave"))
    public = post(alice, "for everyone")
    followers_only = post(alice, "staff only", visibility="private")
    direct = post(alice, "@carol just you", visibility="direct")
    blocker = post(dave, "dave speaks")
    client.post(f"/api/v1/accounts/{bob.id}/block", headers=dave.headers)
    ids = [public, followers_only, direct, blocker]
    assert _several(client, bob, ids) == [public]  # neither follower, mentioned, nor welcome
    assert _several(client, None, ids) == [public, blocker]
    assert _several(client, carol, ids) == [public, direct, blocker]
    client.post(f"/api/v1/accounts/{alice.id}/follow", headers=bob.headers)
    assert _several(client, bob, ids) == [public, followers_only]
    assert _several(client, alice, ids) == [public, followers_only, direct, blocker]
    # As Mastodon's StatusFilter: the authors one blocks or mutes are left out too.
    client.post(f"/api/v1/accounts/{alice.id}/mute", headers=carol.headers)
    assert _several(client, carol, ids) == [blocker]


def test_several_statuses_at_most_twenty(
    client: TestClient, make_user: Callable[..., User], post: Callable[..., str]
) -> None:
    alice = make_user("alice")
    one = post(alice, "one")
    twenty = [one, *(str(n) for n in range(1, 20))]
    assert _several(client, alice, [*twenty, one]) == [one]  # repeats count once
    answer = client.get("/api/v1/statuses", params={"id[]": [*twenty, "99"]})
    assert answer.status_code == 422


def test_several_accounts(client: TestClient, make_user: Callable[..., User]) -> None:
    alice, bob = make_user("alice"), make_user("bob")
    answer = client.get("/api/v1/accounts", params={"id[]": [str(bob.id), "7", str(alice.id)]})
    assert [a["username"] for a in answer.json()] == ["bob", "alice"]
    too_many = client.get("/api/v1/accounts", params={"id[]": [str(n) for n in range(1, 42)]})
    assert too_many.status_code == 422


def _home_ids(client: TestClient, user: User) -> list[str]:
    return [s["id"] for s in client.get("/api/v1/timelines/home", headers=user.headers).json()]


def test_remove_from_followers(
    client: TestClient, make_user: Callable[..., User], post: Callable[..., str]
) -> None:
    alice, bob = make_user("alice"), make_user("bob")
    client.post(f"/api/v1/accounts/{alice.id}/follow", headers=bob.headers)
    client.post(f"/api/v1/accounts/{bob.id}/follow", headers=alice.headers)
    _home_ids(client, bob)  # bob reads his home timeline, so it is kept
    hello = post(alice, "hello staff", visibility="private")
    assert hello in _home_ids(client, bob)
    rel = client.post(f"/api/v1/accounts/{bob.id}/remove_from_followers", headers=alice.headers)
    assert rel.status_code == 200
    body = rel.json()
    assert body["id"] == str(bob.id) and body["followed_by"] is False
    assert body["following"] is True  # alice still follows bob
    assert hello not in _home_ids(client, bob)
    assert client.get(f"/api/v1/accounts/{alice.id}").json()["followers_count"] == 0
    assert client.get(f"/api/v1/accounts/{bob.id}").json()["following_count"] == 0
    again = client.post(f"/api/v1/accounts/{bob.id}/remove_from_followers", headers=alice.headers)
    assert again.status_code == 200 and again.json()["followed_by"] is False
    missing = client.post("/api/v1/accounts/1/remove_from_followers", headers=alice.headers)
    assert missing.status_code == 404
    read_only = make_user("carol", scopes="read")
    refused = client.post(
        f"/api/v1/accounts/{alice.id}/remove_from_followers", headers=read_only.headers
    )
    assert refused.status_code == 403


def test_familiar_followers(client: TestClient, make_user: Callable[..., User]) -> None:
    me, ann, ben, cat, star, quiet = (
        make_user(n) for n in ("me", "ann", "ben", "cat", "star", "quiet")
    )
    for followed in (ann, ben):
        client.post(f"/api/v1/accounts/{followed.id}/follow", headers=me.headers)
    for follower in (ann, ben, cat, me):
        client.post(f"/api/v1/accounts/{star.id}/follow", headers=follower.headers)
    answer = client.get(
        "/api/v1/accounts/familiar_followers",
        headers=me.headers,
        params={"id[]": [str(star.id), "5", str(quiet.id), str(star.id)]},
    )
    assert answer.status_code == 200, answer.text
    found = answer.json()
    assert [entry["id"] for entry in found] == [str(star.id), str(quiet.id)]
    assert [a["username"] for a in found[0]["accounts"]] == ["ben", "ann"]  # latest first
    assert found[1]["accounts"] == []
    # Blocking ends the follows both ways, so a blocked account drops out.
    client.post(f"/api/v1/accounts/{me.id}/block", headers=ben.headers)
    again = client.get(
        "/api/v1/accounts/familiar_followers", headers=me.headers, params={"id[]": str(star.id)}
    ).json()
    assert [a["username"] for a in again[0]["accounts"]] == ["ann"]
    assert client.get("/api/v1/accounts/familiar_followers").status_code == 401


def test_timed_mute_in_the_mutes_list_and_its_end(
    client: TestClient, make_user: Callable[..., User], runtime: Runtime
) -> None:
    alice, bob, carol = make_user("alice"), make_user("bob"), make_user("carol")
    before = datetime.now(UTC)
    rel = client.post(
        f"/api/v1/accounts/{bob.id}/mute",
        headers=alice.headers,
        data={"duration": "3600", "notifications": "false"},
    ).json()
    assert rel["muting"] is True and rel["muting_notifications"] is False
    client.post(f"/api/v1/accounts/{carol.id}/mute", headers=alice.headers)
    listed = {a["username"]: a for a in client.get("/api/v1/mutes", headers=alice.headers).json()}
    assert listed["carol"]["mute_expires_at"] is None
    ends = datetime.fromisoformat(listed["bob"]["mute_expires_at"].replace("Z", "+00:00"))
    assert before + timedelta(seconds=3590) < ends < before + timedelta(seconds=3610)
    assert listed["bob"]["mute_expires_at"] == rel["muting_expires_at"]
    runtime.db.write(
        lambda conn: conn.execute(
            update(mutes)
            .where(mutes.c.target_account_id == bob.id)
            .values(expires_at=datetime.now(UTC) - timedelta(seconds=1))
        )
    )
    after = client.get(
        "/api/v1/accounts/relationships", headers=alice.headers, params={"id[]": bob.id}
    ).json()[0]
    assert after["muting"] is False and after["muting_notifications"] is False
    assert after["muting_expires_at"] is None
    assert [a["username"] for a in client.get("/api/v1/mutes", headers=alice.headers).json()] == [
        "carol"
    ]


def test_an_ended_mute_lets_posts_reach_the_home_timeline_again(
    client: TestClient, make_user: Callable[..., User], runtime: Runtime, post: Callable[..., str]
) -> None:
    alice, bob = make_user("alice"), make_user("bob")
    client.post(f"/api/v1/accounts/{bob.id}/follow", headers=alice.headers)
    _home_ids(client, alice)
    client.post(f"/api/v1/accounts/{bob.id}/mute", headers=alice.headers, data={"duration": 60})
    hidden = post(bob, "while muted")
    assert hidden not in _home_ids(client, alice)
    runtime.db.write(
        lambda conn: conn.execute(
            update(mutes).values(expires_at=datetime.now(UTC) - timedelta(seconds=1))
        )
    )
    after = post(bob, "after the mute")
    assert after in _home_ids(client, alice)  # delivered: the ended mute no longer hides


def test_a_mute_whose_time_is_up_is_deleted_by_its_job_and_a_renewed_one_stays(
    client: TestClient, make_user: Callable[..., User], runtime: Runtime, server_clock: ServerClock
) -> None:
    alice, bob, carol = make_user("alice"), make_user("bob"), make_user("carol")
    for target, seconds in ((bob, 600), (carol, 600)):
        client.post(
            f"/api/v1/accounts/{target.id}/mute", headers=alice.headers, data={"duration": seconds}
        )
    server_clock.advance(seconds=300)
    client.post(f"/api/v1/accounts/{carol.id}/mute", headers=alice.headers, data={"duration": 3600})
    server_clock.advance(seconds=301)
    runtime.worker.drain()  # both first jobs are due: bob's mute ended, carol's was renewed

    def muted_ids() -> list[int]:
        rows = runtime.db.read(lambda conn: conn.execute(select(mutes.c.target_account_id)).all())
        return sorted(int(row[0]) for row in rows)

    assert muted_ids() == [carol.id]
    server_clock.advance(hours=1)
    runtime.worker.drain()
    assert muted_ids() == []
    assert client.get("/api/v1/mutes", headers=alice.headers).json() == []
