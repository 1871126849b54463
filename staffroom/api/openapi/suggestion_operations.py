"""The follow suggestions' operations and the ``Suggestion`` entity, for
:mod:`staffroom.api.openapi`."""

from __future__ import annotations

from staffroom.api.openapi.dsl import INTEGER, Operation, Schema, array, enum, obj, ref

SUGGESTION = obj(
    {
        # Deprecated by Mastodon 4.3 for ``sources``; still sent, as Mastodon does.
        "source": enum("staff", "past_interactions", "global"),
        "sources": array(
            enum(
                "featured",
                "most_followed",
                "most_interactions",
                "similar_to_recently_followed",
                "friends_of_friends",
            )
        ),
        "account": ref("Account"),
    }
)
SCHEMAS: dict[str, Schema] = {"Suggestion": SUGGESTION}

_WINDOW: dict[str, Schema] = {
    "limit": {**INTEGER, "default": 40, "maximum": 80},
    "offset": {**INTEGER, "minimum": 0},
}
SUGGESTION_OPERATIONS: list[Operation] = [
    Operation(
        "GET",
        "/api/v2/suggestions",
        "Whom to follow, each with Mastodon's sources",
        array(ref("Suggestion")),
        "read:accounts",
        query=_WINDOW,
    ),
    Operation(
        "GET",
        "/api/v1/suggestions",
        "Whom to follow (v1: accounts only)",
        array(ref("Account")),
        "read:accounts",
        query=_WINDOW,
    ),
    Operation(
        "DELETE",
        "/api/v1/suggestions/{account_id}",
        "Never suggest this account again",
        ref("Empty"),
        "write:accounts",
    ),
]
