"""Media attachments API (``/api/v1/media``, ``/api/v2/media``, ``/api/v1/media/{id}``).

As Mastodon: v1 answers 200 with the processed attachment; v2 answers 202 with ``url: null``
while the ``process_media`` job works, and ``GET /api/v1/media/{id}`` 206 until it is done,
then 200. Every endpoint needs ``write:media`` and works on one's own attachments before a
post takes them (404 otherwise); deleting an attached one is a 422.
"""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from staffroom.api.auth import authenticate
from staffroom.api.params import Params, path_id, read_params
from staffroom.api.responses import JSONResponse
from staffroom.errors import ValidationFailed
from staffroom.runtime import runtime_of
from staffroom.serializers.media import serialize_media
from staffroom.services import media, media_removal
from staffroom.services.media_views import MediaView

SCOPE = "write:media"


def _answer(request: Request, view: MediaView, *, created: bool = False) -> Response:
    status = 200 if view.ready else 202 if created else 206
    return JSONResponse(serialize_media(view, runtime_of(request).settings.base_url), status)


async def _upload(params: Params, request: Request) -> media.Upload:
    upload = params.file("file")
    if upload is None:
        raise ValidationFailed(
            "File can't be blank",
            details={"file": [{"error": "ERR_BLANK", "description": "can't be blank"}]},
        )
    limit = runtime_of(request).settings.max_image_bytes
    data = await upload.read(limit + 1)
    return media.Upload(
        data=data,
        content_type=upload.content_type,
        filename=upload.filename,
        description=params.str("description") or "",
        focus=media.parse_focus(params.str("focus")) or (0.0, 0.0),
    )


async def _create(request: Request, *, wait: bool) -> Response:
    viewer = await authenticate(request, SCOPE)
    params = await read_params(request)
    rt = runtime_of(request)
    upload = await _upload(params, request)
    view = await run_in_threadpool(media.upload_media, rt, viewer.account_id, upload, wait=wait)
    return _answer(request, view, created=True)


async def create_v1(request: Request) -> Response:
    return await _create(request, wait=True)


async def create_v2(request: Request) -> Response:
    return await _create(request, wait=False)


async def show(request: Request) -> Response:
    viewer = await authenticate(request, SCOPE)
    rt = runtime_of(request)
    view = await rt.db.aread(media.get_media, viewer.account_id, path_id(request))
    return _answer(request, view)


async def update(request: Request) -> Response:
    viewer = await authenticate(request, SCOPE)
    params = await read_params(request)
    rt = runtime_of(request)
    view = await rt.db.awrite(
        media.update_media,
        viewer.account_id,
        path_id(request),
        description=params.str("description"),
        focus=media.parse_focus(params.str("focus")),
    )
    return _answer(request, view)


async def remove(request: Request) -> Response:
    viewer = await authenticate(request, SCOPE)
    rt = runtime_of(request)
    media_id = path_id(request)
    keys = await rt.db.awrite(media.delete_media, viewer.account_id, media_id)
    await run_in_threadpool(media_removal.remove_files, rt, media_id, keys)
    return JSONResponse({})


routes: list[BaseRoute] = [
    Route("/api/v1/media", create_v1, methods=["POST"]),
    Route("/api/v2/media", create_v2, methods=["POST"]),
    Route("/api/v1/media/{id}", show, methods=["GET"]),
    Route("/api/v1/media/{id}", update, methods=["PUT"]),
    Route("/api/v1/media/{id}", remove, methods=["DELETE"]),
]
