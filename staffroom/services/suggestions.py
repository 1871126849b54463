"""Whom to follow, each with the reasons why: read-only.

Candidates come from bounded queries (each with a ``LIMIT``, on the ``status_tags`` and
``follows`` indexes):

- ``posts_about``: posted publicly with one of the viewer's interest hashtags in the last
  ``RECENT_DAYS`` days (evidence: the tags and how many such posts);
- ``followed_by``: followed by people the viewer follows (evidence: how many, and up to two
  of their usernames);
- ``shares_interests``: has one of the viewer's interests among their own (evidence: tags);
- ``popular`` / ``recently_active``: only to fill the list when the above find too few.

Excluded: the viewer, people they follow (unless listed in ``keep``, e.g. followed from the
page showing the suggestions), anyone blocked by or blocking the viewer, anyone the viewer
mutes, accounts that are not ``discoverable`` and accounts with no post in ``ACTIVE_DAYS``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Row, func, select

from staffroom.db.tables import (
    account_interests,
    accounts,
    blocks,
    follows,
    mutes,
    status_tags,
    tags,
)
from staffroom.db.tables import statuses as statuses_table
from staffroom.services.blocks import mute_active
from staffroom.services.onboarding import id_floor

RECENT_DAYS = 30
ACTIVE_DAYS = 90
_POOL = 200  # candidates each source may contribute
_TAGGINGS = 2000  # newest tagged posts read for "posts about"
_FOLLOWING = 500  # of the viewer's follows, how many are asked whom they follow
_EXAMPLES = 2
_WEIGHTS = {"posts_about": 10, "followed_by": 6, "shares_interests": 3}


@dataclass(frozen=True, slots=True)
class Reason:
    """Why someone is suggested: ``kind`` plus its evidence (tag names, usernames, count)."""

    kind: str
    count: int = 0
    tags: tuple[str, ...] = ()
    usernames: tuple[str, ...] = ()


@dataclass(slots=True)
class Suggestion:
    """A suggested account (an ``accounts`` row), its reasons and whether it is followed."""

    account: Row[Any]
    reasons: list[Reason] = field(default_factory=list)
    following: bool = False

    @property
    def score(self) -> int:
        return sum(_WEIGHTS.get(r.kind, 0) * max(r.count, 1) for r in self.reasons)


def _interest_tags(conn: Connection, viewer_id: int) -> dict[int, str]:
    rows = conn.execute(
        select(tags.c.id, tags.c.name)
        .join(account_interests, account_interests.c.tag_id == tags.c.id)
        .where(account_interests.c.account_id == viewer_id)
        .order_by(account_interests.c.id)
    )
    return {row.id: row.name for row in rows}


def _posts_about(conn: Connection, interests: dict[int, str], now: datetime) -> dict[int, Reason]:
    if not interests:
        return {}
    floor = id_floor(now - timedelta(days=RECENT_DAYS))
    recent = (
        select(status_tags.c.status_id, status_tags.c.tag_id)
        .where(status_tags.c.tag_id.in_(list(interests)), status_tags.c.status_id >= floor)
        .order_by(status_tags.c.status_id.desc())
        .limit(_TAGGINGS)
        .subquery()
    )
    rows = conn.execute(
        select(statuses_table.c.account_id, recent.c.status_id, recent.c.tag_id)
        .join(recent, recent.c.status_id == statuses_table.c.id)
        .where(statuses_table.c.visibility == 0, statuses_table.c.reblog_of_id.is_(None))
    )
    # A post with two of the viewer's interests is one post about them, not two.
    posts: dict[int, set[int]] = defaultdict(set)
    names: dict[int, set[str]] = defaultdict(set)
    for row in rows:
        posts[row.account_id].add(row.status_id)
        names[row.account_id].add(interests[row.tag_id])
    return {
        account: Reason("posts_about", len(ids), tuple(sorted(names[account], key=str.lower)))
        for account, ids in posts.items()
    }


def _shares_interests(
    conn: Connection, viewer_id: int, interests: dict[int, str]
) -> dict[int, Reason]:
    if not interests:
        return {}
    rows = conn.execute(
        select(account_interests.c.account_id, account_interests.c.tag_id)
        .where(
            account_interests.c.tag_id.in_(list(interests)),
            account_interests.c.account_id != viewer_id,
        )
        .order_by(account_interests.c.id.desc())
        .limit(_POOL)
    )
    found: dict[int, list[str]] = defaultdict(list)
    for row in rows:
        found[row.account_id].append(interests[row.tag_id])
    return {
        account: Reason("shares_interests", len(names), tuple(sorted(names, key=str.lower)))
        for account, names in found.items()
    }


def _followed_by(conn: Connection, viewer_id: int) -> dict[int, Reason]:
    mine = (
        select(follows.c.target_account_id)
        .where(follows.c.account_id == viewer_id)
        .order_by(follows.c.id.desc())
        .limit(_FOLLOWING)
        .subquery()
    )
    counts: dict[int, int] = {
        target: count
        for target, count in conn.execute(
            select(follows.c.target_account_id, func.count())
            .where(follows.c.account_id.in_(select(mine.c.target_account_id)))
            .group_by(follows.c.target_account_id)
            .order_by(func.count().desc(), follows.c.target_account_id.desc())
            .limit(_POOL)
        )
    }
    if not counts:
        return {}
    examples: dict[int, list[str]] = defaultdict(list)
    rows = conn.execute(
        select(follows.c.target_account_id, accounts.c.username)
        .join(accounts, accounts.c.id == follows.c.account_id)
        .where(
            follows.c.account_id.in_(select(mine.c.target_account_id)),
            follows.c.target_account_id.in_(list(counts)),
        )
        .order_by(follows.c.target_account_id, accounts.c.username_lower)
    )
    for row in rows:
        if len(examples[row.target_account_id]) < _EXAMPLES:
            examples[row.target_account_id].append(row.username)
    return {
        target: Reason("followed_by", count, usernames=tuple(examples[target]))
        for target, count in counts.items()
    }


def _eligible(
    conn: Connection, viewer_id: int, ids: Collection[int], keep: Collection[int], now: datetime
) -> dict[int, Row[Any]]:
    if not ids:
        return {}
    followed = select(follows.c.target_account_id).where(follows.c.account_id == viewer_id)
    if keep:
        followed = followed.where(follows.c.target_account_id.not_in(list(keep)))
    rows = conn.execute(
        select(accounts).where(
            accounts.c.id.in_(list(ids)),
            accounts.c.id != viewer_id,
            accounts.c.discoverable.is_(True),
            accounts.c.last_status_at >= now - timedelta(days=ACTIVE_DAYS),
            accounts.c.id.not_in(followed),
            accounts.c.id.not_in(
                select(blocks.c.target_account_id).where(blocks.c.account_id == viewer_id)
            ),
            accounts.c.id.not_in(
                select(blocks.c.account_id).where(blocks.c.target_account_id == viewer_id)
            ),
            accounts.c.id.not_in(
                select(mutes.c.target_account_id).where(
                    mutes.c.account_id == viewer_id, mute_active(now)
                )
            ),
        )
    )
    return {row.id: row for row in rows}


def _fallback(conn: Connection, viewer_id: int, now: datetime) -> list[int]:
    return list(
        conn.execute(
            select(accounts.c.id)
            .where(
                accounts.c.id != viewer_id,
                accounts.c.discoverable.is_(True),
                accounts.c.last_status_at >= now - timedelta(days=ACTIVE_DAYS),
            )
            .order_by(accounts.c.followers_count.desc(), accounts.c.last_status_at.desc())
            .limit(_POOL)
        ).scalars()
    )


def suggestions(
    conn: Connection, viewer_id: int, limit: int = 12, *, keep: Collection[int] = ()
) -> list[Suggestion]:
    """Up to ``limit`` people ``viewer_id`` may want to follow, best first, with reasons.

    Accounts in ``keep`` stay in the list (marked ``following``) even once followed."""
    now = datetime.now(UTC)
    interests = _interest_tags(conn, viewer_id)
    sources = [
        _posts_about(conn, interests, now),
        _followed_by(conn, viewer_id),
        _shares_interests(conn, viewer_id, interests),
    ]
    reasons: dict[int, list[Reason]] = defaultdict(list)
    for source in sources:
        for account_id, reason in source.items():
            reasons[account_id].append(reason)
    keep = set(keep)
    rows = _eligible(conn, viewer_id, set(reasons) | keep, keep, now)
    found = [Suggestion(row, reasons.get(account_id, [])) for account_id, row in rows.items()]
    if len(found) < limit:
        extra = [i for i in _fallback(conn, viewer_id, now) if i not in rows]
        for row in _eligible(conn, viewer_id, extra, (), now).values():
            kind = "popular" if row.followers_count else "recently_active"
            found.append(Suggestion(row, [Reason(kind, row.followers_count)]))
    following = set(
        conn.execute(
            select(follows.c.target_account_id).where(
                follows.c.account_id == viewer_id,
                follows.c.target_account_id.in_([s.account.id for s in found]),
            )
        ).scalars()
    )
    for suggestion in found:
        suggestion.following = suggestion.account.id in following
    found.sort(
        key=lambda s: (
            -s.score,
            -s.account.followers_count,
            -(s.account.last_status_at.timestamp() if s.account.last_status_at else 0),
            s.account.id,
        )
    )
    kept = [s for s in found if s.account.id in keep]
    others = [s for s in found if s.account.id not in keep][: max(limit - len(kept), 0)]
    chosen = {s.account.id for s in kept + others}
    return [s for s in found if s.account.id in chosen]
