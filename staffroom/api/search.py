"""Search API: ``GET /api/v2/search`` (accounts, hashtags, posts) and ``GET /api/v1/tags/:name``.

``q`` of ``@name``, ``name@<our domain>`` or a profile URL finds that account exactly (toot's
``follow NAME`` searches with ``resolve=true`` and follows the matching ``acct``); a post
URL of this server finds that post. Nothing is fetched from other servers. Posts are
searched only for a signed-in viewer, with Mastodon's operators (``services.search_query``);
an operator given a value it does not take is a 422.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from staffroom.api.auth import optional_viewer
from staffroom.api.params import read_params
from staffroom.api.responses import JSONResponse
from staffroom.errors import BadRequest, NotAuthenticated, NotFound
from staffroom.ids import parse_id
from staffroom.runtime import runtime_of
from staffroom.serializers.accounts import serialize_account
from staffroom.serializers.statuses import serialize_statuses
from staffroom.serializers.trends import serialize_history
from staffroom.services import search as search_service
from staffroom.services import trend_views
from staffroom.services.accounts import parse_account_id
from staffroom.services.profiles import clean_tag_name
from staffroom.services.tag_follows import is_following
from staffroom.services.trend_views import Day
from staffroom.urls import tag_url

TYPES = search_service.TYPES


def tag_entity(
    tag_id: int | None,
    name: str,
    base_url: str,
    *,
    featuring: bool | None = None,
    history: list[Day] | None = None,
) -> dict[str, Any]:
    """Mastodon's ``Tag`` (``id`` is ``""`` for a name never used, as Mastodon answers);
    ``following``/``featuring`` are only present for a signed-in viewer; ``history`` (the
    last seven days) where Staffroom gives it (a used tag's own answer, trends)."""
    entity: dict[str, Any] = {
        "id": "" if tag_id is None else str(tag_id),
        "name": name,
        "url": tag_url(base_url, name),
        "history": serialize_history(history) if history is not None else [],
    }
    if featuring is not None:
        entity["following"] = False
        entity["featuring"] = featuring
    return entity


async def search(request: Request) -> Response:
    viewer = await optional_viewer(request, "read:search")
    params = await read_params(request)
    q = search_service.check_query((params.str("q") or "").strip())
    if not q:
        raise BadRequest("param is missing or the value is empty: q")
    if viewer is None and params.raw("offset") not in (None, ""):
        raise NotAuthenticated("Search queries pagination is not supported without authentication")
    if viewer is None and params.bool("resolve", False):
        raise NotAuthenticated(
            "Search queries that resolve remote resources are not supported without authentication"
        )
    kind = params.str("type") or None
    # Mastodon: ``limit`` at most 40, 0 finds nothing; ``offset`` only pages one ``type``.
    given = params.raw("limit") not in (None, "")
    limit = min(abs(params.int("limit") or 0), 40) if given else 20
    offset = max(0, params.int("offset", 0) or 0)  # checked even where it is not used
    offset = offset if kind else 0
    rt = runtime_of(request)
    site = search_service.Site(rt.settings.base_url, rt.settings.domain)
    viewer_id = viewer.account_id if viewer else None
    if (kind is not None and kind not in TYPES) or limit == 0:
        return JSONResponse({"accounts": [], "statuses": [], "hashtags": []})
    author = params.raw("account_id")
    author_id = parse_account_id(author) if author not in (None, "") else None
    following = params.bool("following", False)
    params.bool("exclude_unreviewed", False)  # checked; every tag here is reviewed
    query = search_service.SearchQuery(
        q,
        kind,
        limit,
        offset,
        following,
        author_id,
        min_id=parse_id(params.raw("min_id")),
        max_id=parse_id(params.raw("max_id")),
    )
    found = await rt.db.aread(search_service.run_search, query, site, viewer_id)
    base = rt.settings.base_url
    signed_in = viewer is not None
    featured = found.featured_tag_ids
    hashtags = [
        tag_entity(row.id, row.name, base, featuring=row.id in featured if signed_in else None)
        for row in found.tags
    ]
    return JSONResponse(
        {
            "accounts": [serialize_account(row, base) for row in found.accounts],
            "statuses": serialize_statuses(found.statuses, base),
            "hashtags": hashtags,
        }
    )


async def show_tag(request: Request) -> Response:
    viewer = await optional_viewer(request)
    name = clean_tag_name(str(request.path_params["name"]))
    if name is None:
        raise NotFound()
    rt = runtime_of(request)
    viewer_id = viewer.account_id if viewer else None

    found = await rt.db.aread(trend_views.tag_details, viewer_id, name)
    featuring = found.featuring if viewer is not None else None
    row = found.row
    base = rt.settings.base_url
    if row is None:  # as Mastodon: a valid name that was never used is still a tag
        return JSONResponse(
            tag_entity(None, name, base, featuring=featuring, history=found.history)
        )
    entity = tag_entity(row.id, row.name, base, featuring=featuring, history=found.history)
    if viewer is not None:
        entity["following"] = await rt.db.aread(is_following, viewer_id, int(row.id))
    return JSONResponse(entity)


routes: list[BaseRoute] = [
    Route("/api/v2/search", search, methods=["GET"]),
    Route("/api/v1/tags/{name}", show_tag, methods=["GET"]),
]
