"""The live room's fragment: what a room page inserts after an update, assembled per viewer
from pieces kept for every viewer (``GET /web/fragments/room?event=&since_id=``).

Two hundred people in a busy chat each ask after every update; rendering and filtering the
new posts for each of them was thousands of renders a second. Here the shared part comes
from ``services.room_tail`` (read once per process) and each post's HTML is rendered once
per language and signed-in-ness (the article holds nothing of the request: its buttons
belong to the page's hidden forms), then kept; a request only reads the viewer's session
and whom they do not see (kept ten seconds, forgotten at once after their own block or
mute in this process), and joins the kept pieces. Their own posts are
rendered for them (their buttons differ). A viewer with filters, or further back than the
shared tail reaches, gets the exact per-viewer read (``chat_room.room_since``).
"""

from __future__ import annotations

from dataclasses import replace

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from staffroom.cache import BoundedCache
from staffroom.compression import GZIP_FROM, accepts_gzip, gzip_bytes
from staffroom.errors import NotFound
from staffroom.ids import parse_id
from staffroom.runtime import runtime_of
from staffroom.services import chat_room, room_tail
from staffroom.services.login import SessionUser
from staffroom.services.status_views import StatusView
from staffroom.web.render import (
    SECURITY_HEADERS,
    content_security_policy,
    page_locale,
    render,
    render_markup,
)
from staffroom.web.session import read_as_viewer

# Signed-in markup tied to nobody: an article's buttons for "someone signed in", with no
# flags of anyone's (the views are read as signed out) and no own-post controls.
_SOMEONE = SessionUser(account_id=0, username="", display_name="")
# (post ID, event ID, whether its author hosts, language, signed in) -> the piece's HTML
_PIECES: BoundedCache[tuple[int, int, bool, str, bool], str] = BoundedCache(4096)


async def fragment(request: Request) -> Response:
    """The room's posts newer than ``since_id``, newest first, as the page renders them."""
    event_id = parse_id(request.query_params.get("event"))
    if event_id is None:
        raise NotFound()
    since = parse_id(request.query_params.get("since_id"))
    db = runtime_of(request).db
    signed = await read_as_viewer(
        request, lambda conn, v: room_tail.live_batch(conn, v.account_id, event_id, since)
    )
    if signed is None:
        viewer = None
        batch = await db.aread(room_tail.live_batch, None, event_id, since)
    else:
        viewer, batch = signed
    if batch.ids is None or batch.filtered:
        return await _exact(request, viewer, event_id, since)
    me = viewer.account_id if viewer is not None else None
    ids = [i for i in batch.ids if batch.authors.get(i) not in batch.excluded]
    ids = ids[-chat_room.ROOM_PAGE :]
    locale = page_locale(request, viewer)
    event = batch.event

    def key(status_id: int) -> tuple[int, int, bool, str, bool]:
        host = event.is_host(batch.authors.get(status_id))
        return status_id, event.id, host, locale, viewer is not None

    own = [i for i in ids if batch.authors.get(i) == me]
    missing = [i for i in ids if i not in own and key(i) not in _PIECES]
    pieces: dict[int, str] = {}
    if own or missing:
        mine, others = await db.aread(room_tail.live_views, me, event, own, missing)
        for view in mine:
            pieces[view.id] = _piece(request, viewer, view, event)
        someone = None if viewer is None else replace(_SOMEONE, locale=viewer.locale)
        for view in others:
            html = _piece(request, someone, view, event)
            _PIECES.put(key(view.id), html)
    for status_id in ids:
        if status_id not in pieces:
            kept = _PIECES.get(key(status_id))
            if kept is not None:  # (None: deleted or no longer visible)
                pieces[status_id] = kept
    body = "".join(pieces[i] for i in reversed(ids) if i in pieces).encode()
    return _live(_pieces_response(request, body, locale), batch.newest)


def _pieces_response(request: Request, body: bytes, locale: str) -> Response:
    """The joined pieces with a page's headers (no template: this answers hundreds of times
    a second in a busy room, and it holds no form of its own)."""
    headers = {
        **SECURITY_HEADERS,
        "Content-Security-Policy": content_security_policy(
            runtime_of(request).settings.s3_public_origin
        ),
        "Content-Language": locale,
        "Vary": "Accept-Language, Accept-Encoding, Cookie",
    }
    if len(body) >= GZIP_FROM and accepts_gzip(request.headers.get("accept-encoding")):
        body = gzip_bytes(body)
        headers["Content-Encoding"] = "gzip"
    return HTMLResponse(body, headers=headers)


def _piece(request: Request, viewer: SessionUser | None, view: StatusView, event: object) -> str:
    return render_markup(request, "_room_piece.html", viewer=viewer, view=view, event=event)


async def _exact(
    request: Request, viewer: SessionUser | None, event_id: int, since: int | None
) -> Response:
    room = await runtime_of(request).db.aread(
        chat_room.room_since, viewer.account_id if viewer else None, event_id, since
    )
    response = render(
        request,
        "_room_fragment.html",
        viewer=viewer,
        room=room,
        event=room.event,
        here=f"/events/{event_id}/room",
    )
    return _live(response, room.newest)


def _live(response: Response, newest: int | None) -> Response:
    response.headers["Cache-Control"] = "no-store"
    if newest is not None:
        response.headers["X-Newest"] = str(newest)
    return response
