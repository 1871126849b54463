"""Finding accounts, hashtags and posts: lookup, account search, v2 search, tags."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from starlette.testclient import TestClient

from tests.conftest import User


def _names(accounts: list[Any]) -> list[str]:
    return [a["username"] for a in accounts]


def test_show_account_is_public_and_404s_cleanly(
    client: TestClient, make_user: Callable[..., User]
) -> None:
    alice = make_user("alice")
    body = client.get(f"/api/v1/accounts/{alice.id}").json()
    assert body["username"] == "alice" and body["url"] == "http://testserver/@alice"
    for bad in ("123", "abc", "-1", "99999999999999999999999"):
        response = client.get(f"/api/v1/accounts/{bad}")
        assert response.status_code == 404
        assert response.json() == {"error": "Record not found"}


def test_accounts_by_ids(client: TestClient, make_user: Callable[..., User]) -> None:
    alice, bob = make_user("alice"), make_user("bob")
    response = client.get("/api/v1/accounts", params={"id[]": [bob.id, 42, alice.id]})
    assert _names(response.json()) == ["bob", "alice"]


def test_lookup_accepts_handles_on_our_domain(
    client: TestClient, make_user: Callable[..., User]
) -> None:
    make_user("Alice")
    for acct in ("alice", "@Alice", "alice@testserver", "@alice@TESTSERVER"):
        response = client.get("/api/v1/accounts/lookup", params={"acct": acct})
        assert response.status_code == 200, acct
        assert response.json()["username"] == "Alice"
    for acct in ("alice@elsewhere.example", "nobody", ""):
        assert client.get("/api/v1/accounts/lookup", params={"acct": acct}).status_code == 404


def test_account_search_by_prefix(client: TestClient, make_user: Callable[..., User]) -> None:
    alice, ali = make_user("alice"), make_user("ali")
    make_user("bob")
    client.patch(
        "/api/v1/accounts/update_credentials",
        headers=ali.headers,
        data={"display_name": "Mr Alistair"},
    )
    found = client.get("/api/v1/accounts/search", params={"q": "ALI"}, headers=alice.headers)
    assert found.status_code == 200
    assert _names(found.json())[0] == "ali"  # the exact username match comes first
    assert sorted(_names(found.json())) == ["ali", "alice"]
    by_word = client.get("/api/v1/accounts/search", params={"q": "alist"}).json()
    assert _names(by_word) == ["ali"]
    assert client.get("/api/v1/accounts/search", params={"q": "_%"}).json() == []


def test_account_search_following_only(client: TestClient, make_user: Callable[..., User]) -> None:
    me, alice = make_user("me"), make_user("alice")
    make_user("alina")
    client.post(f"/api/v1/accounts/{alice.id}/follow", headers=me.headers)
    found = client.get(
        "/api/v1/accounts/search", params={"q": "ali", "following": "true"}, headers=me.headers
    )
    assert _names(found.json()) == ["alice"]


def test_v2_search_resolves_a_handle_exactly(
    client: TestClient, make_user: Callable[..., User]
) -> None:
    me = make_user("me")
    for name in ("teacher", "teacher_two", "teachers"):
        make_user(name)
    for q in ("@teacher", "teacher@testserver", "http://testserver/@teacher"):
        result = client.get(
            "/api/v2/search",
            params={"q": q, "type": "accounts", "resolve": "true"},
            headers=me.headers,
        ).json()
        assert result["accounts"][0]["acct"] == "teacher", q
        assert result["statuses"] == [] and result["hashtags"] == []
    remote = client.get(
        "/api/v2/search", params={"q": "teacher@elsewhere.example"}, headers=me.headers
    ).json()
    assert remote["accounts"] == []


def test_v2_search_hides_accounts_in_a_block_unless_asked_exactly(
    client: TestClient, make_user: Callable[..., User]
) -> None:
    me, pest = make_user("me"), make_user("pestilent")
    client.post(f"/api/v1/accounts/{me.id}/block", headers=pest.headers)
    fuzzy = client.get("/api/v2/search", params={"q": "pest"}, headers=me.headers).json()
    assert fuzzy["accounts"] == []
    exact = client.get("/api/v2/search", params={"q": "@pestilent"}, headers=me.headers).json()
    assert _names(exact["accounts"]) == ["pestilent"]


def test_v2_search_hashtags(
    client: TestClient, make_user: Callable[..., User], post: Callable[..., str]
) -> None:
    alice = make_user("alice")
    post(alice, "Join #ELTChat and #ELTChatter and #edtech")
    result = client.get(
        "/api/v2/search", params={"q": "#eltchat", "type": "hashtags"}, headers=alice.headers
    ).json()
    names = [t["name"] for t in result["hashtags"]]
    assert names == ["ELTChat", "ELTChatter"]
    tag = result["hashtags"][0]
    assert tag["url"] == "http://testserver/tags/ELTChat"
    assert tag["history"] == [] and tag["following"] is False and tag["id"]
    assert result["accounts"] == [] and result["statuses"] == []


def test_hashtags_are_ordered_exact_first_then_by_use(
    client: TestClient, make_user: Callable[..., User], post: Callable[..., str]
) -> None:
    alice, bob, carol = make_user("alice"), make_user("bob"), make_user("carol")
    post(alice, "#ELTChatter is quiet")
    for author in (alice, bob, carol):
        post(author, "#ELTChatFeedback again")
    post(bob, "#ELTChatSummer once, but just now")
    post(carol, "#ELTChat tonight")

    def names() -> list[str]:
        found = client.get(
            "/api/v2/search", params={"q": "#eltchat", "type": "hashtags"}, headers=alice.headers
        ).json()
        return [t["name"] for t in found["hashtags"]]

    # The exact tag first (used once), then the most used this week, then the latest used.
    assert names() == ["ELTChat", "ELTChatFeedback", "ELTChatSummer", "ELTChatter"]
    assert names() == names()  # stable


def test_v2_search_statuses_respects_visibility_and_blocks(
    client: TestClient, make_user: Callable[..., User], post: Callable[..., str]
) -> None:
    me, other, blocker, noisy = (make_user(n) for n in ("me", "other", "blocker", "noisy"))
    from_noisy = post(noisy, "phonics, phonics, phonics")
    client.post(f"/api/v1/accounts/{noisy.id}/mute", headers=me.headers)
    public = post(other, "Phonics ideas for Monday")
    post(other, "secret phonics plan", visibility="private")
    post(other, "unlisted phonics", visibility="unlisted")
    mine = post(me, "my own PHONICS notes", visibility="private")
    from_blocker = post(blocker, "phonics from a blocker")
    client.post(f"/api/v1/accounts/{me.id}/block", headers=blocker.headers)
    result = client.get(
        "/api/v2/search", params={"q": "phonics", "type": "statuses"}, headers=me.headers
    ).json()
    assert [s["id"] for s in result["statuses"]] == [mine, public]
    assert from_blocker and from_noisy
    # As Mastodon, posts are searched only for a signed-in viewer.
    anonymous = client.get("/api/v2/search", params={"q": "phonics"}).json()
    assert anonymous["statuses"] == []
    by_url = client.get(
        "/api/v2/search",
        params={"q": f"http://testserver/@other/{public}", "resolve": "true"},
        headers=me.headers,
    ).json()
    assert [s["id"] for s in by_url["statuses"]] == [public]


def test_v2_search_needs_q_and_auth_for_resolve(client: TestClient) -> None:
    assert client.get("/api/v2/search").status_code == 400
    assert client.get("/api/v2/search", params={"q": "x", "resolve": "true"}).status_code == 401
    assert client.get("/api/v2/search", params={"q": "x", "offset": "5"}).status_code == 401


def test_tag_entity(
    client: TestClient, make_user: Callable[..., User], post: Callable[..., str]
) -> None:
    alice = make_user("alice")
    post(alice, "#Maths is fun")
    tag = client.get("/api/v1/tags/maths").json()
    assert tag["name"] == "Maths" and tag["id"] and "following" not in tag
    unused = client.get("/api/v1/tags/neverused", headers=alice.headers).json()
    assert unused == {
        "id": "",
        "name": "neverused",
        "url": "http://testserver/tags/neverused",
        "history": [],
        "following": False,
        "featuring": False,
    }
    assert client.get("/api/v1/tags/123").status_code == 404
