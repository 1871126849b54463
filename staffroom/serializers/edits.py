"""Mastodon's ``StatusEdit`` and ``StatusSource`` entities."""

from __future__ import annotations

from typing import Any

from staffroom.serializers.accounts import serialize_account
from staffroom.serializers.common import iso
from staffroom.serializers.media import serialize_media
from staffroom.services.editing import Version
from staffroom.services.status_views import StatusView


def serialize_history(view: StatusView, versions: list[Version], base_url: str) -> list[Any]:
    """The post's versions, oldest first, each with its author."""
    account = serialize_account(view.account, base_url)
    return [
        {
            "content": version.content_html,
            "spoiler_text": version.spoiler_text,
            "sensitive": version.sensitive,
            "created_at": iso(version.created_at),
            "account": account,
            "poll": (
                {"options": [{"title": title} for title in version.poll_options]}
                if version.poll_options is not None
                else None
            ),
            "media_attachments": [serialize_media(m, base_url) for m in version.media],
            "emojis": [],
        }
        for version in versions
    ]


def serialize_source(row: Any) -> dict[str, Any]:
    """What the author wrote, to fill an editing form."""
    return {"id": str(row.id), "text": row.text, "spoiler_text": row.spoiler_text}
