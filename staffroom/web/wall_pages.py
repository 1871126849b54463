"""The backchannel wall on the web.

``/events/{id}/wall`` (the projector view: its own full-screen layout, readable signed out,
pinned posts on top, the newest posts large, the top approved questions beside them; live
through ``/events/{id}/wall/live``, server-sent events from ``streaming.walls``, and
``/events/{id}/wall/fragment?ids=|since_id=``, the posts' HTML), and
``/events/{id}/wall/moderate`` (the hosts' page: the chat's posts with Hide, Show, Pin,
Unpin and Keep off the wall; the approval queue; the mode; who is kept off). Forms under
``/web/events/{id}/wall``; through ``services.wall`` and ``services.wall_views``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import Connection
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from staffroom.api.streaming import RawASGI
from staffroom.errors import NotFound, ValidationFailed
from staffroom.ids import parse_id
from staffroom.runtime import runtime_of
from staffroom.services import wall, wall_views
from staffroom.streaming.walls import wall_stream
from staffroom.web.forms import form_text, signed_in_form
from staffroom.web.render import redirect, render
from staffroom.web.session import current_user

MAX_IDS = 40


def _id(request: Request, name: str = "id") -> int:
    found = parse_id(str(request.path_params[name]))
    if found is None:
        raise NotFound()
    return found


def _ids(raw: str) -> list[int]:
    found = [parse_id(p.strip()) for p in raw.split(",")[:MAX_IDS]]
    return [i for i in dict.fromkeys(found) if i is not None]


async def wall_page(request: Request) -> Response:
    """``/events/{id}/wall``: the projector view."""
    viewer = await current_user(request)
    page = await runtime_of(request).db.aread(
        wall_views.wall_page, viewer.account_id if viewer else None, _id(request)
    )
    response = render(request, "wall.html", viewer=viewer, page=page, event=page.event)
    response.headers["X-Robots-Tag"] = "noindex"
    return response


async def wall_fragment(request: Request) -> Response:
    """``/events/{id}/wall/fragment?ids=1,2`` or ``?since_id=``: wall posts' HTML."""
    viewer = await current_user(request)
    query = request.query_params
    only = _ids(query["ids"]) if "ids" in query else None
    page = await runtime_of(request).db.aread(
        wall_views.wall_page,
        viewer.account_id if viewer else None,
        _id(request),
        only=only,
        since_id=parse_id(query.get("since_id")),
    )
    response = render(request, "_wall_items.html", viewer=viewer, page=page, event=page.event)
    response.headers["Cache-Control"] = "no-store"
    return response


async def moderate_page(request: Request, *, error: str = "", status: int = 200) -> Response:
    """``/events/{id}/wall/moderate``: the hosts' moderation (403 for anyone else)."""
    viewer = await current_user(request)
    event_id = _id(request)
    if viewer is None:
        return redirect(f"/auth/sign_in?next=/events/{event_id}/wall/moderate")
    view = await runtime_of(request).db.aread(wall.moderation_view, viewer.account_id, event_id)
    return render(
        request,
        "wall_moderate.html",
        viewer=viewer,
        view=view,
        event=view.event,
        error=error,
        status=status,
    )


async def _change(
    request: Request, change: Callable[[Connection, int, Any], wall.WallChange]
) -> Response:
    """A moderation form: sign-in and CSRF, one change, published after its commit."""
    event_id = _id(request)
    back = f"/events/{event_id}/wall/moderate"
    checked = await signed_in_form(request, back_to=back)
    if isinstance(checked, Response):
        return checked
    viewer, form = checked
    rt = runtime_of(request)
    try:
        done = await rt.db.awrite(change, viewer.account_id, form)
    except ValidationFailed as exc:
        return await moderate_page(request, error=exc.reason, status=422)
    wall.publish(rt, done)
    return redirect(back)


async def moderate_post(request: Request) -> Response:
    """``POST /web/events/{id}/wall/posts/{status}/{approve|hide|show|pin|unpin}``."""
    event_id, status_id = _id(request), _id(request, "status")
    action = str(request.path_params["action"])

    def change(conn: Connection, actor: int, form: Any) -> wall.WallChange:
        return wall.moderate(conn, actor, event_id, status_id, action)

    return await _change(request, change)


async def block_person(request: Request) -> Response:
    """``POST /web/events/{id}/wall/people/{account}/{block|unblock}``."""
    event_id, account_id = _id(request), _id(request, "account")
    action = str(request.path_params["action"])
    if action not in ("block", "unblock"):
        raise NotFound()

    def change(conn: Connection, actor: int, form: Any) -> wall.WallChange:
        return wall.block(conn, actor, event_id, account_id, blocked=action == "block")

    return await _change(request, change)


async def set_mode(request: Request) -> Response:
    """``POST /web/events/{id}/wall/mode`` (``mode``)."""
    event_id = _id(request)

    def change(conn: Connection, actor: int, form: Any) -> wall.WallChange:
        return wall.set_mode(conn, actor, event_id, form_text(form.get("mode")))

    return await _change(request, change)


routes: list[BaseRoute] = [
    Route("/events/{id}/wall", wall_page, methods=["GET"]),
    Route("/events/{id}/wall/fragment", wall_fragment, methods=["GET"]),
    Route("/events/{id}/wall/live", RawASGI(wall_stream), methods=["GET"]),
    Route("/events/{id}/wall/moderate", moderate_page, methods=["GET"]),
    Route("/web/events/{id}/wall/posts/{status}/{action}", moderate_post, methods=["POST"]),
    Route("/web/events/{id}/wall/people/{account}/{action}", block_person, methods=["POST"]),
    Route("/web/events/{id}/wall/mode", set_mode, methods=["POST"]),
]
