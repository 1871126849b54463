"""Whom to follow, each with the reasons why; and dismissing a suggestion for good.

Computed on request by a bounded traversal (decision 0021): every source of
``services.suggestion_sources.SOURCES`` runs its capped query, the candidates are combined,
checked and ranked here, in one place, and only the shown ones get their evidence completed
(example usernames). ``suggestions`` reads; ``dismiss`` writes ``suggestion_dismissals``.

Never suggested: the viewer, people they follow (unless listed in ``keep``, e.g. followed
from the page showing the suggestions), anyone they blocked or who blocked them, anyone they
mute, anyone they dismissed, accounts that opted out (``discoverable`` false: Mastodon's
"feature my profile in discovery", which Mastodon clients set) and accounts with no post in
``ACTIVE_DAYS``.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from sqlalchemy import Connection, Row, select

from staffroom import clock
from staffroom.db import fastsql
from staffroom.db.tables import accounts, follows, suggestion_dismissals
from staffroom.db.upsert import insert_ignore
from staffroom.errors import ValidationFailed
from staffroom.services.accounts import get_account
from staffroom.services.suggestion_sources import (
    ACTIVE_DAYS,
    SOURCES,
    Context,
    Reason,
    Source,
    load_context,
    source_of,
)
from staffroom.services.suggestion_sources_curated import register_all

register_all()  # starter packs used and the directory: sources defined beside the registry

__all__ = ["ACTIVE_DAYS", "Reason", "Suggestion", "dismiss", "suggestions"]

MAX_LIMIT = 80


@dataclass(slots=True)
class Suggestion:
    """A suggested account (an ``accounts`` row), its reasons (strongest first) and whether
    the viewer follows it (only for ``keep``)."""

    account: Row[Any]
    reasons: list[Reason] = field(default_factory=list)
    following: bool = False

    @property
    def score(self) -> float:
        return sum(_points(r) for r in self.reasons)

    @property
    def sources(self) -> list[str]:
        """Mastodon's ``sources`` values for the reasons, strongest first, each once."""
        found: list[str] = []
        for reason in self.reasons:
            source = source_of(reason.kind)
            if source is not None and source.mastodon not in found:
                found.append(source.mastodon)
        return found


# What ranking needs (plain SQL: hundreds of IDs cost SQLAlchemy more than SQLite).
_ELIGIBLE = (
    "SELECT id, followers_count, last_status_at FROM accounts"
    " WHERE id IN (?) AND discoverable = ? AND last_status_at >= ?"
)


def _points(reason: Reason) -> float:
    source = source_of(reason.kind)
    weight = source.weight if source is not None else 0.0
    return weight * math.log2(2 + reason.count)


def _eligible(ctx: Context, ids: Collection[int]) -> dict[int, Any]:
    """What ranking needs of those among ``ids`` who may be suggested (every rule,
    re-checked); the whole rows are read for the chosen few only."""
    if not ids:
        return {}
    excluded = ctx.excluded_ids()
    floor = fastsql.timestamp(ctx.conn, ctx.now - timedelta(days=ACTIVE_DAYS))
    wanted = [i for i in ids if i not in excluded]
    if not wanted:
        return {}
    rows = fastsql.run(ctx.conn, _ELIGIBLE, wanted, True, floor)
    return {row.id: row for row in rows}


def _collect(ctx: Context, sources: list[Source]) -> dict[int, list[Reason]]:
    reasons: dict[int, list[Reason]] = defaultdict(list)
    for source in sources:
        for account_id, reason in source.find(ctx).items():
            reasons[account_id].append(reason)
    return reasons


def _rank(found: list[Suggestion]) -> None:
    """Best first: score, then followers, then the latest post, then ID (stable sorts from
    the last key to the first; times compare as the database returns them)."""
    scores = {}
    for suggestion in found:
        points = [(_points(r), r) for r in suggestion.reasons]
        points.sort(key=lambda p: p[0], reverse=True)
        suggestion.reasons = [r for _, r in points]
        scores[suggestion.account.id] = sum(p for p, _ in points)
    found.sort(key=lambda s: s.account.id)
    found.sort(key=lambda s: s.account.last_status_at, reverse=True)
    found.sort(key=lambda s: (scores[s.account.id], s.account.followers_count), reverse=True)


def _describe(ctx: Context, chosen: list[Suggestion]) -> None:
    """Complete the evidence of the shown suggestions (sources with ``describe``)."""
    for source in SOURCES:
        if source.describe is None:
            continue
        mine = {s.account.id: r for s in chosen for r in s.reasons if r.kind == source.kind}
        if not mine:
            continue
        described = source.describe(ctx, mine)
        for suggestion in chosen:
            suggestion.reasons = [
                described.get(suggestion.account.id, r) if r.kind == source.kind else r
                for r in suggestion.reasons
            ]


def suggestions(
    conn: Connection,
    viewer_id: int,
    limit: int = 12,
    *,
    keep: Collection[int] = (),
    offset: int = 0,
) -> list[Suggestion]:
    """Up to ``limit`` people ``viewer_id`` may want to follow, best first, with reasons,
    after skipping ``offset``. Accounts in ``keep`` stay in the list (marked
    ``following``) even once followed."""
    if not 0 <= limit <= MAX_LIMIT or offset < 0:
        raise ValidationFailed(f"limit must be between 0 and {MAX_LIMIT}")
    ctx = load_context(conn, viewer_id, clock.now(), keep)
    wanted = offset + limit
    reasons = _collect(ctx, [s for s in SOURCES if not s.filler])
    rows = _eligible(ctx, set(reasons) | ctx.keep)
    found = [Suggestion(row, reasons.get(i, [])) for i, row in rows.items()]
    if len(found) < wanted:
        extra = {
            i: r
            for i, r in _collect(ctx, [s for s in SOURCES if s.filler]).items()
            if i not in rows
        }
        found += [Suggestion(row, extra[i]) for i, row in _eligible(ctx, extra).items()]
    _rank(found)
    kept = [s for s in found if s.account.id in ctx.keep]
    others = [s for s in found if s.account.id not in ctx.keep]
    room = max(wanted - len(kept), 0)
    chosen_ids = {s.account.id for s in kept + others[:room]}
    chosen = [s for s in found if s.account.id in chosen_ids][offset:]
    full = {
        row.id: row
        for row in conn.execute(
            select(accounts).where(accounts.c.id.in_([s.account.id for s in chosen]))
        )
    }
    for suggestion in chosen:
        suggestion.account = full[suggestion.account.id]
    _describe(ctx, chosen)
    if ctx.keep:
        followed = set(
            conn.execute(
                select(follows.c.target_account_id).where(
                    follows.c.account_id == viewer_id,
                    follows.c.target_account_id.in_([s.account.id for s in chosen]),
                )
            ).scalars()
        )
        for suggestion in chosen:
            suggestion.following = suggestion.account.id in followed
    return chosen


def dismiss(conn: Connection, viewer_id: int, target_id: int) -> None:
    """Never suggest ``target_id`` to ``viewer_id`` again (404 for an unknown account)."""
    get_account(conn, target_id)
    conn.execute(
        insert_ignore(conn, suggestion_dismissals),
        {"account_id": viewer_id, "target_account_id": target_id, "created_at": clock.now()},
    )
