"""OAuth scopes as Mastodon defines them, and whether a grant covers a required scope."""

from __future__ import annotations

READ_SCOPES = frozenset(
    f"read:{s}"
    for s in (
        "accounts",
        "blocks",
        "bookmarks",
        "collections",
        "favourites",
        "filters",
        "follows",
        "lists",
        "mutes",
        "notifications",
        "search",
        "statuses",
    )
)
WRITE_SCOPES = frozenset(
    f"write:{s}"
    for s in (
        "accounts",
        "blocks",
        "bookmarks",
        "collections",
        "conversations",
        "favourites",
        "filters",
        "follows",
        "lists",
        "media",
        "mutes",
        "notifications",
        "reports",
        "statuses",
    )
)
# The deprecated "follow" scope, as Mastodon still honours it.
FOLLOW_SCOPES = frozenset(
    {"read:blocks", "read:follows", "read:mutes", "write:blocks", "write:follows", "write:mutes"}
)
TOP_LEVEL = frozenset({"read", "write", "follow", "push", "profile"})
# Administration (Mastodon's ``admin:read`` / ``admin:write``; an administrator's token only).
ADMIN_SCOPES = frozenset({"admin:read", "admin:write"})
ALL_SCOPES = TOP_LEVEL | READ_SCOPES | WRITE_SCOPES | ADMIN_SCOPES

DEFAULT_SCOPES = "read"


def parse_scopes(raw: str | None, *, default: str = DEFAULT_SCOPES) -> list[str]:
    """Split a space- (or ``+``-) separated scope string, keeping order, dropping repeats."""
    text = (raw or "").replace("+", " ").strip() or default
    seen: list[str] = []
    for scope in text.split():
        if scope not in seen:
            seen.append(scope)
    return seen


def unknown_scopes(scopes: list[str]) -> list[str]:
    return [s for s in scopes if s not in ALL_SCOPES]


def covers(granted: frozenset[str], required: str) -> bool:
    """True when ``granted`` allows an endpoint that needs ``required``."""
    if required in granted:
        return True
    family = required.split(":", 1)[0]
    if ":" in required and family in granted:
        return True
    if required == "profile" and ("read" in granted or "read:accounts" in granted):
        return True
    return "follow" in granted and required in FOLLOW_SCOPES


def narrow(requested: list[str], allowed: list[str]) -> list[str] | None:
    """The requested scopes if every one is covered by ``allowed``, else ``None``."""
    allowed_set = frozenset(allowed)
    if all(covers(allowed_set, s) for s in requested):
        return requested
    return None
