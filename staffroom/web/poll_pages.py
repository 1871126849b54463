"""Polls in the web app: voting from any page a post shows on (a plain form post that comes
back to that page), and reading the composer's poll fields."""

from __future__ import annotations

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from staffroom.errors import NotFound, ValidationFailed
from staffroom.ids import parse_id
from staffroom.runtime import runtime_of
from staffroom.services import polls
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
