"""Mastodon's ``Poll`` entity (per reader: ``voted`` and ``own_votes`` only when signed in)."""

from __future__ import annotations

from typing import Any

import orjson

from staffroom.serializers.common import iso
from staffroom.services.poll_views import PollView


def serialize_poll(poll: PollView) -> dict[str, Any]:
    """A poll as Mastodon shows it; option counts are ``null`` while totals are hidden."""
    tallies = poll.tallies
    entity: dict[str, Any] = {
        "id": str(poll.id),
        "expires_at": iso(poll.expires_at),
        "expired": poll.expired,
        "multiple": poll.multiple,
        "votes_count": poll.votes_count,
        "voters_count": poll.voters_count,
        "options": [
            {"title": title, "votes_count": tallies[n] if tallies is not None else None}
            for n, title in enumerate(poll.options)
        ],
        "emojis": [],
    }
    if poll.voted is not None:
        entity["voted"] = poll.voted
        entity["own_votes"] = list(poll.own_votes or ())
    return entity


def poll_json(poll: PollView | None) -> bytes:
    """:func:`serialize_poll` as JSON bytes (``null`` for no poll)."""
    return b"null" if poll is None else orjson.dumps(serialize_poll(poll))
