"""The viewer's relationship to other accounts (follows, blocks, mutes), in batches.

Reads ``accounts``, ``follows``, ``blocks``, ``mutes`` and ``account_pins`` (endorsements): six
queries whatever the number of accounts. Unknown accounts are left out, as Mastodon does.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, and_, or_, select

from staffroom.db.tables import account_pins, accounts, blocks, follows, mutes
from staffroom.errors import NotFound
from staffroom.services.blocks import mute_active


@dataclass(frozen=True, slots=True)
class Relationship:
    """What ``viewer`` and ``account_id`` are to each other."""

    account_id: int
    following: bool = False
    showing_reblogs: bool = False
    notifying: bool = False
    followed_by: bool = False
    blocking: bool = False
    blocked_by: bool = False
    muting: bool = False
    muting_notifications: bool = False
    muting_expires_at: datetime | None = None
    endorsed: bool = False


def relationships(conn: Connection, viewer_id: int, account_ids: list[int]) -> list[Relationship]:
    """One :class:`Relationship` per existing account among ``account_ids``, in that order."""
    wanted = list(dict.fromkeys(account_ids))
    if not wanted:
        return []
    existing = set(conn.execute(select(accounts.c.id).where(accounts.c.id.in_(wanted))).scalars())
    ids = [account_id for account_id in wanted if account_id in existing]
    outgoing = {
        row.target_account_id: row
        for row in conn.execute(
            select(follows.c.target_account_id, follows.c.show_reblogs, follows.c.notify).where(
                follows.c.account_id == viewer_id, follows.c.target_account_id.in_(ids)
            )
        )
    }
    incoming = set(
        conn.execute(
            select(follows.c.account_id).where(
                follows.c.target_account_id == viewer_id, follows.c.account_id.in_(ids)
            )
        ).scalars()
    )
    block_pairs = conn.execute(
        select(blocks.c.account_id, blocks.c.target_account_id).where(
            or_(
                and_(blocks.c.account_id == viewer_id, blocks.c.target_account_id.in_(ids)),
                and_(blocks.c.target_account_id == viewer_id, blocks.c.account_id.in_(ids)),
            )
        )
    ).all()
    blocking = {t for a, t in block_pairs if a == viewer_id}
    blocked_by = {a for a, t in block_pairs if t == viewer_id}
    muted = {
        row.target_account_id: row
        for row in conn.execute(
            select(mutes.c.target_account_id, mutes.c.hide_notifications, mutes.c.expires_at)
            .where(mutes.c.account_id == viewer_id, mutes.c.target_account_id.in_(ids))
            .where(mute_active())
        )
    }
    endorsed = set(
        conn.execute(
            select(account_pins.c.target_account_id).where(
                account_pins.c.account_id == viewer_id, account_pins.c.target_account_id.in_(ids)
            )
        ).scalars()
    )
    result = []
    for account_id in ids:
        follow = outgoing.get(account_id)
        mute = muted.get(account_id)
        result.append(
            Relationship(
                account_id=account_id,
                following=follow is not None,
                showing_reblogs=bool(follow and follow.show_reblogs),
                notifying=bool(follow and follow.notify),
                followed_by=account_id in incoming,
                blocking=account_id in blocking,
                blocked_by=account_id in blocked_by,
                muting=mute is not None,
                muting_notifications=bool(mute and mute.hide_notifications),
                muting_expires_at=mute.expires_at if mute else None,
                endorsed=account_id in endorsed,
            )
        )
    return result


def relationship(conn: Connection, viewer_id: int, account_id: int) -> Relationship:
    """The relationship to one account (which must exist)."""
    found = relationships(conn, viewer_id, [account_id])
    if not found:
        raise NotFound()
    return found[0]
