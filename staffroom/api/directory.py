"""The profile directory: ``GET /api/v1/directory`` as Mastodon has it, plus Staffroom's filters,
and ``GET /api/v1/staffroom/directory_fields`` (the fields this instance defines).

Mastodon's parameters: ``offset``, ``limit`` (default 40, at most 80), ``order`` (``active``:
last post first, the default; ``new``: most recently listed first), ``local`` (every
Staffroom account is local, so it changes nothing). Staffroom's: one query parameter per
directory field, repeatable (``subject=maths&subject=science`` or ``subject[]=...``):
values of one field are alternatives, several fields must all match. Anyone may call it (as
Mastodon); with a token, people who block the caller, or whom the caller blocks or mutes, are
left out. Unknown values, orders and negative offsets are 422.

The fields are not in ``/api/v2/instance``: Mastodon's Instance entity has no place for them,
and a field set with every country and its labels would weigh down a document clients fetch
on every start.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from staffroom.api.auth import optional_viewer
from staffroom.api.params import read_params
from staffroom.api.responses import JSONResponse
from staffroom.runtime import runtime_of
from staffroom.serializers.accounts import serialize_account
from staffroom.services import directory
from staffroom.services.directory_fields import instance_fields


async def index(request: Request) -> Response:
    viewer = await optional_viewer(request, "read:accounts")
    params = await read_params(request)
    rt = runtime_of(request)
    fields = instance_fields(rt.settings.directory_fields_file)
    query_params = request.query_params
    chosen = {
        f.name: [*query_params.getlist(f.name), *query_params.getlist(f"{f.name}[]")]
        for f in fields
    }
    params.bool("local")  # accepted and checked, as Mastodon; every account here is local
    query = directory.read_query(
        fields,
        chosen,
        order=params.str("order"),
        offset=params.int("offset"),
        limit=params.int("limit"),
    )
    viewer_id = viewer.account_id if viewer else None
    rows = await rt.db.aread(directory.browse, viewer_id, query)
    base = rt.settings.base_url
    return JSONResponse([serialize_account(row, base) for row in rows])


def field_entity(field: Any) -> dict[str, Any]:
    """One directory field as ``/api/v1/staffroom/directory_fields`` lists it."""
    return {
        "name": field.name,
        "label": field.label,
        "max_values": field.max_values,
        "choices": [{"value": v, "label": label} for v, label in field.labelled("en")],
    }


async def fields_index(request: Request) -> Response:
    fields = instance_fields(runtime_of(request).settings.directory_fields_file)
    return JSONResponse([field_entity(f) for f in fields])


routes: list[BaseRoute] = [
    Route("/api/v1/directory", index, methods=["GET"]),
    Route("/api/v1/staffroom/directory_fields", fields_index, methods=["GET"]),
]
