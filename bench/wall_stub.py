"""A stand-in for the wall's live stream, for testing ``bench/chat_room.py`` before the real
``GET /events/{id}/wall/live`` exists (``chat_room.py --wall-stub``). NOT a measurement of
the wall: it adds a hop of its own.

    WALL_STUB_WS='ws://127.0.0.1:8771/api/v1/streaming?stream=hashtag&tag=BenchChat' \
    WALL_STUB_TOKEN=<a viewer's token> \
    uvicorn --factory wall_stub:create_app --app-dir bench --port 8773

The raw broadcast server's app (``bench/raw_broadcast_server.py``: any path ending in
``/wall/live`` is an SSE stream) plus one WebSocket to Staffroom's hashtag stream: every
``update`` frame there becomes ``event: wall`` / ``{"type": "post", "id": ...}`` on every
open stream, as the wall contract says a post entering the wall does.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
from collections.abc import Awaitable, Callable

import orjson
from raw_broadcast_server import Message, Receive, Scope, Send
from raw_broadcast_server import create_app as raw_app
from websockets.asyncio.client import connect
from websockets.typing import Subprotocol


async def forward(url: str, token: str, wall: Callable[[str], Awaitable[None]]) -> None:
    """Relay the hashtag stream's posts to the wall streams until cancelled."""
    async with connect(url, subprotocols=[Subprotocol(token)], ping_interval=None) as ws:
        async for frame in ws:
            data = orjson.loads(frame)
            if data.get("event") == "update":
                await wall(str(orjson.loads(data["payload"])["id"]))


def create_app() -> Callable[[Scope, Receive, Send], Awaitable[None]]:
    inner = raw_app()
    url, token = os.environ["WALL_STUB_WS"], os.environ["WALL_STUB_TOKEN"]

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "lifespan":
            await inner(scope, receive, send)
            return
        task = None
        while (message := await receive())["type"] != "lifespan.shutdown":
            if message["type"] == "lifespan.startup":
                task = asyncio.get_running_loop().create_task(
                    forward(url, token, inner.wall)  # type: ignore[attr-defined]
                )
                await send({"type": "lifespan.startup.complete"})
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        done: Message = {"type": "lifespan.shutdown.complete"}
        await send(done)

    return app
