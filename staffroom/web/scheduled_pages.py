"""One's scheduled posts on the web: ``/scheduled`` lists them (times in UTC, which the page's
script shows in the reader's zone) with a form to cancel each and a link to change one;
``/scheduled/{id}/edit`` changes its text, content warning, audience and time (in the
reader's zone: ``web/schedule_fields.py``). Both go through ``services.scheduling``."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from staffroom.errors import NotFound, StaffroomError
from staffroom.ids import parse_id
from staffroom.policies.visibility import VISIBILITY_CODES
from staffroom.runtime import runtime_of
from staffroom.services import posting, scheduling
from staffroom.services.login import SessionUser
from staffroom.web.forms import form_text, signed_in_form
from staffroom.web.render import redirect, render
from staffroom.web.schedule_fields import ScheduleField, local_value, schedule_from_form
from staffroom.web.session import current_user
from staffroom.web.timeline_pages import VISIBILITIES

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


def _edit_page(
    request: Request,
    viewer: SessionUser,
    item_id: int,
    draft: posting.NewStatus,
    when: ScheduleField,
    *,
    status: int = 200,
    error: str | None = None,
) -> Response:
    settings = runtime_of(request).settings
    return render(
        request,
        "scheduled_edit.html",
        viewer=viewer,
        status=status,
        error=error,
        item_id=item_id,
        text=draft.text,
        spoiler=draft.spoiler_text,
        visibility=draft.visibility,
        visibilities=VISIBILITIES,
        local=when.local,
        zone=when.zone,
        max_status_chars=settings.max_status_chars,
        url_length=settings.url_length,
    )


async def edit_form(request: Request) -> Response:
    """``/scheduled/{id}/edit``: one's scheduled post in a form (its time in UTC, moved into
    the reader's zone by the page's script)."""
    viewer = await current_user(request)
    if viewer is None:
        return redirect("/auth/sign_in?next=/scheduled")
    item_id = parse_id(request.path_params["id"])
    if item_id is None:
        raise NotFound()
    item = await runtime_of(request).db.aread(scheduling.get_scheduled, viewer.account_id, item_id)
    when = ScheduleField(local_value(item.scheduled_at), "UTC", item.scheduled_at)
    return _edit_page(request, viewer, item_id, item.new, when)


async def edit(request: Request) -> Response:
    """``POST /web/scheduled/{id}/edit``: save the changes, or show the form again with why
    they were refused."""
    checked = await signed_in_form(request, back_to="/scheduled")
    if isinstance(checked, Response):
        return checked
    viewer, form = checked
    item_id = parse_id(request.path_params["id"])
    if item_id is None:
        raise NotFound()
    visibility = form_text(form.get("visibility"))
    draft = posting.NewStatus(
        text=form_text(form.get("status")),
        visibility=visibility if visibility in VISIBILITY_CODES else "public",
        spoiler_text=form_text(form.get("spoiler_text")).strip(),
    )
    when = ScheduleField("", "UTC", None)
    rt = runtime_of(request)
    try:
        when = schedule_from_form(form) or when
        at = when.moment()
        await rt.db.awrite(scheduling.revise, rt, viewer.account_id, item_id, draft, at)
    except StaffroomError as exc:
        if exc.status != 422:
            raise
        return _edit_page(request, viewer, item_id, draft, when, status=422, error=exc.reason)
    return redirect("/scheduled")


routes: list[BaseRoute] = [
    Route("/scheduled", scheduled_page, methods=["GET"]),
    Route("/scheduled/{id}/edit", edit_form, methods=["GET"]),
    Route("/web/scheduled/{id}/edit", edit, methods=["POST"]),
    Route("/web/scheduled/{id}/cancel", cancel, methods=["POST"]),
]
