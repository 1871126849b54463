"""Follows, blocks and mutes API: acting on accounts, relationships, and the lists.

Mastodon endpoints: ``POST /api/v1/accounts/:id/{follow,unfollow,block,unblock,mute,unmute,
remove_from_followers}`` (each answers the ``Relationship``), ``GET
/api/v1/accounts/relationships``, ``GET /api/v1/accounts/:id/{followers,following}``,
``GET /api/v1/accounts/familiar_followers``, endorsements (``POST
/api/v1/accounts/:id/{endorse,unendorse}`` and the older ``pin``/``unpin``, ``GET
/api/v1/endorsements``, ``GET /api/v1/accounts/:id/endorsements``), ``GET /api/v1/blocks``,
``GET /api/v1/mutes`` (each account with ``mute_expires_at``) and
``GET /api/v1/follow_requests`` (always empty: locked accounts do not hold requests yet).
Lists are paginated by the relation row's ID with a ``Link`` header.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from staffroom.api.auth import authenticate, optional_viewer
from staffroom.api.pagination import link_header, read_page
from staffroom.api.params import Params, read_params
from staffroom.api.responses import JSONResponse
from staffroom.runtime import runtime_of
from staffroom.serializers.accounts import serialize_account, serialize_muted_account
from staffroom.serializers.common import iso
from staffroom.services import blocks, endorsements, follows
from staffroom.services.accounts import parse_account_id, parse_account_ids
from staffroom.services.follows import RelationPage
from staffroom.services.relationships import Relationship, relationship, relationships


def relationship_entity(rel: Relationship) -> dict[str, Any]:
    """Mastodon's ``Relationship``."""
    return {
        "id": str(rel.account_id),
        "following": rel.following,
        "showing_reblogs": rel.showing_reblogs,
        "notifying": rel.notifying,
        "languages": None,
        "followed_by": rel.followed_by,
        "blocking": rel.blocking,
        "blocked_by": rel.blocked_by,
        "muting": rel.muting,
        "muting_notifications": rel.muting_notifications,
        "muting_expires_at": iso(rel.muting_expires_at),
        "requested": False,
        "requested_by": False,
        "domain_blocking": False,
        "endorsed": rel.endorsed,
        "note": "",
    }


def _optional_bool(params: Params, name: str) -> bool | None:
    return params.bool(name) if params.raw(name) is not None else None


async def _act(request: Request, scope: str, action: Callable[..., None]) -> Response:
    """Authorise, run ``action(conn, viewer_id, target_id, params)`` in one transaction and
    answer the resulting relationship."""
    viewer = await authenticate(request, scope)
    target = parse_account_id(request.path_params["id"])
    params = await read_params(request)

    def run(conn: Any) -> Relationship:
        action(conn, viewer.account_id, target, params)
        return relationship(conn, viewer.account_id, target)

    rel = await runtime_of(request).db.awrite(run)
    return JSONResponse(relationship_entity(rel))


async def follow(request: Request) -> Response:
    timelines = runtime_of(request).timelines

    def action(conn: Any, viewer_id: int, target_id: int, params: Params) -> None:
        follows.follow(
            conn,
            timelines,
            viewer_id,
            target_id,
            reblogs=_optional_bool(params, "reblogs"),
            notify_posts=_optional_bool(params, "notify"),
        )

    return await _act(request, "write:follows", action)


async def unfollow(request: Request) -> Response:
    timelines = runtime_of(request).timelines

    def action(conn: Any, viewer_id: int, target_id: int, _: Params) -> None:
        follows.unfollow(conn, timelines, viewer_id, target_id)

    return await _act(request, "write:follows", action)


async def remove_from_followers(request: Request) -> Response:
    timelines = runtime_of(request).timelines

    def action(conn: Any, viewer_id: int, target_id: int, _: Params) -> None:
        follows.remove_from_followers(conn, timelines, viewer_id, target_id)

    return await _act(request, "write:follows", action)


async def block(request: Request) -> Response:
    timelines = runtime_of(request).timelines

    def action(conn: Any, viewer_id: int, target_id: int, _: Params) -> None:
        blocks.block(conn, timelines, viewer_id, target_id)

    return await _act(request, "write:blocks", action)


async def unblock(request: Request) -> Response:
    def action(conn: Any, viewer_id: int, target_id: int, _: Params) -> None:
        blocks.unblock(conn, viewer_id, target_id)

    return await _act(request, "write:blocks", action)


async def mute(request: Request) -> Response:
    timelines = runtime_of(request).timelines

    def action(conn: Any, viewer_id: int, target_id: int, params: Params) -> None:
        blocks.mute(
            conn,
            timelines,
            viewer_id,
            target_id,
            notifications=params.bool("notifications", True),
            duration_seconds=params.int("duration", 0) or 0,
        )

    return await _act(request, "write:mutes", action)


async def unmute(request: Request) -> Response:
    def action(conn: Any, viewer_id: int, target_id: int, _: Params) -> None:
        blocks.unmute(conn, viewer_id, target_id)

    return await _act(request, "write:mutes", action)


async def list_relationships(request: Request) -> Response:
    viewer = await authenticate(request, "read:follows")
    ids = parse_account_ids((await read_params(request)).list("id"))
    found = await runtime_of(request).db.aread(relationships, viewer.account_id, ids)
    return JSONResponse([relationship_entity(rel) for rel in found])


