"""The streaming API of a real server process, over the wire.

WebSockets through the ``websockets`` client (token as the subprotocol, as browsers send it),
SSE through httpx, and the access rules end to end. With ``STAFFROOM_REDIS_URL`` set the
server streams through Redis pub/sub, and the disconnect test watches Redis itself.
"""

from __future__ import annotations

import json
import os
import queue
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
import redis
from websockets.exceptions import InvalidStatus
from websockets.sync.client import ClientConnection, connect

from staffroom.db import create_database
from staffroom.services.tokens import revoke_token
from tests.streaming.live import HEARTBEAT_SECONDS, Person, StreamingServer

pytestmark = pytest.mark.e2e

MakePerson = Callable[..., Person]


class Socket:
    """A ``websockets`` connection that speaks JSON frames."""

    def __init__(self, ws: ClientConnection) -> None:
        self.ws = ws

    def send(self, **message: Any) -> None:
        self.ws.send(json.dumps(message))

    def frame(self, timeout: float = 2.0) -> dict[str, Any]:
        data: dict[str, Any] = json.loads(self.ws.recv(timeout=timeout))
        return data

    def settle(self) -> None:
        self.send(type="subscribe", stream="-settle-")
        assert self.frame() == {"error": "Unknown stream type", "status": 400}

    def collect(
        self, wanted: set[tuple[str, str, str]], quiet: float = 0.3
    ) -> set[tuple[str, str, str]]:
        """Frames until ``wanted`` has arrived and then ``quiet`` seconds pass without one."""
        seen: set[tuple[str, str, str]] = set()
        deadline = time.monotonic() + 5
        while not wanted <= seen and time.monotonic() < deadline:
            seen.add(self.next_status())
        while True:
            try:
                seen.add(self.next_status(timeout=quiet))
            except TimeoutError:
                return seen

    def next_status(self, timeout: float = 2.0) -> tuple[str, str, str]:
        """(first element of stream, event, status ID) of the next frame."""
        data = self.frame(timeout)
        payload = data["payload"]
        if data["event"] == "update":
            payload = json.loads(payload)["id"]
        elif data["event"] == "notification":
            payload = json.loads(payload)["status"]["id"]
        return data["stream"][0], data["event"], payload


@pytest.fixture
def sockets(live: StreamingServer) -> Iterator[Callable[..., Socket]]:
    opened: list[ClientConnection] = []

    def open_socket(someone: Person, query: str = "", *subscribe: dict[str, str]) -> Socket:
        ws = connect(live.ws_url + query, subprotocols=[someone.token], open_timeout=5)  # type: ignore[list-item]
        opened.append(ws)
        socket = Socket(ws)
        for message in subscribe:
            socket.send(type="subscribe", **message)
        socket.settle()
        return socket

    yield open_socket
    for ws in opened:
        ws.close()


def api(
    live: StreamingServer, someone: Person, method: str, path: str, **body: Any
) -> dict[str, Any]:
    response = httpx.request(
        method, live.url + path, json=body or None, headers=someone.headers, timeout=10
    )
    assert response.status_code == 200, response.text
    data: dict[str, Any] = response.json()
    return data


def test_health(live: StreamingServer) -> None:
    response = httpx.get(f"{live.url}/api/v1/streaming/health")
    assert (response.status_code, response.text) == (200, "OK")
    assert response.headers["content-type"].startswith("text/plain")


def test_websocket_frames_over_the_wire(
    live: StreamingServer, person: MakePerson, sockets: Callable[..., Socket]
) -> None:
    alice, bob = person("alice"), person("bob")
    tag = f"EdChat{uuid.uuid4().hex[:6]}"
    socket = sockets(alice, "?stream=user", {"stream": "hashtag", "tag": tag})
    assert socket.ws.subprotocol == alice.token
    status = api(
        live, bob, "POST", "/api/v1/statuses", status=f"@{alice.username} #{tag.lower()} ideas?"
    )
    frames = [socket.frame() for _ in range(2)]
    assert sorted((f["stream"][0], f["event"]) for f in frames) == [
        ("hashtag", "update"),
        ("user", "notification"),
    ]
    tagged = next(f for f in frames if f["event"] == "update")
    assert tagged["stream"] == ["hashtag", tag]
    assert json.loads(tagged["payload"])["id"] == status["id"]
    socket.send(type="subscribe", stream="hashtag")
    assert socket.frame() == {"error": "No tag for stream provided", "status": 400}
    api(live, bob, "DELETE", f"/api/v1/statuses/{status['id']}")
    deletes = [socket.frame() for _ in range(2)]  # it reached alice by tag and as a mention
    assert sorted(tuple(d["stream"]) for d in deletes) == [("hashtag", tag), ("user",)]
    assert {(d["event"], d["payload"]) for d in deletes} == {("delete", status["id"])}


@pytest.mark.parametrize("problem", ["unknown", "revoked", "missing"])
def test_websocket_bad_token_is_refused_at_the_handshake(
    live: StreamingServer, person: MakePerson, problem: str
) -> None:
    token = "not-a-token"
    if problem == "revoked":
        token = person("alice").token
        db = create_database(live.database_url, pool_size=1)
        db.write(revoke_token, token)
        db.dispose()
    protocols = None if problem == "missing" else [token]
    with pytest.raises(InvalidStatus) as refused:
        connect(live.ws_url + "?stream=public", subprotocols=protocols, open_timeout=5)  # type: ignore[arg-type]
    assert refused.value.response.status_code == 401


