"""Polls in the web app: voting from any page a post shows on (a plain form post that comes
back to that page), and reading the composer's and the edit form's poll fields."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from staffroom.errors import NotFound, ValidationFailed
from staffroom.ids import parse_id
from staffroom.runtime import runtime_of
from staffroom.services import polls
from staffroom.services.editing import KEEP_POLL
from staffroom.web.forms import form_text, signed_in_form
from staffroom.web.i18n import N_
from staffroom.web.render import redirect, safe_next

# The composer's durations (seconds), as Mastodon's web app offers them.
DURATIONS = (
    (300, N_("5 minutes")),
    (1800, N_("30 minutes")),
    (3600, N_("1 hour")),
    (21600, N_("6 hours")),
    (86400, N_("1 day")),
    (259200, N_("3 days")),
    (604800, N_("7 days")),
)
DEFAULT_DURATION = 86400


def poll_from_form(form: FormData) -> polls.NewPoll | None:
    """The composer's poll (``poll_option`` fields, ``poll_duration``, ``poll_multiple``,
    ``poll_hide_totals``); ``None`` when no option was filled in."""
    options = tuple(
        text.strip() for text in (form_text(v) for v in form.getlist("poll_option")) if text.strip()
    )
    if not options:
        return None
    raw = form_text(form.get("poll_duration"))
    duration = int(raw) if raw.isdigit() and len(raw) < 9 else DEFAULT_DURATION
    return polls.NewPoll(
        options=options,
        expires_in=duration,
        multiple=form_text(form.get("poll_multiple")) == "on",
        hide_totals=form_text(form.get("poll_hide_totals")) == "on",
    )


KEEP_END = "keep"  # the edit form's "keep its end" duration


def edited_poll(
    form: FormData, current: polls.PollSource | None, now: datetime
) -> polls.NewPoll | str | None:
    """The edit form's poll for ``editing.Edit.poll``: ``None`` when every option was
    cleared (the poll goes), ``KEEP_POLL`` when nothing about it changed. With "keep its end"
    chosen, the same question keeps its end (at least 5 minutes from now); changed options
    start the poll afresh (as Mastodon does) for as long as it first ran."""
    asked = poll_from_form(form)
    if asked is None:
        return None if current is not None else KEEP_POLL
    if current is None or form_text(form.get("poll_duration")) != KEEP_END:
        return asked
    unchanged = (asked.options, asked.multiple) == (current.options, current.multiple)
    if unchanged and asked.hide_totals == current.hide_totals:
        return KEEP_POLL
    seconds = (
        int((current.expires_at - now).total_seconds()) if unchanged else current.duration_seconds
    )
    return replace(asked, expires_in=min(max(seconds, polls.MIN_EXPIRATION), polls.MAX_EXPIRATION))


async def vote(request: Request) -> Response:
    """``POST /web/polls/{id}/votes``: the reader's choices (``poll-{id}``), then back."""
    checked = await signed_in_form(request)
    if isinstance(checked, Response):
        return checked
    viewer, form = checked
    poll_id = parse_id(request.path_params["id"])
    if poll_id is None:
        raise NotFound()
    choices: list[int] = []
    for value in form.getlist(f"poll-{poll_id}"):
        text = form_text(value)
        if not (text.isdigit() and len(text) < 4):
            raise ValidationFailed(N_("That option is not in this poll"))
        choices.append(int(text))
    rt = runtime_of(request)
    await rt.db.awrite(polls.vote, viewer.account_id, poll_id, choices)
    return redirect(safe_next(form_text(form.get("next"))))


routes: list[BaseRoute] = [
    Route("/web/polls/{id}/votes", vote, methods=["POST"]),
]
