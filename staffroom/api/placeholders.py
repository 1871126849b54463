"""Mastodon features Staffroom does not have yet, answered as an empty Mastodon server would.

Clients call these on start-up (emoji, lists...); a 404 would look like a
broken server, an empty answer is the truth. Each endpoint authenticates exactly as Mastodon
does (same scope, user token required), so clients meet the same errors they will meet once
the feature exists. Unknown API paths need no catch-all here: the app's 404 handler already
answers ``{"error": "Record not found"}`` for them.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from staffroom.api.auth import authenticate
from staffroom.api.responses import JSONResponse
from staffroom.errors import NotFound

Endpoint = Callable[[Request], Awaitable[Response]]


def anonymous(body: Any) -> Endpoint:
    """An endpoint anyone may call that always answers ``body``."""

    async def endpoint(request: Request) -> Response:
        return JSONResponse(body)

    return endpoint


def for_user(scope: str, body: Any) -> Endpoint:
    """An endpoint for a user token holding ``scope`` that answers ``body``."""

    async def endpoint(request: Request) -> Response:
        await authenticate(request, scope)
        return JSONResponse(body)

    return endpoint


async def push_subscription(request: Request) -> Response:
    """Staffroom keeps no Web Push subscriptions: there is never one to show."""
    await authenticate(request, "push")
    raise NotFound()


async def delete_push_subscription(request: Request) -> Response:
    """Removing the (absent) subscription succeeds, as in Mastodon."""
    await authenticate(request, "push")
    return JSONResponse({})


def _get(path: str, endpoint: Endpoint) -> Route:
    return Route(path, endpoint, methods=["GET"])


routes: list[BaseRoute] = [
    _get("/api/v1/custom_emojis", anonymous([])),
    _get("/api/v1/announcements", for_user("read", [])),
    _get("/api/v1/domain_blocks", for_user("read:blocks", [])),  # "follow" covers it too
    _get("/api/v1/push/subscription", push_subscription),
    Route("/api/v1/push/subscription", delete_push_subscription, methods=["DELETE"]),
]
