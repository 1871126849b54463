"""Mastodon's ``Conversation`` entity."""

from __future__ import annotations

from typing import Any

from staffroom.serializers.accounts import serialize_account
from staffroom.serializers.statuses import serialize_status
from staffroom.services.conversations import ConversationView


def serialize_conversation(view: ConversationView, base_url: str) -> dict[str, Any]:
    """A direct conversation as its owner sees it: the other participants, whether it is
    unread and its newest post (``null`` if the owner may no longer see it)."""
    last = view.last_status
    return {
        "id": str(view.id),
        "unread": view.unread,
        "accounts": [serialize_account(row, base_url) for row in view.accounts],
        "last_status": serialize_status(last, base_url) if last is not None else None,
    }
