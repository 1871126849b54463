"""Home timelines computed straight from the database.

Used to rebuild a Redis timeline for a returning user, to answer while a rebuild is under
way, and to merge posts of very large accounts at read time. Applies the same rules as
fan-out (``services.delivery.audience``): posts and reposts of followed accounts and one's
own, followers-only posts of followed accounts, direct posts only where mentioned, replies
to others only when one follows the person replied to, no reposts from follows that hide
them; nothing by accounts one blocks or mutes.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Connection, and_, exists, or_, select

from staffroom.db.tables import accounts, blocks, follows, mentions, mutes, statuses
from staffroom.policies.visibility import DIRECT


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
        .union(select(mutes.c.target_account_id).where(mutes.c.account_id == owner_id))
    )
    source = (
        statuses.c.account_id.in_(list(authors))
        if authors is not None
        else or_(statuses.c.account_id == owner_id, statuses.c.account_id.in_(followed))
    )
    mentioned_owner = exists().where(
        mentions.c.status_id == statuses.c.id, mentions.c.account_id == owner_id
    )
    query = (
        select(statuses.c.id)
        .where(source)
        .where(statuses.c.account_id.not_in(hidden))
        .where(
            or_(statuses.c.visibility != DIRECT, statuses.c.account_id == owner_id, mentioned_owner)
        )
        .where(
            or_(
                statuses.c.in_reply_to_account_id.is_(None),
                statuses.c.in_reply_to_account_id == statuses.c.account_id,
                statuses.c.in_reply_to_account_id == owner_id,
                statuses.c.in_reply_to_account_id.in_(followed),
            )
        )
        .where(
            or_(
                statuses.c.reblog_of_id.is_(None),
                and_(statuses.c.account_id.not_in(hides_reblogs)),
            )
        )
    )
    if max_id is not None:
        query = query.where(statuses.c.id < max_id)
    if since_id is not None:
        query = query.where(statuses.c.id > since_id)
    if min_id is not None:
        query = query.where(statuses.c.id > min_id)
        rows = conn.execute(query.order_by(statuses.c.id.asc()).limit(limit)).scalars()
        return sorted(rows, reverse=True)
    return list(conn.execute(query.order_by(statuses.c.id.desc()).limit(limit)).scalars())


def large_accounts_followed(conn: Connection, owner_id: int, threshold: int) -> list[int]:
    """Accounts ``owner_id`` follows whose posts are merged at read time."""
    return list(
        conn.execute(
            select(accounts.c.id)
            .join(follows, follows.c.target_account_id == accounts.c.id)
            .where(follows.c.account_id == owner_id, accounts.c.followers_count >= threshold)
        ).scalars()
    )
