"""An event's topic call on the web (issue 15).

``/events/{id}/topics``: the call's state in words, the proposals, a form to propose one
while the call is open and how to propose by post; for hosts, forms to open or close the
call, shortlist, start the vote (its close as ``datetime-local`` plus zone, as scheduled
posts) and set the topic directly; the vote's post with its poll, and the decided topic.
Forms under ``/web/events/{id}/topics/...`` (plain POST and redirect, no script needed), all
through ``services.event_topics``, ``services.event_topic_vote`` and
``services.event_topic_views``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from staffroom.errors import NotFound, ValidationFailed
from staffroom.ids import parse_id
from staffroom.runtime import runtime_of
from staffroom.services import event_topic_views, event_topic_vote, event_topics
from staffroom.services.login import SessionUser
from staffroom.web.forms import form_text, signed_in_form
from staffroom.web.i18n import N_
from staffroom.web.render import redirect, render
from staffroom.web.schedule_fields import local_value, schedule_from_form
from staffroom.web.session import current_user

NOTICES = {
    "opened": N_("The topic call is open."),
    "closed": N_("The topic call is closed."),
    "proposed": N_("Thank you: your topic is proposed."),
    "folded": N_("That topic was proposed already; it is in the list once."),
    "shortlisted": N_("The shortlist is saved."),
    "voting": N_("The vote is posted."),
    "decided": N_("The topic is decided and announced."),
}


def _id(request: Request) -> int:
    found = parse_id(request.path_params["id"])
    if found is None:
        raise NotFound()
    return found


async def topics_page(request: Request, *, error: str = "", status: int = 200) -> Response:
    """``/events/{id}/topics``: the topic call for anyone with the link."""
    viewer = await current_user(request)
    rt = runtime_of(request)
    page = await rt.db.aread(
        event_topic_views.topic_page, viewer.account_id if viewer else None, _id(request)
    )
    event = page.event
    default_close = event.starts_at - event_topic_vote.DEFAULT_CLOSE
    return render(
        request,
        "event_topics.html",
        viewer=viewer,
        page=page,
        event=event,
        views=[page.vote] if page.vote is not None else [],
        here=f"/events/{event.id}/topics",
        close_value=local_value(default_close),
        notice=NOTICES.get(request.query_params.get("done", ""), ""),
        error=error,
        status=status,
    )


def _closes_at(form: FormData) -> datetime | None:
    """The vote's close from the form (``None``: the default, an hour before the start)."""
    field = schedule_from_form(
        FormData(
            {
                "scheduled_at": form_text(form.get("closes_at")),
                "time_zone": form_text(form.get("time_zone")),
            }
        )
    )
    if field is None:
        return None
    if field.at is None:
        raise ValidationFailed(N_("Vote closes at: give a date and a time."), field="closes_at")
    return field.at


async def _act(
    request: Request, act: Callable[[SessionUser, FormData], Awaitable[str]]
) -> Response:
    """A topic form: sign-in and CSRF, one service call, back to the page with a notice (or
    the page again with the refusal in words, 422)."""
    back = f"/events/{_id(request)}/topics"
    checked = await signed_in_form(request, back_to=back)
    if isinstance(checked, Response):
        return checked
    viewer, form = checked
    try:
        done = await act(viewer, form)
    except ValidationFailed as exc:
        return await topics_page(request, error=exc.reason, status=422)
    return redirect(f"{back}?done={done}")


async def open_call(request: Request) -> Response:
    """``POST /web/events/{id}/topics/open`` (hosts)."""
    rt, event_id = runtime_of(request), _id(request)

    async def act(viewer: SessionUser, form: FormData) -> str:
        await rt.db.awrite(event_topics.open_call, viewer.account_id, event_id)
        return "opened"

    return await _act(request, act)


async def close_call(request: Request) -> Response:
    """``POST /web/events/{id}/topics/close`` (hosts)."""
    rt, event_id = runtime_of(request), _id(request)

    async def act(viewer: SessionUser, form: FormData) -> str:
        await rt.db.awrite(event_topics.close_call, viewer.account_id, event_id)
        return "closed"

    return await _act(request, act)


async def propose(request: Request) -> Response:
    """``POST /web/events/{id}/topics/propose`` (``text``; anyone signed in)."""
    rt, event_id = runtime_of(request), _id(request)

    async def act(viewer: SessionUser, form: FormData) -> str:
        _, made = await rt.db.awrite(
            event_topics.propose, viewer.account_id, event_id, form_text(form.get("text"))
        )
        return "proposed" if made else "folded"

    return await _act(request, act)


async def shortlist(request: Request) -> Response:
    """``POST /web/events/{id}/topics/shortlist`` (``topic_id`` ticked; hosts)."""
    rt, event_id = runtime_of(request), _id(request)

    async def act(viewer: SessionUser, form: FormData) -> str:
        chosen = [parse_id(v) for v in form.getlist("topic_id") if isinstance(v, str)]
        if None in chosen:
            raise ValidationFailed(N_("That topic was not proposed for this event"))
        ids = [c for c in chosen if c is not None]
        await rt.db.awrite(event_topics.set_shortlist, viewer.account_id, event_id, ids)
        return "shortlisted"

    return await _act(request, act)


async def start_vote(request: Request) -> Response:
    """``POST /web/events/{id}/topics/vote`` (``closes_at``, ``time_zone``; hosts)."""
    rt, event_id = runtime_of(request), _id(request)

    async def act(viewer: SessionUser, form: FormData) -> str:
        closes = _closes_at(form)

        def run(conn: Any) -> int:
            return event_topic_vote.start_vote(conn, rt, viewer.account_id, event_id, closes)

        await rt.db.awrite(run)
        return "voting"

    return await _act(request, act)


async def set_topic(request: Request) -> Response:
    """``POST /web/events/{id}/topics/decide`` (``text``; hosts)."""
    rt, event_id = runtime_of(request), _id(request)

    async def act(viewer: SessionUser, form: FormData) -> str:
        text = form_text(form.get("text"))

        def run(conn: Any) -> int:
            return event_topic_vote.set_topic(conn, rt, viewer.account_id, event_id, text)

        await rt.db.awrite(run)
        return "decided"

    return await _act(request, act)


routes: list[BaseRoute] = [
    Route("/events/{id}/topics", topics_page, methods=["GET"]),
    Route("/web/events/{id}/topics/open", open_call, methods=["POST"]),
    Route("/web/events/{id}/topics/close", close_call, methods=["POST"]),
    Route("/web/events/{id}/topics/propose", propose, methods=["POST"]),
    Route("/web/events/{id}/topics/shortlist", shortlist, methods=["POST"]),
    Route("/web/events/{id}/topics/vote", start_vote, methods=["POST"]),
    Route("/web/events/{id}/topics/decide", set_topic, methods=["POST"]),
]
