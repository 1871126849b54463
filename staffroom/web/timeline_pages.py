"""The signed-in home page: the home timeline with a composer, and the forms that act on
posts (favourite, repost, bookmark, delete). Every action is a plain form post that comes
back to the page it was made on, so all of it works without JavaScript."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from staffroom.errors import NotFound, StaffroomError, ValidationFailed
from staffroom.ids import parse_id
from staffroom.messages import T_
from staffroom.policies.visibility import DIRECT, VISIBILITY_CODES, VISIBILITY_NAMES
from staffroom.runtime import runtime_of
from staffroom.services import (
    filters,
    interactions,
    media_drafts,
    media_removal,
    pins,
    posting,
    scheduling,
    timelines,
)
from staffroom.services.login import SessionUser
from staffroom.services.media_views import MediaView
from staffroom.services.timelines import PageRequest
from staffroom.web import composer_media
from staffroom.web.forms import form_text, signed_in_form
from staffroom.web.i18n import N_
from staffroom.web.poll_pages import DEFAULT_DURATION, DURATIONS, poll_from_form
from staffroom.web.render import redirect, render, safe_next
from staffroom.web.schedule_fields import ScheduleField, schedule_from_form
from staffroom.web.session import current_user, read_as_viewer

PAGE_SIZE = 20
VISIBILITIES = (
    ("public", N_("Public: anyone can see it")),
    ("unlisted", N_("Unlisted: public, but kept out of public timelines")),
    ("private", N_("Followers only")),
    ("direct", N_("Only the people mentioned")),
)


async def signed_in_home(request: Request) -> Response | None:
    """``/`` for the signed-in (``/?max_id=...`` for older posts), else ``None``: the session
    and the timeline are read together, in one trip to the database."""
    rt = runtime_of(request)
    max_id = parse_id(request.query_params.get("max_id"))
    page = PageRequest(max_id=max_id, limit=PAGE_SIZE)
    found = await read_as_viewer(
        request, lambda conn, viewer: timelines.home(conn, rt, viewer.account_id, page)
    )
    if found is None:
        return None
    viewer, result = found
    return _home_page(request, viewer, result, paged=max_id is not None)


async def home_timeline(
    request: Request,
    viewer: SessionUser,
    *,
    status: int = 200,
    draft: posting.NewStatus | None = None,
    error: str | None = None,
    schedule: ScheduleField | None = None,
    held: list[MediaView] | None = None,
) -> Response:
    """The home timeline page (``/?max_id=...`` for older posts) for a known viewer."""
    rt = runtime_of(request)
    max_id = parse_id(request.query_params.get("max_id"))
    page = PageRequest(max_id=max_id, limit=PAGE_SIZE)
    result = await rt.db.aread(timelines.home, rt, viewer.account_id, page)
    return _home_page(
        request,
        viewer,
        result,
        paged=max_id is not None,
        status=status,
        draft=draft,
        error=error,
        schedule=schedule,
        held=held,
    )


def _home_page(
    request: Request,
    viewer: SessionUser,
    result: timelines.TimelinePage,
    *,
    paged: bool,
    status: int = 200,
    draft: posting.NewStatus | None = None,
    error: str | None = None,
    schedule: ScheduleField | None = None,
    held: list[MediaView] | None = None,
) -> Response:
    rt = runtime_of(request)
    extra = _held(held)
    return render(
        request,
        "timeline.html",
        filter_context="home",
        schedule=schedule,
        **extra,
        viewer=viewer,
        status=status,
        holes=("posts", "older"),
        views=result.views,
        older=result.next_max_id,
        first_run_pending=viewer.first_run_pending,  # read with the session, no extra query
        default_visibility=viewer.default_visibility,
        paged=paged,
        draft=draft,
        error=error,
        visibilities=VISIBILITIES,
        poll_durations=DURATIONS,
        default_poll_duration=DEFAULT_DURATION,
        max_status_chars=rt.settings.max_status_chars,
        url_length=rt.settings.url_length,
    )


def _held(held: list[MediaView] | None) -> dict[str, Any]:
    """The composer's held images for the page (only when there are: a list is no skeleton
    key, so a page holding some is rendered in full)."""
    return {"held_media": held} if held else {}


async def post_page(request: Request) -> Response:
    """``/@username/{id}``: a post with the thread around it, and a reply form.

    The ``url`` of every post the API serves points here; signed out, public and unlisted
    posts show, and the visibility policy hides the rest as not found."""
    rt = runtime_of(request)
    viewer = await current_user(request)
    status_id = parse_id(request.path_params["id"])
    if status_id is None:
        raise NotFound()
    found = await rt.db.aread(timelines.thread, viewer.account_id if viewer else None, status_id)
    if found.focus.account.username.lower() != request.path_params["username"].lower():
        raise NotFound()
    return await _render_thread(request, viewer, found)


async def _render_thread(
    request: Request,
    viewer: SessionUser | None,
    found: timelines.Thread,
    *,
    status: int = 200,
    draft: posting.NewStatus | None = None,
    error: str | None = None,
    schedule: ScheduleField | None = None,
    held: list[MediaView] | None = None,
) -> Response:
    rt = runtime_of(request)
    focus = found.focus
    mention = (
        "" if viewer and focus.account.id == viewer.account_id else f"@{focus.account.username} "
    )
    if viewer and focus.row.visibility == DIRECT:  # a conversation: reply to everyone in it
        others = [(focus.account.id, focus.account.username), *focus.mentions]
        handles = dict.fromkeys(f"@{name}" for aid, name in others if aid != viewer.account_id)
        mention = "".join(f"{handle} " for handle in handles)
    choices: list[tuple[int, str]] | None = None  # "Filter this post", for readers only
    if viewer and focus.account.id != viewer.account_id and focus.reblog is None:
        choices = await rt.db.aread(filters.filter_titles, viewer.account_id)
    return render(
        request,
        "thread.html",
        filter_context="thread",
        filter_choices=choices,
        request_filtered=request.query_params.get("filtered") == "1" and choices is not None,
        **_held(held),
        viewer=viewer,
        schedule=schedule,
        status=status,
        thread=found,
        draft=draft,
        error=error,
        reply_text=draft.text if draft else mention,
        reply_visibility=draft.visibility if draft else VISIBILITY_NAMES[focus.row.visibility],
        visibilities=VISIBILITIES,
        poll_durations=DURATIONS,
        default_poll_duration=DEFAULT_DURATION,
        max_status_chars=rt.settings.max_status_chars,
        url_length=rt.settings.url_length,
        here=request.url.path,
    )


_signed_in_form = signed_in_form  # the name other page modules first imported
_text = form_text


async def create_post(request: Request) -> Response:
    """``POST /web/statuses``: post from the composer, then back to the home page."""
    checked = await _signed_in_form(request)
    if isinstance(checked, Response):
        return checked
    viewer, form = checked
    rt = runtime_of(request)
    visibility = _text(form.get("visibility")) or "public"
    reply_to = parse_id(_text(form.get("in_reply_to_id")))
    quote_of = parse_id(_text(form.get("quoted_status_id")))
    draft = posting.NewStatus(
        text=_text(form.get("status")),
        visibility=visibility if visibility in VISIBILITY_CODES else "public",
        in_reply_to_id=reply_to,
        quoted_status_id=quote_of,
        spoiler_text=_text(form.get("spoiler_text")).strip(),
        language=None,
        poll=poll_from_form(form),
    )
    choice = await composer_media.read_choice(form, rt.settings.max_image_bytes)
    held: list[MediaView] = []
    schedule: ScheduleField | None = None
    try:
        schedule = schedule_from_form(form)
        kept = await rt.db.awrite(
            media_drafts.keep, viewer.account_id, choice.held, choice.removed, choice.descriptions
        )
        held.extend(kept.views)
        if kept.removed_keys:
            await run_in_threadpool(media_removal.remove_files, rt, 0, list(kept.removed_keys))
        if kept.refused:
            raise ValidationFailed(
                T_(
                    "Media %(ids)s not found or already attached to another post",
                    ids=", ".join(str(i) for i in kept.refused),
                )
            )
        composer_media.check_count(len(held), len(choice.uploads))
        if draft.poll is not None and (held or choice.uploads):
            raise ValidationFailed(N_("A post can't have both images and a poll"))
        at = schedule.moment() if schedule is not None else None
        await composer_media.upload_all(rt, viewer.account_id, choice.uploads, held)
        draft = replace(draft, media_ids=tuple(m.id for m in held))
        await run_in_threadpool(posting.check_new_status, rt.settings, draft)
        if at is not None:
            scheduling.check_time(at)
            await rt.db.awrite(scheduling.schedule, rt, viewer.account_id, draft, at)
            return redirect("/scheduled")
        await rt.db.awrite(posting.post_status, rt, viewer.account_id, draft)
    except StaffroomError as exc:
        if exc.status != 422:
            raise
        message = exc.reason
        if quote_of is not None:
            from staffroom.web.quote_pages import quote_form  # it builds on this module

            return await quote_form(
                request, viewer, quote_of, status=422, draft=draft, error=message
            )
        if reply_to is None:
            return await home_timeline(
                request,
                viewer,
                status=422,
                draft=draft,
                error=message,
                schedule=schedule,
                held=held,
            )
        found = await rt.db.aread(timelines.thread, viewer.account_id, reply_to)
        return await _render_thread(
            request,
            viewer,
            found,
            status=422,
            draft=draft,
            error=message,
            schedule=schedule,
            held=held,
        )
    return redirect(safe_next(_text(form.get("next"))))


_ACTIONS = {
    "favourite": (interactions.favourite, True),
    "unfavourite": (interactions.favourite, False),
    "bookmark": (interactions.bookmark, True),
    "unbookmark": (interactions.bookmark, False),
}


async def act_on_post(request: Request) -> Response:
    """``POST /web/statuses/{id}/{action}``: favourite, repost, bookmark, pin, delete (and
    undo)."""
    checked = await _signed_in_form(request)
    if isinstance(checked, Response):
        return checked
    viewer, form = checked
    status_id = parse_id(request.path_params["id"])
    action = request.path_params["action"]
    if status_id is None:
        raise NotFound()
    rt = runtime_of(request)
    if action in _ACTIONS:
        service, on = _ACTIONS[action]
        await rt.db.awrite(service, rt, viewer.account_id, status_id, on)
    elif action == "reblog":
        await rt.db.awrite(interactions.reblog, rt, viewer.account_id, status_id)
    elif action == "unreblog":
        await rt.db.awrite(interactions.unreblog, rt, viewer.account_id, status_id)
    elif action == "delete":
        await rt.db.awrite(interactions.delete_status, rt, viewer.account_id, status_id)
    elif action in ("pin", "unpin"):
        await rt.db.awrite(
            pins.pin if action == "pin" else pins.unpin, viewer.account_id, status_id
        )
    else:
        raise NotFound()
    return redirect(safe_next(_text(form.get("next"))))


routes: list[BaseRoute] = [
    Route("/web/statuses", create_post, methods=["POST"]),
    Route("/web/statuses/{id}/{action}", act_on_post, methods=["POST"]),
    Route("/@{username}/{id}", post_page, methods=["GET"]),
]
