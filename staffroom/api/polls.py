"""API routes: polls (``/api/v1/polls/:id`` and its votes), as Mastodon has them."""

from __future__ import annotations

from starlette.requests import Request
from starlette.routing import BaseRoute, Route

from staffroom.api.auth import authenticate, optional_viewer
from staffroom.api.params import path_id, read_params
from staffroom.api.responses import JSONResponse
from staffroom.errors import ValidationFailed
from staffroom.messages import N_
from staffroom.runtime import runtime_of
from staffroom.serializers.polls import serialize_poll
from staffroom.services import polls


async def get_poll(request: Request) -> JSONResponse:
    viewer = await optional_viewer(request, "read:statuses")
    rt = runtime_of(request)
    poll = await rt.db.aread(
        polls.get_poll, viewer.account_id if viewer else None, path_id(request)
    )
    return JSONResponse(serialize_poll(poll))


async def vote(request: Request) -> JSONResponse:
    viewer = await authenticate(request, "write:statuses")
    params = await read_params(request)
    choices: list[int] = []
    for raw in params.list("choices"):
        text = raw.strip()
        if not (text.isascii() and text.isdigit() and len(text) < 4):
            raise ValidationFailed(N_("That option is not in this poll"))
        choices.append(int(text))
    rt = runtime_of(request)
    poll = await rt.db.awrite(polls.vote, viewer.account_id, path_id(request), choices)
    return JSONResponse(serialize_poll(poll))


routes: list[BaseRoute] = [
    Route("/api/v1/polls/{id}", get_poll, methods=["GET"]),
    Route("/api/v1/polls/{id}/votes", vote, methods=["POST"]),
]
