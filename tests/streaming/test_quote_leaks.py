"""A quoted post never reaches, through a stream, anyone who may not see it."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from typing import Any

import pytest
from starlette.testclient import TestClient

from tests.conftest import User
from tests.streaming.conftest import act, post, receive_json, settle

MakeUser = Callable[..., User]


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


def _frames(ws: Any, count: int) -> dict[tuple[str, str], Any]:
    found = {}
    for _ in range(count):
        data = receive_json(ws)
        body = json.loads(data["payload"])
        found[(data["stream"][0], data["event"])] = body.get("status", body)
    return found


def test_a_followers_only_quote_in_a_direct_message(
    client: TestClient, make_user: MakeUser, stream: Callable[..., Any]
) -> None:
    alice, bob, carol = make_user("alice"), make_user("bob"), make_user("carol")
    act(client, bob, f"/api/v1/accounts/{alice.id}/follow")
    # Carol hears private mentions from anyone (Mastodon's default holds them back).
    client.patch(
        "/api/v2/notifications/policy",
        data={"for_private_mentions": "accept"},
        headers=carol.headers,
    )
    private = post(client, alice, "Staff room secret", visibility="private")
    carol_ws = stream(carol, {"stream": "user"}, {"stream": "direct"})

    dm = post(
        client,
        alice,
        "@carol @bob have a look",
        visibility="direct",
        quoted_status_id=private["id"],
    )
    assert dm["quote"]["quoted_status"]["id"] == private["id"]  # Alice sees her own post

    frames = _frames(carol_ws, 2)
    # The direct stream carries the conversation (Mastodon 4), with the post as its last.
    assert set(frames) == {("direct", "conversation"), ("user", "notification")}
    for status in (frames["direct", "conversation"]["last_status"], frames["user", "notification"]):
        assert status["id"] == dm["id"]
        assert status["quote"] == {"state": "unauthorized", "quoted_status": None}
        assert "Staff room secret" not in json.dumps(status)


def test_a_quote_of_someone_who_blocks_the_viewer(
    client: TestClient, make_user: MakeUser, stream: Callable[..., Any]
) -> None:
    alice, bob, carol = make_user("alice"), make_user("bob"), make_user("carol")
    act(client, carol, f"/api/v1/accounts/{bob.id}/follow")
    act(client, carol, f"/api/v1/accounts/{alice.id}/follow")
    original = post(client, alice, "Alice's public post")
    act(client, alice, f"/api/v1/accounts/{carol.id}/block")
    carol_ws = stream(carol, {"stream": "user"})

    post(client, bob, "Quoting Alice", quoted_status_id=original["id"])
    barrier = post(client, bob, "Plain post")

    frame = _frames(carol_ws, 1)
    assert frame[("user", "update")]["id"] == barrier["id"]  # the quote never came
