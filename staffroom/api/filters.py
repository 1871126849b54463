"""API routes: filters, as Mastodon 4.5 has them.

v2: ``/api/v2/filters`` (GET, POST), ``/api/v2/filters/{id}`` (GET, PUT with
``keywords_attributes[]`` holding ``id`` and ``_destroy``, DELETE),
``/api/v2/filters/{filter_id}/keywords`` and ``/statuses`` (GET, POST),
``/api/v2/filters/keywords/{id}`` (GET, PUT, DELETE) and ``/api/v2/filters/statuses/{id}``
(GET, DELETE). v1: ``/api/v1/filters`` (GET, POST) and ``/api/v1/filters/{id}`` (GET, PUT,
DELETE), one v1 filter per keyword (``services.filters``). Scopes ``read:filters`` and
``write:filters``; every change sends ``filters_changed`` on the person's user stream.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from staffroom.api.auth import authenticate
from staffroom.api.params import Params, path_id, read_params
from staffroom.api.responses import JSONResponse
from staffroom.errors import ValidationFailed
from staffroom.ids import parse_id
from staffroom.runtime import runtime_of
from staffroom.serializers.filters import (
    serialize_filter,
    serialize_filtered_post,
    serialize_keyword,
    serialize_v1_filter,
)
from staffroom.services import filters, filters_v1
from staffroom.services.filters import FilterChanges, KeywordChange

READ, WRITE = "read:filters", "write:filters"


def _expires_in(params: Params) -> Any:
    if "expires_in" not in params:
        return filters._UNSET
    raw = params.raw("expires_in")
    if raw is None or raw == "":
        return None
    seconds = params.int("expires_in")
    if seconds is None or seconds <= 0:
        raise ValidationFailed("expires_in must be a positive number of seconds")
    return seconds


def _keyword_changes(params: Params) -> list[KeywordChange]:
    raw = params.raw("keywords_attributes")
    entries = list(raw.values()) if isinstance(raw, dict) else raw if isinstance(raw, list) else []
    changes = []
    for entry in entries:
        if not isinstance(entry, dict):
            continue
        item = Params(entry)
        given_id = item.raw("id")
        keyword_id = None
        if given_id not in (None, ""):
            keyword_id = parse_id(str(given_id))
            if keyword_id is None:
                raise ValidationFailed("keywords_attributes id must be the ID of a keyword")
        changes.append(
            KeywordChange(
                id=keyword_id,
                keyword=item.str("keyword"),
                whole_word=item.bool("whole_word") if "whole_word" in item else None,
                destroy=item.bool("_destroy"),
            )
        )
    return changes


def _changes(params: Params) -> FilterChanges:
    changes = FilterChanges(expires_in=_expires_in(params))
    if "title" in params:
        changes.title = params.str("title") or ""
    if "context" in params:
        changes.context = params.list("context")
    if "filter_action" in params:
        changes.action = params.str("filter_action")
    changes.keywords = _keyword_changes(params)
    return changes


def _v1_changes(params: Params) -> FilterChanges:
    changes = FilterChanges(expires_in=_expires_in(params))
    if "context" in params:
        changes.context = params.list("context")
    if "irreversible" in params:
        changes.action = "hide" if params.bool("irreversible") else "warn"
    return changes


async def _write(request: Request, fn: Any, *args: Any) -> Any:
    viewer = await authenticate(request, WRITE)
    rt = runtime_of(request)
    result = await rt.db.awrite(fn, viewer.account_id, *args)
    filters.stream_changed(rt, viewer.account_id)
    return result


async def _read(request: Request, fn: Any, *args: Any) -> Any:
    viewer = await authenticate(request, READ)
    return await runtime_of(request).db.aread(fn, viewer.account_id, *args)


# v2 ---------------------------------------------------------------------------------------


async def list_filters(request: Request) -> Response:
    return JSONResponse([serialize_filter(f) for f in await _read(request, filters.list_filters)])


async def show_filter(request: Request) -> Response:
    return JSONResponse(
        serialize_filter(await _read(request, filters.get_filter, path_id(request)))
    )


async def create_filter(request: Request) -> Response:
    await authenticate(request, WRITE)
    params = await read_params(request)
    made = await _write(request, filters.create_filter, _changes(params))
    return JSONResponse(serialize_filter(made))


async def update_filter(request: Request) -> Response:
    await authenticate(request, WRITE)
    filter_id = path_id(request)
    params = await read_params(request)
    changed = await _write(request, filters.update_filter, filter_id, _changes(params))
    return JSONResponse(serialize_filter(changed))


async def delete_filter(request: Request) -> Response:
    await _write(request, filters.delete_filter, path_id(request))
    return JSONResponse({})


async def list_keywords(request: Request) -> Response:
    found = await _read(request, filters.get_filter, path_id(request, "filter_id"))
    return JSONResponse([serialize_keyword(k) for k in found.keywords])


async def add_keyword(request: Request) -> Response:
    await authenticate(request, WRITE)
    filter_id = path_id(request, "filter_id")
    params = await read_params(request)
    made = await _write(
        request,
        filters.add_keyword,
        filter_id,
        params.str("keyword"),
        params.bool("whole_word", True),
    )
    return JSONResponse(serialize_keyword(made))


async def show_keyword(request: Request) -> Response:
    return JSONResponse(
        serialize_keyword(await _read(request, filters.get_keyword, path_id(request)))
    )


async def update_keyword(request: Request) -> Response:
    await authenticate(request, WRITE)
    keyword_id = path_id(request)
    params = await read_params(request)
    whole_word = params.bool("whole_word") if "whole_word" in params else None
    changed = await _write(
        request, filters.update_keyword, keyword_id, params.str("keyword"), whole_word
    )
    return JSONResponse(serialize_keyword(changed))


async def delete_keyword(request: Request) -> Response:
    await _write(request, filters.delete_keyword, path_id(request))
    return JSONResponse({})


async def list_posts(request: Request) -> Response:
    found = await _read(request, filters.get_filter, path_id(request, "filter_id"))
    return JSONResponse([serialize_filtered_post(s) for s in found.statuses])


async def add_post(request: Request) -> Response:
    await authenticate(request, WRITE)
    filter_id = path_id(request, "filter_id")
    params = await read_params(request)
    status_id = parse_id(params.str("status_id"))
    made = await _write(request, filters.add_post, filter_id, status_id)
    return JSONResponse(serialize_filtered_post(made))


async def show_post(request: Request) -> Response:
    found = await _read(request, filters.get_filtered_post, path_id(request))
    return JSONResponse(serialize_filtered_post(found))


async def delete_post(request: Request) -> Response:
    await _write(request, filters.delete_post, path_id(request))
    return JSONResponse({})


# v1 ---------------------------------------------------------------------------------------


async def list_v1(request: Request) -> Response:
    return JSONResponse([serialize_v1_filter(f) for f in await _read(request, filters_v1.list_v1)])


async def show_v1(request: Request) -> Response:
    return JSONResponse(
        serialize_v1_filter(await _read(request, filters_v1.get_v1, path_id(request)))
    )


async def create_v1(request: Request) -> Response:
    await authenticate(request, WRITE)
    params = await read_params(request)
    made = await _write(
        request,
        filters_v1.create_v1,
        _v1_changes(params),
        params.str("phrase"),
        params.bool("whole_word", True),
    )
    return JSONResponse(serialize_v1_filter(made))


async def update_v1(request: Request) -> Response:
    await authenticate(request, WRITE)
    keyword_id = path_id(request)
    params = await read_params(request)
    whole_word = params.bool("whole_word") if "whole_word" in params else None
    changed = await _write(
        request,
        filters_v1.update_v1,
        keyword_id,
        _v1_changes(params),
        params.str("phrase"),
        whole_word,
    )
    return JSONResponse(serialize_v1_filter(changed))


async def delete_v1(request: Request) -> Response:
    await _write(request, filters_v1.delete_v1, path_id(request))
    return JSONResponse({})


def _route(path: str, endpoint: Any, method: str) -> Route:
    return Route(path, endpoint, methods=[method])


routes: list[BaseRoute] = [
    _route("/api/v2/filters", list_filters, "GET"),
    _route("/api/v2/filters", create_filter, "POST"),
    _route("/api/v2/filters/keywords/{id}", show_keyword, "GET"),
    _route("/api/v2/filters/keywords/{id}", update_keyword, "PUT"),
    _route("/api/v2/filters/keywords/{id}", delete_keyword, "DELETE"),
    _route("/api/v2/filters/statuses/{id}", show_post, "GET"),
    _route("/api/v2/filters/statuses/{id}", delete_post, "DELETE"),
    _route("/api/v2/filters/{filter_id}/keywords", list_keywords, "GET"),
    _route("/api/v2/filters/{filter_id}/keywords", add_keyword, "POST"),
    _route("/api/v2/filters/{filter_id}/statuses", list_posts, "GET"),
    _route("/api/v2/filters/{filter_id}/statuses", add_post, "POST"),
    _route("/api/v2/filters/{id}", show_filter, "GET"),
    _route("/api/v2/filters/{id}", update_filter, "PUT"),
    _route("/api/v2/filters/{id}", delete_filter, "DELETE"),
    _route("/api/v1/filters", list_v1, "GET"),
    _route("/api/v1/filters", create_v1, "POST"),
    _route("/api/v1/filters/{id}", show_v1, "GET"),
    _route("/api/v1/filters/{id}", update_v1, "PUT"),
    _route("/api/v1/filters/{id}", delete_v1, "DELETE"),
]
