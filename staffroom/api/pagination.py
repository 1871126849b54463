"""Mastodon pagination: ``max_id``/``since_id``/``min_id``/``limit`` and the ``Link`` header."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from starlette.requests import Request

from staffroom.api.params import Params
from staffroom.runtime import runtime_of


@dataclass(frozen=True, slots=True)
class Page:
    """A page request. ``min_id`` asks for the items just above it (oldest first, then
    reversed); ``since_id`` for the newest items above it."""

    max_id: int | None = None
    since_id: int | None = None
    min_id: int | None = None
    limit: int = 20

    @property
    def ascending(self) -> bool:
        return self.min_id is not None


def _cursor(params: Params, name: str) -> int | None:
    raw = params.raw(name)
    if raw is None or raw == "":
        return None
    try:
        value = int(str(raw))
    except ValueError:
        return None  # Mastodon ignores cursors it cannot read
    return value if value >= 0 else None


def read_page(params: Params, *, default: int = 20, maximum: int = 40) -> Page:
    """Parse the page parameters, clamping ``limit`` into ``1..maximum``."""
    limit = _cursor(params, "limit") or default  # unreadable limits fall back, as in Mastodon
    return Page(
        max_id=_cursor(params, "max_id"),
        since_id=_cursor(params, "since_id"),
        min_id=_cursor(params, "min_id"),
        limit=max(1, min(limit, maximum)),
    )


def link_header(
    request: Request, *, next_max_id: int | None, prev_min_id: int | None
) -> dict[str, str]:
    """The ``Link`` header (``next`` first); pass ``None`` to leave a relation out."""
    base = runtime_of(request).settings.base_url + request.url.path
    keep = [
        (k, v)
        for k, v in request.query_params.multi_items()
        if k not in ("max_id", "since_id", "min_id", "access_token")
    ]
    parts = []
    if next_max_id is not None:
        parts.append(f'<{base}?{urlencode([*keep, ("max_id", str(next_max_id))])}>; rel="next"')
    if prev_min_id is not None:
        parts.append(f'<{base}?{urlencode([*keep, ("min_id", str(prev_min_id))])}>; rel="prev"')
    return {"Link": ", ".join(parts)} if parts else {}
