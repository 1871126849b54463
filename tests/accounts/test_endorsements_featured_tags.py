"""Endorsements (``/api/v1/accounts/:id/endorse``, the older ``pin``, ``endorsements``) and
featured hashtags (``featured_tags``, ``suggestions``, ``tags/:name/feature``) as Mastodon
4.4 answers them."""

from __future__ import annotations

from collections.abc import Callable

from starlette.testclient import TestClient

from tests.conftest import User

UserFactory = Callable[..., User]


def _follow(client: TestClient, who: User, whom: User) -> None:
    assert client.post(f"/api/v1/accounts/{whom.id}/follow", headers=who.headers).status_code == 200


def test_endorse_someone_followed_and_list_them(client: TestClient, make_user: UserFactory) -> None:
    alice, bob, carol = make_user("alice"), make_user("bob"), make_user("carol")
    refused = client.post(f"/api/v1/accounts/{bob.id}/endorse", headers=alice.headers)
    assert refused.status_code == 422
    assert "following" in refused.json()["error"]

    _follow(client, alice, bob)
    _follow(client, alice, carol)
    endorsed = client.post(f"/api/v1/accounts/{bob.id}/endorse", headers=alice.headers)
    assert endorsed.status_code == 200
    assert endorsed.json()["endorsed"] is True
    assert client.post(f"/api/v1/accounts/{carol.id}/pin", headers=alice.headers).json()[
        "endorsed"
    ]  # the path before Mastodon 4.4
    again = client.post(f"/api/v1/accounts/{bob.id}/endorse", headers=alice.headers)
    assert again.status_code == 200

    own = client.get("/api/v1/endorsements", params={"limit": 1}, headers=alice.headers)
    assert [a["id"] for a in own.json()] == [str(carol.id)]
    assert 'rel="next"' in own.headers["link"]
    public = client.get(f"/api/v1/accounts/{alice.id}/endorsements")
    assert [a["id"] for a in public.json()] == [str(carol.id), str(bob.id)]
    rel = client.get(
        "/api/v1/accounts/relationships", params={"id[]": [bob.id]}, headers=alice.headers
    ).json()
    assert rel[0]["endorsed"] is True

    # Unendorsing, and unfollowing, end an endorsement.
    gone = client.post(f"/api/v1/accounts/{carol.id}/unendorse", headers=alice.headers)
    assert gone.json()["endorsed"] is False
    client.post(f"/api/v1/accounts/{bob.id}/unfollow", headers=alice.headers)
    assert client.get("/api/v1/endorsements", headers=alice.headers).json() == []
    assert client.get("/api/v1/endorsements").status_code == 401


def test_a_blocked_viewer_sees_no_endorsements(client: TestClient, make_user: UserFactory) -> None:
    alice, bob, eve = make_user("alice"), make_user("bob"), make_user("eve")
    _follow(client, alice, bob)
    client.post(f"/api/v1/accounts/{bob.id}/endorse", headers=alice.headers)
    client.post(f"/api/v1/accounts/{eve.id}/block", headers=alice.headers)
    seen = client.get(f"/api/v1/accounts/{alice.id}/endorsements", headers=eve.headers)
    assert seen.json() == []


def test_feature_tags_by_name_and_suggestions(client: TestClient, make_user: UserFactory) -> None:
    alice = make_user("alice")
    for text in ("#ELTChat one", "#ELTChat two", "#ELTChat three #edtech", "#edtech", "#mfl"):
        client.post("/api/v1/statuses", json={"status": text}, headers=alice.headers)
    suggested = client.get("/api/v1/featured_tags/suggestions", headers=alice.headers).json()
    assert [t["name"] for t in suggested] == ["ELTChat", "edtech", "mfl"]
    assert all(t["featuring"] is False for t in suggested)

    featured = client.post("/api/v1/tags/eltchat/feature", headers=alice.headers)
    assert featured.status_code == 200
    assert featured.json()["name"] == "ELTChat"
    assert featured.json()["featuring"] is True
    new = client.post("/api/v1/tags/BrandNew/feature", headers=alice.headers)
    assert new.json()["name"] == "BrandNew"

    listed = client.get("/api/v1/featured_tags", headers=alice.headers).json()
    assert [(t["name"], t["statuses_count"]) for t in listed] == [
        ("ELTChat", "3"),
        ("BrandNew", "0"),
    ]
    assert listed[0]["url"].endswith("/@alice/tagged/ELTChat")
    suggested = client.get("/api/v1/featured_tags/suggestions", headers=alice.headers).json()
    assert [t["name"] for t in suggested] == ["edtech", "mfl"]
    shown = client.get("/api/v1/tags/ELTChat", headers=alice.headers).json()
    assert shown["featuring"] is True

    gone = client.post("/api/v1/tags/ELTChat/unfeature", headers=alice.headers)
    assert gone.json()["featuring"] is False
    assert [t["name"] for t in client.get(f"/api/v1/accounts/{alice.id}/featured_tags").json()] == [
        "BrandNew"
    ]
    assert client.post("/api/v1/tags/NeverUsed/unfeature", headers=alice.headers).status_code == 404
    assert client.post("/api/v1/tags/no%20tag/feature", headers=alice.headers).status_code == 404
    assert client.post("/api/v1/tags/ELTChat/feature").status_code == 401
