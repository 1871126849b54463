"""The broadcast ceiling: a minimal ASGI app under uvicorn that sends one frame to every open
WebSocket, with nothing of Staffroom in between (no auth, no hub, no filtering).

    uvicorn --factory raw_broadcast_server:create_app --port 8768   (run from bench/)

- any WebSocket path: accepted (echoing the first offered subprotocol, as Staffroom does) and
  kept until the client leaves;
- ``POST /broadcast?id=<n>&size=<bytes>``: answers 200 at once, then sends a frame shaped like
  Staffroom's ``update`` frame (``{"stream": ["user"], "event": "update", "payload": ...}``
  with status id ``n``), padded to ``size`` bytes, to every socket, one after the other;
- ``GET /health``: 200.

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


def create_app() -> Callable[[Scope, Receive, Send], Awaitable[None]]:
    sockets: set[Send] = set()
    tasks: set[asyncio.Task[None]] = set()

    async def broadcast(text: str) -> None:
        message = {"type": "websocket.send", "text": text}
        for send in list(sockets):
            try:
                await send(message)
            except Exception:
                sockets.discard(send)

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
        while (await receive()).get("more_body"):
            pass
        status, body = 200, b"ok"
        if scope["path"] == "/broadcast" and scope["method"] == "POST":
            query = parse_qs(scope["query_string"].decode())
            text = frame_text(int(query["id"][0]), int(query["size"][0]))
            task = asyncio.get_running_loop().create_task(broadcast(text))
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

    return app
