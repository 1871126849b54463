"""Mastodon's ``ScheduledStatus`` entity."""

from __future__ import annotations

from typing import Any

from staffroom.serializers.common import iso
from staffroom.serializers.media import serialize_media
from staffroom.services.scheduling import Scheduled


def serialize_scheduled(item: Scheduled, base_url: str) -> dict[str, Any]:
    """A post waiting for its time, with what was asked (``params``) as Mastodon shows it."""
    new = item.new
    return {
        "id": str(item.id),
        "scheduled_at": iso(item.scheduled_at),
        "params": {
            "text": new.text,
            "poll": (
                {
                    "options": list(new.poll.options),
                    "expires_in": new.poll.expires_in,
                    "multiple": new.poll.multiple,
                    "hide_totals": new.poll.hide_totals,
                }
                if new.poll is not None
                else None
            ),
            "media_ids": [str(m) for m in new.media_ids] or None,
            "sensitive": new.sensitive or None,
            "spoiler_text": new.spoiler_text or None,
            "visibility": new.visibility,
            "in_reply_to_id": str(new.in_reply_to_id) if new.in_reply_to_id else None,
            "language": new.language,
            "application_id": new.app_id,  # an integer in Mastodon's entity
            "scheduled_at": None,
            "idempotency": new.idempotency_key,
            "with_rate_limit": False,
        },
        "media_attachments": [serialize_media(m, base_url) for m in item.media],
    }
