"""Explore and trends: ``/explore`` (hashtags, posts and links trending now, each hashtag
with its last seven days as a small chart and as text), the admin's review page
``/admin/trends`` with its forms (``POST /web/admin/trends/{kind}/{id}/{approve|reject}``,
``POST /web/admin/trends/review``), and featuring a hashtag on one's profile from its page
(``POST /web/tags/{name}/{feature|unfeature}``). Services: ``trend_views``,
``featured_tags``."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from staffroom.errors import NotFound
from staffroom.ids import parse_id
from staffroom.runtime import runtime_of
from staffroom.services import featured_tags, trend_views
from staffroom.services.trends import KIND_NAMES
from staffroom.web.forms import form_text, signed_in_form
from staffroom.web.render import redirect, render, safe_next
from staffroom.web.session import current_user
from staffroom.web.suggestion_pages import panel_people

_REVIEWS = {"approve": "approved", "reject": "rejected"}


async def explore_page(request: Request) -> Response:
    """``/explore``: what many people are talking about now."""
    viewer = await current_user(request)
    found = await runtime_of(request).db.aread(
        trend_views.explore, viewer.account_id if viewer else None
    )
    people = await panel_people(request, viewer.account_id) if viewer else []
    return render(
        request,
        "explore.html",
        viewer=viewer,
        nav="explore",
        explore=found,
        who_to_follow=people,
        base_url=runtime_of(request).settings.base_url,
    )


async def admin_trends_page(request: Request) -> Response:
    """``/admin/trends``: everything scoring now, with approve and reject for each."""
    viewer = await current_user(request)
    if viewer is None:
        return redirect("/auth/sign_in?next=/admin/trends")
    found = await runtime_of(request).db.aread(trend_views.admin_page, viewer.account_id)
    return render(request, "admin_trends.html", viewer=viewer, nav="explore", **found)


async def review_trend(request: Request) -> Response:
    """``POST /web/admin/trends/{kind}/{id}/{approve|reject}``."""
    checked = await signed_in_form(request, back_to="/admin/trends")
    if isinstance(checked, Response):
        return checked
    viewer, _ = checked
    kind = KIND_NAMES.get(request.path_params["kind"])
    target_id = parse_id(request.path_params["id"])
    state = _REVIEWS.get(request.path_params["action"])
    if kind is None or target_id is None or state is None:
        raise NotFound()
    await runtime_of(request).db.awrite(
        trend_views.admin_review, viewer.account_id, kind, target_id, state
    )
    return redirect("/admin/trends")


async def require_review(request: Request) -> Response:
    """``POST /web/admin/trends/review``: whether trends need an admin's approval."""
    checked = await signed_in_form(request, back_to="/admin/trends")
    if isinstance(checked, Response):
        return checked
    viewer, form = checked
    on = form_text(form.get("require_review")) == "1"
    await runtime_of(request).db.awrite(trend_views.admin_set_require_review, viewer.account_id, on)
    return redirect("/admin/trends")


async def feature_tag(request: Request) -> Response:
    """``POST /web/tags/{name}/{feature|unfeature}``: a hashtag on one's profile, or not."""
    name = str(request.path_params["name"])
    checked = await signed_in_form(request, back_to=f"/tags/{name}")
    if isinstance(checked, Response):
        return checked
    viewer, form = checked
    action = request.path_params["action"]
    if action not in ("feature", "unfeature"):
        raise NotFound()
    change = (
        featured_tags.feature_by_name if action == "feature" else featured_tags.unfeature_by_name
    )
    await runtime_of(request).db.awrite(change, viewer.account_id, name)
    return redirect(safe_next(form_text(form.get("next"))))


routes: list[BaseRoute] = [
    Route("/explore", explore_page, methods=["GET"]),
    Route("/admin/trends", admin_trends_page, methods=["GET"]),
    Route("/web/admin/trends/review", require_review, methods=["POST"]),
    Route("/web/admin/trends/{kind}/{id}/{action}", review_trend, methods=["POST"]),
    Route("/web/tags/{name}/{action}", feature_tag, methods=["POST"]),
]
