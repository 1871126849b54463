"""Mastodon's ``Filter`` (v2, with its keywords and statuses), ``FilterKeyword``,
``FilterStatus`` and the v1 ``Filter`` (one per keyword)."""

from __future__ import annotations

from typing import Any

from staffroom.serializers.common import iso
from staffroom.services.filter_rules import filter_entity
from staffroom.services.filters import Filter, FilteredPost, Keyword
from staffroom.services.filters_v1 import V1Filter


def serialize_keyword(keyword: Keyword) -> dict[str, Any]:
    return {"id": str(keyword.id), "keyword": keyword.keyword, "whole_word": keyword.whole_word}


def serialize_filtered_post(post: FilteredPost) -> dict[str, Any]:
    return {"id": str(post.id), "status_id": str(post.status_id)}


def serialize_filter(found: Filter) -> dict[str, Any]:
    """A v2 ``Filter`` as the filters API answers it (keywords and statuses included)."""
    entity = filter_entity(found.id, found.title, found.context, found.action, found.expires_at)
    entity["keywords"] = [serialize_keyword(k) for k in found.keywords]
    entity["statuses"] = [serialize_filtered_post(s) for s in found.statuses]
    return entity


def serialize_v1_filter(found: V1Filter) -> dict[str, Any]:
    """A v1 ``Filter``: the keyword, with its filter's contexts, expiry and action."""
    return {
        "id": str(found.keyword.id),
        "phrase": found.keyword.keyword,
        "context": list(found.filter.context),
        "whole_word": found.keyword.whole_word,
        "expires_at": iso(found.filter.expires_at),
        "irreversible": found.filter.action == "hide",
    }
