"""API routes: notifications."""

from __future__ import annotations

from starlette.requests import Request
from starlette.routing import BaseRoute, Route

from staffroom.api import notification_requests
from staffroom.api.auth import authenticate
from staffroom.api.pagination import link_header, read_page
from staffroom.api.params import path_id, read_params
from staffroom.api.responses import JSONResponse
from staffroom.errors import NotFound
from staffroom.ids import parse_id
from staffroom.runtime import runtime_of
from staffroom.serializers.notifications import serialize_notification
from staffroom.services import notifications
from staffroom.services.notify import mastodon_exclusions
from staffroom.services.timelines import PageRequest


async def list_notifications(request: Request) -> JSONResponse:
    viewer = await authenticate(request, "read:notifications")
    params = await read_params(request)
    page = read_page(params, default=40, maximum=80)
    rt = runtime_of(request)
    account = params.str("account_id")
    result = await rt.db.aread(
        notifications.list_notifications,
        viewer.account_id,
        PageRequest(page.max_id, page.since_id, page.min_id, page.limit),
        types=params.list("types"),
        exclude_types=mastodon_exclusions(params.list("types"), params.list("exclude_types")),
        account_id=parse_id(account),
        include_filtered=params.bool("include_filtered"),
    )
    base = rt.settings.base_url
    return JSONResponse(
        [serialize_notification(n, base) for n in result.items],
        headers=link_header(
            request, next_max_id=result.next_max_id, prev_min_id=result.prev_min_id
        ),
    )


async def get_notification(request: Request) -> JSONResponse:
    viewer = await authenticate(request, "read:notifications")
    rt = runtime_of(request)
    item = await rt.db.aread(notifications.get_notification, viewer.account_id, path_id(request))
    return JSONResponse(serialize_notification(item, rt.settings.base_url))


async def dismiss(request: Request) -> JSONResponse:
    viewer = await authenticate(request, "write:notifications")
    params = await read_params(request)
    notification_id = parse_id(params.raw("id"))
    if notification_id is None:
        raise NotFound()
    rt = runtime_of(request)
    await rt.db.awrite(notifications.dismiss, viewer.account_id, notification_id)
    return JSONResponse({})


async def clear(request: Request) -> JSONResponse:
    viewer = await authenticate(request, "write:notifications")
    rt = runtime_of(request)
    await rt.db.awrite(notifications.clear, viewer.account_id)
    return JSONResponse({})


async def unread_count(request: Request) -> JSONResponse:
    viewer = await authenticate(request, "read:notifications")
    params = await read_params(request)
    limit = max(1, min(params.int("limit", 100) or 100, 1000))
    rt = runtime_of(request)
    count = await rt.db.aread(
        notifications.unread_count,
        viewer.account_id,
        limit,
        types=params.list("types"),
        exclude_types=mastodon_exclusions(params.list("types"), params.list("exclude_types")),
        account_id=parse_id(params.str("account_id")),
    )
    return JSONResponse({"count": count})


routes: list[BaseRoute] = [
    *notification_requests.routes,  # before /{id}
    Route("/api/v1/notifications", list_notifications, methods=["GET"]),
    Route("/api/v1/notifications/clear", clear, methods=["POST"]),
    Route("/api/v1/notifications/dismiss", dismiss, methods=["POST"]),
    Route("/api/v1/notifications/unread_count", unread_count, methods=["GET"]),
    Route("/api/v1/notifications/{id}", get_notification, methods=["GET"]),
    Route("/api/v1/notifications/{id}/dismiss", dismiss, methods=["POST"]),
]
