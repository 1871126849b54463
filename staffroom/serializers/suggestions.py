"""Mastodon's ``Suggestion`` entity (``/api/v2/suggestions``)."""

from __future__ import annotations

from typing import Any

from staffroom.serializers.accounts import serialize_account
from staffroom.services.suggestions import Suggestion

# Mastodon's REST::SuggestionSerializer: the deprecated ``source`` from the first of
# ``sources``.
LEGACY_SOURCE = {
    "featured": "staff",
    "most_followed": "global",
    "most_interactions": "global",
    "similar_to_recently_followed": "past_interactions",
    "friends_of_friends": "past_interactions",
}


def serialize_suggestion(suggestion: Suggestion, base_url: str) -> dict[str, Any]:
    sources = suggestion.sources or ["most_interactions"]
    return {
        "source": LEGACY_SOURCE.get(sources[0], "global"),
        "sources": sources,
        "account": serialize_account(suggestion.account, base_url),
    }
