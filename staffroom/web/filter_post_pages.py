""" "Filter this post" on the web, as Mastodon's web offers it: a signed-in reader who is not
the author adds a post to one of their filters, or to a new filter (every context, warn).

The form sits on the post's page (``templates/_filter_post.html``) and on
``/@username/{id}/filter``, where a refused form comes back with the reason (422).
``POST /web/statuses/{id}/filter`` calls ``services.filters.filter_post``, then
``filters_changed`` reaches the reader's streams, and the post's page shows the post as the
filter's action leaves it.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from staffroom.errors import NotFound, ValidationFailed
from staffroom.ids import parse_id
from staffroom.runtime import runtime_of
from staffroom.services import filters
from staffroom.services.login import SessionUser
from staffroom.services.status_views import StatusView, load_view
from staffroom.web.forms import form_text, signed_in_form
from staffroom.web.i18n import N_
from staffroom.web.render import redirect, render
from staffroom.web.session import current_user

NEW = "new"
NO_TITLE = N_("Give the new filter a title.")
ALREADY = N_("This post is already in that filter.")


def _status_id(request: Request) -> int:
    found = parse_id(request.path_params["id"])
    if found is None:
        raise NotFound()
    return found


async def filter_page(request: Request) -> Response:
    """``GET /@username/{id}/filter``: the post and the form."""
    viewer = await current_user(request)
    if viewer is None:
        return redirect(f"/auth/sign_in?next={request.url.path}")
    return await _page(request, viewer, _status_id(request), request.path_params["username"])


async def _page(
    request: Request,
    viewer: SessionUser,
    status_id: int,
    username: str | None = None,
    *,
    error: str | None = None,
    chosen: str = "",
    title: str = "",
) -> Response:
    rt = runtime_of(request)
    post = await rt.db.aread(load_view, viewer.account_id, status_id)
    if post is None or post.reblog is not None:
        raise NotFound()
    if username is not None and post.account.username.lower() != username.lower():
        raise NotFound()
    choices = await rt.db.aread(filters.filter_titles, viewer.account_id)
    return render(
        request,
        "filter_post.html",
        viewer=viewer,
        status=422 if error else 200,
        post=post,
        filter_choices=choices,
        filter_error=error,
        filter_chosen=chosen,
        filter_title=title,
        post_url=_url(post),
    )


def _url(post: StatusView) -> str:
    return f"/@{post.account.username}/{post.id}"


async def filter_post(request: Request) -> Response:
    """``POST /web/statuses/{id}/filter``: ``filter`` (a filter's ID, or ``new`` with
    ``title``), then back to the post's page."""
    status_id = _status_id(request)
    checked = await signed_in_form(request)  # signed out: sign in, then home
    if isinstance(checked, Response):
        return checked
    viewer, form = checked
    rt = runtime_of(request)
    chosen = form_text(form.get("filter")) or NEW
    title = form_text(form.get("title")).strip()
    filter_id = None if chosen == NEW else parse_id(chosen)
    if chosen != NEW and filter_id is None:
        raise NotFound()
    if filter_id is None and not title:
        return await _page(request, viewer, status_id, error=NO_TITLE, chosen=chosen)
    try:
        await rt.db.awrite(filters.filter_post, viewer.account_id, status_id, filter_id, title)
    except ValidationFailed as exc:
        if "Status must exist" in exc.message:
            raise NotFound() from None
        error = ALREADY if "taken" in exc.message else NO_TITLE
        return await _page(request, viewer, status_id, error=error, chosen=chosen, title=title)
    filters.stream_changed(rt, viewer.account_id)
    post = await rt.db.aread(load_view, viewer.account_id, status_id)
    if post is None:
        raise NotFound()
    return redirect(f"{_url(post)}?filtered=1")


routes: list[BaseRoute] = [
    Route("/@{username}/{id}/filter", filter_page, methods=["GET"]),
    Route("/web/statuses/{id}/filter", filter_post, methods=["POST"]),
]
