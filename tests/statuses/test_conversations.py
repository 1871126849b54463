"""Direct conversations (``/api/v1/conversations``): each participant's list of direct
threads, unread when someone else posts, read and removed per person, and never shown to
anyone who is not a participant."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from starlette.testclient import TestClient

from tests.conftest import User
from tests.instance.openapi import schema_errors, unknown_keys

UserFactory = Callable[..., User]


def _post(client: TestClient, user: User, text: str, **extra: object) -> dict[str, Any]:
    response = client.post("/api/v1/statuses", json={"status": text, **extra}, headers=user.headers)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def _conversations(client: TestClient, user: User, **params: object) -> list[dict[str, Any]]:
    answer = client.get("/api/v1/conversations", params=params, headers=user.headers)
    assert answer.status_code == 200, answer.text
    body: list[dict[str, Any]] = answer.json()
    for item in body:
        assert schema_errors("Conversation", item) == []
        assert unknown_keys("Conversation", item) == []
    return body


def _summary(items: list[dict[str, Any]]) -> list[tuple[list[str], bool, str | None]]:
    return [
        (
            sorted(a["username"] for a in item["accounts"]),
            item["unread"],
            item["last_status"]["id"] if item["last_status"] else None,
        )
        for item in items
    ]


def test_two_people_exchange_direct_messages(client: TestClient, make_user: UserFactory) -> None:
    alice, bob, carol = make_user("alice"), make_user("bob"), make_user("carol")
    first = _post(client, alice, "@bob are you free at lunch?", visibility="direct")

    assert _summary(_conversations(client, bob)) == [(["alice"], True, first["id"])]
    assert _summary(_conversations(client, alice)) == [(["bob"], False, first["id"])]

    reply = _post(
        client, bob, "@alice yes, room 4", visibility="direct", in_reply_to_id=first["id"]
    )
    # Still one conversation each; now unread for alice, read for bob (his own post).
    assert _summary(_conversations(client, alice)) == [(["bob"], True, reply["id"])]
    bobs = _conversations(client, bob)
    assert _summary(bobs) == [(["alice"], False, reply["id"])]

    # A third person sees nothing of it anywhere.
    assert _conversations(client, carol) == []
    for path in ("/api/v1/timelines/home", "/api/v1/timelines/public"):
        shown = client.get(path, headers=carol.headers).json()
        assert {s["id"] for s in shown}.isdisjoint({first["id"], reply["id"]})
    assert client.get(f"/api/v1/statuses/{reply['id']}", headers=carol.headers).status_code == 404
    assert (
        client.post(
            f"/api/v1/conversations/{bobs[0]['id']}/read", headers=carol.headers
        ).status_code
        == 404
    )
    assert (
        client.delete(f"/api/v1/conversations/{bobs[0]['id']}", headers=carol.headers).status_code
        == 404
    )
    assert _conversations(client, bob)[0]["id"] == bobs[0]["id"]


def test_mark_read_remove_and_a_new_post_brings_it_back(
    client: TestClient, make_user: UserFactory
) -> None:
    alice, bob = make_user("alice"), make_user("bob")
    first = _post(client, alice, "@bob the report is due Friday", visibility="direct")
    conversation = _conversations(client, bob)[0]

    read = client.post(f"/api/v1/conversations/{conversation['id']}/read", headers=bob.headers)
    assert read.status_code == 200
    assert schema_errors("Conversation", read.json()) == []
    assert read.json()["unread"] is False and read.json()["id"] == conversation["id"]
    assert _summary(_conversations(client, bob)) == [(["alice"], False, first["id"])]

    removed = client.delete(f"/api/v1/conversations/{conversation['id']}", headers=bob.headers)
    assert removed.status_code == 200 and removed.json() == {}
    assert _conversations(client, bob) == []
    assert len(_conversations(client, alice)) == 1  # only bob's list changed

    again = _post(client, alice, "@bob reminder!", visibility="direct", in_reply_to_id=first["id"])
    back = _conversations(client, bob)
    assert _summary(back) == [(["alice"], True, again["id"])]
    assert back[0]["id"] != conversation["id"]


def test_participants_and_separate_threads(client: TestClient, make_user: UserFactory) -> None:
    alice, bob, carol = make_user("alice"), make_user("bob"), make_user("carol")
    group = _post(client, alice, "@bob @carol staff meeting moved", visibility="direct")
    pair = _post(client, alice, "@bob a private word", visibility="direct")
    note = _post(client, alice, "a note to myself", visibility="direct")
    public = _post(client, alice, "@bob hello in public")

    assert _summary(_conversations(client, alice)) == [
        (["alice"], False, note["id"]),  # only oneself: the owner is the participant
        (["bob"], False, pair["id"]),
        (["bob", "carol"], False, group["id"]),
    ]
    assert _summary(_conversations(client, carol)) == [(["alice", "bob"], True, group["id"])]
    assert public["id"] not in {c["last_status"]["id"] for c in _conversations(client, bob)}


def test_deleting_posts_moves_back_or_removes(client: TestClient, make_user: UserFactory) -> None:
    alice, bob = make_user("alice"), make_user("bob")
    first = _post(client, alice, "@bob one", visibility="direct")
    second = _post(client, alice, "@bob two", visibility="direct", in_reply_to_id=first["id"])

    client.delete(f"/api/v1/statuses/{second['id']}", headers=alice.headers)
    assert _summary(_conversations(client, bob)) == [(["alice"], True, first["id"])]
    client.delete(f"/api/v1/statuses/{first['id']}", headers=alice.headers)
    assert _conversations(client, bob) == []
    assert _conversations(client, alice) == []


def test_pages_by_last_post_with_link_headers(client: TestClient, make_user: UserFactory) -> None:
    alice = make_user("alice")
    friends = [make_user(f"friend{n}") for n in range(3)]
    posts = [_post(client, alice, f"@{f.username} hi", visibility="direct") for f in friends]

    answer = client.get("/api/v1/conversations?limit=2", headers=alice.headers)
    assert [c["last_status"]["id"] for c in answer.json()] == [posts[2]["id"], posts[1]["id"]]
    link = answer.headers["link"]
    assert f"max_id={posts[1]['id']}" in link and f"min_id={posts[2]['id']}" in link
    older = _conversations(client, alice, max_id=posts[1]["id"])
    assert [c["last_status"]["id"] for c in older] == [posts[0]["id"]]
    newer = _conversations(client, alice, min_id=posts[0]["id"], limit=1)
    assert [c["last_status"]["id"] for c in newer] == [posts[1]["id"]]


def test_blocks_keep_messages_out(client: TestClient, make_user: UserFactory) -> None:
    alice, bob, carol = make_user("alice"), make_user("bob"), make_user("carol")
    client.post(f"/api/v1/accounts/{alice.id}/block", headers=bob.headers)
    client.post(f"/api/v1/accounts/{carol.id}/block", headers=alice.headers)
    _post(client, alice, "@bob @carol hello", visibility="direct")

    assert _conversations(client, bob) == []  # bob blocks alice
    assert _conversations(client, carol) == []  # alice blocks carol: carol may not see it
    assert len(_conversations(client, alice)) == 1


def test_scopes(client: TestClient, make_user: UserFactory) -> None:
    alice = make_user("alice")
    bob = make_user("bob")
    reader = make_user("reader", scopes="read:statuses")
    _post(client, bob, "@reader hi", visibility="direct")
    _post(client, alice, "@bob hi", visibility="direct")
    conversation = _conversations(client, reader)[0]

    assert client.get("/api/v1/conversations").status_code == 401
    denied = client.post(f"/api/v1/conversations/{conversation['id']}/read", headers=reader.headers)
    assert denied.status_code == 403
    writer = make_user("writer", scopes="write:conversations")
    assert client.get("/api/v1/conversations", headers=writer.headers).status_code == 403
    assert client.delete("/api/v1/conversations/1", headers=writer.headers).status_code == 404
