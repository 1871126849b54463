"""Events on the web (issue 15).

``/events`` (the calendar: hashtag, subject and people filters as a GET form, grouped by
day in the reader's zone), ``/events/new``, ``/events/{id}`` (when, hosts, link, "I'm
going" with privacy and a reminder, attendees, series, links to the room, wall, Q&A,
transcript and topics), ``/events/{id}/edit`` and ``/series/{id}`` (the iCalendar feeds are in
``web/calendar_pages.py``). Forms under ``/web/events`` and ``/web/series``; each one
service call.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date
from itertools import groupby
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from staffroom import clock
from staffroom.errors import NotFound, ValidationFailed
from staffroom.ids import parse_id
from staffroom.runtime import runtime_of
from staffroom.services import (
    event_calendar,
    event_editing,
    event_recurrence,
    event_rsvps,
    event_views,
)
from staffroom.services.events import create_event, create_series
from staffroom.services.login import SessionUser
from staffroom.web import calendar_pages, event_forms
from staffroom.web.event_forms import EventForm
from staffroom.web.forms import form_text, signed_in_form
from staffroom.web.i18n import N_
from staffroom.web.render import redirect, render
from staffroom.web.session import current_user

WHO = (
    ("all", N_("Everyone")),
    ("following", N_("People I follow")),
    ("mine", N_("Mine: going or following the series")),
)
REMINDER_LABELS = {
    None: N_("No reminder"),
    15: N_("15 minutes before"),
    60: N_("1 hour before"),
    1440: N_("1 day before"),
}
ROOM_LINKS = (
    ("room", N_("Live room")),
    ("wall", N_("Wall")),
    ("qa", N_("Questions and answers")),
    ("topics", N_("Topics")),
    ("transcript", N_("Transcript")),
)


def _id(request: Request, name: str = "id") -> int:
    found = parse_id(str(request.path_params[name]))
    if found is None:
        raise NotFound()
    return found


def _viewer_id(viewer: SessionUser | None) -> int | None:
    return viewer.account_id if viewer else None


def _reader_zone(raw: str) -> str:
    return raw if event_recurrence.zone(raw) is not None else "UTC"


async def calendar_page(request: Request) -> Response:
    """``/events``: upcoming events, filtered, grouped by day in the reader's zone (``tz``,
    which the page's script fills in)."""
    viewer = await current_user(request)
    q = request.query_params
    who = q.get("who", "all")
    query = event_calendar.CalendarQuery(
        hashtag=q.get("hashtag", "")[:100],
        subject=q.get("subject", "")[:64],
        who=who if who in event_calendar.FILTERS and viewer else "all",
        after=q.get("after", "")[:40],
    )
    zone = _reader_zone(q.get("tz", ""))
    rt = runtime_of(request)

    def read(conn: Any) -> tuple[event_calendar.CalendarPage, list[str]]:
        page = event_calendar.upcoming(conn, _viewer_id(viewer), query, clock.now())
        return page, event_calendar.subjects(conn)

    page, subjects = await rt.db.aread(read)
    days: list[tuple[date, list[Any]]] = [
        (day, list(items))
        for day, items in groupby(
            page.events, key=lambda e: event_recurrence.to_local(e.starts_at, zone).date()
        )
    ]
    return render(
        request,
        "events.html",
        viewer=viewer,
        nav="events",
        page=page,
        days=days,
        query=query,
        zone=zone,
        subjects=subjects,
        who_choices=WHO,
    )


def _form_context(f: EventForm, **more: Any) -> dict[str, Any]:
    return {
        "form": f,
        "zones": event_recurrence.zone_names(),
        "repeats": event_forms.REPEATS,
        "kinds": event_forms.KIND_LABELS,
        **more,
    }


async def new_page(
    request: Request, *, form: EventForm | None = None, error: str = "", status: int = 200
) -> Response:
    """``/events/new``: a one-off event or a series."""
    viewer = await current_user(request)
    if viewer is None:
        return redirect("/auth/sign_in?next=/events/new")
    conferences = await runtime_of(request).db.aread(
        event_views.my_conferences, viewer.account_id, clock.now()
    )
    return render(
        request,
        "event_form.html",
        viewer=viewer,
        nav="events",
        status=status,
        error=error,
        editing=None,
        conferences=conferences,
        **_form_context(form or EventForm()),
    )


