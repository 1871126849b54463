"""A notification the recipient's policy holds back is never streamed; an accepted one is,
as Mastodon 4.3's plain ``Notification`` entity carrying its ``group_key`` (grouping clients
regroup it). Checked with a barrier: a notification that must arrive is caused afterwards,
and it has to be the next frame."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from typing import Any

import pytest
from starlette.testclient import TestClient

from tests.conftest import User
from tests.streaming.conftest import act, post, receive_json, settle

NOTIFICATIONS = {"stream": "user:notification"}


@pytest.fixture
def stream(client: TestClient) -> Iterator[Callable[..., Any]]:
    with ExitStack() as sockets:

        def open_stream(user: User, *subscribe: dict[str, str]) -> Any:
            url = "/api/v1/streaming"
            ws = sockets.enter_context(client.websocket_connect(url, subprotocols=[user.token]))
            for message in subscribe:
                ws.send_json({"type": "subscribe", **message})
            settle(ws)
            return ws

        yield open_stream


def test_held_back_notifications_are_not_streamed(
    client: TestClient, make_user: Callable[..., User], stream: Callable[..., Any]
) -> None:
    alice, stranger, friend = make_user("alice"), make_user("stranger"), make_user("friend")
    act(client, alice, f"/api/v1/accounts/{friend.id}/follow")
    mine = post(client, alice, "Marking rubric for Year 8")
    ws = stream(alice, NOTIFICATIONS)

    post(client, stranger, "@alice psst", visibility="direct")  # held back (the default)
    act(client, friend, f"/api/v1/statuses/{mine['id']}/favourite")  # the barrier
    frame = receive_json(ws)
    assert frame["event"] == "notification"
    entity = json.loads(frame["payload"])
    assert (entity["type"], entity["account"]["id"]) == ("favourite", str(friend.id))
    assert entity["group_key"].startswith(f"favourite-{mine['id']}-")
    grouped = client.get("/api/v2/notifications", headers=alice.headers).json()
    assert [g["group_key"] for g in grouped["notification_groups"]] == [entity["group_key"]]
