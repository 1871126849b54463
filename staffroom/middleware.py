"""ASGI middleware at the edge: bounded request input, and faults turned into answers.

``RequestLimits`` refuses, before any handler reads it, a body larger than the settings allow
(413) and a NUL character in the path or query string (422). ``Faults`` answers an exception
that escaped every handler with the status :mod:`staffroom.faults` gives it, and keeps the
connection open (Starlette's own last-resort handler re-raises, which makes the server drop a
keep-alive connection without a ``Connection: close``).
"""

from __future__ import annotations

import logging
import time
from html import escape

from starlette.responses import HTMLResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from staffroom.api.responses import error_response
from staffroom.faults import BUG, classify

log = logging.getLogger("staffroom")

_API_PREFIXES = (
    "/api/",
    "/oauth/token",
    "/oauth/revoke",
    "/oauth/userinfo",
    "/.well-known/",
    "/nodeinfo",
)


def is_api_path(path: str) -> bool:
    """Whether ``path`` answers JSON (the API) rather than pages."""
    return path.startswith(_API_PREFIXES)


def error_page(status: int, message: str) -> HTMLResponse:
    body = (
        "<!doctype html><html lang=en><meta charset=utf-8><title>Staffroom</title>"
        f"<main><h1>{status}</h1><p>{escape(message)}</p><p><a href=/>Home</a></p></main>"
    )
    return HTMLResponse(body, status_code=status)


def error_for(
    path: str, status: int, message: str, headers: dict[str, str] | None = None
) -> Response:
    if is_api_path(path):  # a 422 is Mastodon's ValidationError: it always has ``details``
        extra: dict[str, object] = {"details": {}} if status == 422 else {}
        response: Response = error_response(status, message, **extra)
    else:
        response = error_page(status, message)
    if headers:
        response.headers.update(headers)
    return response


class _BodyTooLarge(Exception):
    pass


class RequestLimits:
    """413 for bodies over the limit (declared or counted), 422 for NUL in the address."""

    def __init__(self, app: ASGIApp, *, max_body: int, max_upload: int) -> None:
        self.app = app
        self.max_body = max_body
        self.max_upload = max_upload

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        query: bytes = scope.get("query_string", b"")
        if "\x00" in path or b"\x00" in query or b"%00" in query:
            message = (
                "Validation failed: the address contains a NUL character, which is not allowed"
            )
            if scope["type"] == "http":
                await error_for(path, 422, message)(scope, receive, send)
            else:
                await send({"type": "websocket.close", "code": 1008, "reason": "NUL in address"})
            return
        if scope["type"] == "websocket" or not _has_body(scope):
            await self.app(scope, receive, send)  # the hot path: reads carry no body
            return
        limit = self._limit_for(scope)
        declared = _content_length(scope)
        if declared is not None and declared > limit:
            await error_for(path, 413, _too_large(limit))(scope, receive, send)
            return
        seen = 0
        started = False

        async def counted_receive() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise _BodyTooLarge
            return message

        async def watched_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counted_receive, watched_send)
        except _BodyTooLarge:
            if started:
                raise
            await error_for(path, 413, _too_large(limit))(scope, receive, send)

    def _limit_for(self, scope: Scope) -> int:
        for key, value in scope["headers"]:
            if key == b"content-type":
                if value.lower().startswith(b"multipart/form-data"):
                    return self.max_upload
                break
        return self.max_body


def _has_body(scope: Scope) -> bool:
    if scope["method"] in ("POST", "PUT", "PATCH", "DELETE"):
        return True
    return any(key in (b"content-length", b"transfer-encoding") for key, _ in scope["headers"])


def _content_length(scope: Scope) -> int | None:
    for key, value in scope["headers"]:
        if key == b"content-length":
            text = value.decode("latin-1").strip()
            return int(text) if text.isascii() and text.isdigit() else None
    return None


def _too_large(limit: int) -> str:
    return f"The request is too large: at most {limit // 1024:,} KiB may be sent at once"


class Faults:
    """Turn an unhandled exception into its answer (503, 507, 422 or a logged 500)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self._last_logged: dict[int, float] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        try:
            await self.app(scope, receive, send)  # no wrapper on the way: nothing per request
        except Exception as exc:
            fault = classify(exc)
            self._log(scope, exc, fault.status)
            headers = {"Retry-After": str(fault.retry_after)} if fault.retry_after else None
            answer = error_for(scope["path"], fault.status, fault.message, headers)
            try:
                await answer(scope, receive, send)
            except Exception:  # the response had already started: nothing to do but close
                raise exc from None

    def _log(self, scope: Scope, exc: Exception, status: int) -> None:
        where = f"{scope.get('method', '')} {scope['path']}"
        if status == BUG.status:
            log.error("unhandled error on %s", where, exc_info=exc)
            return
        now = time.monotonic()  # known faults: once a minute per kind, not once per request
        if now - self._last_logged.get(status, -60.0) >= 60.0:
            self._last_logged[status] = now
            log.error("answering %s on %s: %s: %s", status, where, type(exc).__name__, exc)