def _page_response(
    request: Request, page: RelationPage, serializer: Callable[..., Any] = serialize_account
) -> Response:
    base = runtime_of(request).settings.base_url
    headers = link_header(
        request,
        next_max_id=page.oldest if page.has_more else None,
        prev_min_id=page.newest,
    )
    return JSONResponse([serializer(row, base) for row in page.accounts], headers=headers)


async def _account_list(request: Request, lister: Callable[..., RelationPage]) -> Response:
    viewer = await optional_viewer(request, "read:accounts")
    account_id = parse_account_id(request.path_params["id"])
    page = read_page(await read_params(request), default=40, maximum=80)
    result = await runtime_of(request).db.aread(
        lister,
        account_id,
        viewer.account_id if viewer else None,
        max_id=page.max_id,
        since_id=page.since_id,
        min_id=page.min_id,
        limit=page.limit,
    )
    return _page_response(request, result)


async def followers(request: Request) -> Response:
    return await _account_list(request, follows.followers_page)


async def following(request: Request) -> Response:
    return await _account_list(request, follows.following_page)


async def _own_list(
    request: Request,
    scope: str,
    lister: Callable[..., RelationPage],
    serializer: Callable[..., Any] = serialize_account,
) -> Response:
    viewer = await authenticate(request, scope)
    page = read_page(await read_params(request), default=40, maximum=80)
    result = await runtime_of(request).db.aread(
        lister,
        viewer.account_id,
        max_id=page.max_id,
        since_id=page.since_id,
        min_id=page.min_id,
        limit=page.limit,
    )
    return _page_response(request, result, serializer)


async def list_blocks(request: Request) -> Response:
    return await _own_list(request, "read:blocks", blocks.blocks_page)


async def list_mutes(request: Request) -> Response:
    return await _own_list(request, "read:mutes", blocks.mutes_page, serialize_muted_account)


async def endorse(request: Request) -> Response:
    def action(conn: Any, viewer_id: int, target_id: int, _: Params) -> None:
        endorsements.endorse(conn, viewer_id, target_id)

    return await _act(request, "write:accounts", action)


async def unendorse(request: Request) -> Response:
    def action(conn: Any, viewer_id: int, target_id: int, _: Params) -> None:
        endorsements.unendorse(conn, viewer_id, target_id)

    return await _act(request, "write:accounts", action)


async def own_endorsements(request: Request) -> Response:
    return await _own_list(request, "read:accounts", endorsements.endorsements_page)


async def account_endorsements(request: Request) -> Response:
    return await _account_list(request, endorsements.endorsements_page)


async def familiar_followers(request: Request) -> Response:
    """For each ``id[]``: the accounts you follow that follow it, as Mastodon's
    ``[{id, accounts}]`` (unknown accounts left out)."""
    viewer = await authenticate(request, "read:follows")
    ids = parse_account_ids((await read_params(request)).list("id"))
    found = await runtime_of(request).db.aread(follows.familiar_followers, viewer.account_id, ids)
    base = runtime_of(request).settings.base_url
    return JSONResponse(
        [
            {"id": str(account_id), "accounts": [serialize_account(row, base) for row in rows]}
            for account_id, rows in found
        ]
    )


async def follow_requests(request: Request) -> Response:
    await authenticate(request, "read:follows")
    return JSONResponse([])


routes: list[BaseRoute] = [
    Route("/api/v1/accounts/relationships", list_relationships, methods=["GET"]),
    Route("/api/v1/accounts/familiar_followers", familiar_followers, methods=["GET"]),
    Route("/api/v1/accounts/{id:int}/follow", follow, methods=["POST"]),
    Route("/api/v1/accounts/{id:int}/unfollow", unfollow, methods=["POST"]),
    Route(
        "/api/v1/accounts/{id:int}/remove_from_followers", remove_from_followers, methods=["POST"]
    ),
    Route("/api/v1/accounts/{id:int}/block", block, methods=["POST"]),
    Route("/api/v1/accounts/{id:int}/unblock", unblock, methods=["POST"]),
    Route("/api/v1/accounts/{id:int}/mute", mute, methods=["POST"]),
    Route("/api/v1/accounts/{id:int}/unmute", unmute, methods=["POST"]),
    Route("/api/v1/accounts/{id:int}/followers", followers, methods=["GET"]),
    Route("/api/v1/accounts/{id:int}/following", following, methods=["GET"]),
    Route("/api/v1/accounts/{id:int}/endorse", endorse, methods=["POST"]),
    Route("/api/v1/accounts/{id:int}/unendorse", unendorse, methods=["POST"]),
    Route("/api/v1/accounts/{id:int}/pin", endorse, methods=["POST"]),  # before 4.4
    Route("/api/v1/accounts/{id:int}/unpin", unendorse, methods=["POST"]),
    Route("/api/v1/accounts/{id:int}/endorsements", account_endorsements, methods=["GET"]),
    Route("/api/v1/endorsements", own_endorsements, methods=["GET"]),
    Route("/api/v1/blocks", list_blocks, methods=["GET"]),
    Route("/api/v1/mutes", list_mutes, methods=["GET"]),
    Route("/api/v1/follow_requests", follow_requests, methods=["GET"]),
]
