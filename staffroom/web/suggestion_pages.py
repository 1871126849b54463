"""Who to follow in the web app: ``/suggestions`` (the page), the panel on ``/explore``, and
the forms ``POST /web/suggestions/{id}/follow`` and ``/dismiss``.

Plain forms that work without JavaScript; each goes back to the page it came from (a path
on this site, ``back``). The suggestions come from ``services.suggestions``, as the API's
and the first-run page's.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from staffroom.errors import NotFound
from staffroom.ids import parse_id
from staffroom.runtime import runtime_of
from staffroom.services.suggestions import Suggestion, dismiss, suggestions
from staffroom.web.follow_forms import follow_unless_blocked
from staffroom.web.forms import form_text, signed_in_form
from staffroom.web.render import redirect, render, safe_next
from staffroom.web.session import current_user

SHOWN = 20
PANEL = 3


async def panel_people(request: Request, account_id: int) -> list[Suggestion]:
    """The few people the Explore panel shows."""
    return await runtime_of(request).db.aread(suggestions, account_id, PANEL)


async def suggestions_page(request: Request) -> Response:
    """``GET /suggestions``: up to 20 people with reasons, Follow and Dismiss."""
    viewer = await current_user(request)
    if viewer is None:
        return redirect("/auth/sign_in?next=/suggestions", 302)
    rt = runtime_of(request)
    people = await rt.db.aread(suggestions, viewer.account_id, SHOWN)
    return render(
        request,
        "suggestions.html",
        viewer=viewer,
        nav="suggestions",
        people=people,
        base_url=rt.settings.base_url,
    )


async def act(request: Request) -> Response:
    """``POST /web/suggestions/{id}/{follow|dismiss}``, then back where the form was."""
    checked = await signed_in_form(request, back_to="/suggestions")
    if isinstance(checked, Response):
        return checked
    viewer, form = checked
    target = parse_id(request.path_params["id"])
    action = request.path_params["action"]
    if target is None or action not in ("follow", "dismiss"):
        raise NotFound()
    rt = runtime_of(request)
    if action == "dismiss":
        await rt.db.awrite(dismiss, viewer.account_id, target)
    else:
        await follow_unless_blocked(request, viewer, target)
    return redirect(safe_next(form_text(form.get("back")), "/suggestions"))


routes: list[BaseRoute] = [
    Route("/suggestions", suggestions_page, methods=["GET"]),
    Route("/web/suggestions/{id}/{action}", act, methods=["POST"]),
]
