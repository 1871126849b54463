"""API routes for quote posts (Mastodon 4.5): a post's quotes, revoking one, and who may quote
a post (``PUT /api/v1/statuses/:id/interaction_policy``). Quoting itself is a parameter of
``POST /api/v1/statuses`` (``api/statuses.py``)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.routing import BaseRoute, Route

from staffroom.api.auth import authenticate
from staffroom.api.pagination import item_links, read_page
from staffroom.api.params import path_id, read_params
from staffroom.api.responses import JSONResponse, RawJSONResponse
from staffroom.errors import NotFound
from staffroom.ids import parse_id
from staffroom.runtime import runtime_of
from staffroom.serializers.statuses import serialize_status, statuses_json
from staffroom.services import quotes


async def status_quotes(request: Request) -> RawJSONResponse:
    """``GET /api/v1/statuses/:id/quotes``: accepted quotes of one's own post, newest first."""
    viewer = await authenticate(request, "read:statuses")
    params = await read_params(request)
    page = read_page(params, default=20, maximum=40)
    rt = runtime_of(request)
    views = await rt.db.aread(
        quotes.list_quotes,
        viewer.account_id,
        path_id(request),
        max_id=page.max_id,
        since_id=page.since_id,
        limit=page.limit,
    )
    return RawJSONResponse(
        statuses_json(views, rt.settings.base_url),
        headers=item_links(request, views, page, lambda view: view.id),
    )


async def revoke_quote(request: Request) -> JSONResponse:
    """``POST /api/v1/statuses/:id/quotes/:quoting_status_id/revoke``."""
    viewer = await authenticate(request, "write:statuses")
    quoting = parse_id(request.path_params["quoting_status_id"])
    if quoting is None:
        raise NotFound()
    rt = runtime_of(request)
    view = await rt.db.awrite(quotes.revoke, viewer.account_id, path_id(request), quoting)
    return JSONResponse(serialize_status(view, rt.settings.base_url))


async def interaction_policy(request: Request) -> JSONResponse:
    """``PUT /api/v1/statuses/:id/interaction_policy`` (``quote_approval_policy``)."""
    viewer = await authenticate(request, "write:statuses")
    params = await read_params(request)
    rt = runtime_of(request)
    view = await rt.db.awrite(
        quotes.set_policy,
        viewer.account_id,
        path_id(request),
        params.str("quote_approval_policy"),
    )
    return JSONResponse(serialize_status(view, rt.settings.base_url))


routes: list[BaseRoute] = [
    Route("/api/v1/statuses/{id}/quotes", status_quotes, methods=["GET"]),
    Route(
        "/api/v1/statuses/{id}/quotes/{quoting_status_id}/revoke", revoke_quote, methods=["POST"]
    ),
    Route("/api/v1/statuses/{id}/interaction_policy", interaction_policy, methods=["PUT"]),
]