async def event_page(request: Request, *, error: str = "", status: int = 200) -> Response:
    """``/events/{id}``: the event for anyone with its link."""
    viewer = await current_user(request)
    rt = runtime_of(request)
    page = await rt.db.aread(event_views.event_page, _viewer_id(viewer), _id(request))
    return render(
        request,
        "event.html",
        viewer=viewer,
        nav="events",
        page=page,
        event=page.event,
        phase=page.event.phase(clock.now()),
        reminders=REMINDER_LABELS,
        room_links=ROOM_LINKS,
        is_host=page.event.is_host(_viewer_id(viewer)),
        shown_limit=event_views.ATTENDEES_SHOWN,
        done=request.query_params.get("done", ""),
        error=error,
        status=status,
    )


def _form_of_event(event: Any, usernames: list[str]) -> EventForm:
    return EventForm(
        title=event.title,
        description=event.description,
        hashtag=event.hashtag,
        starts_at=event.local_start.strftime(event_recurrence.LOCAL_FORMAT),
        ends_at=event.local_end.strftime(event_recurrence.LOCAL_FORMAT),
        time_zone=event.time_zone,
        online_url=event.online_url,
        kind=event.kind,
        cohosts=" ".join(usernames),
    )


async def edit_page(
    request: Request, *, form: EventForm | None = None, error: str = "", status: int = 200
) -> Response:
    """``/events/{id}/edit``: a host changes the occurrence or cancels it."""
    viewer = await current_user(request)
    event_id = _id(request)
    if viewer is None:
        return redirect(f"/auth/sign_in?next=/events/{event_id}/edit")
    page = await runtime_of(request).db.aread(event_views.event_page, viewer.account_id, event_id)
    if not page.event.is_host(viewer.account_id):
        raise NotFound()
    names = [
        str(page.people[h].username)
        for h in page.event.host_ids
        if h != page.event.account_id and h in page.people
    ]
    return render(
        request,
        "event_form.html",
        viewer=viewer,
        nav="events",
        status=status,
        error=error,
        editing=page.event,
        conferences=[],
        **_form_context(form or _form_of_event(page.event, names)),
    )


async def attendees_page(request: Request) -> Response:
    """``/events/{id}/attendees``: everyone going who lets it be shown."""
    viewer = await current_user(request)
    page = await runtime_of(request).db.aread(
        event_views.event_page,
        _viewer_id(viewer),
        _id(request),
        shown_limit=event_views.ATTENDEES_ALL,
    )
    return render(
        request, "event_attendees.html", viewer=viewer, nav="events", page=page, event=page.event
    )


async def series_page(request: Request) -> Response:
    """``/series/{id}``: upcoming and past occurrences, hosts, follow, the feed."""
    viewer = await current_user(request)
    page = await runtime_of(request).db.aread(
        event_views.series_page, _viewer_id(viewer), _id(request), clock.now()
    )
    first = page.series.first_start_local
    return render(
        request,
        "series.html",
        viewer=viewer,
        nav="events",
        page=page,
        series=page.series,
        weekday=first.weekday(),
        nth=event_recurrence.week_of_month(first.date()),
    )


# --- forms -----------------------------------------------------------------------------------


async def _act(
    request: Request,
    back: str,
    act: Callable[[SessionUser, Any], Awaitable[str]],
    on_error: Callable[..., Awaitable[Response]],
) -> Response:
    """An event form: sign-in and CSRF, one service call, then where ``act`` says (or the
    page again with the refusal in words, 422)."""
    checked = await signed_in_form(request, back_to=back)
    if isinstance(checked, Response):
        return checked
    viewer, form = checked
    try:
        where = await act(viewer, form)
    except ValidationFailed as exc:
        return await on_error(request, error=exc.reason, status=422)
    return redirect(where)


