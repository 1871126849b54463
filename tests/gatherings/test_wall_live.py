"""The wall's live stream (``/events/{id}/wall/live``) at the ASGI level, signed out: a
public chat post arrives as a ``post`` frame, a host's hide as ``hide``; followers-only,
direct, unlisted, other hashtags and people kept off the wall send nothing (shown by the
next frame being the next public post); approve-first sends ``queued`` then ``post`` on
approval; Q&A changes send ``qa``. On the local broker, and on Redis when
``STAFFROOM_TEST_REDIS_URL`` (or ``STAFFROOM_REDIS_URL``) is set."""

from __future__ import annotations

import asyncio
import json
import os
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from staffroom.app import create_app
from staffroom.config import Settings
from staffroom.runtime import Runtime
from staffroom.services import audience_qa, wall
from staffroom.streaming.walls import WALLS_KEY
from tests.conftest import User
from tests.gatherings.wall_helpers import live_event, post

UserFactory = Callable[..., User]
REDIS_URL = os.environ.get("STAFFROOM_TEST_REDIS_URL") or os.environ.get("STAFFROOM_REDIS_URL")


@pytest.fixture(params=["local", "redis"])
def settings(request: pytest.FixtureRequest, settings: Settings) -> Iterator[Settings]:
    if request.param == "local":
        yield settings
        return
    if not REDIS_URL:
        pytest.skip("set STAFFROOM_TEST_REDIS_URL to run the wall stream over Redis")
    yield settings.with_overrides(redis_url=REDIS_URL)


class Stream:
    """One signed-out SSE request in flight, read frame by frame."""

    def __init__(self, runtime: Runtime, path: str) -> None:
        app = create_app(runtime=runtime)
        self.scope: dict[str, Any] = {
            "type": "http",
            "asgi": {"version": "3.0", "spec_version": "2.3"},
            "http_version": "1.1",
            "method": "GET",
            "scheme": "http",
            "path": path,
            "raw_path": path.encode(),
            "query_string": b"",
            "headers": [(b"host", b"testserver")],
            "client": ("127.0.0.1", 5000),
            "server": ("testserver", 80),
            "root_path": "",
            "app": app,
        }
        self.sent: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self.gone = asyncio.Event()
        self.requested = False
        self.buffer = b""
        self.task = asyncio.create_task(app(self.scope, self.receive, self.send))

    async def receive(self) -> dict[str, Any]:
        if not self.requested:
            self.requested = True
            return {"type": "http.request", "body": b"", "more_body": False}
        await self.gone.wait()
        return {"type": "http.disconnect"}

    async def send(self, message: dict[str, Any]) -> None:
        await self.sent.put(message)

    async def start(self) -> dict[str, Any]:
        message = await asyncio.wait_for(self.sent.get(), 5)
        return message

    async def frame(self) -> dict[str, str]:
        """The next ``wall`` frame's data (heartbeats and comments skipped)."""
        while True:
            while b"\n\n" not in self.buffer:
                message = await asyncio.wait_for(self.sent.get(), 5)
                self.buffer += message["body"]
            block, self.buffer = self.buffer.split(b"\n\n", 1)
            if block.startswith(b"event: wall\n"):
                data: dict[str, str] = json.loads(block.split(b"data: ", 1)[1])
                return data

    async def hang_up(self) -> None:
        self.gone.set()
        await asyncio.wait_for(self.task, 5)


def run(runtime: Runtime, scenario: Callable[[], Any]) -> None:
    async def main() -> None:
        await runtime.broker.start()
        try:
            await scenario()
        finally:
            await runtime.broker.close()

    asyncio.run(main())


