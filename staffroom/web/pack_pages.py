"""Starter packs on the web.

``/packs`` (one's packs, the packs one is in with "remove me", a form to make one),
``/packs/{id}`` (a pack's shareable page, readable signed out: its people with their
reasons and follow buttons, "Follow all" or the ticked ones, with Undo; its hashtags to
follow; its lists to copy; "Add all to one of my lists"), ``/packs/{id}/edit`` (the owner's
editor), ``/@{username}/packs`` (a person's packs) and ``/settings/packs`` (who may add
you). Forms under ``/web/packs``; all through ``services.collections``,
``services.pack_follows`` and ``services.pack_views``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from staffroom.errors import NotFound, ValidationFailed
from staffroom.ids import parse_id
from staffroom.runtime import runtime_of
from staffroom.services import collections, pack_follows, pack_views
from staffroom.services.login import SessionUser
from staffroom.web.forms import form_text, signed_in_form
from staffroom.web.i18n import N_
from staffroom.web.render import redirect, render
from staffroom.web.session import current_user
from staffroom.web.settings_common import checked_form, render_settings, sign_in_first

WELCOME = "/welcome/people"  # a pack followed (or undone) from the first run goes back there

POLICIES = (
    ("anyone", N_("Anyone")),
    ("followed", N_("Only people I follow")),
    ("nobody", N_("Nobody: never add me to a starter pack")),
)


def _id(request: Request, name: str = "id") -> int:
    found = parse_id(request.path_params[name])
    if found is None:
        raise NotFound()
    return found


async def packs_page(request: Request, *, error: str = "", status: int = 200) -> Response:
    """``/packs``: one's packs, the packs one is in, and the form to make one."""
    viewer = await current_user(request)
    if viewer is None:
        return redirect("/auth/sign_in?next=/packs")
    mine = await runtime_of(request).db.aread(pack_views.my_packs, viewer.account_id)
    return render(
        request,
        "packs.html",
        viewer=viewer,
        nav="packs",
        mine=mine,
        left=request.query_params.get("left"),
        error=error,
        status=status,
    )


async def pack_page(request: Request, *, error: str = "", status: int = 200) -> Response:
    """``/packs/{id}``: the pack for anyone with the link."""
    viewer = await current_user(request)
    rt = runtime_of(request)
    page = await rt.db.aread(
        pack_views.pack_page, viewer.account_id if viewer else None, _id(request)
    )
    query = request.query_params
    return render(
        request,
        "pack.html",
        viewer=viewer,
        nav="packs",
        page=page,
        pack=page.pack,
        here=f"/packs/{page.pack.id}",
        share_url=f"{rt.settings.base_url}/packs/{page.pack.id}",
        base_url=rt.settings.base_url,
        followed=parse_id(query.get("followed")),
        undone=parse_id(query.get("undone")),
        tags_followed=query.get("tags") == "1",
        copied=query.get("copied"),
        added=parse_id(query.get("added")),
        error=error,
        status=status,
    )


async def edit_page(request: Request, *, error: str = "", status: int = 200) -> Response:
    """``/packs/{id}/edit``: name, description, people with reasons, hashtags, lists."""
    viewer = await current_user(request)
    pack_id = _id(request)
    if viewer is None:
        return redirect(f"/auth/sign_in?next=/packs/{pack_id}/edit")
    page = await runtime_of(request).db.aread(pack_views.editor, viewer.account_id, pack_id)
    return render(
        request,
        "pack_edit.html",
        viewer=viewer,
        nav="packs",
        page=page,
        pack=page.pack,
        limits=collections,
        saved=request.query_params.get("saved") == "1" and not error,
        error=error,
        status=status,
    )


async def account_packs_page(request: Request) -> Response:
    """``/@{username}/packs``: a person's listed packs."""
    viewer = await current_user(request)
    account, found = await runtime_of(request).db.aread(
        pack_views.packs_of_username,
        viewer.account_id if viewer else None,
        str(request.path_params["username"]),
    )
    if account is None:
        raise NotFound()
    return render(
        request, "account_packs.html", viewer=viewer, nav="packs", account=account, packs=found
    )


async def _act(
    request: Request,
    act: Callable[[SessionUser, Any], Awaitable[str]],
    on_error: Callable[..., Awaitable[Response]],
) -> Response:
    """A pack form: sign-in and CSRF, one service call, then where ``act`` says (or the page
    again with the refusal in words, 422)."""
    parts = request.url.path.split("/")  # /web/packs/{id}/...: back to the pack's page
    back = f"/packs/{parts[3]}" if len(parts) > 3 and parts[3].isdigit() else "/packs"
    checked = await signed_in_form(request, back_to=back)
    if isinstance(checked, Response):
        return checked
    viewer, form = checked
    try:
        where = await act(viewer, form)
    except ValidationFailed as exc:
        return await on_error(request, error=exc.reason, status=422)
    return redirect(where)


