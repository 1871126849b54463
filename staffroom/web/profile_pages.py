"""Profile pages: ``/@username`` (bio, interests, counts, posts), ``/@username/following`` and
``/@username/followers`` (how people grow a network: "see who they are following"), and the
forms that follow, mute or block a person (``POST /web/accounts/{id}/{action}``)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from staffroom.errors import NotFound
from staffroom.ids import parse_id
from staffroom.runtime import runtime_of
from staffroom.services import people
from staffroom.services.directory_fields import instance_fields
from staffroom.services.timelines import PageRequest
from staffroom.web.directory_pages import label_of
from staffroom.web.forms import form_text, signed_in_form
from staffroom.web.render import redirect, render, safe_next
from staffroom.web.session import current_user
from staffroom.web.timeline_pages import PAGE_SIZE


async def profile_page(request: Request) -> Response:
    """``/@username``: who they are and their posts (``?with_replies=1`` adds replies)."""
    rt = runtime_of(request)
    viewer = await current_user(request)
    max_id = parse_id(request.query_params.get("max_id"))
    with_replies = request.query_params.get("with_replies") == "1"
    found = await rt.db.aread(
        people.profile,
        viewer.account_id if viewer else None,
        request.path_params["username"],
        PageRequest(max_id=max_id, limit=PAGE_SIZE),
        with_replies=with_replies,
    )
    own = viewer is not None and viewer.account_id == found.account.id
    return render(
        request,
        "profile.html",
        filter_context="account",
        viewer=viewer,
        nav="profile" if own else None,
        profile=found,
        own=own,
        with_replies=with_replies,
        paged=max_id is not None,
        directory_fields=instance_fields(rt.settings.directory_fields_file),
        label_of=label_of,
    )


async def _people_page(request: Request, which: str) -> Response:
    rt = runtime_of(request)
    viewer = await current_user(request)
    found = await rt.db.aread(
        people.people,
        viewer.account_id if viewer else None,
        request.path_params["username"],
        which,
        parse_id(request.query_params.get("max_id")),
    )
    return render(
        request,
        "people.html",
        viewer=viewer,
        which=which,
        page=found,
    )


async def following_page(request: Request) -> Response:
    """``/@username/following``: whom they follow, with a follow button each."""
    return await _people_page(request, "following")


async def followers_page(request: Request) -> Response:
    """``/@username/followers``: who follows them."""
    return await _people_page(request, "followers")


async def act_on_person(request: Request) -> Response:
    """``POST /web/accounts/{id}/{follow|unfollow|mute|unmute|block|unblock}``."""
    checked = await signed_in_form(request)
    if isinstance(checked, Response):
        return checked
    viewer, form = checked
    target_id = parse_id(request.path_params["id"])
    action = request.path_params["action"]
    if target_id is None or action not in people.ACTIONS:
        raise NotFound()
    rt = runtime_of(request)
    await rt.db.awrite(people.act_on_person, rt.timelines, viewer.account_id, target_id, action)
    return redirect(safe_next(form_text(form.get("next"))))


routes: list[BaseRoute] = [
    Route("/@{username}", profile_page, methods=["GET"]),
    Route("/@{username}/following", following_page, methods=["GET"]),
    Route("/@{username}/followers", followers_page, methods=["GET"]),
    Route("/web/accounts/{id}/{action}", act_on_person, methods=["POST"]),
]
