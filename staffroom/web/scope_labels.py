"""Plain-language descriptions of OAuth scopes for the consent page."""

from __future__ import annotations

_FAMILY = {
    "read": "read all your account's data",
    "write": "modify all your account's data",
    "follow": "see and change who you follow, block and mute",
    "push": "receive your push notifications",
    "profile": "read only your account's basic profile information",
}
_ACTION = {"read": "see", "write": "change"}
_SUBJECT = {
    "accounts": "account information",
    "blocks": "blocks",
    "bookmarks": "bookmarks",
    "conversations": "conversations",
    "favourites": "favourites",
    "filters": "filters",
    "follows": "follows",
    "lists": "lists",
    "media": "media uploads",
    "mutes": "mutes",
    "notifications": "notifications",
    "reports": "reports",
    "search": "search on your behalf",
    "statuses": "posts",
}


def describe_scope(scope: str) -> str:
    """What granting ``scope`` lets an application do, in a few words."""
    if scope in _FAMILY:
        return _FAMILY[scope]
    family, _, subject = scope.partition(":")
    if subject == "search":
        return "search on your behalf"
    if subject == "statuses" and family == "write":
        return "publish, edit and delete your posts"
    if subject == "media":
        return "upload media files"
    if subject == "reports":
        return "file reports"
    action = _ACTION.get(family, family)
    return f"{action} your {_SUBJECT.get(subject, subject)}"
