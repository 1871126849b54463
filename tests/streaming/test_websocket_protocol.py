"""The WebSocket protocol, in process: handshake, subscribe messages, frames, errors, cleanup.

The app runs on the TestClient's event loop with inline jobs, so a post's events are queued for
the socket before the posting request returns. Where a test asserts that something did NOT
arrive, it then triggers an event that must arrive and checks that it is the next frame.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from starlette.testclient import TestClient, WebSocketDenialResponse
from starlette.websockets import WebSocketDisconnect

from staffroom.runtime import Runtime
from staffroom.services.tokens import revoke_token
from staffroom.streaming.hub import HUB_KEY, Hub
from tests.conftest import User
from tests.streaming.conftest import post, receive_json, settle

MakeUser = Callable[..., User]


def frame(ws: Any) -> dict[str, Any]:
    return receive_json(ws)


def test_subprotocol_token_is_echoed_and_query_subscribes(
    client: TestClient, make_user: MakeUser
) -> None:
    alice = make_user("alice")
    with client.websocket_connect(
        "/api/v1/streaming?stream=hashtag&tag=EdChat", subprotocols=[alice.token]
    ) as ws:
        assert ws.accepted_subprotocol == alice.token
        status = post(client, alice, "Hello #edchat friends")
        got = frame(ws)
        assert got["stream"] == ["hashtag", "EdChat"]
        assert got["event"] == "update"
        assert isinstance(got["payload"], str)
        assert json.loads(got["payload"])["id"] == status["id"]


def test_subscribe_message_and_frames_carry_the_stream_as_sent(
    client: TestClient, make_user: MakeUser
) -> None:
    alice = make_user("alice")
    with client.websocket_connect("/api/v1/streaming", headers=alice.headers) as ws:
        ws.send_json({"type": "subscribe", "stream": "hashtag", "tag": "EdChat"})
        ws.send_json({"type": "subscribe", "stream": "public:local"})
        ws.send_json({"type": "subscribe", "stream": "user"})
        settle(ws)
        status = post(client, alice, "Morning #EDCHAT")
        frames = [frame(ws) for _ in range(3)]
        assert sorted(f["stream"] for f in frames) == [
            ["hashtag", "EdChat"],
            ["public:local"],
            ["user"],
        ]
        assert {json.loads(f["payload"])["id"] for f in frames} == {status["id"]}
        # Deleting streams `delete` with the bare ID to every stream that carried the post.
        assert (
            client.delete(f"/api/v1/statuses/{status['id']}", headers=alice.headers).status_code
            == 200
        )
        deletes = [frame(ws) for _ in range(3)]
        assert {(d["event"], d["payload"]) for d in deletes} == {("delete", status["id"])}
        assert sorted(d["stream"] for d in deletes) == [
            ["hashtag", "EdChat"],
            ["public:local"],
            ["user"],
        ]


def test_stream_may_be_given_as_a_list(client: TestClient, make_user: MakeUser) -> None:
    alice = make_user("alice")
    with client.websocket_connect("/api/v1/streaming", subprotocols=[alice.token]) as ws:
        ws.send_json({"type": "subscribe", "stream": ["hashtag", "EdChat"]})
        settle(ws)
        status = post(client, alice, "#edchat in a list")
        got = frame(ws)
        assert (got["stream"], json.loads(got["payload"])["id"]) == (
            ["hashtag", "EdChat"],
            status["id"],
        )
        ws.send_json({"type": "unsubscribe", "stream": ["hashtag", "edchat"]})
        ws.send_json({"type": "subscribe", "stream": "user"})
        settle(ws)
        status = post(client, alice, "#edchat again")
        assert frame(ws)["stream"] == ["user"]
        settle(ws)  # the next frame answers this message: no hashtag frame came


def test_unsubscribe_stops_the_stream(client: TestClient, make_user: MakeUser) -> None:
    alice = make_user("alice")
    with client.websocket_connect(
        "/api/v1/streaming?stream=public", subprotocols=[alice.token]
    ) as ws:
        ws.send_json({"type": "subscribe", "stream": "hashtag", "tag": "maths"})
        ws.send_json({"type": "unsubscribe", "stream": "public"})
        settle(ws)
        post(client, alice, "Not about anything")
        tagged = post(client, alice, "All about #maths")
        got = frame(ws)  # the untagged post went to `public` only, which is gone
        assert (got["stream"], json.loads(got["payload"])["id"]) == (
            ["hashtag", "maths"],
            tagged["id"],
        )


@pytest.mark.parametrize(
    ("message", "error"),
    [
        ({"type": "subscribe", "stream": "nonsense"}, "Unknown stream type"),
        ({"type": "subscribe", "stream": "hashtag"}, "No tag for stream provided"),
        ({"type": "subscribe", "stream": "hashtag", "tag": "#"}, "No tag for stream provided"),
        ({"type": "subscribe", "stream": "list", "list": "12"}, "Record not found"),
        ({"type": "dance", "stream": "user"}, "Unknown message type"),
        ({"stream": "user"}, "Unknown message type"),
        ({"type": "subscribe"}, "Unknown stream type"),
        ([1, 2], "Invalid message"),
    ],
)
def test_bad_subscribe_gets_an_error_frame_and_the_socket_stays_usable(
    client: TestClient, make_user: MakeUser, message: Any, error: str
) -> None:
    alice = make_user("alice")
    with client.websocket_connect("/api/v1/streaming", subprotocols=[alice.token]) as ws:
        ws.send_json(message)
        got = frame(ws)
        assert got["error"] == error
        assert got["status"] == (404 if "list" in error or "Record" in error else 400)
        ws.send_json({"type": "subscribe", "stream": "public"})
        settle(ws)
        status = post(client, alice, "Still here")
        assert json.loads(frame(ws)["payload"])["id"] == status["id"]


def test_invalid_json_and_binary_frames_get_errors(client: TestClient, make_user: MakeUser) -> None:
    alice = make_user("alice")
    with client.websocket_connect("/api/v1/streaming", subprotocols=[alice.token]) as ws:
        ws.send_text("{not json")
        assert frame(ws) == {"error": "Invalid JSON", "status": 400}
        ws.send_bytes(b"\x00\x01")
        assert frame(ws) == {"error": "Binary messages are not supported", "status": 400}


def test_initial_stream_error_is_sent_after_accept(client: TestClient, make_user: MakeUser) -> None:
    alice = make_user("alice")
    with client.websocket_connect(
        "/api/v1/streaming?stream=hashtag", subprotocols=[alice.token]
    ) as ws:
        assert frame(ws) == {"error": "No tag for stream provided", "status": 400}


@pytest.mark.parametrize("where", ["subprotocol", "header", "query", "none"])
def test_bad_token_is_refused_at_the_handshake(client: TestClient, where: str) -> None:
    kwargs: dict[str, Any] = {}
    url = "/api/v1/streaming?stream=public"
    if where == "subprotocol":
        kwargs["subprotocols"] = ["not-a-token"]
    elif where == "header":
        kwargs["headers"] = {"Authorization": "Bearer not-a-token"}
    elif where == "query":
        url += "&access_token=not-a-token"
    with pytest.raises(WebSocketDenialResponse) as denied, client.websocket_connect(url, **kwargs):
        pass  # pragma: no cover - never accepted
    assert denied.value.status_code == 401
    expected = "Missing access token" if where == "none" else "The access token is invalid"
    assert denied.value.json() == {"error": expected}


def test_revoked_token_is_refused(
    client: TestClient, make_user: MakeUser, runtime: Runtime
) -> None:
    alice = make_user("alice")
    runtime.db.write(revoke_token, alice.token)
    url = "/api/v1/streaming"
    with (
        pytest.raises(WebSocketDenialResponse) as denied,
        client.websocket_connect(url, subprotocols=[alice.token]),
    ):
        pass  # pragma: no cover
    assert denied.value.status_code == 401


def test_scopes_decide_which_streams_open(client: TestClient, make_user: MakeUser) -> None:
    reader = make_user("reader", scopes="read:statuses")
    with client.websocket_connect("/api/v1/streaming", subprotocols=[reader.token]) as ws:
        ws.send_json({"type": "subscribe", "stream": "user:notification"})
        assert frame(ws) == {"error": "This action is outside the authorized scopes", "status": 403}
        ws.send_json({"type": "subscribe", "stream": "user"})
        ws.send_json({"type": "subscribe", "stream": "nonsense"})
        assert frame(ws)["error"] == "Unknown stream type"  # so `user` was accepted
    writer = make_user("writer", scopes="write")
    with client.websocket_connect("/api/v1/streaming", subprotocols=[writer.token]) as ws:
        ws.send_json({"type": "subscribe", "stream": "user"})
        assert frame(ws)["status"] == 403
        ws.send_json({"type": "subscribe", "stream": "public"})  # public streams need no scope
        settle(ws)
        status = post(client, writer, "Write-only, yet I can watch the public stream")
        assert json.loads(frame(ws)["payload"])["id"] == status["id"]


def test_user_stream_without_notification_scope_gets_no_notifications(
    client: TestClient, make_user: MakeUser
) -> None:
    alice = make_user("alice", scopes="read:statuses write")
    bob = make_user("bob")
    with client.websocket_connect(
        "/api/v1/streaming?stream=user", subprotocols=[alice.token]
    ) as ws:
        post(client, bob, "@alice hello")  # a mention: a notification alice's token may not read
        own = post(client, alice, "My own post")
        got = frame(ws)
        assert (got["event"], json.loads(got["payload"])["id"]) == ("update", own["id"])


def test_disconnect_frees_every_subscription(
    client: TestClient, make_user: MakeUser, runtime: Runtime
) -> None:
    alice = make_user("alice")
    channels = [f"timeline:{alice.id}", "timeline:public", "timeline:hashtag:edchat"]
    with client.websocket_connect(
        "/api/v1/streaming?stream=user", subprotocols=[alice.token]
    ) as ws:
        ws.send_json({"type": "subscribe", "stream": "public"})
        ws.send_json({"type": "subscribe", "stream": "hashtag", "tag": "EdChat"})
        settle(ws)
        assert all(runtime.broker.has_subscribers(c) for c in channels)
        hub: Hub = runtime.extras[HUB_KEY]
        assert len(hub.connections) == 1
    with client.websocket_connect("/api/v1/streaming", subprotocols=[alice.token]) as ws:
        settle(ws)  # by now the first socket's handler has finished
        assert not any(runtime.broker.has_subscribers(c) for c in channels)
        assert len(hub.connections) == 1


def test_http_get_on_the_websocket_path_says_same_host(client: TestClient) -> None:
    response = client.get("/api/v1/streaming")
    assert response.status_code == 404
    assert response.json() == {"error": "Record not found"}


def test_server_closes_the_socket_of_a_revoked_token(
    client: TestClient, make_user: MakeUser, runtime: Runtime
) -> None:
    runtime.extras["streaming.token_check_seconds"] = 0.05
    alice = make_user("alice")
    with client.websocket_connect(
        "/api/v1/streaming?stream=public", subprotocols=[alice.token]
    ) as ws:
        runtime.db.write(revoke_token, alice.token)
        with pytest.raises(WebSocketDisconnect) as closed:
            receive_json(ws)
        assert closed.value.code == 1008
