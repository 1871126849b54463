"""Followed hashtags: public posts carrying one come into the home timeline, from anyone.

Writes ``tag_follows`` (migration 0025). Which posts a followed hashtag brings is the
feed's rule (``staffroom.feed``: public original posts, never from someone one blocks or
mutes or who blocks one); following or unfollowing rebuilds the home timeline through the
store, so an unfollowed hashtag's posts leave it at once (as Mastodon unmerges them).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Connection, delete, select

from staffroom.db.tables import tag_follows, tags
from staffroom.db.upsert import insert_ignore
from staffroom.errors import NotFound
from staffroom.feed import fanout
from staffroom.ids import new_id
from staffroom.services.profiles import clean_tag_name, tag_ids_for
from staffroom.timelines.store import TimelineStore


@dataclass(frozen=True, slots=True)
class FollowedTag:
    tag_id: int
    name: str
    follow_id: int  # the cursor of ``GET /api/v1/followed_tags``


def _name(raw: str) -> str:
    name = clean_tag_name(raw)
    if name is None:
        raise NotFound()  # as Mastodon: an invalid name is no tag
    return name


def follow_tag(conn: Connection, store: TimelineStore, account_id: int, raw: str) -> int:
    """Follow the hashtag (created if never used); answers its ID. Idempotent."""
    name = _name(raw)
    tag_id = tag_ids_for(conn, [name])[name.lower()]
    result = conn.execute(
        insert_ignore(conn, tag_follows),
        {
            "id": new_id(),
            "account_id": account_id,
            "tag_id": tag_id,
            "created_at": datetime.now(UTC),
        },
    )
    if result.rowcount:
        fanout.rebuild_home(conn, store, account_id)
    return tag_id


def unfollow_tag(conn: Connection, store: TimelineStore, account_id: int, raw: str) -> None:
    """Stop following the hashtag; its posts leave the home timeline. Idempotent."""
    lower = _name(raw).lower()
    result = conn.execute(
        delete(tag_follows).where(
            tag_follows.c.account_id == account_id,
            tag_follows.c.tag_id.in_(select(tags.c.id).where(tags.c.name_lower == lower)),
        )
    )
    if result.rowcount:
        fanout.rebuild_home(conn, store, account_id)


def is_following(conn: Connection, account_id: int | None, tag_id: int | None) -> bool:
    if account_id is None or tag_id is None:
        return False
    found = conn.execute(
        select(tag_follows.c.id).where(
            tag_follows.c.account_id == account_id, tag_follows.c.tag_id == tag_id
        )
    ).first()
    return found is not None


def followed_tags(
    conn: Connection,
    account_id: int,
    *,
    max_id: int | None = None,
    since_id: int | None = None,
    min_id: int | None = None,
    limit: int = 100,
) -> list[FollowedTag]:
    """Followed hashtags, most recently followed first, paged by the follow's ID."""
    query = (
        select(tag_follows.c.id, tags.c.id.label("tag_id"), tags.c.name)
        .join(tags, tags.c.id == tag_follows.c.tag_id)
        .where(tag_follows.c.account_id == account_id)
    )
    if max_id is not None:
        query = query.where(tag_follows.c.id < max_id)
    if since_id is not None:
        query = query.where(tag_follows.c.id > since_id)
    if min_id is not None:
        query = query.where(tag_follows.c.id > min_id)
        rows = list(conn.execute(query.order_by(tag_follows.c.id.asc()).limit(limit)))
        rows.reverse()
    else:
        rows = list(conn.execute(query.order_by(tag_follows.c.id.desc()).limit(limit)))
    return [FollowedTag(int(r.tag_id), str(r.name), int(r.id)) for r in rows]


def follows_name(conn: Connection, account_id: int, name: str) -> bool:
    """Whether ``account_id`` follows the hashtag called ``name`` (any case)."""
    found = conn.execute(
        select(tag_follows.c.id)
        .join(tags, tags.c.id == tag_follows.c.tag_id)
        .where(tag_follows.c.account_id == account_id, tags.c.name_lower == name.lower())
    ).first()
    return found is not None
