"""Events in one's calendar application (issue 15): the iCalendar feeds ``/events/{id}.ics``,
``/series/{id}.ics`` and ``/calendar/{token}.ics`` (everything one goes to, hosts or
follows, at a secret address), and ``/settings/calendar`` where that address is shown and
can be replaced (``POST /web/settings/calendar/reset``)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from staffroom.errors import NotFound
from staffroom.ids import parse_id
from staffroom.runtime import runtime_of
from staffroom.services import event_ical
from staffroom.web.forms import signed_in_form
from staffroom.web.render import redirect
from staffroom.web.session import current_user
from staffroom.web.settings_common import render_settings, sign_in_first


def _id(request: Request) -> int:
    found = parse_id(str(request.path_params["id"]))
    if found is None:
        raise NotFound()
    return found


def _ics(body: bytes, name: str) -> Response:
    return Response(
        body,
        media_type=event_ical.MEDIA_TYPE,
        headers={"Content-Disposition": f'inline; filename="{name}.ics"'},
    )


async def event_ics(request: Request) -> Response:
    """``/events/{id}.ics``: for anyone who may read the event's page."""
    rt, event_id = runtime_of(request), _id(request)
    viewer = await current_user(request)
    viewer_id = viewer.account_id if viewer else None
    body = await rt.db.aread(event_ical.event_feed, event_id, rt.settings.base_url, viewer_id)
    return _ics(body, f"event-{event_id}")


async def series_ics(request: Request) -> Response:
    rt, series_id = runtime_of(request), _id(request)
    body = await rt.db.aread(event_ical.series_feed, series_id, rt.settings.base_url)
    return _ics(body, f"series-{series_id}")


async def personal_ics(request: Request) -> Response:
    rt = runtime_of(request)
    token = str(request.path_params["token"])
    body = await rt.db.aread(event_ical.personal_feed, token, rt.settings.base_url)
    return _ics(body, "staffroom")


async def calendar_settings(request: Request) -> Response:
    """``/settings/calendar``: the secret address of one's own feed, and "make a new one"."""
    viewer = await current_user(request)
    if viewer is None:
        return sign_in_first(request)
    rt = runtime_of(request)
    token = await rt.db.awrite(event_ical.ensure_token, viewer.account_id)
    return render_settings(
        request,
        "settings_calendar.html",
        viewer,
        feed_url=f"{rt.settings.base_url}/calendar/{token}.ics",
        reset=request.query_params.get("reset") == "1",
    )


async def reset_calendar(request: Request) -> Response:
    """``POST /web/settings/calendar/reset``: a new secret address."""
    checked = await signed_in_form(request, back_to="/settings/calendar")
    if isinstance(checked, Response):
        return checked
    viewer, _form = checked
    await runtime_of(request).db.awrite(event_ical.reset_token, viewer.account_id)
    return redirect("/settings/calendar?reset=1")


routes: list[BaseRoute] = [
    Route("/events/{id}.ics", event_ics, methods=["GET"]),
    Route("/series/{id}.ics", series_ics, methods=["GET"]),
    Route("/calendar/{token}.ics", personal_ics, methods=["GET"]),
    Route("/settings/calendar", calendar_settings, methods=["GET"]),
    Route("/web/settings/calendar/reset", reset_calendar, methods=["POST"]),
]
