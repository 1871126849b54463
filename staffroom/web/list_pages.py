"""Lists on the web: ``/lists`` (one's lists and a form to make one), ``/lists/{id}`` (the
list's timeline), ``/lists/{id}/edit`` (rename, replies policy, exclusive, members - anyone,
followed or not - and hashtags, delete), and the forms under ``/web/lists``. All through
``services.lists`` and ``services.timelines``, as the API; someone else's list is a 404."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from staffroom.errors import NotFound, ValidationFailed
from staffroom.feed.rules import REPLIES_POLICY_CODES, REPLIES_POLICY_NAMES
from staffroom.ids import parse_id
from staffroom.runtime import runtime_of
from staffroom.services import lists, timelines
from staffroom.services.login import SessionUser
from staffroom.services.timelines import PageRequest
from staffroom.web.forms import form_text, signed_in_form
from staffroom.web.i18n import N_
from staffroom.web.render import redirect, render
from staffroom.web.session import current_user

PAGE = 20
POLICIES = (
    ("followed", N_("Replies to anyone you follow")),
    ("list", N_("Replies to members of the list")),
    ("none", N_("No replies to others")),
)


def _list_id(request: Request) -> int:
    found = parse_id(request.path_params["id"])
    if found is None:
        raise NotFound()
    return found


async def lists_page(request: Request, *, error: str = "", status: int = 200) -> Response:
    """``/lists``: one's lists, oldest first, and the form to make one."""
    viewer = await current_user(request)
    if viewer is None:
        return redirect("/auth/sign_in?next=/lists")
    found = await runtime_of(request).db.aread(lists.own_lists, viewer.account_id)
    return render(
        request,
        "lists.html",
        viewer=viewer,
        nav="lists",
        lists=found,
        policies=POLICIES,
        policy_names=REPLIES_POLICY_NAMES,
        error=error,
        status=status,
    )


async def list_page(request: Request) -> Response:
    """``/lists/{id}``: the list's timeline, newest first, with paging."""
    viewer = await current_user(request)
    list_id = _list_id(request)
    if viewer is None:
        return redirect(f"/auth/sign_in?next=/lists/{list_id}")
    max_id = parse_id(request.query_params.get("max_id"))
    rt = runtime_of(request)

    def read(conn: Any) -> tuple[lists.ListInfo, timelines.TimelinePage]:
        info = lists.get_list(conn, viewer.account_id, list_id)
        page = PageRequest(max_id=max_id, limit=PAGE)
        return info, timelines.list_timeline(conn, rt, viewer.account_id, list_id, page)

    info, page = await rt.db.aread(read)
    return render(
        request,
        "list.html",
        filter_context="home",  # Mastodon's "home" context covers home and lists
        viewer=viewer,
        nav="lists",
        info=info,
        page=page,
        paged=max_id is not None,
    )


async def edit_page(request: Request, *, error: str = "", status: int = 200) -> Response:
    """``/lists/{id}/edit``: the list's settings, members and hashtags."""
    viewer = await current_user(request)
    list_id = _list_id(request)
    if viewer is None:
        return redirect(f"/auth/sign_in?next=/lists/{list_id}/edit")
    found = await runtime_of(request).db.aread(lists.overview, viewer.account_id, list_id)
    return render(
        request,
        "list_edit.html",
        viewer=viewer,
        nav="lists",
        overview=found,
        policies=POLICIES,
        policy_names=REPLIES_POLICY_NAMES,
        error=error,
        status=status,
    )


async def _change(
    request: Request,
    act: Callable[[SessionUser, Any], Any],
    *,
    back: Callable[[Any], str],
    on_error: Callable[..., Any],
) -> Response:
    """A list form: sign-in and CSRF, one service call, then back (or the page with the
    error, 422)."""
    checked = await signed_in_form(request, back_to="/lists")
    if isinstance(checked, Response):
        return checked
    viewer, form = checked
    try:
        result = await act(viewer, form)
    except ValidationFailed as exc:
        return await on_error(request, error=exc.message, status=422)  # type: ignore[no-any-return]
    return redirect(back(result))


