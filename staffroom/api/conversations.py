"""API routes: direct conversations (``/api/v1/conversations``), as Mastodon has them.

Listing needs ``read:statuses``; marking read and removing ``write:conversations``.
Pages run by each conversation's last post ID (``max_id``, ``since_id``, ``min_id``).
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.routing import BaseRoute, Route

from staffroom.api.auth import authenticate
from staffroom.api.pagination import item_links, read_page
from staffroom.api.params import path_id, read_params
from staffroom.api.responses import JSONResponse
from staffroom.runtime import runtime_of
from staffroom.serializers.conversations import serialize_conversation
from staffroom.services import conversations


async def list_conversations(request: Request) -> JSONResponse:
    viewer = await authenticate(request, "read:statuses")
    page = read_page(await read_params(request), default=20, maximum=40)
    rt = runtime_of(request)
    items = await rt.db.aread(
        conversations.conversations_page,
        viewer.account_id,
        max_id=page.max_id,
        since_id=page.since_id,
        min_id=page.min_id,
        limit=page.limit,
    )
    links = item_links(request, items, page, lambda item: item.last_status_id)
    base = rt.settings.base_url
    return JSONResponse([serialize_conversation(item, base) for item in items], headers=links)


async def read_conversation(request: Request) -> JSONResponse:
    viewer = await authenticate(request, "write:conversations")
    rt = runtime_of(request)
    view = await rt.db.awrite(conversations.mark_read, viewer.account_id, path_id(request))
    conversations.publish_conversation(rt, viewer.account_id, view)
    return JSONResponse(serialize_conversation(view, rt.settings.base_url))


async def remove_conversation(request: Request) -> JSONResponse:
    viewer = await authenticate(request, "write:conversations")
    rt = runtime_of(request)
    await rt.db.awrite(conversations.remove, viewer.account_id, path_id(request))
    return JSONResponse({})


routes: list[BaseRoute] = [
    Route("/api/v1/conversations", list_conversations, methods=["GET"]),
    Route("/api/v1/conversations/{id}/read", read_conversation, methods=["POST"]),
    Route("/api/v1/conversations/{id}", remove_conversation, methods=["DELETE"]),
]
