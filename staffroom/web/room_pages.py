"""An event's live room on the web.

``/events/{id}/room`` (readable signed out: the chat is public posts): the event and its
phase, the composer (the hashtag added, a host's "next question", "answering"), the posts
live ("Live", newest first) or grouped under the host's questions ("By question"), who's
here, per-person "Mute in this room", hosts badged, slow mode. ``/web/fragments/room``
gives the posts newer than ``since_id`` rendered as on the page (static/js/60-room.js asks
for them when the ``hashtag`` stream says something arrived). Forms under
``/web/events/{id}/room/...``; all through ``services.chat_room``.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from staffroom import clock
from staffroom.errors import NotFound, StaffroomError
from staffroom.ids import parse_id
from staffroom.runtime import runtime_of
from staffroom.services import chat_room
from staffroom.services.events import require_event
from staffroom.services.login import SessionUser
from staffroom.web import room_live
from staffroom.web.forms import form_text, signed_in_form
from staffroom.web.render import redirect, render
from staffroom.web.session import current_user

VIEWS = ("live", "questions")


def _id(request: Request) -> int:
    found = parse_id(request.path_params["id"])
    if found is None:
        raise NotFound()
    return found


async def room_page(
    request: Request,
    *,
    viewer: SessionUser | None = None,
    error: str = "",
    status: int = 200,
    draft: str = "",
) -> Response:
    """``/events/{id}/room``: the room (a signed-in viewer joins it by opening it)."""
    viewer = viewer or await current_user(request)
    rt = runtime_of(request)
    event_id = _id(request)
    if viewer is not None and status == 200:
        await rt.db.awrite(_join, viewer.account_id, event_id)
    room, people = await rt.db.aread(
        chat_room.room_for, viewer.account_id if viewer else None, event_id
    )
    chosen = request.query_params.get("view")
    now = clock.now()
    return render(
        request,
        "room.html",
        viewer=viewer,
        nav="events",
        room=room,
        event=room.event,
        people=people,
        phase=room.event.phase(now),
        is_host=room.event.is_host(viewer.account_id if viewer else None),
        open_now=_open(room.event, now),
        view=chosen if chosen in VIEWS else "live",
        max_status_chars=rt.settings.max_status_chars,
        url_length=rt.settings.url_length,
        slow=request.query_params.get("slow"),
        error=error,
        draft=draft,
        status=status,
    )


def _join(conn: Any, account_id: int, event_id: int) -> None:
    """Opening a room that takes posts is joining it (404 for no such event)."""
    event = require_event(conn, event_id)
    if _open(event, clock.now()):
        chat_room.join(conn, event, account_id)


def _open(event: Any, now: Any) -> bool:
    try:
        chat_room.check_open(event, now)
    except StaffroomError:
        return False
    return True


async def _form(request: Request) -> tuple[SessionUser, Any, int] | Response:
    event_id = _id(request)
    checked = await signed_in_form(request, back_to=f"/events/{event_id}/room")
    if isinstance(checked, Response):
        return checked
    return checked[0], checked[1], event_id


async def post(request: Request) -> Response:
    """``POST /web/events/{id}/room/posts`` (``status``, ``question``, ``answering``)."""
    checked = await _form(request)
    if isinstance(checked, Response):
        return checked
    viewer, form, event_id = checked
    text = form_text(form.get("status"))
    try:
        await runtime_of(request).db.awrite(
            chat_room.post_in_room,
            runtime_of(request),
            viewer.account_id,
            event_id,
            text,
            as_question=form_text(form.get("question")) == "1",
            answering=parse_id(form_text(form.get("answering"))),
            in_reply_to_id=parse_id(form_text(form.get("in_reply_to_id"))),
        )
    except StaffroomError as exc:
        if exc.status not in (403, 422, 429):
            raise
        return await room_page(
            request, viewer=viewer, error=exc.reason, status=exc.status, draft=text
        )
    return redirect(f"/events/{event_id}/room")


async def mute(request: Request) -> Response:
    """``POST /web/events/{id}/room/mute`` / ``.../unmute`` (``account_id``)."""
    checked = await _form(request)
    if isinstance(checked, Response):
        return checked
    viewer, form, event_id = checked
    target = parse_id(form_text(form.get("account_id")))
    act = (
        chat_room.unmute_in_room if request.url.path.endswith("/unmute") else chat_room.mute_in_room
    )
    try:
        if target is None:
            raise NotFound()
        await runtime_of(request).db.awrite(act, viewer.account_id, event_id, target)
    except StaffroomError as exc:
        if exc.status != 422:
            raise
        return await room_page(request, viewer=viewer, error=exc.reason, status=422)
    return redirect(f"/events/{event_id}/room")


async def slow_mode(request: Request) -> Response:
    """``POST /web/events/{id}/room/slow_mode`` (``seconds``): hosts only."""
    checked = await _form(request)
    if isinstance(checked, Response):
        return checked
    viewer, form, event_id = checked
    raw = form_text(form.get("seconds")).strip() or "0"
    try:
        seconds = int(raw) if raw.isdigit() and len(raw) < 6 else -1
        await runtime_of(request).db.awrite(
            chat_room.set_slow_mode, viewer.account_id, event_id, seconds
        )
    except StaffroomError as exc:
        if exc.status not in (403, 422):
            raise
        return await room_page(request, viewer=viewer, error=exc.reason, status=exc.status)
    return redirect(f"/events/{event_id}/room?slow=1")


routes: list[BaseRoute] = [
    Route("/events/{id}/room", room_page, methods=["GET"]),
    Route("/web/fragments/room", room_live.fragment, methods=["GET"]),
    Route("/web/events/{id}/room/posts", post, methods=["POST"]),
    Route("/web/events/{id}/room/mute", mute, methods=["POST"]),
    Route("/web/events/{id}/room/unmute", mute, methods=["POST"]),
    Route("/web/events/{id}/room/slow_mode", slow_mode, methods=["POST"]),
]