async def create(request: Request) -> Response:
    """``POST /web/events``: a one-off event, or a series (``repeat``)."""
    rt = runtime_of(request)
    filled: list[EventForm] = []

    async def act(viewer: SessionUser, form: Any) -> str:
        f = event_forms.read_event_form(form)
        filled.append(f)
        draft = event_forms.draft_of(f)
        frequency, until = event_forms.repeat_of(f)

        def make(conn: Any) -> str:
            hosts = event_editing.host_ids_named(
                conn, event_forms.cohost_names(f), viewer.account_id
            )
            if frequency is None:
                if draft.parent_id is not None:
                    event_editing.require_host(conn, viewer.account_id, draft.parent_id)
                made = create_event(conn, rt, viewer.account_id, draft, hosts, announce=f.announce)
                return f"/events/{made}"
            series_id, _first = create_series(
                conn, rt, viewer.account_id, draft, frequency, until, hosts, announce=f.announce
            )
            return f"/series/{series_id}"

        return str(await rt.db.awrite(make))

    async def again(request: Request, *, error: str, status: int) -> Response:
        return await new_page(
            request, form=filled[0] if filled else None, error=error, status=status
        )

    return await _act(request, "/events/new", act, again)


async def update(request: Request) -> Response:
    """``POST /web/events/{id}``: a host's edit."""
    rt, event_id = runtime_of(request), _id(request)
    filled: list[EventForm] = []

    async def act(viewer: SessionUser, form: Any) -> str:
        f = event_forms.read_event_form(form)
        filled.append(f)
        change = event_forms.change_of(f)
        await rt.db.awrite(event_editing.edit_event, viewer.account_id, event_id, change)
        return f"/events/{event_id}?done=saved"

    async def again(request: Request, *, error: str, status: int) -> Response:
        return await edit_page(
            request, form=filled[0] if filled else None, error=error, status=status
        )

    return await _act(request, f"/events/{event_id}/edit", act, again)


async def cancel(request: Request) -> Response:
    """``POST /web/events/{id}/cancel``."""
    rt, event_id = runtime_of(request), _id(request)

    async def act(viewer: SessionUser, form: Any) -> str:
        await rt.db.awrite(event_editing.cancel_event, viewer.account_id, event_id)
        return f"/events/{event_id}?done=cancelled"

    return await _act(request, f"/events/{event_id}", act, event_page)


async def rsvp(request: Request) -> Response:
    """``POST /web/events/{id}/rsvp`` (``going`` 1/0, ``private``, ``remind_minutes``)."""
    rt, event_id = runtime_of(request), _id(request)

    async def act(viewer: SessionUser, form: Any) -> str:
        if form_text(form.get("going")) == "0":
            await rt.db.awrite(event_rsvps.not_going, viewer.account_id, event_id)
            return f"/events/{event_id}?done=not_going#rsvp"
        minutes = event_rsvps.parse_reminder(form_text(form.get("remind_minutes")))
        await rt.db.awrite(
            event_rsvps.going,
            viewer.account_id,
            event_id,
            private=form_text(form.get("private")) == "1",
            remind_minutes=minutes,
        )
        return f"/events/{event_id}?done=going#rsvp"

    return await _act(request, f"/events/{event_id}", act, event_page)


async def follow_series(request: Request) -> Response:
    """``POST /web/series/{id}/follow`` (``follow`` 1/0)."""
    rt, series_id = runtime_of(request), _id(request)

    async def act(viewer: SessionUser, form: Any) -> str:
        if form_text(form.get("follow")) == "0":
            await rt.db.awrite(event_editing.unfollow_series, viewer.account_id, series_id)
        else:
            await rt.db.awrite(event_editing.follow_series, viewer.account_id, series_id)
        return f"/series/{series_id}"

    async def again(request: Request, *, error: str, status: int) -> Response:
        raise ValidationFailed(error)

    return await _act(request, f"/series/{series_id}", act, again)


routes: list[BaseRoute] = [
    *calendar_pages.routes,  # /events/{id}.ics before /events/{id}
    Route("/events", calendar_page, methods=["GET"]),
    Route("/events/new", new_page, methods=["GET"]),
    Route("/events/{id}", event_page, methods=["GET"]),
    Route("/events/{id}/edit", edit_page, methods=["GET"]),
    Route("/events/{id}/attendees", attendees_page, methods=["GET"]),
    Route("/series/{id}", series_page, methods=["GET"]),
    Route("/web/events", create, methods=["POST"]),
    Route("/web/events/{id}", update, methods=["POST"]),
    Route("/web/events/{id}/cancel", cancel, methods=["POST"]),
    Route("/web/events/{id}/rsvp", rsvp, methods=["POST"]),
    Route("/web/series/{id}/follow", follow_series, methods=["POST"]),
]
