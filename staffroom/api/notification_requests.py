"""API routes: notification requests (``/api/v1/notifications/requests``), as Mastodon 4.3:
list (paged by ID), one, accept, dismiss, bulk ``accept``/``dismiss`` with ``id[]``, and
``merged`` (always true: accepting releases the notifications before it answers)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.routing import BaseRoute, Route

from staffroom.api.auth import authenticate
from staffroom.api.pagination import link_header, read_page
from staffroom.api.params import path_id, read_params
from staffroom.api.responses import JSONResponse
from staffroom.errors import NotFound
from staffroom.ids import parse_id
from staffroom.runtime import runtime_of
from staffroom.serializers.notification_groups import serialize_request
from staffroom.services import notification_requests
from staffroom.services.timelines import PageRequest


async def list_requests(request: Request) -> JSONResponse:
    viewer = await authenticate(request, "read:notifications")
    page = read_page(await read_params(request), default=40, maximum=80)
    rt = runtime_of(request)
    result = await rt.db.aread(
        notification_requests.list_requests,
        viewer.account_id,
        PageRequest(page.max_id, page.since_id, page.min_id, page.limit),
    )
    return JSONResponse(
        [serialize_request(r, rt.settings.base_url) for r in result.items],
        headers=link_header(
            request, next_max_id=result.next_max_id, prev_min_id=result.prev_min_id
        ),
    )


async def get_request(request: Request) -> JSONResponse:
    viewer = await authenticate(request, "read:notifications")
    rt = runtime_of(request)
    found = await rt.db.aread(
        notification_requests.get_request, viewer.account_id, path_id(request)
    )
    return JSONResponse(serialize_request(found, rt.settings.base_url))


def _flat(value: object) -> list[object]:
    if isinstance(value, list):
        return [item for v in value for item in _flat(v)]
    if isinstance(value, dict):
        return [item for v in value.values() for item in _flat(v)]
    return [] if value is None else [value]


async def _ids(request: Request) -> list[int]:
    """``id[]`` (Mastodon.py sends ``id[][]``, which Mastodon flattens too)."""
    raw = _flat((await read_params(request)).raw("id"))
    ids = [parse_id(v) for v in raw]
    if not ids or any(i is None for i in ids):
        raise NotFound()
    return [i for i in ids if i is not None]


async def accept_one(request: Request) -> JSONResponse:
    viewer = await authenticate(request, "write:notifications")
    rt = runtime_of(request)
    await rt.db.awrite(notification_requests.accept, viewer.account_id, [path_id(request)])
    return JSONResponse({})


async def dismiss_one(request: Request) -> JSONResponse:
    viewer = await authenticate(request, "write:notifications")
    rt = runtime_of(request)
    await rt.db.awrite(notification_requests.dismiss, viewer.account_id, [path_id(request)])
    return JSONResponse({})


async def accept_many(request: Request) -> JSONResponse:
    viewer = await authenticate(request, "write:notifications")
    ids = await _ids(request)
    rt = runtime_of(request)
    await rt.db.awrite(notification_requests.accept, viewer.account_id, ids)
    return JSONResponse({})


async def dismiss_many(request: Request) -> JSONResponse:
    viewer = await authenticate(request, "write:notifications")
    ids = await _ids(request)
    rt = runtime_of(request)
    await rt.db.awrite(notification_requests.dismiss, viewer.account_id, ids)
    return JSONResponse({})


async def merged(request: Request) -> JSONResponse:
    await authenticate(request, "read:notifications")
    return JSONResponse({"merged": True})


routes: list[BaseRoute] = [
    Route("/api/v1/notifications/requests", list_requests, methods=["GET"]),
    Route("/api/v1/notifications/requests/merged", merged, methods=["GET"]),
    Route("/api/v1/notifications/requests/accept", accept_many, methods=["POST"]),
    Route("/api/v1/notifications/requests/dismiss", dismiss_many, methods=["POST"]),
    Route("/api/v1/notifications/requests/{id}", get_request, methods=["GET"]),
    Route("/api/v1/notifications/requests/{id}/accept", accept_one, methods=["POST"]),
    Route("/api/v1/notifications/requests/{id}/dismiss", dismiss_one, methods=["POST"]),
]
