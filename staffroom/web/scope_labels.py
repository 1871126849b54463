"""Plain-language descriptions of OAuth scopes for the consent page.

Whole phrases, marked for translation (``N_``): the page translates each one as it shows it.
"""

from __future__ import annotations

from staffroom.web.i18n import N_

_DESCRIPTIONS = {
    "read": N_("read all your account's data"),
    "write": N_("modify all your account's data"),
    "follow": N_("see and change who you follow, block and mute"),
    "push": N_("receive your push notifications"),
    "profile": N_("read only your account's basic profile information"),
    "read:accounts": N_("see your account information"),
    "read:blocks": N_("see your blocks"),
    "read:bookmarks": N_("see your bookmarks"),
    "read:favourites": N_("see your favourites"),
    "read:filters": N_("see your filters"),
    "read:follows": N_("see your follows"),
    "read:collections": N_("see starter packs"),
    "read:lists": N_("see your lists"),
    "read:mutes": N_("see your mutes"),
    "read:notifications": N_("see your notifications"),
    "read:search": N_("search on your behalf"),
    "read:statuses": N_("see your posts"),
    "write:accounts": N_("change your account information"),
    "write:blocks": N_("change your blocks"),
    "write:bookmarks": N_("change your bookmarks"),
    "write:conversations": N_("change your conversations"),
    "write:favourites": N_("change your favourites"),
    "write:filters": N_("change your filters"),
    "write:follows": N_("change your follows"),
    "write:collections": N_("change your starter packs"),
    "write:lists": N_("change your lists"),
    "write:media": N_("upload media files"),
    "write:mutes": N_("change your mutes"),
    "write:notifications": N_("change your notifications"),
    "write:reports": N_("file reports"),
    "write:statuses": N_("publish, edit and delete your posts"),
    "admin:read": N_("read this server's administration (administrators only)"),
    "admin:write": N_("administer this server, such as approving trends (administrators only)"),
}


def describe_scope(scope: str) -> str:
    """What granting ``scope`` lets an application do, in a few words (untranslated)."""
    return _DESCRIPTIONS.get(scope, scope)
