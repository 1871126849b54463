"""Where suggestions of whom to follow come from: a registry of sources (read-only).

Each :class:`Source` is one bounded query (every statement has a ``LIMIT`` or reads a capped
sample, on the ``follows``, ``status_tags``, ``tag_follows`` and ``account_interests``
indexes) returning candidates, each with a :class:`Reason` holding its evidence. Sources do
not decide who may be suggested or in which order: ``services.suggestions`` combines every
source in :data:`SOURCES`, removes whoever must never be suggested and ranks, in one place.

To add a source (e.g. "in 2 packs you used", "in the directory under your subject"): write
``find(ctx) -> dict[account_id, Reason]`` (bounded; leave out ``ctx.excluded()``), add a
``Source`` to :data:`SOURCES` (or call :func:`register`) with its Mastodon ``sources`` value
and weight, and give its ``kind`` its words in ``web/templates/_suggestions.html``
(``reason_text``) and in Spanish.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Select, func, literal_column, select, union_all

from staffroom.db import fastsql
from staffroom.db.tables import (
    account_interests,
    accounts,
    blocks,
    follows,
    mutes,
    status_tags,
    suggestion_candidates,
    suggestion_dismissals,
    suggestion_refreshes,
    tag_follows,
    tags,
)
from staffroom.db.tables import statuses as statuses_table
from staffroom.services.blocks import mute_active
from staffroom.services.onboarding import id_floor

ACTIVE_DAYS = 90  # nobody without a post in this many days is suggested
RECENT_DAYS = 30  # "posts in #tag": posts of the last 30 days
FOLLOWING = 500  # of the viewer's follows (newest first), where example usernames come from
LIVE_FOLLOWING = 100  # counted live for someone whose candidates were never precomputed
POOL = 300  # candidates a source may contribute
TAGGINGS = 500  # newest tagged posts read for the hashtag sources
RECENT_POSTS = 2000  # newest posts whose authors the fillers choose from
EXAMPLES = 2  # usernames given as evidence for "followed by"

# Mastodon's ``Suggestion.sources`` values (entities/Suggestion).
FEATURED = "featured"
MOST_FOLLOWED = "most_followed"
MOST_INTERACTIONS = "most_interactions"
SIMILAR = "similar_to_recently_followed"
FRIENDS_OF_FRIENDS = "friends_of_friends"


@dataclass(frozen=True, slots=True)
class Reason:
    """Why someone is suggested: ``kind`` (a source's) and its evidence.

    ``count``: how many (people you follow, posts, shared interests, packs...); ``tags``:
    hashtag names; ``usernames``: example people; ``labels``: any other names a source
    shows (pack titles, a directory field's value); ``partial``: counted over a capped
    sample, so ``count`` is "at least"."""

    kind: str
    count: int = 0
    tags: tuple[str, ...] = ()
    usernames: tuple[str, ...] = ()
    labels: tuple[str, ...] = ()
    partial: bool = False


@dataclass(slots=True)
class Context:
    """What every source may read about the viewer, loaded once per computation."""

    conn: Connection
    viewer_id: int
    now: datetime
    keep: frozenset[int] = frozenset()  # followed, yet to be kept (the first-run page)
    interests: dict[int, str] = field(default_factory=dict)  # tag id -> name
    followed_tags: dict[int, str] = field(default_factory=dict)
    following: list[int] = field(default_factory=list)  # newest FOLLOWING follows
    cache: dict[str, Any] = field(default_factory=dict)  # shared by sources in one run

    def excluded(self) -> Select[tuple[int]]:
        """Accounts no source should spend its pool on: the viewer's follows (except
        ``keep``), dismissals and blocks either way (``suggestions`` re-checks all)."""
        mine = select(follows.c.target_account_id).where(follows.c.account_id == self.viewer_id)
        if self.keep:
            mine = mine.where(follows.c.target_account_id.not_in(list(self.keep)))
        return union_all(
            mine,
            select(suggestion_dismissals.c.target_account_id).where(
                suggestion_dismissals.c.account_id == self.viewer_id
            ),
            select(blocks.c.target_account_id).where(blocks.c.account_id == self.viewer_id),
            select(blocks.c.account_id).where(blocks.c.target_account_id == self.viewer_id),
            select(mutes.c.target_account_id).where(
                mutes.c.account_id == self.viewer_id, mute_active(self.now)
            ),
            select(literal_column(str(int(self.viewer_id)))),
        )  # type: ignore[return-value]

    def excluded_ids(self) -> set[int]:
        """The same as :meth:`excluded`, read once into a set (plain SQL)."""
        found = self.cache.get("excluded")
        if found is None:
            me, now = self.viewer_id, fastsql.timestamp(self.conn, self.now)
            rows = fastsql.run_plain(self.conn, _EXCLUDED, me, me, me, me, me, now)
            found = {t for t, followed in rows if not followed or t not in self.keep} | {me}
            self.cache["excluded"] = found
        return set(found)


_EXCLUDED = (  # (account, 1 when only a follow: ``keep`` may let it through)
    "SELECT target_account_id, 1 FROM follows WHERE account_id = ?"
    " UNION ALL SELECT target_account_id, 0 FROM suggestion_dismissals WHERE account_id = ?"
    " UNION ALL SELECT target_account_id, 0 FROM blocks WHERE account_id = ?"
    " UNION ALL SELECT account_id, 0 FROM blocks WHERE target_account_id = ?"
    " UNION ALL SELECT target_account_id, 0 FROM mutes WHERE account_id = ?"
    " AND (expires_at IS NULL OR expires_at > ?)"
)


Finder = Callable[[Context], dict[int, Reason]]
Describer = Callable[[Context, dict[int, Reason]], dict[int, Reason]]


@dataclass(frozen=True, slots=True)
class Source:
    """One origin of suggestions.

    ``kind`` names its reasons; ``mastodon`` is the ``Suggestion.sources`` value it maps
    to; ``weight`` how much one unit of evidence counts in the ranking; ``find`` the bounded
    query; ``describe`` (optional) completes the evidence of the few shown (e.g. example
    usernames), so that work is not done for the whole pool; ``filler``: used only when
    the others find too few."""

    kind: str
    mastodon: str
    weight: float
    find: Finder
    describe: Describer | None = None
    filler: bool = False


def load_context(
    conn: Connection, viewer_id: int, now: datetime, keep: Collection[int] = ()
) -> Context:
    """The viewer's interests, followed hashtags and newest follows (three index reads)."""
    interests = {
        row.id: row.name
        for row in conn.execute(
            select(tags.c.id, tags.c.name)
            .join(account_interests, account_interests.c.tag_id == tags.c.id)
            .where(account_interests.c.account_id == viewer_id)
            .order_by(account_interests.c.id)
        )
    }
    followed_tags = {
        row.id: row.name
        for row in conn.execute(
            select(tags.c.id, tags.c.name)
            .join(tag_follows, tag_follows.c.tag_id == tags.c.id)
            .where(tag_follows.c.account_id == viewer_id)
            .order_by(tag_follows.c.id.desc())
            .limit(100)
        )
    }
    following = list(
        conn.execute(
            select(follows.c.target_account_id)
            .where(follows.c.account_id == viewer_id)
            .order_by(follows.c.id.desc())
            .limit(FOLLOWING)
        ).scalars()
    )
    return Context(conn, viewer_id, now, frozenset(keep), interests, followed_tags, following)


def _followed_by(ctx: Context) -> dict[int, Reason]:
    """Precomputed by ``services.suggestion_refresh`` (exact when it ran); for someone never
    refreshed, counted live over their newest ``LIVE_FOLLOWING`` follows."""
    state = ctx.conn.execute(
        select(suggestion_refreshes.c.computed_at, suggestion_refreshes.c.partial).where(
            suggestion_refreshes.c.account_id == ctx.viewer_id
        )
    ).first()
    if state is not None and state.computed_at is not None:
        stored = ctx.conn.execute(
            select(
                suggestion_candidates.c.target_account_id,
                suggestion_candidates.c.followers_in_network,
            )
            .where(
                suggestion_candidates.c.account_id == ctx.viewer_id,
                suggestion_candidates.c.followers_in_network > 0,
                suggestion_candidates.c.target_account_id.not_in(ctx.excluded()),
            )
            .order_by(
                suggestion_candidates.c.followers_in_network.desc(),
                suggestion_candidates.c.target_account_id.desc(),
            )
            .limit(POOL)
        )
        return {t: Reason("followed_by", n, partial=state.partial) for t, n in stored}
    sample = ctx.following[:LIVE_FOLLOWING]
    if not sample:
        return {}
    rows = ctx.conn.execute(
        select(follows.c.target_account_id, func.count())
        .where(
            follows.c.account_id.in_(sample),
            follows.c.target_account_id.not_in(ctx.excluded()),
        )
        .group_by(follows.c.target_account_id)
        .order_by(func.count().desc(), follows.c.target_account_id.desc())
        .limit(POOL)
    )
    partial = len(ctx.following) > len(sample)
    return {target: Reason("followed_by", count, partial=partial) for target, count in rows}


# The viewer's follows drive the loop (SQLite's CROSS JOIN keeps that order), each probing
# the unique (account_id, target_account_id) index: a strong candidate is found in a few
# probes, where scanning a popular candidate's followers could read thousands.
_EXAMPLES_SQL = (
    "SELECT a.username FROM follows m CROSS JOIN follows f"
    " JOIN accounts a ON a.id = f.account_id"
    " WHERE f.account_id = m.target_account_id AND f.target_account_id = ?"
    " AND m.account_id = ? LIMIT ?"
)


def _followed_by_examples(ctx: Context, chosen: dict[int, Reason]) -> dict[int, Reason]:
    """Up to two people the viewer follows who follow each shown candidate, by name."""
    described = {}
    for target, reason in chosen.items():
        rows = fastsql.run_plain(ctx.conn, _EXAMPLES_SQL, target, ctx.viewer_id, EXAMPLES)
        described[target] = Reason(
            reason.kind,
            reason.count,
            usernames=tuple(sorted((r[0] for r in rows), key=str.lower)),
            partial=reason.partial,
        )
    return described


def _posts_in(ctx: Context, wanted: dict[int, str], kind: str) -> dict[int, Reason]:
    """Public original posts with one of ``wanted`` hashtags in the last RECENT_DAYS."""
    if not wanted:
        return {}
    floor = id_floor(ctx.now - timedelta(days=RECENT_DAYS))
    recent = (
        select(status_tags.c.status_id, status_tags.c.tag_id)
        .where(status_tags.c.tag_id.in_(list(wanted)), status_tags.c.status_id >= floor)
        .order_by(status_tags.c.status_id.desc())
        .limit(TAGGINGS)
        .subquery()
    )
    rows = ctx.conn.execute(
        select(statuses_table.c.account_id, recent.c.status_id, recent.c.tag_id)
        .join(recent, recent.c.status_id == statuses_table.c.id)
        .where(
            statuses_table.c.visibility == 0,
            statuses_table.c.reblog_of_id.is_(None),
            statuses_table.c.account_id.not_in(ctx.excluded()),
        )
    ).all()
    # A post with two of the wanted tags is one post, not two.
    posts: dict[int, set[int]] = defaultdict(set)
    names: dict[int, set[str]] = defaultdict(set)
    for row in rows:
        posts[row.account_id].add(row.status_id)
        names[row.account_id].add(wanted[row.tag_id])
    ranked = sorted(posts, key=lambda a: (-len(posts[a]), -a))[:POOL]
    return {
        account: Reason(kind, len(posts[account]), tuple(sorted(names[account], key=str.lower)))
        for account in ranked
    }


def _posts_in_followed_tags(ctx: Context) -> dict[int, Reason]:
    return _posts_in(ctx, ctx.followed_tags, "posts_in_followed_tags")


def _posts_about_interests(ctx: Context) -> dict[int, Reason]:
    followed = {name.lower() for name in ctx.followed_tags.values()}
    only = {i: n for i, n in ctx.interests.items() if n.lower() not in followed}
    return _posts_in(ctx, only, "posts_about")


def _shares_interests(ctx: Context) -> dict[int, Reason]:
    if not ctx.interests:
        return {}
    rows = ctx.conn.execute(
        select(account_interests.c.account_id, account_interests.c.tag_id)
        .where(
            account_interests.c.tag_id.in_(list(ctx.interests)),
            account_interests.c.account_id.not_in(ctx.excluded()),
        )
        .order_by(account_interests.c.id.desc())
        .limit(POOL)
    )
    found: dict[int, list[str]] = defaultdict(list)
    for row in rows:
        found[row.account_id].append(ctx.interests[row.tag_id])
    return {
        account: Reason("shares_interests", len(names), tuple(sorted(names, key=str.lower)))
        for account, names in found.items()
    }


def _recent_posters(ctx: Context) -> list[tuple[int, int]]:
    """Authors of the newest ``RECENT_POSTS`` posts who may be suggested, with their
    follower counts, most followed first (read once per computation, for both fillers)."""
    cached = ctx.cache.get("recent_posters")
    if cached is None:
        recent = (
            select(statuses_table.c.account_id)
            .order_by(statuses_table.c.id.desc())
            .limit(RECENT_POSTS)
            .subquery()
        )
        cached = ctx.cache["recent_posters"] = [
            (row.id, row.followers_count)
            for row in ctx.conn.execute(
                select(accounts.c.id, accounts.c.followers_count)
                .where(
                    accounts.c.id.in_(select(recent.c.account_id)),
                    accounts.c.discoverable.is_(True),
                    accounts.c.last_status_at >= ctx.now - timedelta(days=ACTIVE_DAYS),
                    accounts.c.id.not_in(ctx.excluded()),
                )
                .order_by(accounts.c.followers_count.desc(), accounts.c.id.desc())
                .limit(POOL)
            )
        ]
    return cached


def _popular(ctx: Context) -> dict[int, Reason]:
    return {a: Reason("popular", n) for a, n in _recent_posters(ctx) if n > 0}


def _recently_active(ctx: Context) -> dict[int, Reason]:
    return {a: Reason("recently_active") for a, n in _recent_posters(ctx) if n == 0}


SOURCES: list[Source] = [
    Source("followed_by", FRIENDS_OF_FRIENDS, 6.0, _followed_by, _followed_by_examples),
    Source("posts_in_followed_tags", SIMILAR, 10.0, _posts_in_followed_tags),
    Source("posts_about", SIMILAR, 8.0, _posts_about_interests),
    Source("shares_interests", SIMILAR, 3.0, _shares_interests),
    Source("popular", MOST_FOLLOWED, 0.5, _popular, filler=True),
    Source("recently_active", MOST_INTERACTIONS, 0.1, _recently_active, filler=True),
]


def register(source: Source) -> None:
    """Add (or replace, by ``kind``) a source: the extension point for new reasons."""
    SOURCES[:] = [s for s in SOURCES if s.kind != source.kind]
    SOURCES.insert(sum(1 for s in SOURCES if not s.filler), source)


def source_of(kind: str) -> Source | None:
    return next((s for s in SOURCES if s.kind == kind), None)
