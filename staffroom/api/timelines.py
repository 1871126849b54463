"""API routes: timelines (home, public, hashtag) and an account's statuses."""

from __future__ import annotations

from starlette.requests import Request
from starlette.routing import BaseRoute, Route

from staffroom.api.auth import optional_viewer, read_as_user
from staffroom.api.pagination import link_header, read_page
from staffroom.api.params import Params, path_id, read_params
from staffroom.api.responses import RawJSONResponse
from staffroom.errors import NotFound
from staffroom.runtime import runtime_of
from staffroom.serializers.statuses import statuses_json
from staffroom.services import pins, timelines
from staffroom.services.accounts_lookup import account_exists
from staffroom.services.timelines import PageRequest, TimelinePage


def _page(params: Params) -> PageRequest:
    page = read_page(params, default=20, maximum=40)
    return PageRequest(page.max_id, page.since_id, page.min_id, page.limit)


def _respond(request: Request, result: TimelinePage) -> RawJSONResponse:
    rt = runtime_of(request)
    return RawJSONResponse(
        statuses_json(result.views, rt.settings.base_url),
        status_code=206 if result.partial else 200,  # Mastodon: timeline being rebuilt
        headers=link_header(
            request, next_max_id=result.next_max_id, prev_min_id=result.prev_min_id
        ),
    )


async def home(request: Request) -> RawJSONResponse:
    # A GET's parameters cannot fail to parse, so reading them before the token changes no
    # answer; the token is then resolved in the same read as the timeline.
    page = _page(await read_params(request))
    rt = runtime_of(request)
    _, result = await read_as_user(
        request,
        "read:statuses",
        lambda conn, viewer: timelines.home(conn, rt, viewer.account_id, page),
    )
    return _respond(request, result)


async def public(request: Request) -> RawJSONResponse:
    viewer = await optional_viewer(request, "read:statuses")
    params = await read_params(request)
    rt = runtime_of(request)
    result = await rt.db.aread(
        timelines.public,
        viewer.account_id if viewer else None,
        _page(params),
        remote_only=params.bool("remote"),
        only_media=params.bool("only_media"),
    )
    return _respond(request, result)


async def hashtag(request: Request) -> RawJSONResponse:
    viewer = await optional_viewer(request, "read:statuses")
    params = await read_params(request)
    rt = runtime_of(request)
    if params.bool("only_media") or params.bool("remote"):
        return _respond(request, TimelinePage([], None, None))
    result = await rt.db.aread(
        timelines.hashtag,
        viewer.account_id if viewer else None,
        str(request.path_params["hashtag"]),
        _page(params),
        any_of=params.list("any"),
        all_of=params.list("all"),
        none_of=params.list("none"),
    )
    return _respond(request, result)


async def account_statuses(request: Request) -> RawJSONResponse:
    viewer = await optional_viewer(request, "read:statuses")
    params = await read_params(request)
    account_id = path_id(request)
    rt = runtime_of(request)
    if not await rt.db.aread(account_exists, account_id):
        raise NotFound()
    if params.bool("pinned"):  # at most five, the newest pin first: one page, no links
        if params.str("max_id") or params.str("min_id") or params.str("since_id"):
            return _respond(request, TimelinePage([], None, None))
        views = await rt.db.aread(
            pins.pinned_posts, viewer.account_id if viewer else None, account_id
        )
        return _respond(request, TimelinePage(views, None, None))
    result = await rt.db.aread(
        timelines.account_statuses,
        viewer.account_id if viewer else None,
        account_id,
        _page(params),
        exclude_replies=params.bool("exclude_replies"),
        exclude_reblogs=params.bool("exclude_reblogs"),
        tagged=params.str("tagged") or None,
        only_media=params.bool("only_media"),
    )
    return _respond(request, result)


routes: list[BaseRoute] = [
    Route("/api/v1/timelines/home", home, methods=["GET"]),
    Route("/api/v1/timelines/public", public, methods=["GET"]),
    Route("/api/v1/timelines/tag/{hashtag}", hashtag, methods=["GET"]),
    Route("/api/v1/accounts/{id}/statuses", account_statuses, methods=["GET"]),
]
