"""Finding things: hashtag pages (``/tags/{name}``), search (``/search``: people, hashtags,
posts) and the viewer's saved posts (``/bookmarks``, ``/favourites``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from staffroom.errors import NotFound, StaffroomError
from staffroom.ids import parse_id
from staffroom.runtime import runtime_of
from staffroom.services import people, search, tag_follows, timelines, trend_views
from staffroom.services.profiles import clean_tag_name
from staffroom.services.relationships import Relationship
from staffroom.services.timelines import PageRequest
from staffroom.web.i18n import N_
from staffroom.web.render import redirect, render
from staffroom.web.session import current_user
from staffroom.web.timeline_pages import PAGE_SIZE

SEARCH_KINDS = (
    ("", N_("Everything")),
    ("accounts", N_("People")),
    ("hashtags", N_("Hashtags")),
    ("statuses", N_("Posts")),
)
_SEARCH_PAGE = 20
_PREVIEW = 5  # of each kind when searching everything


async def tag_page(request: Request) -> Response:
    """``/tags/{name}``: public posts with the hashtag, newest first, its last seven days
    and (signed in) buttons to follow it and to feature it on one's profile."""
    name = clean_tag_name(str(request.path_params["name"]))
    if name is None:
        raise NotFound()
    rt = runtime_of(request)
    viewer = await current_user(request)
    max_id = parse_id(request.query_params.get("max_id"))
    page, details = await rt.db.aread(
        trend_views.tag_page,
        viewer.account_id if viewer else None,
        name,
        PageRequest(max_id=max_id, limit=PAGE_SIZE),
    )
    following = viewer is not None and await rt.db.aread(
        tag_follows.follows_name, viewer.account_id, name
    )
    return render(
        request,
        "tag.html",
        filter_context="public",
        viewer=viewer,
        tag=name,
        details=details,
        page=page,
        paged=max_id is not None,
        following=following,
    )


async def search_page(request: Request) -> Response:
    """``/search?q=...&type=...``: people, hashtags and posts the viewer may see."""
    rt = runtime_of(request)
    viewer = await current_user(request)
    q = request.query_params.get("q", "").strip()
    kind = request.query_params.get("type") or None
    if kind not in (None, *search.TYPES):
        kind = None
    raw_offset = request.query_params.get("offset", "")
    offset = int(raw_offset) if raw_offset.isascii() and raw_offset.isdigit() else 0
    offset = min(offset, 10_000) if len(raw_offset) < 7 else 0
    error = None
    found: search.SearchResults | None = None
    rels: dict[int, Relationship] = {}
    if q:
        site = search.Site(rt.settings.base_url, rt.settings.domain)
        limit = _SEARCH_PAGE + 1 if kind else _PREVIEW + 1
        try:
            query = search.SearchQuery(search.check_query(q), kind, limit, offset if kind else 0)
            found, rels = await rt.db.aread(
                people.search_with_relationships,
                query,
                site,
                viewer.account_id if viewer else None,
            )
        except StaffroomError as exc:  # too long, or an operator given a wrong value
            error = exc.reason
    more = found is not None and kind is not None and _count(found, kind) > _SEARCH_PAGE
    return render(
        request,
        "search.html",
        filter_context="public",  # as Mastodon's web: search results are "public"
        viewer=viewer,
        nav="search",
        status=422 if error else 200,
        q=q,
        kind=kind or "",
        kinds=SEARCH_KINDS,
        found=found,
        relationships=rels,
        page_size=_SEARCH_PAGE,
        preview=_PREVIEW,
        next_offset=offset + _SEARCH_PAGE if more else None,
        prev_offset=max(0, offset - _SEARCH_PAGE) if kind and offset and found else None,
        error=error,
    )


def _count(found: search.SearchResults, kind: str) -> int:
    return len({"accounts": found.accounts, "hashtags": found.tags}.get(kind, found.statuses))


async def _saved(request: Request, title: str, nav: str, loader: Callable[..., Any]) -> Response:
    rt = runtime_of(request)
    viewer = await current_user(request)
    if viewer is None:
        return redirect(f"/auth/sign_in?next={request.url.path}")
    max_id = parse_id(request.query_params.get("max_id"))
    page = await rt.db.aread(loader, viewer.account_id, PageRequest(max_id=max_id, limit=PAGE_SIZE))
    return render(
        request,
        "saved.html",
        filter_context="public",  # Mastodon's web maps bookmarks and favourites to "public"
        viewer=viewer,
        nav=nav,
        title=title,
        page=page,
        paged=max_id is not None,
    )


async def bookmarks_page(request: Request) -> Response:
    """``/bookmarks``: the viewer's bookmarked posts, newest bookmark first."""
    return await _saved(request, N_("Bookmarks"), "bookmarks", timelines.bookmarked)


async def favourites_page(request: Request) -> Response:
    """``/favourites``: the posts the viewer favourited."""
    return await _saved(request, N_("Favourites"), "favourites", timelines.favourited)


routes: list[BaseRoute] = [
    Route("/tags/{name}", tag_page, methods=["GET"]),
    Route("/search", search_page, methods=["GET"]),
    Route("/bookmarks", bookmarks_page, methods=["GET"]),
    Route("/favourites", favourites_page, methods=["GET"]),
]
