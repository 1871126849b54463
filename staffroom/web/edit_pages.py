"""Editing one's post on the web, and any post's earlier versions.

``/@username/{id}/edit`` is the author's form (text, content warning, the images: alt text
changed, one removed or added, as ``web/composer_media.py`` reads them; and the poll: options
changed, added or cleared, its end kept or set anew; who can see it stays as it is),
``POST /web/statuses/{id}/edit`` saves it through ``services.editing`` (as
``PUT /api/v1/statuses/:id`` does with ``media_ids`` and ``media_attributes``) and returns to
the post; ``/@username/{id}/history`` lists the versions of a post the viewer may see, newest
first, each with its images.
"""

from __future__ import annotations

from dataclasses import replace

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from staffroom import clock
from staffroom.errors import NotFound, StaffroomError
from staffroom.ids import parse_id
from staffroom.runtime import runtime_of
from staffroom.services import edit_media, editing, media_drafts, polls
from staffroom.services.edit_media import MediaChange
from staffroom.services.login import SessionUser
from staffroom.services.media_views import MediaView
from staffroom.web import composer_media
from staffroom.web.forms import form_text, signed_in_form
from staffroom.web.poll_pages import (
    DEFAULT_DURATION,
    DURATIONS,
    KEEP_END,
    edited_poll,
    poll_from_form,
)
from staffroom.web.render import redirect, render
from staffroom.web.session import current_user


def _status_id(request: Request) -> int:
    status_id = parse_id(request.path_params["id"])
    if status_id is None:
        raise NotFound()
    return status_id


async def edit_page(request: Request) -> Response:
    """``/@username/{id}/edit``: the author's form, filled with what they wrote."""
    viewer = await current_user(request)
    if viewer is None:
        return redirect(f"/auth/sign_in?next={request.url.path}")
    rt = runtime_of(request)
    status_id = _status_id(request)
    row = await rt.db.aread(editing.source, viewer.account_id, status_id)
    if row is None or viewer.username.lower() != request.path_params["username"].lower():
        raise NotFound()
    held = await rt.db.aread(edit_media.current, status_id)
    poll = await rt.db.aread(polls.poll_source, status_id)
    return _form(request, viewer, row.id, row.text, row.spoiler_text, list(held), poll, poll)


def _form(
    request: Request,
    viewer: SessionUser,
    status_id: int,
    text: str,
    spoiler: str,
    held: list[MediaView],
    current_poll: polls.PollSource | None,
    shown_poll: polls.PollSource | polls.NewPoll | None,
    *,
    keep_end: bool = True,
    status: int = 200,
    error: str | None = None,
) -> Response:
    rt = runtime_of(request)
    return render(
        request,
        "edit.html",
        held_media=held,
        held_are_the_posts=True,
        poll_draft=shown_poll,
        poll_current_end=current_poll.expires_at if current_poll else None,
        poll_keep_end=keep_end,
        poll_durations=DURATIONS,
        default_poll_duration=DEFAULT_DURATION,
        viewer=viewer,
        status=status,
        status_id=status_id,
        text=text,
        spoiler=spoiler,
        error=error,
        post_url=f"/@{viewer.username}/{status_id}",
        max_status_chars=rt.settings.max_status_chars,
        url_length=rt.settings.url_length,
    )


async def save_edit(request: Request) -> Response:
    """``POST /web/statuses/{id}/edit``: save the new version, then show the post."""
    status_id = _status_id(request)
    checked = await signed_in_form(request, back_to=f"/web/statuses/{status_id}/edit")
    if isinstance(checked, Response):
        return checked
    viewer, form = checked
    rt = runtime_of(request)
    choice = await composer_media.read_choice(form, rt.settings.max_image_bytes)
    current_poll = await rt.db.aread(polls.poll_source, status_id)
    change = editing.Edit(
        text=form_text(form.get("status")),
        spoiler_text=form_text(form.get("spoiler_text")).strip(),
        poll=edited_poll(form, current_poll, clock.now()),
        media_ids=tuple(choice.kept),
        media_attributes=tuple(
            MediaChange(i, description) for i, description in choice.descriptions.items()
        ),
    )
    added: list[MediaView] = []
    try:
        composer_media.check_count(len(choice.kept), len(choice.uploads))
        await composer_media.upload_all(rt, viewer.account_id, choice.uploads, added)
        change = replace(change, media_ids=(*choice.kept, *(m.id for m in added)))
        await run_in_threadpool(editing.check_edit, rt, change)
        await rt.db.awrite(editing.edit_status, rt, viewer.account_id, status_id, change)
    except StaffroomError as exc:
        if exc.status != 422:
            raise
        ids = [*choice.held, *(m.id for m in added)]
        held = await rt.db.aread(media_drafts.views_of, viewer.account_id, status_id, ids)
        described = [
            replace(m, description=choice.descriptions.get(m.id, m.description)) for m in held
        ]
        return _form(
            request,
            viewer,
            status_id,
            change.text,
            change.spoiler_text or "",
            described,
            current_poll,
            poll_from_form(form),
            keep_end=form_text(form.get("poll_duration")) == KEEP_END,
            status=422,
            error=exc.reason,
        )
    return redirect(f"/@{viewer.username}/{status_id}")


async def history_page(request: Request) -> Response:
    """``/@username/{id}/history``: a post's versions, newest first."""
    viewer = await current_user(request)
    rt = runtime_of(request)
    view, versions = await rt.db.aread(
        editing.history, viewer.account_id if viewer else None, _status_id(request)
    )
    if view.account.username.lower() != request.path_params["username"].lower():
        raise NotFound()
    return render(
        request,
        "history.html",
        viewer=viewer,
        view=view,
        versions=list(reversed(versions)),
    )


routes: list[BaseRoute] = [
    Route("/@{username}/{id}/edit", edit_page, methods=["GET"]),
    Route("/@{username}/{id}/history", history_page, methods=["GET"]),
    Route("/web/statuses/{id}/edit", save_edit, methods=["POST"]),
]
