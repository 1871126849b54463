"""Mastodon's ``List`` entity."""

from __future__ import annotations

from typing import Any

from staffroom.feed.rules import REPLIES_POLICY_NAMES
from staffroom.services.lists import ListInfo


def serialize_list(info: ListInfo) -> dict[str, Any]:
    return {
        "id": str(info.id),
        "title": info.title,
        "replies_policy": REPLIES_POLICY_NAMES[info.replies_policy],
        "exclusive": info.exclusive,
    }