def _policy(form: Any) -> int:
    return REPLIES_POLICY_CODES.get(form_text(form.get("replies_policy")), 1)


async def create(request: Request) -> Response:
    """``POST /web/lists`` (``title``, ``replies_policy``, ``exclusive``)."""
    rt = runtime_of(request)

    async def act(viewer: SessionUser, form: Any) -> lists.ListInfo:
        return await rt.db.awrite(
            lists.create_list,
            rt.timelines,
            viewer.account_id,
            form_text(form.get("title")),
            _policy(form),
            form_text(form.get("exclusive")) == "1",
        )

    return await _change(
        request, act, back=lambda made: f"/lists/{made.id}/edit", on_error=lists_page
    )


async def update(request: Request) -> Response:
    """``POST /web/lists/{id}``: title, replies policy and exclusive, all at once."""
    rt, list_id = runtime_of(request), _list_id(request)

    async def act(viewer: SessionUser, form: Any) -> None:
        await rt.db.awrite(
            lists.update_list,
            rt.timelines,
            viewer.account_id,
            list_id,
            title=form_text(form.get("title")),
            replies_policy=_policy(form),
            exclusive=form_text(form.get("exclusive")) == "1",
        )

    return await _change(
        request, act, back=lambda _: f"/lists/{list_id}/edit?saved=1", on_error=edit_page
    )


async def delete(request: Request) -> Response:
    """``POST /web/lists/{id}/delete``."""
    rt, list_id = runtime_of(request), _list_id(request)

    async def act(viewer: SessionUser, form: Any) -> None:
        await rt.db.awrite(lists.delete_list, rt.timelines, viewer.account_id, list_id)

    return await _change(request, act, back=lambda _: "/lists", on_error=edit_page)


async def members(request: Request) -> Response:
    """``POST /web/lists/{id}/members/{add|remove}`` (``username`` / ``account_id``)."""
    rt, list_id = runtime_of(request), _list_id(request)
    action = request.path_params["action"]
    if action not in ("add", "remove"):
        raise NotFound()

    async def act(viewer: SessionUser, form: Any) -> None:
        if action == "add":
            username = form_text(form.get("username"))
            await rt.db.awrite(
                lists.add_member_named, rt.timelines, viewer.account_id, list_id, username
            )
            return
        account_id = parse_id(form_text(form.get("account_id")))
        ids = [] if account_id is None else [account_id]
        await rt.db.awrite(lists.remove_members, rt.timelines, viewer.account_id, list_id, ids)

    return await _change(request, act, back=lambda _: f"/lists/{list_id}/edit", on_error=edit_page)


async def hashtags(request: Request) -> Response:
    """``POST /web/lists/{id}/tags/{add|remove}`` (``name``)."""
    rt, list_id = runtime_of(request), _list_id(request)
    action = request.path_params["action"]
    if action not in ("add", "remove"):
        raise NotFound()
    change = lists.add_tags if action == "add" else lists.remove_tags

    async def act(viewer: SessionUser, form: Any) -> None:
        names = [form_text(form.get("name"))]
        await rt.db.awrite(change, rt.timelines, viewer.account_id, list_id, names)

    return await _change(request, act, back=lambda _: f"/lists/{list_id}/edit", on_error=edit_page)


routes: list[BaseRoute] = [
    Route("/lists", lists_page, methods=["GET"]),
    Route("/lists/{id}", list_page, methods=["GET"]),
    Route("/lists/{id}/edit", edit_page, methods=["GET"]),
    Route("/web/lists", create, methods=["POST"]),
    Route("/web/lists/{id}", update, methods=["POST"]),
    Route("/web/lists/{id}/delete", delete, methods=["POST"]),
    Route("/web/lists/{id}/members/{action:str}", members, methods=["POST"]),
    Route("/web/lists/{id}/tags/{action:str}", hashtags, methods=["POST"]),
]