async def create(request: Request) -> Response:
    """``POST /web/packs`` (``name``, ``description``)."""
    rt = runtime_of(request)

    async def act(viewer: SessionUser, form: Any) -> str:
        made = await rt.db.awrite(
            collections.create_pack,
            viewer.account_id,
            name=form_text(form.get("name")),
            description=form_text(form.get("description")),
        )
        return f"/packs/{made.id}/edit"

    return await _act(request, act, packs_page)


async def update(request: Request) -> Response:
    """``POST /web/packs/{id}``: name, description, listed, hashtags, lists at once."""
    rt, pack_id = runtime_of(request), _id(request)

    async def act(viewer: SessionUser, form: Any) -> str:
        raw_tags = form_text(form.get("hashtags")).replace(",", " ").split()
        chosen = [parse_id(v) for v in form.getlist("list_id") if isinstance(v, str)]

        def change(conn: Any) -> None:
            collections.update_pack(
                conn,
                viewer.account_id,
                pack_id,
                name=form_text(form.get("name")),
                description=form_text(form.get("description")),
                discoverable=form_text(form.get("discoverable")) == "1",
            )
            collections.set_tags(conn, viewer.account_id, pack_id, raw_tags)
            collections.set_lists(conn, viewer.account_id, pack_id, [c for c in chosen if c])

        await rt.db.awrite(change)
        return f"/packs/{pack_id}/edit?saved=1"

    return await _act(request, act, edit_page)


async def add_person(request: Request) -> Response:
    """``POST /web/packs/{id}/people`` (``username``, ``reason``)."""
    rt, pack_id = runtime_of(request), _id(request)

    async def act(viewer: SessionUser, form: Any) -> str:
        await rt.db.awrite(
            collections.add_item_named,
            viewer.account_id,
            pack_id,
            form_text(form.get("username")),
            form_text(form.get("reason")),
        )
        return f"/packs/{pack_id}/edit#people"

    return await _act(request, act, edit_page)


async def change_person(request: Request) -> Response:
    """``POST /web/packs/{id}/people/{item}/{reason|remove}``."""
    rt, pack_id, item_id = runtime_of(request), _id(request), _id(request, "item")
    action = request.path_params["action"]
    if action not in ("reason", "remove"):
        raise NotFound()

    async def act(viewer: SessionUser, form: Any) -> str:
        if action == "remove":
            await rt.db.awrite(collections.remove_item, viewer.account_id, pack_id, item_id)
        else:
            reason = form_text(form.get("reason"))
            await rt.db.awrite(collections.set_reason, viewer.account_id, pack_id, item_id, reason)
        return f"/packs/{pack_id}/edit#people"

    return await _act(request, act, edit_page)


async def delete(request: Request) -> Response:
    """``POST /web/packs/{id}/delete``."""
    rt, pack_id = runtime_of(request), _id(request)

    async def act(viewer: SessionUser, form: Any) -> str:
        await rt.db.awrite(collections.delete_pack, viewer.account_id, pack_id)
        return "/packs"

    return await _act(request, act, edit_page)


async def leave(request: Request) -> Response:
    """``POST /web/packs/{id}/leave``: remove oneself from someone's pack."""
    rt, pack_id = runtime_of(request), _id(request)

    async def act(viewer: SessionUser, form: Any) -> str:
        await rt.db.awrite(collections.revoke, viewer.account_id, pack_id)
        return f"/packs?left={pack_id}"

    return await _act(request, act, packs_page)


async def follow(request: Request) -> Response:
    """``POST /web/packs/{id}/follow``: everyone (``all``) or the ticked ``account_id``s."""
    rt, pack_id = runtime_of(request), _id(request)

    async def act(viewer: SessionUser, form: Any) -> str:
        chosen = None
        if form_text(form.get("all")) != "1":
            picked = [parse_id(v) for v in form.getlist("account_id") if isinstance(v, str)]
            chosen = [p for p in picked if p is not None]
        made = await rt.db.awrite(
            pack_follows.follow_people, rt.timelines, viewer.account_id, pack_id, chosen
        )
        if form_text(form.get("back")) == WELCOME:  # the first run's "packs for you"
            return f"{WELCOME}#pack-{pack_id}"
        return f"/packs/{pack_id}?followed={made.count if made else 0}"

    return await _act(request, act, pack_page)


