"""Quoting a post on the web: ``/@username/{id}/quote`` shows the post and a composer whose
form (``POST /web/statuses`` with ``quoted_status_id``) posts the quote through
``services.posting``, as ``POST /api/v1/statuses`` does. The page says so, and offers no
form, when the post's policy does not let the viewer quote it."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from staffroom.errors import NotFound
from staffroom.ids import parse_id
from staffroom.policies.visibility import PRIVATE
from staffroom.runtime import runtime_of
from staffroom.services import posting
from staffroom.services.login import SessionUser
from staffroom.services.status_views import load_view
from staffroom.web.render import redirect, render
from staffroom.web.session import current_user
from staffroom.web.timeline_pages import VISIBILITIES


async def quote_page(request: Request) -> Response:
    """``/@username/{id}/quote``: the composer for a quote of that post."""
    viewer = await current_user(request)
    if viewer is None:
        return redirect(f"/auth/sign_in?next={request.url.path}")
    status_id = parse_id(request.path_params["id"])
    if status_id is None:
        raise NotFound()
    return await quote_form(request, viewer, status_id, username=request.path_params["username"])


async def quote_form(
    request: Request,
    viewer: SessionUser,
    status_id: int,
    *,
    username: str | None = None,
    status: int = 200,
    draft: posting.NewStatus | None = None,
    error: str | None = None,
) -> Response:
    """The quote page for ``status_id`` (again with ``draft`` and ``error`` after a refusal)."""
    rt = runtime_of(request)
    quoted = await rt.db.aread(load_view, viewer.account_id, status_id)
    if quoted is None or quoted.reblog is not None:
        raise NotFound()
    if username is not None and quoted.account.username.lower() != username.lower():
        raise NotFound()
    visibility = "private" if quoted.row.visibility == PRIVATE else "public"
    return render(
        request,
        "quote.html",
        viewer=viewer,
        status=status,
        quoted=quoted,
        allowed=quoted.quote_approval == "automatic",
        text=draft.text if draft else "",
        visibility=draft.visibility if draft else visibility,
        draft=draft,
        error=error,
        visibilities=VISIBILITIES,
        post_url=f"/@{quoted.account.username}/{quoted.id}",
        max_status_chars=rt.settings.max_status_chars,
        url_length=rt.settings.url_length,
    )


routes: list[BaseRoute] = [
    Route("/@{username}/{id}/quote", quote_page, methods=["GET"]),
]
