"""Timelines computed straight from the database, with the rules fan-out applies
(:mod:`staffroom.feed.audience`).

Used to rebuild a timeline that was not kept (its owner comes back) or whose rules changed
(a followed hashtag, a list's members or hashtags, an exclusive list), to answer while a
Redis rebuild is under way, and to merge posts of very large accounts at read time.

Home: posts and reposts of followed accounts and one's own, followers-only posts of
followed accounts, direct posts only where mentioned, replies to others only when one
follows the person replied to, no reposts from follows that hide them; public original
posts with a hashtag one follows; nothing by accounts one blocks or mutes, nor by members
of one's exclusive lists. Lists: see :func:`list_ids_from_db`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import ColumnElement, Connection, Select, and_, exists, or_, select

from staffroom.db.tables import (
    blocks,
    follows,
    list_accounts,
    list_tags,
    lists,
    mentions,
    mutes,
    status_tags,
    statuses,
    tag_follows,
)
from staffroom.feed.rules import FOLLOWED, LIST
from staffroom.policies.visibility import DIRECT, PRIVATE, PUBLIC

HOME, LIST_KIND = "home", "list"  # timelines.store.HOME / LIST (the store imports this module)


def _hidden(owner_id: int) -> Any:
    """Accounts ``owner_id`` blocks or mutes (a timed mute only until it ends), and those
    who block them."""
    return (
        select(blocks.c.target_account_id)
        .where(blocks.c.account_id == owner_id)
        .union(
            select(mutes.c.target_account_id).where(
                mutes.c.account_id == owner_id,
                or_(mutes.c.expires_at.is_(None), mutes.c.expires_at > datetime.now(UTC)),
            ),
            select(blocks.c.account_id).where(blocks.c.target_account_id == owner_id),
        )
    )


def exclusive_members(owner_id: int) -> Select[Any]:
    """Accounts in ``owner_id``'s exclusive lists: their posts leave the home timeline."""
    return (
        select(list_accounts.c.account_id)
        .join(lists, lists.c.id == list_accounts.c.list_id)
        .where(lists.c.account_id == owner_id, lists.c.exclusive.is_(True))
    )


def _tagged_public(tag_ids: Any) -> ColumnElement[bool]:
    """Public original posts carrying one of ``tag_ids`` (a subquery of tag IDs)."""
    return and_(
        statuses.c.visibility == PUBLIC,
        statuses.c.reblog_of_id.is_(None),
        statuses.c.id.in_(select(status_tags.c.status_id).where(status_tags.c.tag_id.in_(tag_ids))),
    )


def _page(
    conn: Connection,
    query: Select[Any],
    limit: int,
    max_id: int | None,
    since_id: int | None,
    min_id: int | None,
) -> list[int]:
    if max_id is not None:
        query = query.where(statuses.c.id < max_id)
    if since_id is not None:
        query = query.where(statuses.c.id > since_id)
    if min_id is not None:
        query = query.where(statuses.c.id > min_id)
        rows = conn.execute(query.order_by(statuses.c.id.asc()).limit(limit)).scalars()
        return sorted(rows, reverse=True)
    return list(conn.execute(query.order_by(statuses.c.id.desc()).limit(limit)).scalars())


def _page_each(
    conn: Connection,
    queries: Sequence[Select[Any]],
    limit: int,
    max_id: int | None,
    since_id: int | None,
    min_id: int | None,
) -> list[int]:
    """One page of the union of ``queries``, each paged on its own and merged.

    A single ``WHERE by_author OR id IN (tagged)`` makes both engines walk the whole
    ``statuses`` primary key newest-first until ``limit`` rows match (on 1M posts, a
    list of 50 quiet members read every row); apart, each side keeps its index.
    """
    found: set[int] = set()
    for query in queries:
        found.update(_page(conn, query, limit, max_id, since_id, min_id))
    if min_id is not None:
        return sorted(sorted(found)[:limit], reverse=True)
    return sorted(found, reverse=True)[:limit]


