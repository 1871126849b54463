"""The ``direct`` stream carries ``conversation`` events (Mastodon's ``Conversation``), only
to the participants, as a conversation gets a post, is read or loses its last post."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from typing import Any

import pytest
from starlette.testclient import TestClient

from tests.conftest import User
from tests.instance.openapi import schema_errors
from tests.streaming.conftest import post, receive_json, settle

MakeUser = Callable[..., User]
DIRECT = {"stream": "direct"}


@pytest.fixture
def direct_stream(client: TestClient) -> Iterator[Callable[[User], Any]]:
    with ExitStack() as sockets:

        def open_stream(user: User) -> Any:
            url = "/api/v1/streaming"
            ws = sockets.enter_context(client.websocket_connect(url, subprotocols=[user.token]))
            ws.send_json({"type": "subscribe", **DIRECT})
            settle(ws)
            return ws

        yield open_stream


def _conversation(ws: Any) -> dict[str, Any]:
    frame = receive_json(ws)
    assert frame["stream"] == ["direct"] and frame["event"] == "conversation", frame
    body: dict[str, Any] = json.loads(frame["payload"])
    assert schema_errors("Conversation", body) == []
    return body


def test_conversation_events_reach_only_participants(
    client: TestClient, make_user: MakeUser, direct_stream: Callable[[User], Any]
) -> None:
    alice, bob, carol = make_user("alice"), make_user("bob"), make_user("carol")
    alice_ws, bob_ws, carol_ws = (direct_stream(u) for u in (alice, bob, carol))

    first = post(client, alice, "@bob lunch?", visibility="direct")
    got = _conversation(bob_ws)
    assert (got["unread"], got["last_status"]["id"]) == (True, first["id"])
    assert [a["username"] for a in got["accounts"]] == ["alice"]
    mine = _conversation(alice_ws)
    assert (mine["unread"], [a["username"] for a in mine["accounts"]]) == (False, ["bob"])

    read = client.post(f"/api/v1/conversations/{got['id']}/read", headers=bob.headers)
    assert read.status_code == 200
    assert _conversation(bob_ws)["unread"] is False

    second = post(client, alice, "@bob or coffee?", visibility="direct", in_reply_to_id=first["id"])
    assert _conversation(bob_ws)["last_status"]["id"] == second["id"]
    assert _conversation(alice_ws)["last_status"]["id"] == second["id"]
    client.delete(f"/api/v1/statuses/{second['id']}", headers=alice.headers)
    frames = [receive_json(bob_ws) for _ in range(2)]  # the deletion, then the conversation
    assert [f["event"] for f in frames] == ["delete", "conversation"]
    assert json.loads(frames[1]["payload"])["last_status"]["id"] == first["id"]

    # Carol received none of it: her first frame is her own conversation (the barrier).
    own = post(client, alice, "@carol hello", visibility="direct")
    assert _conversation(carol_ws)["last_status"]["id"] == own["id"]
