"""Featured hashtags beyond the profile form: suggestions and featuring by name.

Mastodon's ``GET /api/v1/featured_tags/suggestions`` (the person's most used hashtags in
their last 1,000 posts, not yet featured, at most 10) and ``POST
/api/v1/tags/:name/feature|unfeature`` (4.4). Writes ``account_interests`` through
``services.profiles`` (where featured tags are a profile's interests).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, delete, func, select

from staffroom.db.tables import account_interests, status_tags, statuses, tags
from staffroom.errors import NotFound
from staffroom.services.profiles import clean_tag_name, feature_tag

SUGGESTIONS = 10
RECENT_POSTS = 1000


def suggestions(conn: Connection, account_id: int) -> list[Any]:
    """Tag rows (``id``, ``name``) the account used most in its recent posts, unfeatured."""
    recent = (
        select(statuses.c.id)
        .where(statuses.c.account_id == account_id, statuses.c.reblog_of_id.is_(None))
        .order_by(statuses.c.id.desc())
        .limit(RECENT_POSTS)
        .subquery()
    )
    featured = select(account_interests.c.tag_id).where(
        account_interests.c.account_id == account_id
    )
    uses = func.count().label("uses")
    query = (
        select(tags.c.id, tags.c.name, uses)
        .join(status_tags, status_tags.c.tag_id == tags.c.id)
        .where(status_tags.c.status_id.in_(select(recent.c.id)))
        .where(tags.c.id.not_in(featured))
        .group_by(tags.c.id, tags.c.name)
        .order_by(uses.desc(), tags.c.id.desc())
        .limit(SUGGESTIONS)
    )
    return list(conn.execute(query))


def _valid(raw: str) -> str:
    name = clean_tag_name(raw)
    if name is None:
        raise NotFound()
    return name


def feature_by_name(conn: Connection, account_id: int, raw: str) -> Any:
    """Feature the hashtag ``raw`` (created if new); returns its row (``id``, ``name``)."""
    feature_tag(conn, account_id, _valid(raw))
    return conn.execute(
        select(tags.c.id, tags.c.name).where(tags.c.name_lower == _valid(raw).lower())
    ).one()


def unfeature_by_name(conn: Connection, account_id: int, raw: str) -> Any:
    """Stop featuring the hashtag ``raw``; returns its row (404 for a tag never used)."""
    row = conn.execute(
        select(tags.c.id, tags.c.name).where(tags.c.name_lower == _valid(raw).lower())
    ).first()
    if row is None:
        raise NotFound()
    conn.execute(
        delete(account_interests).where(
            account_interests.c.account_id == account_id, account_interests.c.tag_id == row.id
        )
    )
    return row
