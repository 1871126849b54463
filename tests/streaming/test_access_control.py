"""Streams never carry a post, notification or deletion to anyone who may not see it.

In process (TestClient WebSockets, inline jobs). A stream that must NOT receive something is
checked with a barrier: an event that must arrive is triggered afterwards, and it has to be
the next frame.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from typing import Any

import pytest
from starlette.testclient import TestClient

from staffroom.runtime import Runtime
from staffroom.services.delivery import event as broker_message
from tests.conftest import User
from tests.streaming.conftest import act, post, receive_json, settle

MakeUser = Callable[..., User]
Stream = Callable[..., Any]


def next_frame(ws: Any) -> tuple[tuple[str, ...], str, str]:
    """(stream, event, status id or payload) of the next frame."""
    data = receive_json(ws)
    payload = data["payload"]
    if data["event"] in ("update", "status.update"):
        payload = json.loads(payload)["id"]
    elif data["event"] == "notification":
        payload = json.loads(payload)["status"]["id"]
    elif data["event"] == "conversation":
        payload = json.loads(payload)["last_status"]["id"]
    return tuple(data["stream"]), data["event"], payload


@pytest.fixture
def stream(client: TestClient) -> Iterator[Callable[..., Any]]:
    """``stream(user, *subscriptions)``: a WebSocket whose subscriptions are all live."""
    with ExitStack() as sockets:

        def open_stream(user: User, *subscribe: dict[str, str]) -> Any:
            url = "/api/v1/streaming"
            ws = sockets.enter_context(client.websocket_connect(url, subprotocols=[user.token]))
            for message in subscribe:
                ws.send_json({"type": "subscribe", **message})
            settle(ws)
            return ws

        yield open_stream


PUBLIC = {"stream": "public"}
LOCAL = {"stream": "public:local"}
TAG = {"stream": "hashtag", "tag": "EdChat"}
USER = {"stream": "user"}
DIRECT = {"stream": "direct"}
NOTIFICATIONS = {"stream": "user:notification"}


def test_followers_only_and_direct_posts_stay_off_public_and_strangers_streams(
    client: TestClient, make_user: MakeUser, stream: Stream
) -> None:
    alice, bob, carol = make_user("alice"), make_user("bob"), make_user("carol")
    act(client, bob, f"/api/v1/accounts/{alice.id}/follow")
    # Carol hears private mentions from anyone (Mastodon's default holds them back).
    client.patch(
        "/api/v2/notifications/policy",
        data={"for_private_mentions": "accept"},
        headers=carol.headers,
    )
    bob_ws = stream(bob, PUBLIC, LOCAL, TAG, USER, DIRECT)
    carol_ws = stream(carol, PUBLIC, LOCAL, TAG, USER, DIRECT)

    private = post(client, alice, "Followers only #EdChat", visibility="private")
    assert next_frame(bob_ws) == (("user",), "update", private["id"])
    dm = post(client, alice, "@carol just you #EdChat", visibility="direct")
    dm_frames = {next_frame(carol_ws) for _ in range(2)}
    assert dm_frames == {
        (("direct",), "conversation", dm["id"]),
        (("user",), "notification", dm["id"]),
    }
    public = post(client, alice, "Everyone #EdChat")
    # Bob (a follower) saw the private post on `user` only, and now the public one everywhere.
    got = [next_frame(bob_ws) for _ in range(4)]
    assert sorted(s[0] for s, _, _ in got) == ["hashtag", "public", "public:local", "user"]
    assert {p for _, _, p in got} == {public["id"]}
    # Carol (a stranger) got only her DM: the public post reached her public streams and
    # hashtag stream, never the private one; nothing of Alice's on her home stream.
    got = [next_frame(carol_ws) for _ in range(3)]
    assert sorted(s[0] for s, _, _ in got) == ["hashtag", "public", "public:local"]
    assert {p for _, _, p in got} == {public["id"]}
    # Deleting the private post tells its audience (bob), never the public streams.
    client.delete(f"/api/v1/statuses/{private['id']}", headers=alice.headers)
    assert next_frame(bob_ws) == (("user",), "delete", private["id"])
    own = post(client, carol, "My own")
    assert next_frame(carol_ws)[1:] == ("update", own["id"])


def test_blocked_and_muted_authors_never_reach_the_viewer(
    client: TestClient, make_user: MakeUser, stream: Stream
) -> None:
    author, blocker, muter, blocked_by_author, bystander = (
        make_user(n) for n in ("author", "blocker", "muter", "victim", "bystander")
    )
    act(client, blocker, f"/api/v1/accounts/{author.id}/block")
    act(client, muter, f"/api/v1/accounts/{author.id}/mute")
    act(client, author, f"/api/v1/accounts/{blocked_by_author.id}/block")
    sockets = {
        u.username: stream(u, PUBLIC, TAG) for u in (blocker, muter, blocked_by_author, bystander)
    }

    hidden = post(client, author, "Hello #EdChat")
    visible = post(client, bystander, "Hi all #EdChat")
    for name, ws in sockets.items():
        # Each socket's first two frames (public and hashtag) are the first post it may see.
        first = hidden if name == "bystander" else visible
        assert {next_frame(ws)[1:] for _ in range(2)} == {("update", first["id"])}, name
    assert {next_frame(sockets["bystander"])[1:] for _ in range(2)} == {("update", visible["id"])}
    # Deletions are filtered the same way.
    client.delete(f"/api/v1/statuses/{hidden['id']}", headers=author.headers)
    client.delete(f"/api/v1/statuses/{visible['id']}", headers=bystander.headers)
    for name, ws in sockets.items():
        first = next_frame(ws)
        assert first[1] == "delete"
        assert first[2] == (hidden["id"] if name == "bystander" else visible["id"]), name


def test_posts_mentioning_someone_the_viewer_blocks_are_dropped(
    client: TestClient, make_user: MakeUser, stream: Stream
) -> None:
    alice, viewer, pest = make_user("alice"), make_user("viewer"), make_user("pest")
    act(client, viewer, f"/api/v1/accounts/{pest.id}/block")
    ws = stream(viewer, PUBLIC)
    post(client, alice, "Hey @pest, welcome")
    fine = post(client, alice, "Hey everyone")
    assert next_frame(ws) == (("public",), "update", fine["id"])


def test_notifications_only_reach_their_recipient(
    client: TestClient, make_user: MakeUser, stream: Stream
) -> None:
    alice, bob, carol = make_user("alice"), make_user("bob"), make_user("carol")
    bob_ws = stream(bob, USER, NOTIFICATIONS)
    carol_ws = stream(carol, USER, NOTIFICATIONS)
    mention = post(client, alice, "@bob are you coming?")
    got = [next_frame(bob_ws) for _ in range(2)]
    assert sorted((s[0], e, p) for s, e, p in got) == [
        ("user", "notification", mention["id"]),
        ("user:notification", "notification", mention["id"]),
    ]
    own = post(client, carol, "Just me")
    assert next_frame(carol_ws) == (("user",), "update", own["id"])


def test_public_channels_drop_non_public_events_defensively(
    client: TestClient, make_user: MakeUser, runtime: Runtime, stream: Stream
) -> None:
    alice = make_user("alice")
    ws = stream(alice, PUBLIC)
    meta = {"author_id": alice.id, "reblog_author_id": None, "mentioned": [], "visibility": 2}
    leaked = json.dumps({"id": "1", "content": "should never be seen"})
    # A misrouted followers-only post (published from this thread, as a worker would).
    runtime.broker.publish("timeline:public", broker_message("update", leaked, meta))
    status = post(client, alice, "A real public post")
    assert next_frame(ws) == (("public",), "update", status["id"])


def test_an_edit_is_streamed_to_those_who_may_see_the_post_only(
    client: TestClient, make_user: MakeUser, stream: Stream
) -> None:
    alice, bob, carol = make_user("alice"), make_user("bob"), make_user("carol")
    act(client, bob, f"/api/v1/accounts/{alice.id}/follow")
    private = post(client, alice, "Followers only #EdChat", visibility="private")
    public = post(client, alice, "Everyone #EdChat")
    bob_ws = stream(bob, USER)
    carol_ws = stream(carol, PUBLIC, TAG, USER)

    edited = client.put(
        f"/api/v1/statuses/{private['id']}",
        json={"status": "Followers only, edited #EdChat"},
        headers=alice.headers,
    )
    assert edited.status_code == 200, edited.text
    assert next_frame(bob_ws) == (("user",), "status.update", private["id"])
    client.put(
        f"/api/v1/statuses/{public['id']}",
        json={"status": "Everyone, edited #EdChat"},
        headers=alice.headers,
    )
    assert next_frame(bob_ws) == (("user",), "status.update", public["id"])
    # Carol never sees the private edit: the public one is her next frame on each stream.
    got = [next_frame(carol_ws) for _ in range(2)]
    assert sorted(s[0] for s, _, _ in got) == ["hashtag", "public"]
    assert {(e, p) for _, e, p in got} == {("status.update", public["id"])}
