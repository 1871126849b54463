"""Search API: ``GET /api/v2/search`` (accounts, hashtags, posts) and ``GET /api/v1/tags/:name``.

``q`` of ``@name``, ``name@<our domain>`` or a profile URL finds that account exactly (toot's
``follow NAME`` searches with ``resolve=true`` and follows the matching ``acct``); a post
URL of this server finds that post. Nothing is fetched from other servers.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Row, select
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from staffroom.api.auth import optional_viewer
from staffroom.api.params import read_params
from staffroom.api.responses import JSONResponse
from staffroom.db.tables import account_interests
from staffroom.errors import BadRequest, NotAuthenticated, NotFound
from staffroom.runtime import runtime_of
from staffroom.serializers.accounts import serialize_account
from staffroom.serializers.statuses import serialize_statuses
from staffroom.services import search as search_service
from staffroom.services.accounts import parse_account_id
from staffroom.services.profiles import clean_tag_name
from staffroom.services.status_views import StatusView, load_views
from staffroom.urls import tag_url

TYPES = ("accounts", "hashtags", "statuses")


def tag_entity(
    tag_id: int | None, name: str, base_url: str, *, featuring: bool | None = None
) -> dict[str, Any]:
    """Mastodon's ``Tag`` (``id`` is ``""`` for a name never used, as Mastodon answers);
    ``following``/``featuring`` are only present for a signed-in viewer."""
    entity: dict[str, Any] = {
        "id": "" if tag_id is None else str(tag_id),
        "name": name,
        "url": tag_url(base_url, name),
        "history": [],
    }
    if featuring is not None:
        entity["following"] = False
        entity["featuring"] = featuring
    return entity


def _featured_ids(conn: Connection, viewer_id: int | None, tag_ids: list[int]) -> set[int]:
    if viewer_id is None or not tag_ids:
        return set()
    return set(
        conn.execute(
            select(account_interests.c.tag_id).where(
                account_interests.c.account_id == viewer_id,
                account_interests.c.tag_id.in_(tag_ids),
            )
        ).scalars()
    )


@dataclass(frozen=True, slots=True)
class _Query:
    """The parsed parameters of one ``/api/v2/search`` request."""

    q: str
    kind: str | None
    limit: int
    offset: int

    def wants(self, kind: str) -> bool:
        return self.kind is None or self.kind == kind


def _run_search(
    conn: Connection,
    query: _Query,
    site: search_service.Site,
    viewer_id: int | None,
    following: bool,
    author_id: int | None,
) -> tuple[list[Row[Any]], list[Row[Any]], set[int], list[StatusView]]:
    found_accounts: list[Row[Any]] = []
    found_tags: list[Row[Any]] = []
    views: list[StatusView] = []
    if query.wants("accounts"):
        found_accounts = search_service.search_accounts(
            conn,
            query.q,
            site=site,
            viewer_id=viewer_id,
            following_only=following,
            limit=query.limit,
            offset=query.offset,
        )
    if query.wants("hashtags"):
        found_tags = search_service.search_tags(
            conn, query.q, limit=query.limit, offset=query.offset
        )
    if query.wants("statuses"):
        ids = search_service.search_status_ids(
            conn, viewer_id, query.q, query.limit, query.offset, account_id=author_id, site=site
        )
        views = load_views(conn, viewer_id, ids)
    featured = _featured_ids(conn, viewer_id, [row.id for row in found_tags])
    return found_accounts, found_tags, featured, views


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
    limit = max(1, min(params.int("limit", 20) or 20, 40))
    query = _Query(q, kind, limit, max(0, params.int("offset", 0) or 0))
    rt = runtime_of(request)
    site = search_service.Site(rt.settings.base_url, rt.settings.domain)
    viewer_id = viewer.account_id if viewer else None
    if kind is not None and kind not in TYPES:
        return JSONResponse({"accounts": [], "statuses": [], "hashtags": []})
    author = params.raw("account_id")
    author_id = parse_account_id(author) if author not in (None, "") else None
    following = params.bool("following", False)
    found_accounts, found_tags, featured, views = await rt.db.aread(
        _run_search, query, site, viewer_id, following, author_id
    )
    base = rt.settings.base_url
    signed_in = viewer is not None
    hashtags = [
        tag_entity(row.id, row.name, base, featuring=row.id in featured if signed_in else None)
        for row in found_tags
    ]
    return JSONResponse(
        {
            "accounts": [serialize_account(row, base) for row in found_accounts],
            "statuses": serialize_statuses(views, base),
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

    def load(conn: Connection) -> tuple[Row[Any] | None, bool]:
        row = search_service.get_tag(conn, name)
        featured = row is not None and bool(_featured_ids(conn, viewer_id, [row.id]))
        return row, featured

    row, featured = await rt.db.aread(load)
    featuring = featured if viewer is not None else None
    if row is None:  # as Mastodon: a valid name that was never used is still a tag
        return JSONResponse(tag_entity(None, name, rt.settings.base_url, featuring=featuring))
    return JSONResponse(tag_entity(row.id, row.name, rt.settings.base_url, featuring=featuring))


routes: list[BaseRoute] = [
    Route("/api/v2/search", search, methods=["GET"]),
    Route("/api/v1/tags/{name}", show_tag, methods=["GET"]),
]
