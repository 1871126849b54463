"""Mastodon pagination: ``max_id``/``since_id``/``min_id``/``limit`` and the ``Link`` header."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar
from urllib.parse import parse_qsl, urlencode

from starlette.requests import Request

from staffroom.api.params import Params
from staffroom.ids import parse_id
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
    return parse_id(params.raw(name))  # Mastodon ignores cursors it cannot read


def read_page(params: Params, *, default: int = 20, maximum: int = 40) -> Page:
    """Parse the page parameters, clamping ``limit`` into ``1..maximum``."""
    limit = _cursor(params, "limit") or default  # unreadable limits fall back, as in Mastodon
    return Page(
        max_id=_cursor(params, "max_id"),
        since_id=_cursor(params, "since_id"),
        min_id=_cursor(params, "min_id"),
        limit=max(1, min(limit, maximum)),
    )


_CURSORS = ("max_id", "since_id", "min_id", "access_token")
_PLAIN = re.compile(r"[A-Za-z0-9_.\-]*")


def _encode(pairs: list[tuple[str, str]]) -> str:
    """``pairs`` as a query string prefix ending in ``&`` (empty for none); plain pairs
    such as ``limit=20`` skip ``urlencode``."""
    if not pairs:
        return ""
    if all(_PLAIN.fullmatch(k) and _PLAIN.fullmatch(v) for k, v in pairs):
        return "".join(f"{k}={v}&" for k, v in pairs)
    return urlencode(pairs) + "&"


def link_header(
    request: Request, *, next_max_id: int | None, prev_min_id: int | None
) -> dict[str, str]:
    """The ``Link`` header (``next`` first); pass ``None`` to leave a relation out."""
    scope = request.scope
    path = request.url.path if scope.get("root_path") else scope["path"]
    base = runtime_of(request).settings.base_url + path
    query = scope.get("query_string", b"")
    keep = (
        [
            (k, v)
            for k, v in parse_qsl(query.decode("latin-1"), keep_blank_values=True)
            if k not in _CURSORS
        ]
        if query
        else []
    )

    carried = _encode(keep)

    def link(name: str, value: int, rel: str) -> str:
        return f'<{base}?{carried}{name}={value}>; rel="{rel}"'

    parts = []
    if next_max_id is not None:
        parts.append(link("max_id", next_max_id, "next"))
    if prev_min_id is not None:
        parts.append(link("min_id", prev_min_id, "prev"))
    return {"Link": ", ".join(parts)} if parts else {}


_Item = TypeVar("_Item")


def item_links(
    request: Request, items: Sequence[_Item], page: Page, cursor: Callable[[_Item], int]
) -> dict[str, str]:
    """The ``Link`` header of a page of ``items`` read newest first: ``next`` only when the
    page came back full, ``prev`` from its first item; ``cursor`` gives an item's ID."""
    return link_header(
        request,
        next_max_id=cursor(items[-1]) if len(items) == page.limit else None,
        prev_min_id=cursor(items[0]) if items else None,
    )
