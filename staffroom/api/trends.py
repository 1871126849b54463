"""Trends API: ``GET /api/v1/trends/tags|statuses|links`` (and the old ``/api/v1/trends``)
and the admin's review, ``/api/v1/admin/trends/tags|statuses|links`` with
``POST .../:id/approve`` and ``.../:id/reject``.

As Mastodon: anyone may read trends (``limit``: tags and links 10, at most 20; posts 20, at
most 40; ``offset``; a ``Link`` header with the next and previous offsets). The admin routes
need an administrator's token with ``admin:read`` / ``admin:write`` (403 otherwise) and list
everything that scores, allowed to trend or not.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from staffroom.api.auth import Viewer, authenticate, optional_viewer
from staffroom.api.params import Params, path_id, read_params
from staffroom.api.responses import JSONResponse
from staffroom.api.search import tag_entity
from staffroom.runtime import runtime_of
from staffroom.serializers.statuses import serialize_status, serialize_statuses
from staffroom.serializers.trends import admin_tag_fields, serialize_admin_link, serialize_link
from staffroom.services import trend_views
from staffroom.services.search import featured_tag_ids
from staffroom.services.trends import KIND_NAMES

_LIMITS = {"tags": (10, 20), "links": (10, 20), "statuses": (20, 40)}


def _window(params: Params, kind: str) -> tuple[int, int]:
    default, maximum = _LIMITS[kind]
    limit = max(1, min(params.int("limit", default) or default, maximum))
    return limit, max(0, params.int("offset", 0) or 0)


def _links(request: Request, limit: int, offset: int, count: int) -> dict[str, str]:
    """Mastodon's offset pagination: ``next`` when the page is full, ``prev`` past the first."""
    base = runtime_of(request).settings.base_url + request.url.path
    keep = [(k, v) for k, v in request.query_params.multi_items() if k != "offset"]
    parts = []
    if count == limit:
        parts.append(f'<{base}?{urlencode([*keep, ("offset", str(offset + limit))])}>; rel="next"')
    if offset > 0:
        prev = max(0, offset - limit)
        parts.append(f'<{base}?{urlencode([*keep, ("offset", str(prev))])}>; rel="prev"')
    return {"Link": ", ".join(parts)} if parts else {}


def _tags_payload(conn: Any, viewer_id: int | None, limit: int, offset: int) -> Any:
    found = trend_views.trending_tags(conn, limit, offset)
    featured = featured_tag_ids(conn, viewer_id, [t.id for t in found]) if viewer_id else set()
    return found, featured


async def trending_tags(request: Request) -> Response:
    viewer = await optional_viewer(request)
    limit, offset = _window(await read_params(request), "tags")
    rt = runtime_of(request)
    viewer_id = viewer.account_id if viewer else None
    found, featured = await rt.db.aread(_tags_payload, viewer_id, limit, offset)
    base = rt.settings.base_url
    body = [
        tag_entity(
            t.id,
            t.name,
            base,
            featuring=(t.id in featured) if viewer else None,
            history=t.history,
        )
        for t in found
    ]
    return JSONResponse(body, headers=_links(request, limit, offset, len(found)))


async def trending_statuses(request: Request) -> Response:
    viewer = await optional_viewer(request)
    limit, offset = _window(await read_params(request), "statuses")
    rt = runtime_of(request)
    views = await rt.db.aread(
        trend_views.trending_statuses, viewer.account_id if viewer else None, limit, offset
    )
    body = serialize_statuses(views, rt.settings.base_url)
    return JSONResponse(body, headers=_links(request, limit, offset, len(views)))


async def trending_links(request: Request) -> Response:
    await optional_viewer(request)
    limit, offset = _window(await read_params(request), "links")
    found = await runtime_of(request).db.aread(trend_views.trending_links, limit, offset)
    body = [serialize_link(link) for link in found]
    return JSONResponse(body, headers=_links(request, limit, offset, len(found)))


# --- admin -----------------------------------------------------------------------------------


async def _admin(request: Request, scope: str) -> Viewer:
    viewer = await authenticate(request, scope)
    await runtime_of(request).db.aread(trend_views.check_admin, viewer.account_id)
    return viewer


def _admin_payload(conn: Any, kind: str, limit: int, offset: int) -> Any:
    require = trend_views.require_review(conn)
    if kind == "tags":
        return require, trend_views.trending_tags(conn, limit, offset, everything=True)
    if kind == "links":
        return require, trend_views.trending_links(conn, limit, offset, everything=True)
    views = trend_views.trending_statuses(conn, None, limit, offset, everything=True)
    return require, (views, trend_views.status_reviews(conn, [v.id for v in views]))


def _admin_list(kind: str) -> Any:
    async def endpoint(request: Request) -> Response:
        await _admin(request, "admin:read")
        limit, offset = _window(await read_params(request), kind)
        rt = runtime_of(request)
        base = rt.settings.base_url
        require, found = await rt.db.aread(_admin_payload, kind, limit, offset)
        if kind == "tags":
            body = [
                {
                    **tag_entity(t.id, t.name, base, history=t.history),
                    **admin_tag_fields(t, require),
                }
                for t in found
            ]
        elif kind == "links":
            body = [serialize_admin_link(link) for link in found]
        else:
            views, reviews = found
            body = [
                {**serialize_status(v, base), "requires_review": v.id not in reviews} for v in views
            ]
        return JSONResponse(body, headers=_links(request, limit, offset, len(body)))

    return endpoint


def _admin_review(kind: str, state: str) -> Any:
    async def endpoint(request: Request) -> Response:
        await _admin(request, "admin:write")
        target_id = path_id(request)
        rt = runtime_of(request)
        base = rt.settings.base_url
        require, item = await rt.db.awrite(
            trend_views.review_and_show, KIND_NAMES[kind], target_id, state
        )
        if kind == "tags":
            body = {
                **tag_entity(item.id, item.name, base, history=item.history),
                **admin_tag_fields(item, require),
            }
        elif kind == "links":
            body = serialize_admin_link(item)
        elif item is None:  # a post no longer public: reviewed, but not shown
            body = {"id": str(target_id), "requires_review": False}
        else:
            body = {**serialize_status(item, base), "requires_review": False}
        return JSONResponse(body)

    return endpoint


routes: list[BaseRoute] = [
    Route("/api/v1/trends", trending_tags, methods=["GET"]),
    Route("/api/v1/trends/tags", trending_tags, methods=["GET"]),
    Route("/api/v1/trends/statuses", trending_statuses, methods=["GET"]),
    Route("/api/v1/trends/links", trending_links, methods=["GET"]),
]
for _kind in ("tags", "statuses", "links"):
    routes.append(Route(f"/api/v1/admin/trends/{_kind}", _admin_list(_kind), methods=["GET"]))
    for _action, _state in (("approve", "approved"), ("reject", "rejected")):
        routes.append(
            Route(
                f"/api/v1/admin/trends/{_kind}/{{id}}/{_action}",
                _admin_review(_kind, _state),
                methods=["POST"],
            )
        )
