"""Web pages: the home page, static files, default images, plus the auth and OAuth pages."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import FileResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from staffroom.runtime import runtime_of
from staffroom.web import (
    assets,
    auth_pages,
    authorize,
    browse_pages,
    conversation_pages,
    deck_pages,
    directory_pages,
    edit_pages,
    event_pages,
    event_topic_pages,
    explore_pages,
    filter_post_pages,
    first_run_pages,
    help_pages,
    list_pages,
    network_pages,
    notification_pages,
    notification_settings,
    pack_pages,
    poll_pages,
    profile_pages,
    qa_pages,
    quote_pages,
    room_pages,
    scheduled_pages,
    settings_pages,
    suggestion_pages,
    tag_follow_pages,
    timeline_pages,
    transcript_pages,
    wall_pages,
)
from staffroom.web.render import STATIC_DIR, render

_IMAGE_CACHE = {"Cache-Control": "public, max-age=86400"}


async def home(request: Request) -> Response:
    """``/``: the home timeline for the signed-in, the instance's pitch for everyone else."""
    settings = runtime_of(request).settings
    signed_in = await timeline_pages.signed_in_home(request)
    if signed_in is not None:
        return signed_in
    return render(
        request,
        "home.html",
        viewer=None,
        registrations_open=settings.registrations_open,
        max_status_chars=settings.max_status_chars,
    )


async def missing_avatar(request: Request) -> Response:
    return FileResponse(STATIC_DIR / "missing-avatar.png", headers=_IMAGE_CACHE)


async def missing_header(request: Request) -> Response:
    return FileResponse(STATIC_DIR / "missing-header.png", headers=_IMAGE_CACHE)


async def favicon(request: Request) -> Response:
    return FileResponse(
        STATIC_DIR / "favicon.svg", media_type="image/svg+xml", headers=_IMAGE_CACHE
    )


routes: list[BaseRoute] = [
    Route("/", home, methods=["GET"]),
    *auth_pages.routes,
    *authorize.routes,
    *network_pages.routes,  # before /@{username}/{id}, as profile_pages
    *transcript_pages.routes,  # before any /events/{id}/{...} of the event pages
    *event_pages.routes,
    *pack_pages.routes,  # before /@{username}/{id}: /@{username}/packs is not a post
    *profile_pages.routes,  # before /@{username}/{id}: /@{username}/following is not a post
    *edit_pages.routes,  # before /web/statuses/{id}/{action}
    *quote_pages.routes,
    *filter_post_pages.routes,  # before /web/statuses/{id}/{action}
    *scheduled_pages.routes,
    *poll_pages.routes,
    *event_topic_pages.routes,
    *conversation_pages.routes,
    *list_pages.routes,
    *tag_follow_pages.routes,
    *suggestion_pages.routes,
    *directory_pages.routes,
    *timeline_pages.routes,
    *deck_pages.routes,
    *room_pages.routes,
    *first_run_pages.routes,
    *settings_pages.routes,
    *help_pages.routes,
    *wall_pages.routes,
    *qa_pages.routes,
    *browse_pages.routes,
    *explore_pages.routes,
    *notification_pages.routes,
    *notification_settings.routes,
    *assets.routes,
    Route("/favicon.ico", favicon, methods=["GET"]),
    Route("/avatars/original/missing.png", missing_avatar, methods=["GET"]),
    Route("/headers/original/missing.png", missing_header, methods=["GET"]),
    Mount("/static", app=StaticFiles(directory=STATIC_DIR), name="static"),
]