async def undo(request: Request) -> Response:
    """``POST /web/packs/{id}/undo`` (``bulk_id``)."""
    rt, pack_id = runtime_of(request), _id(request)

    async def act(viewer: SessionUser, form: Any) -> str:
        bulk_id = parse_id(form_text(form.get("bulk_id")))
        removed = 0
        if bulk_id is not None:
            removed = await rt.db.awrite(
                pack_follows.undo, rt.timelines, viewer.account_id, bulk_id
            )
        if form_text(form.get("back")) == WELCOME:
            return f"{WELCOME}?undone={removed}#pack-{pack_id}"
        return f"/packs/{pack_id}?undone={removed}"

    return await _act(request, act, pack_page)


async def follow_tags(request: Request) -> Response:
    """``POST /web/packs/{id}/tags``: follow every hashtag of the pack."""
    rt, pack_id = runtime_of(request), _id(request)

    async def act(viewer: SessionUser, form: Any) -> str:
        await rt.db.awrite(pack_follows.follow_tags, rt.timelines, viewer.account_id, pack_id)
        return f"/packs/{pack_id}?tags=1#hashtags"

    return await _act(request, act, pack_page)


async def copy_list(request: Request) -> Response:
    """``POST /web/packs/{id}/lists/{list}``: subscribe (a copy of one's own)."""
    rt, pack_id, list_id = runtime_of(request), _id(request), _id(request, "list")

    async def act(viewer: SessionUser, form: Any) -> str:
        made = await rt.db.awrite(
            pack_follows.subscribe_list, rt.timelines, viewer.account_id, pack_id, list_id
        )
        return f"/packs/{pack_id}?copied={made.list_id}#lists"

    return await _act(request, act, pack_page)


async def add_to_list(request: Request) -> Response:
    """``POST /web/packs/{id}/to-list`` (``list_id``): the pack's people into one's list."""
    rt, pack_id = runtime_of(request), _id(request)

    async def act(viewer: SessionUser, form: Any) -> str:
        list_id = parse_id(form_text(form.get("list_id")))
        if list_id is None:
            raise ValidationFailed(N_("Choose one of your lists"))
        count = await rt.db.awrite(
            pack_follows.add_all_to_list, rt.timelines, viewer.account_id, pack_id, list_id
        )
        return f"/packs/{pack_id}?added={count}#to-list"

    return await _act(request, act, pack_page)


async def settings_page(request: Request, *, error: str = "", status: int = 200) -> Response:
    """``/settings/packs``: who may add you to a starter pack."""
    viewer = await current_user(request)
    if viewer is None:
        return sign_in_first(request)
    mine = await runtime_of(request).db.aread(pack_views.my_packs, viewer.account_id)
    return render_settings(
        request,
        "settings_packs.html",
        viewer,
        policies=POLICIES,
        policy=mine.policy,
        error=error,
        status=status,
    )


async def save_settings(request: Request) -> Response:
    """``POST /web/settings/packs`` (``pack_policy``)."""
    checked = await checked_form(request)
    if isinstance(checked, Response):
        return checked
    viewer, form = checked
    try:
        await runtime_of(request).db.awrite(
            collections.set_pack_policy, viewer.account_id, form_text(form.get("pack_policy"))
        )
    except ValidationFailed as exc:
        return await settings_page(request, error=exc.reason, status=422)
    return redirect("/settings/packs?saved=1")


routes: list[BaseRoute] = [
    Route("/packs", packs_page, methods=["GET"]),
    Route("/packs/{id}", pack_page, methods=["GET"]),
    Route("/packs/{id}/edit", edit_page, methods=["GET"]),
    Route("/@{username}/packs", account_packs_page, methods=["GET"]),
    Route("/settings/packs", settings_page, methods=["GET"]),
    Route("/web/settings/packs", save_settings, methods=["POST"]),
    Route("/web/packs", create, methods=["POST"]),
    Route("/web/packs/{id}", update, methods=["POST"]),
    Route("/web/packs/{id}/people", add_person, methods=["POST"]),
    Route("/web/packs/{id}/people/{item}/{action:str}", change_person, methods=["POST"]),
    Route("/web/packs/{id}/delete", delete, methods=["POST"]),
    Route("/web/packs/{id}/leave", leave, methods=["POST"]),
    Route("/web/packs/{id}/follow", follow, methods=["POST"]),
    Route("/web/packs/{id}/undo", undo, methods=["POST"]),
    Route("/web/packs/{id}/tags", follow_tags, methods=["POST"]),
    Route("/web/packs/{id}/lists/{list}", copy_list, methods=["POST"]),
    Route("/web/packs/{id}/to-list", add_to_list, methods=["POST"]),
]
