"""API routes: starter packs as Mastodon 4.6's collections.

``/api/v1/collections`` (create: ``{"collection": ...}``), ``/api/v1/collections/:id``
(``CollectionWithAccounts``; ``PATCH`` and ``DELETE`` for the owner, 403 for others),
``/api/v1/collections/:id/items`` (add one account: ``{"collection_item": ...}``; Staffroom
also takes a ``reason``), ``/items/:id`` (the owner removes), ``/items/:id/revoke`` (the
person removes themselves), ``/api/v1/accounts/:id/collections`` and ``/in_collections``
(``{"collections": [...]}``, offset paging). Reading works without a token, as Mastodon.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from staffroom.api.auth import authenticate, optional_viewer
from staffroom.api.params import Params, path_id, read_params
from staffroom.api.responses import JSONResponse
from staffroom.api.trends import _links
from staffroom.errors import ValidationFailed
from staffroom.ids import parse_id
from staffroom.messages import N_
from staffroom.runtime import runtime_of
from staffroom.serializers.collections import (
    serialize_collection,
    serialize_item,
    serialize_with_accounts,
)
from staffroom.services import collections
from staffroom.services.accounts import get_account, get_accounts


def _flag(params: Params, name: str) -> bool | None:
    return params.bool(name) if params.raw(name) not in (None, "") else None


def _account_ids(params: Params) -> list[int]:
    found = []
    for raw in params.list("account_ids"):
        value = parse_id(raw)
        if value is None:
            raise ValidationFailed(N_("account_ids must hold account IDs"), value=raw)
        found.append(value)
    return found


def _window(params: Params) -> tuple[int, int]:
    limit = params.int("limit", 40) or 40
    return max(1, min(limit, 80)), max(0, params.int("offset", 0) or 0)


async def create(request: Request) -> Response:
    viewer = await authenticate(request, "write:collections")
    params = await read_params(request)
    rt = runtime_of(request)
    pack = await rt.db.awrite(
        collections.create_pack,
        viewer.account_id,
        name=params.str("name"),
        description=params.str("description") or "",
        language=params.str("language"),
        sensitive=bool(_flag(params, "sensitive")),
        discoverable=_flag(params, "discoverable") is not False,
        tag_name=params.str("tag_name"),
        account_ids=_account_ids(params),
    )
    return JSONResponse({"collection": serialize_collection(pack, rt.settings.base_url)})


def _with_accounts(conn: Connection, viewer_id: int | None, pack_id: int) -> tuple[Any, Any]:
    pack = collections.get_pack(conn, viewer_id, pack_id)
    people = get_accounts(conn, [pack.account_id, *(i.account_id for i in pack.items)])
    return pack, people


async def show(request: Request) -> Response:
    viewer = await optional_viewer(request, "read:collections")
    rt = runtime_of(request)
    pack, people = await rt.db.aread(
        _with_accounts, viewer.account_id if viewer else None, path_id(request)
    )
    return JSONResponse(serialize_with_accounts(pack, people, rt.settings.base_url))


async def change(request: Request) -> Response:
    viewer = await authenticate(request, "write:collections")
    params = await read_params(request)
    rt = runtime_of(request)
    pack = await rt.db.awrite(
        collections.update_pack,
        viewer.account_id,
        path_id(request),
        name=params.str("name"),
        description=params.str("description"),
        language=params.str("language"),
        sensitive=_flag(params, "sensitive"),
        discoverable=_flag(params, "discoverable"),
        tag_name=params.str("tag_name"),
    )
    return JSONResponse({"collection": serialize_collection(pack, rt.settings.base_url)})


async def remove(request: Request) -> Response:
    viewer = await authenticate(request, "write:collections")
    rt = runtime_of(request)
    await rt.db.awrite(collections.delete_pack, viewer.account_id, path_id(request))
    return JSONResponse({})


async def add_item(request: Request) -> Response:
    viewer = await authenticate(request, "write:collections")
    params = await read_params(request)
    raw = params.str("account_id")
    if not raw:
        raise ValidationFailed(N_("`account_id` parameter is missing"))
    account_id = parse_id(raw)
    if account_id is None:
        raise ValidationFailed(N_("No such account"), value=raw)
    rt = runtime_of(request)
    item = await rt.db.awrite(
        collections.add_item,
        viewer.account_id,
        path_id(request, "collection_id"),
        account_id,
        params.str("reason"),
    )
    return JSONResponse({"collection_item": serialize_item(item)})


async def remove_item(request: Request) -> Response:
    viewer = await authenticate(request, "write:collections")
    rt = runtime_of(request)
    await rt.db.awrite(
        collections.remove_item,
        viewer.account_id,
        path_id(request, "collection_id"),
        path_id(request),
    )
    return JSONResponse({})


async def revoke(request: Request) -> Response:
    viewer = await authenticate(request, "write:collections")
    rt = runtime_of(request)
    await rt.db.awrite(
        collections.revoke, viewer.account_id, path_id(request, "collection_id"), path_id(request)
    )
    return JSONResponse({})


def _listing(
    conn: Connection, viewer_id: int | None, account_id: int, kind: str, limit: int, offset: int
) -> list[collections.Pack]:
    get_account(conn, account_id)
    reader = collections.account_packs if kind == "own" else collections.packs_with
    return reader(conn, viewer_id, account_id, offset=offset, limit=limit)


async def _collections_of(request: Request, kind: str) -> Response:
    viewer = await optional_viewer(request, "read:collections")
    limit, offset = _window(await read_params(request))
    rt = runtime_of(request)
    found = await rt.db.aread(
        _listing, viewer.account_id if viewer else None, path_id(request), kind, limit, offset
    )
    body = {"collections": [serialize_collection(p, rt.settings.base_url) for p in found]}
    return JSONResponse(body, headers=_links(request, limit, offset, len(found)))


async def account_collections(request: Request) -> Response:
    return await _collections_of(request, "own")


async def in_collections(request: Request) -> Response:
    return await _collections_of(request, "in")


routes: list[BaseRoute] = [
    Route("/api/v1/collections", create, methods=["POST"]),
    Route("/api/v1/collections/{id}", show, methods=["GET"]),
    Route("/api/v1/collections/{id}", change, methods=["PATCH"]),
    Route("/api/v1/collections/{id}", remove, methods=["DELETE"]),
    Route("/api/v1/collections/{collection_id}/items", add_item, methods=["POST"]),
    Route("/api/v1/collections/{collection_id}/items/{id}", remove_item, methods=["DELETE"]),
    Route("/api/v1/collections/{collection_id}/items/{id}/revoke", revoke, methods=["POST"]),
    Route("/api/v1/accounts/{id}/collections", account_collections, methods=["GET"]),
    Route("/api/v1/accounts/{id}/in_collections", in_collections, methods=["GET"]),
]