def test_posts_hides_and_what_never_reaches_the_wall(
    runtime: Runtime, make_user: UserFactory
) -> None:
    host, ana, troll = make_user("host"), make_user("ana"), make_user("troll")
    event_id = live_event(runtime, host)

    async def write(fn: Any, *args: Any) -> Any:
        return await asyncio.to_thread(runtime.db.write, fn, *args)

    async def say(who: User, text: str, visibility: str = "public") -> int:
        return await asyncio.to_thread(post, runtime, who, text, visibility)

    async def scenario() -> None:
        stream = Stream(runtime, f"/events/{event_id}/wall/live")
        start = await stream.start()
        assert start["status"] == 200
        headers = dict(start["headers"])
        assert headers[b"content-type"].startswith(b"text/event-stream")
        assert (await stream.sent.get())["body"] == b":)\n\n"

        first = await say(ana, "Exit tickets #EdChat")
        assert await stream.frame() == {"type": "post", "id": str(first)}
        await say(ana, "followers only #EdChat", "private")
        await say(ana, "for @host only #EdChat", "direct")
        await say(ana, "unlisted #EdChat", "unlisted")
        await say(ana, "another chat #OtherChat")
        second = await say(ana, "Hinge questions #EdChat")
        assert await stream.frame() == {"type": "post", "id": str(second)}

        wall.publish(runtime, await write(wall.moderate, host.id, event_id, first, "hide"))
        assert await stream.frame() == {"type": "hide", "id": str(first)}
        wall.publish(runtime, await write(wall.block, host.id, event_id, troll.id))
        await say(troll, "spam #EdChat")
        third = await say(ana, "Cold calling #EdChat")
        assert await stream.frame() == {"type": "post", "id": str(third)}

        change = await write(wall.set_mode, host.id, event_id, "approve_first")
        wall.publish(runtime, change)
        hidden = {(await stream.frame())["id"] for _ in change.frames}
        assert hidden == {str(second), str(third)}
        fourth = await say(ana, "Waiting #EdChat")
        assert await stream.frame() == {"type": "queued", "id": str(fourth)}
        wall.publish(runtime, await write(wall.moderate, host.id, event_id, fourth, "approve"))
        assert await stream.frame() == {"type": "post", "id": str(fourth)}

        question = await write(audience_qa.submit, ana.id, event_id, "How long?")
        wall.publish(
            runtime, await write(audience_qa.screen, host.id, event_id, question, "approve")
        )
        assert await stream.frame() == {"type": "qa"}

        walls = runtime.extras[WALLS_KEY]
        assert list(walls.rooms) == [event_id]
        await stream.hang_up()
        assert walls.rooms == {}
        assert not runtime.broker.has_subscribers(wall.wall_channel(event_id))

    run(runtime, scenario)


def test_one_room_judges_each_post_once_for_every_viewer(
    runtime: Runtime, make_user: UserFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two viewers, one post: the room decodes it once and both get the same frame; the
    database is read once, when the room opens, not per post or per viewer."""
    from staffroom.streaming import walls

    host, ana = make_user("host"), make_user("ana")
    event_id = live_event(runtime, host)
    opened: list[int] = []
    real = walls.live_facts

    def counted(conn: Any, event: int) -> Any:
        opened.append(event)
        return real(conn, event)

    monkeypatch.setattr(walls, "live_facts", counted)
    decoded: list[str] = []
    real_decode = walls.decode
    monkeypatch.setattr(walls, "decode", lambda m: decoded.append(m) or real_decode(m))

    async def scenario() -> None:
        one = Stream(runtime, f"/events/{event_id}/wall/live")
        two = Stream(runtime, f"/events/{event_id}/wall/live")
        for s in (one, two):
            assert (await s.start())["status"] == 200
        posted = [await asyncio.to_thread(post, runtime, ana, f"#EdChat {i}") for i in range(3)]
        for s in (one, two):
            assert [(await s.frame())["id"] for _ in posted] == [str(p) for p in posted]
        assert opened == [event_id]
        assert len(decoded) == 3
        await one.hang_up()
        await two.hang_up()

    run(runtime, scenario)


def test_no_such_event_is_404(client: Any) -> None:
    assert client.get("/events/123/wall/live").status_code == 404


def test_an_idle_wall_stream_carries_heartbeats(runtime: Runtime, make_user: UserFactory) -> None:
    event_id = live_event(runtime, make_user("host"))
    runtime.extras["streaming.heartbeat_seconds"] = 0.05

    async def scenario() -> None:
        stream = Stream(runtime, f"/events/{event_id}/wall/live")
        assert (await stream.start())["status"] == 200
        received = b""
        while b":thump\n\n" not in received:
            received += (await asyncio.wait_for(stream.sent.get(), 5))["body"]
        assert received.startswith(b":)\n\n")
        await stream.hang_up()

    run(runtime, scenario)
