"""HTML fragments for the live pages: posts and column items rendered exactly as on the page.

The browser learns from the streaming API that something is new, then asks for the HTML here,
so what it inserts is escaped and rendered by the same templates (``_status.html``) with the
same visibility rules as a page load: posts the viewer may not see are silently left out.
Signed out, both answer 401 (nothing to show, nowhere to redirect a ``fetch`` to).
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import BaseRoute, Route

from staffroom.errors import NotFound
from staffroom.ids import parse_id
from staffroom.runtime import runtime_of
from staffroom.services.deck import Column
from staffroom.services.login import SessionUser
from staffroom.services.status_views import load_views
from staffroom.services.timelines import PageRequest
from staffroom.web.deck_columns import PAGE_SIZE, ColumnPage, load_column
from staffroom.web.render import render, safe_next
from staffroom.web.session import current_user

MAX_IDS = 40


def _unauthorised() -> Response:
    return PlainTextResponse(
        "Sign in first", status_code=401, headers={"Cache-Control": "no-store"}
    )


def _ids(raw: str) -> list[int]:
    found: list[int] = []
    for part in raw.split(",")[:MAX_IDS]:
        status_id = parse_id(part.strip())
        if status_id is not None and status_id not in found:
            found.append(status_id)
    return found


async def statuses(request: Request) -> Response:
    """``GET /web/fragments/statuses?ids=1,2&here=/``: the posts' articles, newest first."""
    viewer = await current_user(request)
    if viewer is None:
        return _unauthorised()
    rt = runtime_of(request)
    ids = sorted(_ids(request.query_params.get("ids", "")), reverse=True)
    views = await rt.db.aread(load_views, viewer.account_id, ids, for_timeline=True)
    here = safe_next(request.query_params.get("here"), "/")
    # The home page's new posts, filtered as the home timeline is.
    return _render(request, viewer, ColumnPage(statuses=views), "home" if here == "/" else None)


async def column(request: Request) -> Response:
    """``GET /web/fragments/column?key=...&since_id=...|max_id=...``: a column's items.

    The ``X-Older`` header gives the ``max_id`` of the page after this one (if any)."""
    viewer = await current_user(request)
    if viewer is None:
        return _unauthorised()
    query = request.query_params
    page = PageRequest(
        max_id=parse_id(query.get("max_id")),
        since_id=parse_id(query.get("since_id")),
        limit=PAGE_SIZE,
    )
    loaded = await load_column(
        runtime_of(request), viewer, Column.from_key(query.get("key", "")), page
    )
    if loaded is None:
        raise NotFound()
    response = _render(request, viewer, loaded.page, loaded.kind.filter_context)
    if loaded.page.older is not None and page.since_id is None:
        response.headers["X-Older"] = str(loaded.page.older)
    return response


def _render(
    request: Request, viewer: SessionUser, page: ColumnPage, filter_context: str | None = None
) -> Response:
    return render(
        request,
        "_fragment.html",
        viewer=viewer,
        page=page,
        filter_context=filter_context,
        here=safe_next(request.query_params.get("here"), "/"),
        base_url=runtime_of(request).settings.base_url,
    )


routes: list[BaseRoute] = [
    Route("/web/fragments/statuses", statuses, methods=["GET"]),
    Route("/web/fragments/column", column, methods=["GET"]),
]
