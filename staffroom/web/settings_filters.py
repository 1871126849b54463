"""``/settings/filters``: one's filters (Mastodon's v2 filters) as plain forms.

The list, a form to create one and to edit one (title, keywords with whole word, contexts,
action, expiry; the posts it holds, each removable), and deleting with a confirmation page.
Every change goes through ``services.filters`` (its rules and messages; another person's
filter is 404), then ``filters_changed`` reaches the person's open streams. A refused form
comes back with what was typed and the problems in words (422).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from staffroom import clock
from staffroom.errors import NotFound, ValidationFailed
from staffroom.ids import parse_id
from staffroom.runtime import runtime_of
from staffroom.services import filters
from staffroom.services.filters import Filter, FilteredPost
from staffroom.services.login import SessionUser
from staffroom.services.status_views import StatusView, load_views
from staffroom.web.filter_form import (
    ACTION_LABELS,
    CONTEXT_LABELS,
    EXPIRY_CHOICES,
    KEEP,
    Errors,
    FilterForm,
    check,
    expiry_state,
    read_filter_form,
    service_errors,
)
from staffroom.web.render import redirect
from staffroom.web.session import current_user
from staffroom.web.settings_common import checked_form, render_settings, sign_in_first

HERE = "/settings/filters"


@dataclass(frozen=True, slots=True)
class ShownPost:
    """A post of a filter on its edit page: the entry, and the post if the reader may still
    see it."""

    entry: FilteredPost
    view: StatusView | None


def _filter_id(request: Request, name: str = "id") -> int:
    found = parse_id(request.path_params[name])
    if found is None:
        raise NotFound()
    return found


def _with_posts(
    conn: Connection, account_id: int, filter_id: int
) -> tuple[Filter, list[ShownPost]]:
    found = filters.get_filter(conn, account_id, filter_id)
    views = load_views(conn, account_id, [p.status_id for p in found.statuses])
    by_id = {v.id: v for v in views}
    return found, [ShownPost(p, by_id.get(p.status_id)) for p in found.statuses]


async def list_page(request: Request) -> Response:
    """``GET /settings/filters``: every filter with its keywords, places, action, expiry."""
    viewer = await current_user(request)
    if viewer is None:
        return sign_in_first(request)
    found = await runtime_of(request).db.aread(filters.list_filters, viewer.account_id)
    now = clock.now()
    return render_settings(
        request,
        "settings_filters.html",
        viewer,
        found=found,
        now=now,
        states={f.id: expiry_state(f.expires_at, now) for f in found},
        contexts=dict(CONTEXT_LABELS),
        actions={value: label for value, label, _ in ACTION_LABELS},
    )


def _form_page(
    request: Request,
    viewer: SessionUser,
    form: FilterForm,
    current: Filter | None = None,
    posts: list[ShownPost] | None = None,
    errors: Errors | None = None,
) -> Response:
    now = clock.now()
    return render_settings(
        request,
        "settings_filter_form.html",
        viewer,
        here=HERE,
        status=422 if errors else 200,
        errors=errors or {},
        form=form,
        current=current,
        posts=posts or [],
        now=now,
        state=expiry_state(current.expires_at if current else None, now),
        keep=KEEP,
        context_choices=CONTEXT_LABELS,
        action_choices=ACTION_LABELS,
        expiry_choices=EXPIRY_CHOICES,
    )


async def new_form(request: Request) -> Response:
    """``GET /settings/filters/new``."""
    viewer = await current_user(request)
    if viewer is None:
        return sign_in_first(request)
    return _form_page(request, viewer, FilterForm().padded())


async def create(request: Request) -> Response:
    """``POST /settings/filters``: a new filter, then back to the list."""
    checked = await checked_form(request)
    if isinstance(checked, Response):
        return checked
    viewer, raw = checked
    typed = read_filter_form(raw)
    changes, errors = check(typed, None)
    rt = runtime_of(request)
    if not errors:
        try:
            await rt.db.awrite(filters.create_filter, viewer.account_id, changes)
        except ValidationFailed as exc:
            errors = service_errors(exc)
    if errors:
        return _form_page(request, viewer, typed.padded(), errors=errors)
    filters.stream_changed(rt, viewer.account_id)
    return redirect(f"{HERE}?saved=created")


async def edit_form(request: Request) -> Response:
    """``GET /settings/filters/{id}/edit``: the filter as it is, with its posts."""
    viewer = await current_user(request)
    if viewer is None:
        return sign_in_first(request)
    rt = runtime_of(request)
    found, posts = await rt.db.aread(_with_posts, viewer.account_id, _filter_id(request))
    return _form_page(request, viewer, FilterForm.of(found), found, posts)


async def update(request: Request) -> Response:
    """``POST /settings/filters/{id}``: the filter changed, then back to the list."""
    checked = await checked_form(request)
    if isinstance(checked, Response):
        return checked
    viewer, raw = checked
    rt = runtime_of(request)
    filter_id = _filter_id(request)
    found, posts = await rt.db.aread(_with_posts, viewer.account_id, filter_id)
    typed = read_filter_form(raw)
    changes, errors = check(typed, found)
    if not errors:
        try:
            await rt.db.awrite(filters.update_filter, viewer.account_id, filter_id, changes)
        except ValidationFailed as exc:
            errors = service_errors(exc)
    if errors:
        return _form_page(request, viewer, typed.padded(), found, posts, errors)
    filters.stream_changed(rt, viewer.account_id)
    return redirect(f"{HERE}?saved=saved")


async def remove_post(request: Request) -> Response:
    """``POST /settings/filters/{id}/posts/{entry}/remove``: a post taken out of the filter."""
    checked = await checked_form(request)
    if isinstance(checked, Response):
        return checked
    viewer, _ = checked
    rt = runtime_of(request)
    filter_id = _filter_id(request)
    entry = await rt.db.aread(
        filters.get_filtered_post, viewer.account_id, _filter_id(request, "entry")
    )
    if entry.filter_id != filter_id:
        raise NotFound()
    await rt.db.awrite(filters.delete_post, viewer.account_id, entry.id)
    filters.stream_changed(rt, viewer.account_id)
    return redirect(f"{HERE}/{filter_id}/edit?saved=post_removed")


async def confirm_delete(request: Request) -> Response:
    """``GET /settings/filters/{id}/delete``: are you sure?"""
    viewer = await current_user(request)
    if viewer is None:
        return sign_in_first(request)
    rt = runtime_of(request)
    found = await rt.db.aread(filters.get_filter, viewer.account_id, _filter_id(request))
    return render_settings(request, "settings_filter_delete.html", viewer, here=HERE, found=found)


async def delete(request: Request) -> Response:
    """``POST /settings/filters/{id}/delete``: the filter, its keywords and posts removed."""
    checked = await checked_form(request)
    if isinstance(checked, Response):
        return checked
    viewer, _ = checked
    rt = runtime_of(request)
    await rt.db.awrite(filters.delete_filter, viewer.account_id, _filter_id(request))
    filters.stream_changed(rt, viewer.account_id)
    return redirect(f"{HERE}?saved=deleted")


routes: list[BaseRoute] = [
    Route(HERE, list_page, methods=["GET"]),
    Route(HERE, create, methods=["POST"]),
    Route(f"{HERE}/new", new_form, methods=["GET"]),
    Route(f"{HERE}/{{id}}/edit", edit_form, methods=["GET"]),
    Route(f"{HERE}/{{id}}", update, methods=["POST"]),
    Route(f"{HERE}/{{id}}/posts/{{entry}}/remove", remove_post, methods=["POST"]),
    Route(f"{HERE}/{{id}}/delete", confirm_delete, methods=["GET"]),
    Route(f"{HERE}/{{id}}/delete", delete, methods=["POST"]),
]
