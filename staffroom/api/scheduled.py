"""API routes: scheduled posts (``/api/v1/scheduled_statuses``), as Mastodon has them."""

from __future__ import annotations

from starlette.requests import Request
from starlette.routing import BaseRoute, Route

from staffroom.api.auth import authenticate
from staffroom.api.pagination import item_links, read_page
from staffroom.api.params import parse_moment, path_id, read_params
from staffroom.api.responses import JSONResponse
from staffroom.errors import ValidationFailed
from staffroom.runtime import runtime_of
from staffroom.serializers.scheduled import serialize_scheduled
from staffroom.services import scheduling


async def list_scheduled(request: Request) -> JSONResponse:
    viewer = await authenticate(request, "read:statuses")
    page = read_page(await read_params(request), default=20, maximum=40)
    rt = runtime_of(request)
    items = await rt.db.aread(
        scheduling.scheduled_page,
        viewer.account_id,
        max_id=page.max_id,
        since_id=page.since_id,
        min_id=page.min_id,
        limit=page.limit,
    )
    links = item_links(request, items, page, lambda item: item.id)
    return JSONResponse(
        [serialize_scheduled(item, rt.settings.base_url) for item in items], headers=links
    )


async def get_scheduled(request: Request) -> JSONResponse:
    viewer = await authenticate(request, "read:statuses")
    rt = runtime_of(request)
    item = await rt.db.aread(scheduling.get_scheduled, viewer.account_id, path_id(request))
    return JSONResponse(serialize_scheduled(item, rt.settings.base_url))


async def move_scheduled(request: Request) -> JSONResponse:
    viewer = await authenticate(request, "write:statuses")
    params = await read_params(request)
    raw = params.str("scheduled_at")
    if not raw:
        raise ValidationFailed("scheduled_at is missing")
    at = parse_moment(raw, "scheduled_at")
    rt = runtime_of(request)
    item = await rt.db.awrite(scheduling.reschedule, viewer.account_id, path_id(request), at)
    return JSONResponse(serialize_scheduled(item, rt.settings.base_url))


async def cancel_scheduled(request: Request) -> JSONResponse:
    viewer = await authenticate(request, "write:statuses")
    rt = runtime_of(request)
    await rt.db.awrite(scheduling.cancel, viewer.account_id, path_id(request))
    return JSONResponse({})


routes: list[BaseRoute] = [
    Route("/api/v1/scheduled_statuses", list_scheduled, methods=["GET"]),
    Route("/api/v1/scheduled_statuses/{id}", get_scheduled, methods=["GET"]),
    Route("/api/v1/scheduled_statuses/{id}", move_scheduled, methods=["PUT"]),
    Route("/api/v1/scheduled_statuses/{id}", cancel_scheduled, methods=["DELETE"]),
]
