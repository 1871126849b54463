"""The directory on the web: ``/directory`` (people who opted in, filtered by the instance's
fields, ordered by last post or by when they were listed, paged by ``offset``; a follow
button each and "Follow all shown", recorded by ``services/bulk_follows.py`` with the same
30-day "Undo" as the first run), the forms ``POST /web/directory/{follow_all|undo}``, and
``/settings/directory`` where a person opts in or out and describes themselves.

Reads and writes go through ``services/directory.py``; the filters are the API's
(``GET /api/v1/directory``): one query parameter per field, refused values are 422.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from staffroom.errors import StaffroomError, ValidationFailed
from staffroom.ids import parse_id
from staffroom.runtime import runtime_of
from staffroom.services import directory
from staffroom.services.directory_fields import DirectoryField, instance_fields
from staffroom.services.login import SessionUser
from staffroom.web import i18n
from staffroom.web.follow_forms import follow_shown, undo_shown
from staffroom.web.forms import form_text, signed_in_form
from staffroom.web.render import redirect, render, safe_next
from staffroom.web.session import current_user
from staffroom.web.settings_common import (
    Errors,
    checked_form,
    render_settings,
    sign_in_first,
    text,
)

SOURCE = "directory"
PAGE_SIZE = 20


def _fields(request: Request) -> tuple[DirectoryField, ...]:
    return instance_fields(runtime_of(request).settings.directory_fields_file)


def choices(field: DirectoryField) -> list[tuple[str, str]]:
    """``(value, label)`` pairs in the reader's language (called while a page renders)."""
    return [(v, i18n.gettext(label)) for v, label in field.labelled(i18n.active_locale())]


def label_of(field: DirectoryField, value: str) -> str:
    """One value's label in the reader's language (the value itself if it is unknown)."""
    return dict(choices(field)).get(value, value)


def _page_link(request: Request, offset: int) -> str:
    keep = [(k, v) for k, v in request.query_params.multi_items() if k not in ("offset", "undone")]
    return "/directory?" + urlencode([*keep, ("offset", str(offset))])


async def directory_page(request: Request) -> Response:
    """``GET /directory``: the filter form and one page of listed people."""
    rt = runtime_of(request)
    viewer = await current_user(request)
    fields = _fields(request)
    params = request.query_params
    wanted = {f.name: params.getlist(f.name) for f in fields}
    try:
        offset = int(params.get("offset") or 0)
    except ValueError:
        offset = -1
    try:
        query = directory.read_query(
            fields, wanted, order=params.get("order") or None, offset=offset, limit=PAGE_SIZE
        )
    except ValidationFailed as exc:
        return render(
            request,
            "directory.html",
            status=422,
            viewer=viewer,
            nav="directory",
            fields=fields,
            choices=choices,
            label_of=label_of,
            chosen=wanted,
            order=params.get("order") or "active",
            page=None,
            error=exc.reason,
        )
    found = await rt.db.aread(
        directory.directory_page,
        viewer.account_id if viewer else None,
        query,
        bulk_source=SOURCE,
    )
    unfollowed = [
        p
        for p in found.people
        if p.relationship is not None
        and not (p.relationship.following or p.relationship.blocking or p.relationship.blocked_by)
    ]
    return render(
        request,
        "directory.html",
        viewer=viewer,
        nav="directory",
        fields=fields,
        choices=choices,
        label_of=label_of,
        chosen=query.filters,
        order=query.order,
        page=found,
        unfollowed=unfollowed,
        undone=parse_id(params.get("undone")),
        newer=_page_link(request, max(0, query.offset - PAGE_SIZE)) if query.offset else None,
        older=_page_link(request, query.offset + PAGE_SIZE) if found.has_more else None,
        base_url=rt.settings.base_url,
        error=None,
    )


def _back(form: Any) -> str:
    back = safe_next(form_text(form.get("next")), "/directory")
    return back if back.startswith("/directory") else "/directory"


async def follow_all(request: Request) -> Response:
    """``POST /web/directory/follow_all``: follow everyone shown, recorded for undo."""
    checked = await signed_in_form(request, back_to="/directory")
    if isinstance(checked, Response):
        return checked
    viewer, form = checked
    await follow_shown(request, viewer, form, SOURCE)
    return redirect(_back(form))


async def undo(request: Request) -> Response:
    """``POST /web/directory/undo``: unfollow those the follow-all followed (once)."""
    checked = await signed_in_form(request, back_to="/directory")
    if isinstance(checked, Response):
        return checked
    viewer, form = checked
    removed = await undo_shown(request, viewer, form)
    back = _back(form)
    return redirect(f"{back}{'&' if '?' in back else '?'}undone={removed}")


async def _settings_page(
    request: Request,
    viewer: SessionUser,
    *,
    values: dict[str, Any] | None = None,
    errors: Errors | None = None,
) -> Response:
    rt = runtime_of(request)
    entry, discoverable = await rt.db.aread(directory.own_listing, viewer.account_id)
    current = {
        "listed": entry is not None,
        "why_follow": entry.why_follow if entry else "",
        "values": entry.values if entry else {},
    }
    return render_settings(
        request,
        "settings_directory.html",
        viewer,
        status=422 if errors else 200,
        form={**current, **(values or {})},
        fields=_fields(request),
        choices=choices,
        discoverable=discoverable,
        errors=errors or {},
        why_follow_max=directory.WHY_FOLLOW_MAX,
    )


async def settings_form(request: Request) -> Response:
    """``GET /settings/directory``: whether one is listed, and how one is described."""
    viewer = await current_user(request)
    if viewer is None:
        return sign_in_first(request)
    return await _settings_page(request, viewer)


async def save_settings(request: Request) -> Response:
    """``POST /settings/directory``: opt in or out, and the fields and line (422 with the
    reasons next to the fields; nothing is saved then)."""
    checked = await checked_form(request)
    if isinstance(checked, Response):
        return checked
    viewer, form = checked
    fields = _fields(request)
    values = {f.name: [v for v in form.getlist(f.name) if isinstance(v, str)] for f in fields}
    listed = text(form, "listed") == "1"
    why = text(form, "why_follow")
    rt = runtime_of(request)
    try:
        await rt.db.awrite(
            directory.save_entry,
            fields,
            viewer.account_id,
            listed=listed,
            values=values,
            why_follow=why,
        )
    except StaffroomError as exc:
        if exc.status != 422:
            raise
        reason = exc.reason
        name = str(exc.details.get("field") or "why_follow")
        problem = (getattr(reason, "msgid", reason), getattr(reason, "params", {}))
        given = {"listed": listed, "why_follow": why, "values": values}
        return await _settings_page(request, viewer, values=given, errors={name: problem})
    return redirect("/settings/directory?saved=directory")


routes: list[BaseRoute] = [
    Route("/directory", directory_page, methods=["GET"]),
    Route("/web/directory/follow_all", follow_all, methods=["POST"]),
    Route("/web/directory/undo", undo, methods=["POST"]),
    Route("/settings/directory", settings_form, methods=["GET"]),
    Route("/settings/directory", save_settings, methods=["POST"]),
]
