"""The ASGI application: routes from every API and web module, errors, CORS, limits."""

from __future__ import annotations

import gc
import logging
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute

from staffroom.api import (
    accounts,
    apps,
    collections,
    conversations,
    directory,
    filters,
    follows,
    grouped_notifications,
    instance,
    lists,
    markers,
    media,
    notifications,
    oauth,
    placeholders,
    polls,
    quotes,
    scheduled,
    search,
    statuses,
    streaming,
    suggestions,
    timelines,
    trends,
)
from staffroom.api.ratelimit import RateLimitMiddleware
from staffroom.api.responses import error_response
from staffroom.compression import GzipJSON
from staffroom.config import Settings
from staffroom.errors import StaffroomError
from staffroom.middleware import Faults, RequestLimits, is_api_path
from staffroom.runtime import Runtime
from staffroom.web import pages
from staffroom.web.error_pages import error_page_for

log = logging.getLogger("staffroom")

# Routes are tried in order: the hottest first (timelines, posting, notifications).
_ROUTE_MODULES = (
    timelines,
    statuses,
    quotes,
    scheduled,
    markers,
    filters,
    polls,
    notifications,
    grouped_notifications,
    conversations,
    lists,
    directory,
    collections,
    accounts,
    media,
    follows,
    search,
    trends,
    suggestions,
    oauth,
    apps,
    instance,
    streaming,
    pages,
    placeholders,  # placeholders last: it holds catch-alls
)


async def _domain_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StaffroomError)
    if is_api_path(request.url.path):
        response: Response = error_response(exc.status, exc.message, **exc.details)
    else:
        response = await error_page_for(request, exc.status, exc.reason)
    response.headers.update(exc.headers)
    return response


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    message = {404: "Record not found", 405: "Method not allowed"}.get(
        exc.status_code, str(exc.detail)
    )
    if is_api_path(request.url.path):
        response: Response = error_response(exc.status_code, message)
    else:
        text = "Page not found" if exc.status_code == 404 else message
        response = await error_page_for(request, exc.status_code, text)
    response.headers.update(exc.headers or {})  # 405's Allow
    return response


def all_routes() -> list[BaseRoute]:
    routes: list[BaseRoute] = []
    if os.environ.get("STAFFROOM_BENCH_ROUTES") == "1":  # benchmark ceilings, never in production
        from staffroom import bench_routes

        routes.extend(bench_routes.routes)
    for module in _ROUTE_MODULES:
        routes.extend(module.routes)
    return routes


def create_app(settings: Settings | None = None, runtime: Runtime | None = None) -> Starlette:
    """Build the application for ``settings`` (default: from the environment)."""
    if runtime is None:
        runtime = Runtime.build(settings or Settings.from_env())

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        await runtime.start()
        # Long-lived start-up objects (modules, compiled statements, caches' shells) need no
        # collecting: freezing them keeps full collections short (measured: 17-85 ms pauses
        # every ~20 s under load without it, see docs/PERFORMANCE.md).
        gc.collect()
        gc.freeze()
        try:
            yield
        finally:
            await runtime.stop()
            runtime.close()

    app = Starlette(
        routes=all_routes(),
        middleware=[
            Middleware(
                CORSMiddleware,
                allow_origins=["*"],
                allow_methods=["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"],
                allow_headers=["Authorization", "Content-Type", "Idempotency-Key"],
                expose_headers=[
                    "Link",
                    "X-RateLimit-Limit",
                    "X-RateLimit-Remaining",
                    "X-RateLimit-Reset",
                    "X-Request-Id",
                ],
                max_age=86400,
            ),
            Middleware(Faults),
            Middleware(
                RequestLimits,
                max_body=runtime.settings.max_body_bytes,
                max_upload=max(
                    runtime.settings.max_upload_bytes, runtime.settings.max_image_bytes + 65536
                ),
            ),
            Middleware(RateLimitMiddleware),
            Middleware(GzipJSON),
        ],
        exception_handlers={
            StaffroomError: _domain_error,
            HTTPException: _http_error,
        },
        lifespan=lifespan,
    )
    app.state.runtime = runtime
    return app
