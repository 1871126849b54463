"""``/notifications``: what happened to the viewer (mentions, reposts, favourites, follows,
new posts of people they asked to hear about), grouped as the API's ``/api/v2/notifications``
("Ana, Ben and 10 others favourited your post"), filterable by type, with paging;
``/notifications/requests``: the people whose notifications the viewer's policy holds back,
each to accept or dismiss (``services.notification_requests``)."""

from __future__ import annotations

import orjson
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from staffroom.errors import ValidationFailed
from staffroom.ids import parse_id
from staffroom.runtime import runtime_of
from staffroom.serializers.markers import serialize_markers
from staffroom.services import markers, notification_policy, notification_requests
from staffroom.services.notification_groups import Filters, list_groups
from staffroom.services.timelines import PageRequest
from staffroom.web.forms import form_text, signed_in_form
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
        list_groups,
        viewer.account_id,
        PageRequest(max_id=max_id, limit=PAGE_SIZE),
        Filters(types=types),
    )
    policy = await rt.db.aread(notification_policy.get_policy, viewer.account_id)
    # The newest notification shown, when the viewer has unread ones (counted with the
    # session) and sees them all: the page offers to mark them read, a form its script sends
    # at once (25-markers.js). A plain GET changes nothing.
    newest = max((g.most_recent_id for g in page.groups), default=None)
    mark_read = newest if viewer.unread_notifications and not chosen and max_id is None else None
    return render(
        request,
        "notifications.html",
        filter_context="notifications",
        mark_read=mark_read,
        viewer=viewer,
        nav="notifications",
        filters=FILTERS,
        chosen=chosen,
        page=page,
        paged=max_id is not None,
        pending_requests=policy.pending_requests,
    )


async def requests_page(request: Request) -> Response:
    """``/notifications/requests``: held-back notifications, one entry per sender."""
    viewer = await current_user(request)
    if viewer is None:
        return redirect("/auth/sign_in?next=/notifications/requests")
    max_id = parse_id(request.query_params.get("max_id"))
    rt = runtime_of(request)
    page = await rt.db.aread(
        notification_requests.list_requests,
        viewer.account_id,
        PageRequest(max_id=max_id, limit=PAGE_SIZE),
    )
    return render(
        request,
        "notification_requests.html",
        viewer=viewer,
        nav="notifications",
        page=page,
        paged=max_id is not None,
        done=request.query_params.get("done", ""),
    )


async def answer_request(request: Request) -> Response:
    """``POST /web/notifications/requests/{id}/{accept|dismiss}``."""
    back = "/notifications/requests"
    checked = await signed_in_form(request, back_to=back)
    if isinstance(checked, Response):
        return checked
    viewer, _form = checked
    request_id = parse_id(request.path_params["id"])
    action = request.path_params["action"]
    if request_id is None or action not in ("accept", "dismiss"):
        raise ValidationFailed(N_("This request does not exist."))
    change = notification_requests.accept if action == "accept" else notification_requests.dismiss
    await runtime_of(request).db.awrite(change, viewer.account_id, [request_id])
    return redirect(f"{back}?done={action}")


async def mark_notifications_read(request: Request) -> Response:
    """``POST /web/markers/notifications``: the notifications marker moves forward to
    ``last_read_id`` (never back). A script asking for JSON gets the markers hash (as the
    API answers it); a plain form goes back to the notifications."""
    checked = await signed_in_form(request, back_to="/notifications")
    if isinstance(checked, Response):
        return checked
    viewer, form = checked
    last_read_id = parse_id(form_text(form.get("last_read_id")))
    if last_read_id is None:
        raise ValidationFailed(N_("This notification does not exist."))
    rt = runtime_of(request)
    saved = await rt.db.awrite(
        markers.advance_marker, viewer.account_id, "notifications", last_read_id
    )
    markers.stream_changes(rt, viewer.account_id, saved.changed)
    if "application/json" in request.headers.get("accept", ""):
        body = orjson.dumps(serialize_markers(saved.markers))
        return Response(body, media_type="application/json", headers={"Cache-Control": "no-store"})
    return redirect("/notifications")


routes: list[BaseRoute] = [
    Route("/notifications", notifications_page, methods=["GET"]),
    Route("/notifications/requests", requests_page, methods=["GET"]),
    Route("/web/notifications/requests/{id}/{action}", answer_request, methods=["POST"]),
    Route("/web/markers/notifications", mark_notifications_read, methods=["POST"]),
]
