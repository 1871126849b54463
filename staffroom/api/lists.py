"""API routes: lists (``/api/v1/lists``), list timelines, an account's lists, followed
hashtags (``/api/v1/tags/:name/follow``, ``/unfollow``, ``/api/v1/followed_tags``).

As Mastodon, with two Staffroom extensions that Mastodon clients never meet: members need
not be followed (Mastodon answers 422), and ``/api/v1/lists/:id/tags`` (``GET``, ``POST`` /
``DELETE`` with ``names[]``) holds a list's hashtags. Someone else's list is always 404.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from staffroom.api.auth import authenticate, read_as_user
from staffroom.api.pagination import link_header, read_page
from staffroom.api.params import Params, path_id, read_params
from staffroom.api.responses import JSONResponse
from staffroom.api.search import tag_entity
from staffroom.api.timelines import _page, _respond
from staffroom.errors import NotFound, ValidationFailed
from staffroom.ids import parse_id
from staffroom.runtime import runtime_of
from staffroom.serializers.accounts import serialize_account
from staffroom.serializers.lists import serialize_list
from staffroom.services import lists, tag_follows, timelines


def _ids(params: Params, name: str = "account_ids") -> list[int]:
    found = []
    for raw in params.list(name):
        value = parse_id(raw)
        if value is None:
            raise ValidationFailed(f"{name} must hold account IDs (digits only)", value=raw)
        found.append(value)
    return found


async def index(request: Request) -> Response:
    viewer = await authenticate(request, "read:lists")
    found = await runtime_of(request).db.aread(lists.own_lists, viewer.account_id)
    return JSONResponse([serialize_list(i) for i in found])


async def show(request: Request) -> Response:
    viewer = await authenticate(request, "read:lists")
    found = await runtime_of(request).db.aread(lists.get_list, viewer.account_id, path_id(request))
    return JSONResponse(serialize_list(found))


def _exclusive(params: Params) -> bool | None:
    return params.bool("exclusive") if params.raw("exclusive") not in (None, "") else None


async def create(request: Request) -> Response:
    viewer = await authenticate(request, "write:lists")
    params = await read_params(request)
    rt = runtime_of(request)
    made = await rt.db.awrite(
        lists.create_list,
        rt.timelines,
        viewer.account_id,
        params.str("title") or "",
        lists.replies_policy_code(params.str("replies_policy")),
        bool(_exclusive(params)),
    )
    return JSONResponse(serialize_list(made))


async def change(request: Request) -> Response:
    viewer = await authenticate(request, "write:lists")
    params = await read_params(request)
    list_id = path_id(request)
    rt = runtime_of(request)
    policy = params.str("replies_policy")
    changed = await rt.db.awrite(
        lists.update_list,
        rt.timelines,
        viewer.account_id,
        list_id,
        title=params.str("title"),
        replies_policy=None if not policy else lists.replies_policy_code(policy),
        exclusive=_exclusive(params),
    )
    return JSONResponse(serialize_list(changed))


async def remove(request: Request) -> Response:
    viewer = await authenticate(request, "write:lists")
    rt = runtime_of(request)
    await rt.db.awrite(lists.delete_list, rt.timelines, viewer.account_id, path_id(request))
    return JSONResponse({})


async def members(request: Request) -> Response:
    viewer = await authenticate(request, "read:lists")
    params = await read_params(request)
    page = read_page(params, default=40, maximum=80)
    limit = 0 if params.raw("limit") in ("0", 0) else page.limit  # 0: everyone, as Mastodon
    rt = runtime_of(request)
    rows = await rt.db.aread(
        lists.member_accounts,
        viewer.account_id,
        path_id(request),
        max_id=page.max_id,
        since_id=page.since_id,
        limit=limit,
    )
    more = bool(limit) and len(rows) == limit
    headers = link_header(
        request,
        next_max_id=int(rows[-1].id) if rows and more else None,
        prev_min_id=int(rows[0].id) if rows else None,
    )
    base = rt.settings.base_url
    return JSONResponse([serialize_account(r, base) for r in rows], headers=headers)


async def add_members(request: Request) -> Response:
    viewer = await authenticate(request, "write:lists")
    ids = _ids(await read_params(request))
    rt = runtime_of(request)
    await rt.db.awrite(lists.add_members, rt.timelines, viewer.account_id, path_id(request), ids)
    return JSONResponse({})


async def remove_members(request: Request) -> Response:
    viewer = await authenticate(request, "write:lists")
    ids = _ids(await read_params(request))
    rt = runtime_of(request)
    await rt.db.awrite(lists.remove_members, rt.timelines, viewer.account_id, path_id(request), ids)
    return JSONResponse({})


async def list_tags(request: Request) -> Response:
    viewer = await authenticate(request, "read:lists")
    rt = runtime_of(request)
    names = await rt.db.aread(lists.tag_names, viewer.account_id, path_id(request))
    return JSONResponse([tag_entity(None, n, rt.settings.base_url) for n in names])


async def add_tags(request: Request) -> Response:
    viewer = await authenticate(request, "write:lists")
    names = (await read_params(request)).list("names")
    rt = runtime_of(request)
    await rt.db.awrite(lists.add_tags, rt.timelines, viewer.account_id, path_id(request), names)
    return JSONResponse({})


async def remove_tags(request: Request) -> Response:
    viewer = await authenticate(request, "write:lists")
    names = (await read_params(request)).list("names")
    rt = runtime_of(request)
    await rt.db.awrite(lists.remove_tags, rt.timelines, viewer.account_id, path_id(request), names)
    return JSONResponse({})


async def account_lists(request: Request) -> Response:
    viewer = await authenticate(request, "read:lists")
    found = await runtime_of(request).db.aread(
        lists.lists_with_account, viewer.account_id, path_id(request)
    )
    return JSONResponse([serialize_list(i) for i in found])


async def list_timeline(request: Request) -> Response:
    # As the home timeline: the token is resolved in the same read as the timeline.
    page = _page(await read_params(request))
    list_id = path_id(request)
    rt = runtime_of(request)
    _, result = await read_as_user(
        request,
        "read:lists",
        lambda conn, viewer: timelines.list_timeline(conn, rt, viewer.account_id, list_id, page),
    )
    return _respond(request, result)


async def follow_tag(request: Request) -> Response:
    viewer = await authenticate(request, "write:follows")
    rt = runtime_of(request)
    name = str(request.path_params["name"])
    tag_id = await rt.db.awrite(tag_follows.follow_tag, rt.timelines, viewer.account_id, name)
    return await _tag(request, viewer.account_id, tag_id)


async def unfollow_tag(request: Request) -> Response:
    viewer = await authenticate(request, "write:follows")
    rt = runtime_of(request)
    name = str(request.path_params["name"])
    await rt.db.awrite(tag_follows.unfollow_tag, rt.timelines, viewer.account_id, name)
    return await _tag(request, viewer.account_id, None, name)


async def _tag(request: Request, viewer_id: int, tag_id: int | None, name: str = "") -> Response:
    from staffroom.services.search import tag_with_featuring

    rt = runtime_of(request)
    lookup = name or str(request.path_params["name"])
    row, featured = await rt.db.aread(tag_with_featuring, viewer_id, lookup.lstrip("#"))
    if row is None:
        raise NotFound()
    following = await rt.db.aread(tag_follows.is_following, viewer_id, int(row.id))
    entity = tag_entity(row.id, row.name, rt.settings.base_url, featuring=featured)
    entity["following"] = following
    return JSONResponse(entity)


async def followed(request: Request) -> Response:
    viewer = await authenticate(request, "read:follows")
    page = read_page(await read_params(request), default=100, maximum=200)
    rt = runtime_of(request)
    found = await rt.db.aread(
        tag_follows.followed_tags,
        viewer.account_id,
        max_id=page.max_id,
        since_id=page.since_id,
        min_id=page.min_id,
        limit=page.limit,
    )
    headers = link_header(
        request,
        next_max_id=found[-1].follow_id if len(found) == page.limit else None,
        prev_min_id=found[0].follow_id if found else None,
    )
    base = rt.settings.base_url
    body = []
    for tag in found:
        entity = tag_entity(tag.tag_id, tag.name, base, featuring=False)
        entity["following"] = True
        body.append(entity)
    return JSONResponse(body, headers=headers)


routes: list[BaseRoute] = [
    Route("/api/v1/lists", index, methods=["GET"]),
    Route("/api/v1/lists", create, methods=["POST"]),
    Route("/api/v1/lists/{id}", show, methods=["GET"]),
    Route("/api/v1/lists/{id}", change, methods=["PUT", "PATCH"]),
    Route("/api/v1/lists/{id}", remove, methods=["DELETE"]),
    Route("/api/v1/lists/{id}/accounts", members, methods=["GET"]),
    Route("/api/v1/lists/{id}/accounts", add_members, methods=["POST"]),
    Route("/api/v1/lists/{id}/accounts", remove_members, methods=["DELETE"]),
    Route("/api/v1/lists/{id}/tags", list_tags, methods=["GET"]),
    Route("/api/v1/lists/{id}/tags", add_tags, methods=["POST"]),
    Route("/api/v1/lists/{id}/tags", remove_tags, methods=["DELETE"]),
    Route("/api/v1/accounts/{id}/lists", account_lists, methods=["GET"]),
    Route("/api/v1/timelines/list/{id}", list_timeline, methods=["GET"]),
    Route("/api/v1/tags/{name}/follow", follow_tag, methods=["POST"]),
    Route("/api/v1/tags/{name}/unfollow", unfollow_tag, methods=["POST"]),
    Route("/api/v1/followed_tags", followed, methods=["GET"]),
]
