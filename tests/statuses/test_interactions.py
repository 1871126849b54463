"""Threads, reposts, favourites, bookmarks, deletion and notifications."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from starlette.testclient import TestClient

from tests.conftest import User

UserFactory = Callable[..., User]


def _post(client: TestClient, user: User, text: str, **extra: object) -> dict[str, Any]:
    response = client.post("/api/v1/statuses", json={"status": text, **extra}, headers=user.headers)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def test_thread_context_orders_ancestors_and_descendants(
    client: TestClient, make_user: UserFactory
) -> None:
    alice, bob = make_user("alice"), make_user("bob")
    root = _post(client, alice, "Question: best warm-up activity? #ELTChat")
    a1 = _post(client, bob, "@alice Two truths and a lie", in_reply_to_id=root["id"])
    a2 = _post(client, alice, "@bob love it", in_reply_to_id=a1["id"])
    b1 = _post(client, bob, "@alice also: word association", in_reply_to_id=root["id"])
    assert a1["in_reply_to_id"] == root["id"]
    assert a1["in_reply_to_account_id"] == str(alice.id)

    ctx = client.get(f"/api/v1/statuses/{root['id']}/context").json()
    assert ctx["ancestors"] == []
    assert [s["id"] for s in ctx["descendants"]] == [a1["id"], a2["id"], b1["id"]]
    ctx = client.get(f"/api/v1/statuses/{a2['id']}/context").json()
    assert [s["id"] for s in ctx["ancestors"]] == [root["id"], a1["id"]]
    assert client.get(f"/api/v1/statuses/{root['id']}").json()["replies_count"] == 2


def test_reblog_favourite_bookmark_round_trip(client: TestClient, make_user: UserFactory) -> None:
    alice, bob = make_user("alice"), make_user("bob")
    status = _post(client, alice, "Share this")
    sid = status["id"]
    reblog = client.post(f"/api/v1/statuses/{sid}/reblog", headers=bob.headers).json()
    assert reblog["id"] != sid and reblog["reblog"]["id"] == sid
    assert reblog["reblog"]["reblogged"] is True and reblog["reblog"]["reblogs_count"] == 1
    assert reblog["reblogged"] is True  # the answer's own flag, as Mastodon sets it
    again = client.post(f"/api/v1/statuses/{sid}/reblog", headers=bob.headers).json()
    assert again["id"] == reblog["id"]

    fav = client.post(f"/api/v1/statuses/{sid}/favourite", headers=bob.headers).json()
    assert fav["favourited"] is True and fav["favourites_count"] == 1
    client.post(f"/api/v1/statuses/{sid}/favourite", headers=bob.headers)
    assert client.get(f"/api/v1/statuses/{sid}").json()["favourites_count"] == 1
    favs = client.get("/api/v1/favourites", headers=bob.headers).json()
    assert [s["id"] for s in favs] == [sid]
    who = client.get(f"/api/v1/statuses/{sid}/favourited_by").json()
    assert [a["username"] for a in who] == ["bob"]
    who = client.get(f"/api/v1/statuses/{sid}/reblogged_by").json()
    assert [a["username"] for a in who] == ["bob"]

    mark = client.post(f"/api/v1/statuses/{sid}/bookmark", headers=bob.headers).json()
    assert mark["bookmarked"] is True
    assert [s["id"] for s in client.get("/api/v1/bookmarks", headers=bob.headers).json()] == [sid]
    client.post(f"/api/v1/statuses/{sid}/unbookmark", headers=bob.headers)
    assert client.get("/api/v1/bookmarks", headers=bob.headers).json() == []

    unfav = client.post(f"/api/v1/statuses/{sid}/unfavourite", headers=bob.headers).json()
    assert unfav["favourited"] is False and unfav["favourites_count"] == 0
    unreblog = client.post(f"/api/v1/statuses/{sid}/unreblog", headers=bob.headers).json()
    assert unreblog["id"] == sid and unreblog["reblogged"] is False
    assert unreblog["reblogs_count"] == 0
    assert client.get(f"/api/v1/statuses/{reblog['id']}").status_code == 404

    types = {n["type"] for n in client.get("/api/v1/notifications", headers=alice.headers).json()}
    assert types == {"reblog", "favourite"}


def test_delete_returns_source_and_removes_everywhere(
    client: TestClient, make_user: UserFactory
) -> None:
    alice, bob = make_user("alice"), make_user("bob")
    status = _post(client, alice, "Oops #typo")
    client.post(f"/api/v1/statuses/{status['id']}/reblog", headers=bob.headers)
    response = client.delete(f"/api/v1/statuses/{status['id']}", headers=bob.headers)
    assert response.status_code == 404  # not bob's to delete
    response = client.delete(f"/api/v1/statuses/{status['id']}", headers=alice.headers)
    assert response.status_code == 200
    assert response.json()["text"] == "Oops #typo"
    assert client.get(f"/api/v1/statuses/{status['id']}").status_code == 404
    assert client.get("/api/v1/timelines/tag/typo").json() == []
    assert client.get("/api/v1/timelines/home", headers=bob.headers).json() == []
    assert client.get(f"/api/v1/accounts/{bob.id}/statuses").json() == []
    me = client.get(f"/api/v1/accounts/{alice.id}/statuses").json()
    assert me == []


def test_mentions_and_replies_notify(client: TestClient, make_user: UserFactory) -> None:
    alice, bob = make_user("alice"), make_user("bob")
    root = _post(client, alice, "Anyone using exit tickets?")
    _post(client, bob, "Yes! Works well for year 9", in_reply_to_id=root["id"])
    _post(client, bob, "@ALICE see my reply")
    notes = client.get("/api/v1/notifications", headers=alice.headers).json()
    assert [n["type"] for n in notes] == ["mention", "mention"]
    assert all(n["account"]["username"] == "bob" for n in notes)
    only = client.get(
        "/api/v1/notifications", params={"types[]": "favourite"}, headers=alice.headers
    ).json()
    assert only == []
    first = notes[0]["id"]
    assert client.get(f"/api/v1/notifications/{first}", headers=alice.headers).status_code == 200
    assert client.get(f"/api/v1/notifications/{first}", headers=bob.headers).status_code == 404
    assert (
        client.post(f"/api/v1/notifications/{first}/dismiss", headers=alice.headers).status_code
        == 200
    )
    assert len(client.get("/api/v1/notifications", headers=alice.headers).json()) == 1
    client.post("/api/v1/notifications/clear", headers=alice.headers)
    assert client.get("/api/v1/notifications", headers=alice.headers).json() == []


def test_hashtag_timeline_is_case_insensitive_and_paginates(
    client: TestClient, make_user: UserFactory
) -> None:
    alice = make_user("alice")
    ids = [_post(client, alice, f"Post {i} #EdChat")["id"] for i in range(5)]
    _post(client, alice, "Unrelated #other")
    seen: list[str] = []
    url: str | None = "/api/v1/timelines/tag/edchat?limit=2"
    pages = 0
    while url:
        response = client.get(url)
        assert response.status_code == 200
        seen.extend(s["id"] for s in response.json())
        link = response.headers.get("link", "")
        nexts = [p for p in link.split(", ") if p.endswith('rel="next"')]
        if nexts:
            assert link.startswith("<") and link.split(", ")[0].endswith('rel="next"')
        url = nexts[0][1 : nexts[0].index(">")].replace("http://testserver", "") if nexts else None
        pages += 1
        assert pages < 10
    assert seen == list(reversed(ids))
    assert pages == 3


def test_home_pagination_min_and_since_id(client: TestClient, make_user: UserFactory) -> None:
    alice = make_user("alice")
    ids = [_post(client, alice, f"n{i}")["id"] for i in range(6)]
    h = alice.headers
    newest_first = list(reversed(ids))
    page = client.get("/api/v1/timelines/home", params={"limit": 2}, headers=h).json()
    assert [s["id"] for s in page] == newest_first[:2]
    page = client.get("/api/v1/timelines/home", params={"min_id": ids[1], "limit": 2}, headers=h)
    assert [s["id"] for s in page.json()] == [ids[3], ids[2]]
    page = client.get("/api/v1/timelines/home", params={"since_id": ids[1], "limit": 2}, headers=h)
    assert [s["id"] for s in page.json()] == [ids[5], ids[4]]
    page = client.get("/api/v1/timelines/home", params={"max_id": ids[2], "limit": 40}, headers=h)
    assert [s["id"] for s in page.json()] == [ids[1], ids[0]]
    assert "next" not in page.headers.get("link", "")
    clamp = client.get("/api/v1/timelines/home", params={"limit": 1000}, headers=h).json()
    assert len(clamp) == 6


def test_errors(client: TestClient, make_user: UserFactory) -> None:
    alice = make_user("alice")
    assert client.get("/api/v1/statuses/999999").status_code == 404
    assert client.get("/api/v1/statuses/abc").status_code == 404
    r = client.get("/api/v1/timelines/home", headers={"Authorization": "Bearer nope"})
    assert r.status_code == 401 and r.json()["error"]
    assert client.get("/api/v1/timelines/home").status_code == 401
    bad = client.post(
        "/api/v1/statuses", json={"status": "x", "visibility": "secret"}, headers=alice.headers
    )
    assert bad.status_code == 422
    blank = client.post("/api/v1/statuses", json={"status": "  "}, headers=alice.headers)
    assert blank.status_code == 422
    garbage = client.post(
        "/api/v1/statuses",
        content=b"{not json",
        headers={**alice.headers, "Content-Type": "application/json"},
    )
    assert garbage.status_code == 400
    form = client.post(
        "/api/v1/statuses", data={"status": "via form", "sensitive": "1"}, headers=alice.headers
    )
    assert form.status_code == 200 and form.json()["sensitive"] is True


def test_read_only_token_cannot_post(client: TestClient, make_user: UserFactory) -> None:
    reader = make_user("reader", scopes="read")
    r = client.post("/api/v1/statuses", json={"status": "hi"}, headers=reader.headers)
    assert r.status_code == 403
    granular = make_user("granular", scopes="read:statuses write:statuses")
    assert (
        client.post("/api/v1/statuses", json={"status": "hi"}, headers=granular.headers).status_code
        == 200
    )
    assert client.post("/api/v1/notifications/clear", headers=granular.headers).status_code == 403


def test_repeated_favourite_notifies_once(client: TestClient, make_user: UserFactory) -> None:
    alice, bob = make_user("alice"), make_user("bob")
    status = _post(client, alice, "Like me")
    for _ in range(2):
        client.post(f"/api/v1/statuses/{status['id']}/favourite", headers=bob.headers)
        client.post(f"/api/v1/statuses/{status['id']}/unfavourite", headers=bob.headers)
    client.post(f"/api/v1/statuses/{status['id']}/favourite", headers=bob.headers)
    notes = client.get("/api/v1/notifications", headers=alice.headers).json()
    assert [n["type"] for n in notes] == ["favourite"]