def test_sse_over_the_wire(live: StreamingServer, person: MakePerson) -> None:
    alice, bob = person("alice"), person("bob")
    tag = f"Phonics{uuid.uuid4().hex[:6]}"
    url = f"{live.url}/api/v1/streaming/hashtag?tag={tag}&access_token={alice.token}"
    lines: queue.Queue[str] = queue.Queue()
    with (
        httpx.Client(timeout=httpx.Timeout(5, read=None)) as http,
        http.stream("GET", url) as response,
    ):
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        assert "content-encoding" not in response.headers  # httpx asked for gzip: never a stream

        def read() -> None:
            try:
                for line in response.iter_lines():
                    lines.put(line)
            except Exception:
                lines.put("<closed>")

        threading.Thread(target=read, daemon=True).start()
        assert lines.get(timeout=2) == ":)"
        started = time.monotonic()
        status = api(live, bob, "POST", "/api/v1/statuses", status=f"#{tag} starts tomorrow")
        seen = [lines.get(timeout=2) for _ in range(3)]
        while seen[-3] != "event: update":
            seen.append(lines.get(timeout=2))
        assert json.loads(seen[-2].removeprefix("data: "))["id"] == status["id"]
        while lines.get(timeout=2) != ":thump":
            pass
        assert time.monotonic() - started < 2 + 3 * HEARTBEAT_SECONDS


def test_access_rules_end_to_end(
    live: StreamingServer, person: MakePerson, sockets: Callable[..., Socket]
) -> None:
    author, follower, stranger, blocker = (
        person(n) for n in ("author", "follower", "stranger", "blocker")
    )
    api(live, follower, "POST", f"/api/v1/accounts/{author.id}/follow")
    api(live, blocker, "POST", f"/api/v1/accounts/{author.id}/block")
    # The stranger hears private mentions from anyone (Mastodon's default holds them back).
    api(live, stranger, "PATCH", "/api/v2/notifications/policy", for_private_mentions="accept")
    tag = f"Staff{uuid.uuid4().hex[:6]}"
    subscriptions = ({"stream": "hashtag", "tag": tag}, {"stream": "user"})
    ws = {p.username: sockets(p, "", *subscriptions) for p in (follower, stranger, blocker)}

    private = api(
        live, author, "POST", "/api/v1/statuses", status=f"#{tag} staff only", visibility="private"
    )
    dm = api(
        live,
        author,
        "POST",
        "/api/v1/statuses",
        status=f"@{stranger.username} #{tag}",
        visibility="direct",
    )
    public = api(live, author, "POST", "/api/v1/statuses", status=f"#{tag} open day")
    marker = api(live, stranger, "POST", "/api/v1/statuses", status=f"#{tag} see you there")

    expected = {
        # A follower: the followers-only post at home only, the public one at home and by tag.
        follower: {
            ("user", "update", private["id"]),
            ("user", "update", public["id"]),
            ("hashtag", "update", public["id"]),
            ("hashtag", "update", marker["id"]),
        },
        # A stranger: the DM only as a notification, never the followers-only post.
        stranger: {
            ("user", "notification", dm["id"]),
            ("hashtag", "update", public["id"]),
            ("user", "update", marker["id"]),
            ("hashtag", "update", marker["id"]),
        },
        # Blocking the author hides all of their posts.
        blocker: {("hashtag", "update", marker["id"])},
    }
    for someone, wanted in expected.items():
        assert ws[someone.username].collect(wanted) == wanted, someone.username


REDIS_URL = os.environ.get("STAFFROOM_REDIS_URL")


@pytest.mark.skipif(
    not REDIS_URL, reason="the server uses Redis only when STAFFROOM_REDIS_URL is set"
)
def test_disconnect_unsubscribes_from_redis(live: StreamingServer, person: MakePerson) -> None:
    alice = person("alice")
    assert REDIS_URL is not None
    watcher = redis.Redis.from_url(REDIS_URL)
    tag = f"Gone{uuid.uuid4().hex[:6]}".lower()
    ws_channel, sse_channel = f"timeline:hashtag:{tag}", f"timeline:hashtag:{tag}:local"

    def subscribers(channel: str) -> int:
        return int(dict(watcher.pubsub_numsub(channel))[channel.encode()])

    def eventually_zero(channel: str) -> None:
        deadline = time.monotonic() + 3
        while subscribers(channel) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert subscribers(channel) == 0

    ws = connect(f"{live.ws_url}?stream=hashtag&tag={tag}", subprotocols=[alice.token])  # type: ignore[list-item]
    assert subscribers(ws_channel) == 1
    ws.close()
    eventually_zero(ws_channel)

    url = f"{live.url}/api/v1/streaming/hashtag/local?tag={tag}"
    with httpx.stream("GET", url, headers=alice.headers, timeout=5) as response:
        lines = response.iter_lines()  # (a discarded iterator would close the response)
        assert next(lines) == ":)"
        assert subscribers(sse_channel) == 1
    eventually_zero(sse_channel)
    watcher.close()
