"""Streamed posts carry the receiving person's own ``filtered`` (the payload is shared by
everyone else), and a change of filters sends Mastodon's ``filters_changed`` (no payload)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from typing import Any

import pytest
from starlette.testclient import TestClient

from tests.conftest import User
from tests.instance.openapi import schema_errors
from tests.streaming.conftest import act, post, receive_json, settle

MakeUser = Callable[..., User]


@pytest.fixture
def stream(client: TestClient) -> Iterator[Callable[[User, str], Any]]:
    with ExitStack() as sockets:

        def open_stream(user: User, name: str) -> Any:
            url = "/api/v1/streaming"
            ws = sockets.enter_context(client.websocket_connect(url, subprotocols=[user.token]))
            ws.send_json({"type": "subscribe", "stream": name})
            settle(ws)
            return ws

        yield open_stream


def _update(ws: Any) -> dict[str, Any]:
    frame = receive_json(ws)
    assert frame["event"] == "update", frame
    body: dict[str, Any] = json.loads(frame["payload"])
    assert schema_errors("Status", body) == []
    return body


def test_each_receiver_gets_their_own_filtered(
    client: TestClient, make_user: MakeUser, stream: Callable[[User, str], Any]
) -> None:
    alice, bob, carol = make_user("alice"), make_user("bob"), make_user("carol")
    for reader in (bob, carol):
        act(client, reader, f"/api/v1/accounts/{alice.id}/follow")
    made = client.post(
        "/api/v2/filters",
        json={
            "title": "Marking",
            "context": ["home", "public"],
            "filter_action": "hide",
            "keywords_attributes": [{"keyword": "marking"}],
        },
        headers=bob.headers,
    ).json()
    bob_home, carol_home = stream(bob, "user"), stream(carol, "user")
    bob_public, carol_public = stream(bob, "public"), stream(carol, "public")

    hit = post(client, alice, "So much marking tonight")
    for ws in (bob_home, bob_public):
        got = _update(ws)
        assert got["id"] == hit["id"]
        assert [
            (r["filter"]["id"], r["filter"]["filter_action"], r["keyword_matches"])
            for r in got["filtered"]
        ] == [(made["id"], "hide", ["marking"])]
    for ws in (carol_home, carol_public):
        got = _update(ws)
        assert (got["id"], got["filtered"]) == (hit["id"], [])

    miss = post(client, alice, "Nothing to mark")  # "mark" is not the whole word "marking"
    for ws in (bob_home, bob_public, carol_home, carol_public):
        got = _update(ws)
        assert (got["id"], got["filtered"]) == (miss["id"], [])

    # A change of filters: filters_changed on Bob's user stream, without a payload.
    client.delete(f"/api/v2/filters/{made['id']}", headers=bob.headers)
    frame = receive_json(bob_home)
    assert frame == {"stream": ["user"], "event": "filters_changed"}
    after = post(client, alice, "More marking")
    assert _update(bob_home)["filtered"] == []
    assert _update(carol_home)["id"] == after["id"]  # Carol got no filters_changed first
