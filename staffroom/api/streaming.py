"""API routes: the streaming API (server-sent events, WebSocket, health).

``GET /api/v1/streaming`` over plain HTTP answers 404, which tells clients that follow
Mastodon's discovery rule to stream from this same host.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import BaseRoute, Route, WebSocketRoute
from starlette.types import ASGIApp, Receive, Scope, Send

from staffroom.errors import NotFound
from staffroom.streaming.sse import sse_endpoint
from staffroom.streaming.websocket import websocket_endpoint


class RawASGI:
    """Wraps an ASGI function so that Starlette routes call it with (scope, receive, send)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self.app(scope, receive, send)


async def health(request: Request) -> Response:
    """``OK`` while the streaming API is serving (it is part of every web process)."""
    return PlainTextResponse("OK")


async def same_host(request: Request) -> Response:
    """Not a WebSocket: the streaming API lives on this host (Mastodon's discovery rule)."""
    raise NotFound()


routes: list[BaseRoute] = [
    Route("/api/v1/streaming/health", health, methods=["GET"]),
    WebSocketRoute("/api/v1/streaming", RawASGI(websocket_endpoint)),
    WebSocketRoute("/api/v1/streaming/", RawASGI(websocket_endpoint)),
    Route("/api/v1/streaming", same_host, methods=["GET"]),
    Route("/api/v1/streaming/{name:path}", RawASGI(sse_endpoint), methods=["GET"]),
]
