"""Fast JSON responses (orjson) in Mastodon's style."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import orjson
from starlette.responses import Response


class JSONResponse(Response):
    """``application/json`` rendered with orjson."""

    media_type = "application/json; charset=utf-8"

    def __init__(
        self,
        content: Any,
        status_code: int = 200,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(orjson.dumps(content), status_code, headers)


class RawJSONResponse(Response):
    """``application/json`` from bytes that already are JSON (no copy through orjson)."""

    media_type = "application/json; charset=utf-8"


def error_response(status: int, message: str, **details: Any) -> JSONResponse:
    """``{"error": message}`` plus any details (e.g. ``error_description``, ``details``)."""
    body: dict[str, Any] = {"error": message}
    body.update(details)
    return JSONResponse(body, status_code=status)
