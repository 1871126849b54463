"""The ``Status`` entity."""

from __future__ import annotations

from typing import Any

from staffroom.api.serializers.accounts import serialize_account
from staffroom.api.serializers.common import iso
from staffroom.policies.visibility import VISIBILITY_NAMES
from staffroom.services.status_views import StatusView


def status_url(base_url: str, username: str, status_id: int) -> str:
    return f"{base_url}/@{username}/{status_id}"


def serialize_status(view: StatusView, base_url: str, *, with_source: bool = False
                     ) -> dict[str, Any]:
    """A Mastodon ``Status`` for ``view`` (``with_source`` adds ``text``, as after deletion)."""
    row, account = view.row, view.account
    entity: dict[str, Any] = {
        "id": str(row.id),
        "created_at": iso(row.created_at),
        "in_reply_to_id": str(row.in_reply_to_id) if row.in_reply_to_id else None,
        "in_reply_to_account_id": (
            str(row.in_reply_to_account_id) if row.in_reply_to_account_id else None
        ),
        "sensitive": row.sensitive,
        "spoiler_text": row.spoiler_text,
        "visibility": VISIBILITY_NAMES[row.visibility],
        "language": row.language,
        "uri": f"{base_url}/users/{account.username}/statuses/{row.id}",
        "url": status_url(base_url, account.username, row.id) if view.reblog is None else None,
        "replies_count": row.replies_count,
        "reblogs_count": row.reblogs_count,
        "favourites_count": row.favourites_count,
        "edited_at": iso(row.edited_at),
        "favourited": view.favourited,
        "reblogged": view.reblogged,
        "muted": False,
        "bookmarked": view.bookmarked,
        "pinned": False,
        "content": row.content_html,
        "filtered": [],
        "reblog": serialize_status(view.reblog, base_url) if view.reblog is not None else None,
        "application": (
            {"name": view.app[0], "website": view.app[1]} if view.app is not None else None
        ),
        "account": serialize_account(account, base_url),
        "media_attachments": [],
        "mentions": [
            {
                "id": str(account_id),
                "username": username,
                "url": f"{base_url}/@{username}",
                "acct": username,
            }
            for account_id, username in view.mentions
        ],
        "tags": [{"name": name, "url": f"{base_url}/tags/{name}"} for name in view.tags],
        "emojis": [],
        "card": None,
        "poll": None,
    }
    if with_source:
        entity["text"] = row.text
    return entity


def serialize_statuses(views: list[StatusView], base_url: str) -> list[dict[str, Any]]:
    return [serialize_status(v, base_url) for v in views]
