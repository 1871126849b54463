"""API routes: grouped notifications and the notification policy (``/api/v2/notifications``),
as Mastodon 4.3 has them.

``GET /api/v2/notifications`` pages over groups (``max_id``/``since_id``/``min_id`` are
notification IDs; ``limit`` counts groups, default 40, at most 80) with ``types[]``,
``exclude_types[]``, ``account_id``, ``grouped_types[]``, ``include_filtered`` and
``expand_accounts`` (``full`` or ``partial_avatars``); ``/:group_key`` (one group),
``/:group_key/accounts``, ``/:group_key/dismiss``, ``/unread_count`` (groups newer than the
notifications marker, default 100, at most 1000); ``GET``/``PATCH /policy``.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.routing import BaseRoute, Route

from staffroom.api.auth import authenticate
from staffroom.api.pagination import link_header, read_page
from staffroom.api.params import Params, read_params
from staffroom.api.responses import JSONResponse
from staffroom.errors import ValidationFailed
from staffroom.ids import parse_id
from staffroom.runtime import runtime_of
from staffroom.serializers.accounts import serialize_account
from staffroom.serializers.notification_groups import (
    serialize_grouped,
    serialize_policy,
)
from staffroom.services import markers, notification_groups, notification_policy
from staffroom.services.notification_groups import Filters
from staffroom.services.notify import mastodon_exclusions
from staffroom.services.timelines import PageRequest

COUNT_DEFAULT, COUNT_MAXIMUM = 100, 1000


def _filters(params: Params) -> Filters:
    grouped = params.list("grouped_types")
    return Filters(
        types=params.list("types"),
        exclude_types=mastodon_exclusions(params.list("types"), params.list("exclude_types")),
        account_id=parse_id(params.str("account_id")),
        include_filtered=params.bool("include_filtered"),
        grouped_types=grouped or None,
    )


def _expand(params: Params) -> bool:
    value = params.str("expand_accounts") or "full"
    if value not in ("full", "partial_avatars"):
        raise ValidationFailed(
            f"Invalid value for 'expand_accounts': '{value}',"
            " allowed values are 'full' and 'partial_avatars'"
        )
    return value == "partial_avatars"


async def list_groups(request: Request) -> JSONResponse:
    viewer = await authenticate(request, "read:notifications")
    params = await read_params(request)
    partial = _expand(params)
    page = read_page(params, default=40, maximum=80)
    rt = runtime_of(request)
    result = await rt.db.aread(
        notification_groups.list_groups,
        viewer.account_id,
        PageRequest(page.max_id, page.since_id, page.min_id, page.limit),
        _filters(params),
    )
    return JSONResponse(
        serialize_grouped(result.groups, rt.settings.base_url, partial=partial),
        headers=link_header(
            request, next_max_id=result.next_max_id, prev_min_id=result.prev_min_id
        ),
    )


async def get_group(request: Request) -> JSONResponse:
    viewer = await authenticate(request, "read:notifications")
    rt = runtime_of(request)
    group = await rt.db.aread(
        notification_groups.get_group, viewer.account_id, request.path_params["group_key"]
    )
    return JSONResponse(serialize_grouped([group], rt.settings.base_url, partial=False))


async def group_accounts(request: Request) -> JSONResponse:
    viewer = await authenticate(request, "read:notifications")
    rt = runtime_of(request)
    rows = await rt.db.aread(
        notification_groups.group_accounts, viewer.account_id, request.path_params["group_key"]
    )
    return JSONResponse([serialize_account(r, rt.settings.base_url) for r in rows])


async def dismiss_group(request: Request) -> JSONResponse:
    viewer = await authenticate(request, "write:notifications")
    rt = runtime_of(request)
    await rt.db.awrite(
        notification_groups.dismiss_group, viewer.account_id, request.path_params["group_key"]
    )
    return JSONResponse({})


async def unread_count(request: Request) -> JSONResponse:
    viewer = await authenticate(request, "read:notifications")
    params = await read_params(request)
    limit = max(1, min(params.int("limit", COUNT_DEFAULT) or COUNT_DEFAULT, COUNT_MAXIMUM))
    rt = runtime_of(request)
    marker = (await rt.db.aread(markers.get_markers, viewer.account_id, ["notifications"])).get(
        "notifications"
    )
    count = await rt.db.aread(
        notification_groups.unread_group_count,
        viewer.account_id,
        marker.last_read_id if marker else None,
        limit,
        _filters(params),
    )
    return JSONResponse({"count": count})


async def get_policy(request: Request) -> JSONResponse:
    viewer = await authenticate(request, "read:notifications")
    rt = runtime_of(request)
    policy = await rt.db.aread(notification_policy.get_policy, viewer.account_id)
    return JSONResponse(serialize_policy(policy))


async def update_policy(request: Request) -> JSONResponse:
    viewer = await authenticate(request, "write:notifications")
    params = await read_params(request)
    changes = {f: v for f in notification_policy.FIELDS if (v := params.str(f)) is not None}
    rt = runtime_of(request)
    policy = await rt.db.awrite(notification_policy.update_policy, viewer.account_id, changes)
    return JSONResponse(serialize_policy(policy))


routes: list[BaseRoute] = [
    Route("/api/v2/notifications", list_groups, methods=["GET"]),
    Route("/api/v2/notifications/policy", get_policy, methods=["GET"]),
    Route("/api/v2/notifications/policy", update_policy, methods=["PATCH", "PUT"]),
    Route("/api/v2/notifications/unread_count", unread_count, methods=["GET"]),
    Route("/api/v2/notifications/{group_key}", get_group, methods=["GET"]),
    Route("/api/v2/notifications/{group_key}/accounts", group_accounts, methods=["GET"]),
    Route("/api/v2/notifications/{group_key}/dismiss", dismiss_group, methods=["POST"]),
]
