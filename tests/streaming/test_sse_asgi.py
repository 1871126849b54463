"""Server-sent events at the ASGI level: wire format, heartbeat, errors, and cleanup.

The app is called directly with a scripted ``receive`` (the client leaves when the test says
so) and a recording ``send``, on the test's own event loop.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from typing import Any

import pytest

from staffroom.app import create_app
from staffroom.runtime import Runtime
from staffroom.services.delivery import event as broker_message
from staffroom.streaming.hub import HUB_KEY
from tests.conftest import User

MakeUser = Callable[..., User]


class Client:
    """One SSE request in flight: what the server sent, and a way to hang up."""

    def __init__(self, runtime: Runtime, path: str, token: str | None) -> None:
        self.app = create_app(runtime=runtime)
        path, _, query = path.partition("?")
        headers = [(b"authorization", f"Bearer {token}".encode())] if token else []
        self.scope: dict[str, Any] = {
            "type": "http",
            "asgi": {"version": "3.0", "spec_version": "2.3"},
            "http_version": "1.1",
            "method": "GET",
            "scheme": "http",
            "path": path,
            "raw_path": path.encode(),
            "query_string": query.encode(),
            "headers": [(b"host", b"testserver"), *headers],
            "client": ("127.0.0.1", 5000),
            "server": ("testserver", 80),
            "root_path": "",
            "app": self.app,
        }
        self.sent: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self.gone = asyncio.Event()
        self.requested = False
        self.task = asyncio.create_task(self.app(self.scope, self.receive, self.send))

    async def receive(self) -> dict[str, Any]:
        if not self.requested:
            self.requested = True
            return {"type": "http.request", "body": b"", "more_body": False}
        await self.gone.wait()
        return {"type": "http.disconnect"}

    async def send(self, message: dict[str, Any]) -> None:
        await self.sent.put(message)

    async def next(self) -> dict[str, Any]:
        return await asyncio.wait_for(self.sent.get(), 2)

    async def body(self) -> bytes:
        message = await self.next()
        assert message["type"] == "http.response.body"
        assert message["more_body"] is True
        body: bytes = message["body"]
        return body

    async def hang_up(self) -> None:
        self.gone.set()
        await asyncio.wait_for(self.task, 2)


def run(runtime: Runtime, scenario: Callable[[], Any]) -> None:
    """Run ``scenario`` on a fresh loop with the runtime's broker started (Redis or local)."""

    async def main() -> None:
        await runtime.broker.start()
        try:
            await scenario()
        finally:
            await runtime.broker.close()

    asyncio.run(main())


def test_stream_opens_then_carries_events_and_heartbeats(
    runtime: Runtime, make_user: MakeUser
) -> None:
    alice = make_user("alice")
    runtime.extras["streaming.heartbeat_seconds"] = 0.05
    meta = {"author_id": alice.id, "reblog_author_id": None, "mentioned": [], "visibility": 0}
    payload = json.dumps({"id": "42", "content": "<p>Hello</p>"})

    async def scenario() -> None:
        client = Client(runtime, "/api/v1/streaming/public", alice.token)
        start = await client.next()
        assert start["status"] == 200
        headers = dict(start["headers"])
        assert headers[b"content-type"].startswith(b"text/event-stream")
        assert headers[b"cache-control"] == b"no-store"
        assert await client.body() == b":)\n\n"
        runtime.broker.publish("timeline:public", broker_message("update", payload, meta))
        runtime.broker.publish("timeline:public", broker_message("delete", "42", meta))
        received = b""
        while b"event: delete" not in received:
            received += await client.body()
        assert received.replace(b":thump\n\n", b"") == (
            f"event: update\ndata: {payload}\n\nevent: delete\ndata: 42\n\n".encode()
        )
        assert await client.body() == b":thump\n\n"
        assert runtime.broker.has_subscribers("timeline:public")
        await client.hang_up()
        assert not runtime.broker.has_subscribers("timeline:public")
        assert not runtime.extras[HUB_KEY].connections

    run(runtime, scenario)


def test_only_media_and_local_paths_pick_their_streams(
    runtime: Runtime, make_user: MakeUser
) -> None:
    alice = make_user("alice")

    async def scenario() -> None:
        for path, channel in [
            ("/api/v1/streaming/public/local", "timeline:public:local"),
            ("/api/v1/streaming/public?only_media=true", "timeline:public:media"),
            ("/api/v1/streaming/hashtag/local?tag=%23EdChat", "timeline:hashtag:edchat:local"),
            ("/api/v1/streaming/direct", f"timeline:direct:{alice.id}"),
            ("/api/v1/streaming/user/notification", f"timeline:{alice.id}"),
        ]:
            client = Client(runtime, path, alice.token)
            assert (await client.next())["status"] == 200, path
            assert runtime.broker.has_subscribers(channel), path
            await client.hang_up()
            assert not runtime.broker.has_subscribers(channel), path

    run(runtime, scenario)


@pytest.mark.parametrize(
    ("path", "token", "status", "error"),
    [
        ("/api/v1/streaming/user", None, 401, "Missing access token"),
        ("/api/v1/streaming/user", "not-a-token", 401, "The access token is invalid"),
        ("/api/v1/streaming/public", "not-a-token", 401, "The access token is invalid"),
        ("/api/v1/streaming/nonsense", "valid", 400, "Unknown channel requested"),
        ("/api/v1/streaming/hashtag", "valid", 400, "No tag for stream provided"),
        (
            "/api/v1/streaming/hashtag?tag=" + "x" * 101,
            "valid",
            400,
            "Tag is too long (at most 100 characters)",
        ),
        ("/api/v1/streaming/list?list=1", "valid", 404, "Record not found"),
        ("/api/v1/streaming/list", "valid", 400, "No list for stream provided"),
        (
            "/api/v1/streaming/user/notification",
            "narrow",
            403,
            "This action is outside the authorized scopes",
        ),
    ],
)
def test_refusals_are_json_errors(
    runtime: Runtime, make_user: MakeUser, path: str, token: str | None, status: int, error: str
) -> None:
    if token == "valid":
        token = make_user("alice").token
    elif token == "narrow":
        token = make_user("alice", scopes="read:statuses").token

    async def scenario() -> None:
        client = Client(runtime, path, token)
        start = await client.next()
        assert start["status"] == status
        assert dict(start["headers"])[b"content-type"].startswith(b"application/json")
        body = await client.next()
        assert json.loads(body["body"]) == {"error": error}
        await asyncio.wait_for(client.task, 2)
        assert runtime.extras.get(HUB_KEY) is None or not runtime.extras[HUB_KEY].connections

    run(runtime, scenario)


def test_app_only_tokens_are_refused(runtime: Runtime, make_user: MakeUser) -> None:
    from staffroom.services.tokens import issue_token

    raw, _ = runtime.db.write(issue_token, app_id=None, account_id=None, scopes=["read"])

    async def scenario() -> None:
        client = Client(runtime, "/api/v1/streaming/public", raw)
        assert (await client.next())["status"] == 401
        assert json.loads((await client.next())["body"]) == {
            "error": "This method requires an authenticated user"
        }

    run(runtime, scenario)
