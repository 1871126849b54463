"""The deck (``/deck``): columns the person chooses, orders and removes, side by side.

Columns come from the registry in ``web/deck_columns.py``; the layout is stored per account
by ``services/deck.py``. Adding, removing and moving are plain forms (POST, then 303 back to
``/deck``), and a column's older posts are a plain page (``/deck/column?key=...&max_id=...``),
so all of it works without JavaScript; ``30-deck.js`` makes the columns live through one
WebSocket and loads older posts in place.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from staffroom.errors import NotFound
from staffroom.ids import parse_id
from staffroom.runtime import runtime_of
from staffroom.services import deck
from staffroom.services.deck import Column
from staffroom.services.login import SessionUser
from staffroom.services.timelines import PageRequest
from staffroom.web import fragments
from staffroom.web.deck_columns import (
    KINDS,
    PAGE_SIZE,
    BadArgument,
    ShownColumn,
    check_argument,
    load_column,
)
from staffroom.web.forms import form_text, signed_in_form
from staffroom.web.i18n import N_
from staffroom.web.render import redirect, render
from staffroom.web.session import current_user

SIGN_IN = "/auth/sign_in?next=/deck"


async def deck_page(
    request: Request,
    viewer: SessionUser | None = None,
    *,
    status: int = 200,
    error: str | None = None,
    form: dict[str, str] | None = None,
) -> Response:
    """``GET /deck``: every column of the person's layout with its newest posts."""
    viewer = viewer or await current_user(request)
    if viewer is None:
        return redirect(SIGN_IN)
    rt = runtime_of(request)
    layout = await rt.db.aread(deck.get_layout, viewer.account_id)
    shown = []
    for column in layout:
        loaded = await load_column(rt, viewer, column, PageRequest(limit=PAGE_SIZE))
        if loaded is not None:
            shown.append(loaded)
    return _render(request, viewer, shown, status=status, error=error, form=form or {})


def _render(
    request: Request,
    viewer: SessionUser,
    shown: list[ShownColumn],
    *,
    single: bool = False,
    status: int = 200,
    error: str | None = None,
    form: dict[str, str] | None = None,
) -> Response:
    return render(
        request,
        "deck.html",
        viewer=viewer,
        nav="deck",
        status=status,
        columns=shown,
        single=single,
        kinds=list(KINDS.values()),
        full=len(shown) >= deck.MAX_COLUMNS,
        max_columns=deck.MAX_COLUMNS,
        error=error,
        form=form or {},
        here="/deck",
        base_url=runtime_of(request).settings.base_url,
    )


async def column_page(request: Request) -> Response:
    """``GET /deck/column?key=hashtag:EdChat&max_id=...``: one column's older posts."""
    viewer = await current_user(request)
    if viewer is None:
        return redirect(SIGN_IN)
    column = Column.from_key(request.query_params.get("key", ""))
    page = PageRequest(max_id=parse_id(request.query_params.get("max_id")), limit=PAGE_SIZE)
    loaded = await load_column(runtime_of(request), viewer, column, page)
    if loaded is None:
        raise NotFound()
    return _render(request, viewer, [loaded], single=True)


async def add_column(request: Request) -> Response:
    """``POST /deck/columns`` (``kind``, ``arg``): add a column at the right-hand end."""
    checked = await signed_in_form(request, back_to="/deck")
    if isinstance(checked, Response):
        return checked
    viewer, form = checked
    rt = runtime_of(request)
    slug, raw = form_text(form.get("kind")), form_text(form.get("arg"))
    typed = {"kind": slug, "arg": raw}
    try:
        arg = await rt.db.aread(check_argument, slug, raw, viewer.account_id)
        await rt.db.awrite(deck.add_column, viewer.account_id, Column(slug, arg))
    except BadArgument as exc:
        return await deck_page(request, viewer, status=422, error=exc.message, form=typed)
    except deck.AlreadyThere:
        error = N_("This column is already on your deck.")
        return await deck_page(request, viewer, status=422, error=error, form=typed)
    except deck.DeckFull:
        error = N_("Your deck is full. Remove a column before adding another.")
        return await deck_page(request, viewer, status=422, error=error, form=typed)
    return redirect("/deck")


async def change_column(request: Request) -> Response:
    """``POST /deck/columns/{remove|left|right}`` (``key``): remove or move a column."""
    checked = await signed_in_form(request, back_to="/deck")
    if isinstance(checked, Response):
        return checked
    viewer, form = checked
    rt = runtime_of(request)
    column = Column.from_key(form_text(form.get("key")))
    action = request.path_params["action"]
    if action == "remove":
        await rt.db.awrite(deck.remove_column, viewer.account_id, column)
    elif action in ("left", "right"):
        step = -1 if action == "left" else 1
        await rt.db.awrite(deck.move_column, viewer.account_id, column, step)
    else:
        raise NotFound()
    return redirect(f"/deck#column-{column.key}")


routes: list[BaseRoute] = [
    *fragments.routes,
    Route("/deck", deck_page, methods=["GET"]),
    Route("/deck/column", column_page, methods=["GET"]),
    Route("/deck/columns", add_column, methods=["POST"]),
    Route("/deck/columns/{action}", change_column, methods=["POST"]),
]
