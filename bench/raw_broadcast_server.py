"""The broadcast ceiling: a minimal ASGI app under uvicorn that sends one frame to every open
WebSocket, with nothing of Staffroom in between (no auth, no hub, no filtering).

    uvicorn --factory raw_broadcast_server:create_app --port 8768   (run from bench/)

- any WebSocket path: accepted (echoing the first offered subprotocol, as Staffroom does) and
  kept until the client leaves;
- ``POST /broadcast?id=<n>&size=<bytes>``: answers 200 at once, then sends a frame shaped like
  Staffroom's ``update`` frame (``{"stream": ["user"], "event": "update", "payload": ...}``
  with status id ``n``), padded to ``size`` bytes, to every socket, one after the other;
- ``GET /health``: 200;
- ``GET /wall`` (or any path ending in ``/wall/live``): a Server-Sent Events stream; every
  broadcast also sends it ``event: wall`` with ``{"type": "post", "id": "<n>"}`` (the wall
  ceiling of ``bench/chat_room.py``). ``app.wall(id)`` sends that frame from Python (the
  wall stub, ``bench/wall_stub.py``).

``bench/broadcast.py`` runs it with the same uvicorn options as ``staffroom serve`` (uvloop,
httptools, ``websockets-sansio`` without permessage-deflate).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import parse_qs

import orjson

Scope = dict[str, Any]
Message = dict[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]


def frame_text(status_id: int, size: int) -> str:
    """An ``update`` frame for ``status_id`` padded to about ``size`` bytes."""
    payload = {"id": str(status_id), "content": ""}
    bare = orjson.dumps(
        {"stream": ["user"], "event": "update", "payload": orjson.dumps(payload).decode()}
    )
    payload["content"] = "x" * max(0, size - len(bare))
    return orjson.dumps(
        {"stream": ["user"], "event": "update", "payload": orjson.dumps(payload).decode()}
    ).decode()


def wall_frame(status_id: int | str) -> bytes:
    """The wall's Server-Sent Event for a post entering it."""
    data = orjson.dumps({"type": "post", "id": str(status_id)})
    return b"event: wall\ndata: " + data + b"\n\n"


def create_app() -> Callable[[Scope, Receive, Send], Awaitable[None]]:
    sockets: set[Send] = set()
    streams: set[Send] = set()
    tasks: set[asyncio.Task[None]] = set()

    async def broadcast(text: str, status_id: int) -> None:
        message = {"type": "websocket.send", "text": text}
        for send in list(sockets):
            try:
                await send(message)
            except Exception:
                sockets.discard(send)
        await wall(status_id)

    async def wall(status_id: int | str) -> None:
        message = {"type": "http.response.body", "body": wall_frame(status_id), "more_body": True}
        for send in list(streams):
            try:
                await send(message)
            except Exception:
                streams.discard(send)

    async def event_stream(receive: Receive, send: Send) -> None:
        headers = [(b"content-type", b"text/event-stream"), (b"cache-control", b"no-cache")]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": b": open\n\n", "more_body": True})
        streams.add(send)
        try:
            while (await receive())["type"] != "http.disconnect":
                pass
        finally:
            streams.discard(send)

    async def websocket(scope: Scope, receive: Receive, send: Send) -> None:
        if (await receive())["type"] != "websocket.connect":
            return
        offered = scope.get("subprotocols") or []
        await send({"type": "websocket.accept", "subprotocol": offered[0] if offered else None})
        sockets.add(send)
        try:
            while (await receive())["type"] != "websocket.disconnect":
                pass
        finally:
            sockets.discard(send)

    async def http(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["method"] == "GET" and (
            scope["path"] == "/wall" or scope["path"].endswith("/wall/live")
        ):
            await event_stream(receive, send)
            return
        while (await receive()).get("more_body"):
            pass
        status, body = 200, b"ok"
        if scope["path"] == "/broadcast" and scope["method"] == "POST":
            query = parse_qs(scope["query_string"].decode())
            status_id = int(query["id"][0])
            text = frame_text(status_id, int(query["size"][0]))
            task = asyncio.get_running_loop().create_task(broadcast(text, status_id))
            tasks.add(task)
            task.add_done_callback(tasks.discard)
            body = orjson.dumps({"id": query["id"][0], "sockets": len(sockets)})
        elif scope["path"] != "/health":
            status = 404
        headers = [(b"content-type", b"application/json"), (b"content-length", b"%d" % len(body))]
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "websocket":
            await websocket(scope, receive, send)
        elif scope["type"] == "http":
            await http(scope, receive, send)
        elif scope["type"] == "lifespan":
            while (message := await receive())["type"] != "lifespan.shutdown":
                if message["type"] == "lifespan.startup":
                    await send({"type": "lifespan.startup.complete"})
            await send({"type": "lifespan.shutdown.complete"})

    app.wall = wall  # type: ignore[attr-defined]
    return app
