"""One's scheduled posts on the web: ``/scheduled`` lists them (times in UTC, as the API
gives them) with a form to cancel each; ``POST /web/scheduled/{id}/cancel`` cancels one
through ``services.scheduling``, as ``DELETE /api/v1/scheduled_statuses/:id`` does."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from staffroom.errors import NotFound
from staffroom.ids import parse_id
from staffroom.runtime import runtime_of
from staffroom.services import scheduling
from staffroom.web.forms import signed_in_form
from staffroom.web.render import redirect, render
from staffroom.web.session import current_user

SHOWN = 40


async def scheduled_page(request: Request) -> Response:
    """``/scheduled``: what one has scheduled, the soonest first."""
    viewer = await current_user(request)
    if viewer is None:
        return redirect("/auth/sign_in?next=/scheduled")
    rt = runtime_of(request)
    items = await rt.db.aread(scheduling.scheduled_page, viewer.account_id, limit=SHOWN)
    items.sort(key=lambda item: item.scheduled_at)
    return render(request, "scheduled.html", viewer=viewer, items=items, shown=SHOWN)


async def cancel(request: Request) -> Response:
    """``POST /web/scheduled/{id}/cancel``: the post will not be published."""
    checked = await signed_in_form(request, back_to="/scheduled")
    if isinstance(checked, Response):
        return checked
    viewer, _ = checked
    scheduled_id = parse_id(request.path_params["id"])
    if scheduled_id is None:
        raise NotFound()
    await runtime_of(request).db.awrite(scheduling.cancel, viewer.account_id, scheduled_id)
    return redirect("/scheduled")


routes: list[BaseRoute] = [
    Route("/scheduled", scheduled_page, methods=["GET"]),
    Route("/web/scheduled/{id}/cancel", cancel, methods=["POST"]),
]
