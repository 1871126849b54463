"""``/notifications``: what happened to the viewer (mentions, reposts, favourites, follows,
new posts of people they asked to hear about), filterable by type, with paging."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from staffroom.ids import parse_id
from staffroom.runtime import runtime_of
from staffroom.services.notifications import list_notifications
from staffroom.services.timelines import PageRequest
from staffroom.web.i18n import N_
from staffroom.web.render import redirect, render
from staffroom.web.session import current_user

PAGE_SIZE = 30
# The filter's choices: (value of ``?type=``, label, notification types it shows).
FILTERS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("", N_("All"), ()),
    ("mention", N_("Mentions"), ("mention",)),
    ("favourite", N_("Favourites"), ("favourite",)),
    ("reblog", N_("Reposts"), ("reblog",)),
    ("follow", N_("Follows"), ("follow", "follow_request")),
    ("status", N_("New posts"), ("status", "update")),
)


async def notifications_page(request: Request) -> Response:
    """The signed-in viewer's notifications (``?type=mention`` etc.; ``?max_id=`` pages)."""
    viewer = await current_user(request)
    if viewer is None:
        return redirect("/auth/sign_in?next=/notifications")
    chosen = request.query_params.get("type", "")
    types = next((t for value, _, t in FILTERS if value == chosen), None)
    if types is None:
        chosen, types = "", ()
    max_id = parse_id(request.query_params.get("max_id"))
    rt = runtime_of(request)
    page = await rt.db.aread(
        list_notifications,
        viewer.account_id,
        PageRequest(max_id=max_id, limit=PAGE_SIZE),
        types=types,
    )
    return render(
        request,
        "notifications.html",
        viewer=viewer,
        nav="notifications",
        filters=FILTERS,
        chosen=chosen,
        page=page,
        paged=max_id is not None,
    )


routes: list[BaseRoute] = [
    Route("/notifications", notifications_page, methods=["GET"]),
]