def home_ids_from_db(
    conn: Connection,
    owner_id: int,
    *,
    limit: int,
    max_id: int | None = None,
    since_id: int | None = None,
    min_id: int | None = None,
    authors: Sequence[int] | None = None,
) -> list[int]:
    """Newest-first IDs for ``owner_id``'s home timeline (optionally only from ``authors``)."""
    followed = select(follows.c.target_account_id).where(follows.c.account_id == owner_id)
    hides_reblogs = select(follows.c.target_account_id).where(
        follows.c.account_id == owner_id, follows.c.show_reblogs.is_(False)
    )
    hidden = (
        select(blocks.c.target_account_id)
        .where(blocks.c.account_id == owner_id)
        .union(
            select(mutes.c.target_account_id).where(
                mutes.c.account_id == owner_id,
                or_(mutes.c.expires_at.is_(None), mutes.c.expires_at > datetime.now(UTC)),
            )
        )
    )
    mentioned_owner = exists().where(
        mentions.c.status_id == statuses.c.id, mentions.c.account_id == owner_id
    )
    from_follows = and_(
        statuses.c.account_id.in_(list(authors))
        if authors is not None
        else or_(statuses.c.account_id == owner_id, statuses.c.account_id.in_(followed)),
        or_(statuses.c.visibility != DIRECT, statuses.c.account_id == owner_id, mentioned_owner),
        or_(
            statuses.c.in_reply_to_account_id.is_(None),
            statuses.c.in_reply_to_account_id == statuses.c.account_id,
            statuses.c.in_reply_to_account_id == owner_id,
            statuses.c.in_reply_to_account_id.in_(followed),
        ),
        or_(statuses.c.reblog_of_id.is_(None), statuses.c.account_id.not_in(hides_reblogs)),
    )
    # The followed-hashtag and exclusive-list clauses only for owners who have them, so
    # everyone else's rebuild keeps its plan.
    has_tags, has_exclusive = conn.execute(
        select(
            exists().where(tag_follows.c.account_id == owner_id),
            exists().where(lists.c.account_id == owner_id, lists.c.exclusive.is_(True)),
        )
    ).one()
    sources: list[ColumnElement[bool]] = [from_follows]
    if has_tags and authors is None:
        followed_tags = select(tag_follows.c.tag_id).where(tag_follows.c.account_id == owner_id)
        sources.append(
            and_(
                _tagged_public(followed_tags),
                statuses.c.account_id.not_in(
                    select(blocks.c.account_id).where(blocks.c.target_account_id == owner_id)
                ),
            )
        )
    queries = []
    for source in sources:
        query = select(statuses.c.id).where(source).where(statuses.c.account_id.not_in(hidden))
        if has_exclusive:
            query = query.where(
                or_(
                    statuses.c.account_id == owner_id,
                    statuses.c.account_id.not_in(exclusive_members(owner_id)),
                )
            )
        queries.append(query)
    return _page_each(conn, queries, limit, max_id, since_id, min_id)


def list_ids_from_db(
    conn: Connection,
    list_id: int,
    *,
    limit: int,
    max_id: int | None = None,
    since_id: int | None = None,
    min_id: int | None = None,
) -> list[int]:
    """Newest-first IDs for a list's timeline (``feed.rules.list_takes`` in SQL): posts and
    reposts by members and public original posts with one of its hashtags, never direct,
    followers-only only from people the owner follows, replies to others by the replies
    policy, nothing by accounts the owner blocks or mutes or who block the owner."""
    found = conn.execute(
        select(lists.c.account_id, lists.c.replies_policy).where(lists.c.id == list_id)
    ).first()
    if found is None:
        return []
    owner_id, policy = int(found[0]), int(found[1])
    followed = select(follows.c.target_account_id).where(follows.c.account_id == owner_id)
    members = select(list_accounts.c.account_id).where(list_accounts.c.list_id == list_id)
    list_tag_ids = select(list_tags.c.tag_id).where(list_tags.c.list_id == list_id)
    # Written with ``!=`` so that no engine turns the visibility test into an index walk
    # (SQLite made ``IN (0, 1) OR ...`` a multi-index OR over every public post: 0.8 s on
    # 1M posts where the members' index takes a few milliseconds).
    by_member = and_(
        statuses.c.account_id.in_(members),
        statuses.c.visibility != DIRECT,
        or_(
            statuses.c.visibility != PRIVATE,
            statuses.c.account_id == owner_id,
            statuses.c.account_id.in_(followed),
        ),
    )
    replies = [
        statuses.c.in_reply_to_account_id.is_(None),
        statuses.c.in_reply_to_account_id == statuses.c.account_id,
        statuses.c.in_reply_to_account_id == owner_id,
    ]
    if policy == FOLLOWED:
        replies.append(statuses.c.in_reply_to_account_id.in_(followed))
    elif policy == LIST:
        replies.append(statuses.c.in_reply_to_account_id.in_(members))
    has_tags = conn.execute(select(exists().where(list_tags.c.list_id == list_id))).scalar()
    sources = [by_member, _tagged_public(list_tag_ids)] if has_tags else [by_member]
    queries = [
        select(statuses.c.id)
        .where(source)
        .where(or_(*replies))
        .where(statuses.c.account_id.not_in(_hidden(owner_id)))
        for source in sources
    ]
    return _page_each(conn, queries, limit, max_id, since_id, min_id)


def timeline_ids_from_db(conn: Connection, kind: str, owner_id: int, *, limit: int) -> list[int]:
    """The newest ``limit`` IDs of one timeline of ``kind`` (for the store's rebuilds)."""
    if kind == HOME:
        return home_ids_from_db(conn, owner_id, limit=limit)
    if kind == LIST_KIND:
        return list_ids_from_db(conn, owner_id, limit=limit)
    raise ValueError(f"unknown timeline kind: {kind}")
