"""Followed hashtags on the web: ``/settings/tags`` (the hashtags one follows, a form to
follow one, unfollow and "add to the deck" for each) and the forms
``POST /web/tags/{follow|unfollow}`` (``name``; ``back=tag`` returns to the hashtag's page,
which shows the same button). Through ``services.tag_follows``, as the API."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from staffroom.errors import NotFound
from staffroom.runtime import runtime_of
from staffroom.services import tag_follows
from staffroom.urls import tag_url
from staffroom.web.forms import form_text, signed_in_form
from staffroom.web.i18n import N_
from staffroom.web.render import redirect
from staffroom.web.session import current_user
from staffroom.web.settings_common import render_settings, sign_in_first

SHOWN = 200


async def followed_page(request: Request, *, error: str = "", status: int = 200) -> Response:
    """``/settings/tags``: followed hashtags, most recent first."""
    viewer = await current_user(request)
    if viewer is None:
        return sign_in_first(request)
    found = await runtime_of(request).db.aread(
        tag_follows.followed_tags, viewer.account_id, limit=SHOWN
    )
    return render_settings(
        request, "settings_tags.html", viewer, status=status, tags=found, error=error
    )


async def change(request: Request) -> Response:
    """``POST /web/tags/{follow|unfollow}`` (``name``, ``back``)."""
    action = request.path_params["action"]
    if action not in ("follow", "unfollow"):
        raise NotFound()
    checked = await signed_in_form(request, back_to="/settings/tags")
    if isinstance(checked, Response):
        return checked
    viewer, form = checked
    name = form_text(form.get("name")).strip().lstrip("#")
    rt = runtime_of(request)
    service = tag_follows.follow_tag if action == "follow" else tag_follows.unfollow_tag
    try:
        await rt.db.awrite(service, rt.timelines, viewer.account_id, name)
    except NotFound:
        error = N_("A hashtag is letters, digits and underscores, like #EdChat.")
        return await followed_page(request, error=error, status=422)
    if form_text(form.get("back")) == "tag":
        return redirect(tag_url("", name))
    return redirect("/settings/tags")


routes: list[BaseRoute] = [
    Route("/settings/tags", followed_page, methods=["GET"]),
    Route("/web/tags/{action:str}", change, methods=["POST"]),
]
