"""Post text analysis and rendering: mentions, hashtags, URLs, length and safe HTML.

Entity extraction follows the twitter-text rules (checked against its conformance suite),
extended with Mastodon's ``@user@domain`` handles; see
``docs/decisions/0002-text-conformance-deviations.md``.
"""

from staffroom.text.extract import (
    Entity,
    EntityKind,
    extract_entities,
    extract_hashtags,
    extract_mentions,
    extract_urls,
)
from staffroom.text.render import render_html, render_plain_bio
from staffroom.text.validate import (
    is_valid_hashtag,
    is_valid_url,
    is_valid_username,
    weighted_length,
)

__all__ = [
    "Entity",
    "EntityKind",
    "extract_entities",
    "extract_hashtags",
    "extract_mentions",
    "extract_urls",
    "is_valid_hashtag",
    "is_valid_url",
    "is_valid_username",
    "render_html",
    "render_plain_bio",
    "weighted_length",
]
