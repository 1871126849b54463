"""API routes: read markers (``/api/v1/markers``), as Mastodon has them.

``GET ?timeline[]=home&timeline[]=notifications`` answers the markers that exist for the
named timelines (no name: ``{}``); ``POST`` with ``home[last_read_id]`` and/or
``notifications[last_read_id]`` (form or JSON) saves them and answers the same hash; other
timeline names are ignored, as Mastodon ignores them; 409 when another request changed a
marker meanwhile (``services.markers``)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.routing import BaseRoute, Route

from staffroom.api.auth import authenticate
from staffroom.api.params import read_params
from staffroom.api.responses import JSONResponse
from staffroom.errors import ValidationFailed
from staffroom.ids import parse_id
from staffroom.runtime import runtime_of
from staffroom.serializers.markers import serialize_markers
from staffroom.services import markers


async def get_markers(request: Request) -> JSONResponse:
    viewer = await authenticate(request, "read:statuses")
    wanted = (await read_params(request)).list("timeline")
    rt = runtime_of(request)
    found = await rt.db.aread(markers.get_markers, viewer.account_id, wanted)
    return JSONResponse(serialize_markers(found))


async def save_markers(request: Request) -> JSONResponse:
    viewer = await authenticate(request, "write:statuses")
    params = await read_params(request)
    positions: dict[str, int] = {}
    for timeline in markers.TIMELINES:
        if timeline not in params:
            continue
        given = params.dict(timeline).get("last_read_id")
        if given is None or given == "":
            raise ValidationFailed(f"{timeline}[last_read_id] is missing")
        last_read_id = parse_id(given)
        if last_read_id is None:
            raise ValidationFailed(
                f"{timeline}[last_read_id] must be the ID of a post or notification"
                " (digits only)"
            )
        positions[timeline] = last_read_id
    rt = runtime_of(request)
    saved = await rt.db.awrite(markers.save_markers, viewer.account_id, positions)
    markers.stream_changes(rt, viewer.account_id, saved.changed)
    return JSONResponse(serialize_markers(saved.markers))


routes: list[BaseRoute] = [
    Route("/api/v1/markers", get_markers, methods=["GET"]),
    Route("/api/v1/markers", save_markers, methods=["POST"]),
]
