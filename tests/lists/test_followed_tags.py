"""Followed hashtags: ``/api/v1/tags/:name/follow``, ``/unfollow``, ``GET /api/v1/tags/:name``
(``following``), ``GET /api/v1/followed_tags`` (paged); public posts with a followed hashtag
come into home from anyone, never unlisted, followers-only or direct ones, never from an
account one blocks or mutes or that blocks one; unfollowing takes them out again."""

from __future__ import annotations

from collections.abc import Callable

from starlette.testclient import TestClient

from staffroom.runtime import Runtime
from staffroom.timelines.store import HOME
from tests.conftest import User
from tests.lists.helpers import home, ok, post

UserFactory = Callable[..., User]


def test_follow_unfollow_and_listing(client: TestClient, make_user: UserFactory) -> None:
    alice = make_user("alice")
    never = ok(client.get("/api/v1/tags/ELTChat", headers=alice.headers))
    assert never["following"] is False
    followed = ok(client.post("/api/v1/tags/ELTChat/follow", headers=alice.headers))
    assert (followed["name"], followed["following"]) == ("ELTChat", True)
    assert ok(client.post("/api/v1/tags/eltchat/follow", headers=alice.headers))["following"]
    assert ok(client.get("/api/v1/tags/eltchat", headers=alice.headers))["following"] is True
    for name in ("edtech", "mfltwitterati"):
        ok(client.post(f"/api/v1/tags/{name}/follow", headers=alice.headers))
    listed = client.get("/api/v1/followed_tags?limit=2", headers=alice.headers)
    assert [t["name"] for t in listed.json()] == ["mfltwitterati", "edtech"]
    assert all(t["following"] for t in listed.json())
    assert 'rel="next"' in listed.headers["link"]
    rest = client.get(listed.links["next"]["url"], headers=alice.headers)
    assert [t["name"] for t in rest.json()] == ["ELTChat"]
    gone = ok(client.post("/api/v1/tags/ELTChat/unfollow", headers=alice.headers))
    assert gone["following"] is False
    names = [t["name"] for t in ok(client.get("/api/v1/followed_tags", headers=alice.headers))]
    assert names == ["mfltwitterati", "edtech"]
    assert (
        client.post("/api/v1/tags/not%20a%20tag/follow", headers=alice.headers).status_code == 404
    )
    bob = make_user("bob")
    assert ok(client.get("/api/v1/followed_tags", headers=bob.headers)) == []


def test_a_followed_hashtag_brings_strangers_public_posts_home(
    client: TestClient, runtime: Runtime, make_user: UserFactory
) -> None:
    alice, stranger, muted, blocker, blocked = (
        make_user(n) for n in ("alice", "stranger", "muted", "blocker", "blocked")
    )
    ok(client.post(f"/api/v1/accounts/{muted.id}/mute", headers=alice.headers))
    ok(client.post(f"/api/v1/accounts/{blocked.id}/block", headers=alice.headers))
    ok(client.post(f"/api/v1/accounts/{alice.id}/block", headers=blocker.headers))
    ok(client.post("/api/v1/tags/ELTChat/follow", headers=alice.headers))
    public = post(client, stranger, "Join us #ELTChat")
    for visibility in ("unlisted", "private", "direct"):
        post(client, stranger, f"#ELTChat {visibility} @alice", visibility=visibility)
    post(client, muted, "#ELTChat muted")
    post(client, blocker, "#ELTChat blocker")
    post(client, blocked, "#ELTChat blocked")
    ok(client.post(f"/api/v1/statuses/{public}/reblog", headers=muted.headers))
    assert home(client, alice) == [public]
    runtime.db.write(lambda conn: runtime.timelines.rebuild(conn, alice.id, kind=HOME))
    assert home(client, alice) == [public]

    ok(client.post("/api/v1/tags/ELTChat/unfollow", headers=alice.headers))
    assert home(client, alice) == []
    post(client, stranger, "Later #ELTChat")
    assert home(client, alice) == []
