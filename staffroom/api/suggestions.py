"""API routes: follow suggestions, as Mastodon's.

``GET /api/v2/suggestions`` answers ``Suggestion`` entities (the deprecated ``source`` and
``sources``), ``GET /api/v1/suggestions`` the accounts alone; both take ``limit`` (default
40, at most 80) and ``offset``. ``DELETE /api/v1/suggestions/:account_id`` dismisses one for
good. Scopes as Mastodon: ``read:accounts`` to read, ``write:accounts`` to dismiss.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from staffroom.api.auth import authenticate
from staffroom.api.params import Params, path_id, read_params
from staffroom.api.responses import JSONResponse
from staffroom.runtime import runtime_of
from staffroom.serializers.accounts import serialize_account
from staffroom.serializers.suggestions import serialize_suggestion
from staffroom.services import suggestions
from staffroom.services.suggestions import MAX_LIMIT, Suggestion

DEFAULT_LIMIT = 40


def _window(params: Params) -> tuple[int, int]:
    """Mastodon's ``limit_param``: absolute value, at most 80; ``offset`` from 0."""
    limit = min(abs(params.int("limit", DEFAULT_LIMIT) or 0), MAX_LIMIT)
    if params.raw("limit") in (None, ""):
        limit = DEFAULT_LIMIT
    return limit, min(max(0, params.int("offset", 0) or 0), 10 * MAX_LIMIT)


async def _found(request: Request) -> list[Suggestion]:
    viewer = await authenticate(request, "read:accounts")
    limit, offset = _window(await read_params(request))
    return await runtime_of(request).db.aread(
        suggestions.suggestions, viewer.account_id, limit, offset=offset
    )


async def index_v1(request: Request) -> Response:
    found = await _found(request)
    base = runtime_of(request).settings.base_url
    return JSONResponse([serialize_account(s.account, base) for s in found])


async def index_v2(request: Request) -> Response:
    found = await _found(request)
    base = runtime_of(request).settings.base_url
    return JSONResponse([serialize_suggestion(s, base) for s in found])


async def remove(request: Request) -> Response:
    viewer = await authenticate(request, "write:accounts")
    target = path_id(request, "account_id")
    await runtime_of(request).db.awrite(suggestions.dismiss, viewer.account_id, target)
    return JSONResponse({})


routes: list[BaseRoute] = [
    Route("/api/v1/suggestions", index_v1, methods=["GET"]),
    Route("/api/v2/suggestions", index_v2, methods=["GET"]),
    Route("/api/v1/suggestions/{account_id}", remove, methods=["DELETE"]),
]
