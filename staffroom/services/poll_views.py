"""Polls as a reader sees them: :class:`PollView`, and the polls of a page of posts.

``status_views`` asks :func:`polls_of` only for posts it has already decided the viewer may
see, and only when the page holds a post with a poll (``statuses.poll_id``). Counts and the
reader's own votes are read fresh every time (a vote changes them, an edit of the post does
not), and whether totals may be shown is decided here, once: hidden totals are ``None``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import orjson
from sqlalchemy import Connection

from staffroom import clock
from staffroom.db import fastsql


@dataclass(frozen=True, slots=True)
class PollView:
    """One poll for one reader (immutable and compared by value: a vote or the end of the
    poll makes a different view, so nothing rendered from an older one is reused)."""

    id: int
    status_id: int
    expires_at: datetime
    expired: bool
    multiple: bool
    hide_totals: bool
    votes_count: int
    voters_count: int
    options: tuple[str, ...]
    tallies: tuple[int, ...] | None  # None while the totals are hidden (until it ends)
    voted: bool | None  # None for a reader who is not signed in
    own_votes: tuple[int, ...] | None

    @property
    def results_shown(self) -> bool:
        """Whether a page shows results rather than the voting form."""
        return self.tallies is not None and (self.expired or bool(self.voted))

    def share(self, index: int) -> int:
        """Option ``index``'s share of the votes, in whole percent (0 while hidden)."""
        if self.tallies is None or not self.votes_count:
            return 0
        return round(100 * self.tallies[index] / self.votes_count)


_OF_POSTS = (
    "SELECT id, status_id, account_id, options, multiple, hide_totals, expires_at,"
    " votes_count, voters_count, tallies FROM polls WHERE id IN (?)"
)
_OWN_VOTES = (
    "SELECT poll_id, choice FROM poll_votes WHERE account_id = ? AND poll_id IN (?)"
    " ORDER BY poll_id, choice"
)


def aware(moment: datetime | str) -> datetime:
    """A stored time as an aware UTC datetime (SQLite gives it naive, or as text through
    ``fastsql``)."""
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def view_of(row: Any, viewer_id: int | None, own: Sequence[int]) -> PollView:
    """A ``polls`` row (or the tuple :data:`_OF_POSTS` selects) as ``viewer_id`` sees it."""
    expires_at = aware(row.expires_at)
    expired = expires_at <= clock.now()
    tallies = tuple(orjson.loads(row.tallies))
    shown = expired or not row.hide_totals
    voted = None if viewer_id is None else (viewer_id == row.account_id or bool(own))
    return PollView(
        int(row.id),
        int(row.status_id),
        expires_at,
        expired,
        bool(row.multiple),
        bool(row.hide_totals),
        int(row.votes_count),
        int(row.voters_count),
        tuple(orjson.loads(row.options)),
        tallies if shown else None,
        voted,
        None if viewer_id is None else tuple(own),
    )


def polls_of(
    conn: Connection, viewer_id: int | None, poll_ids: Sequence[int]
) -> dict[int, PollView]:
    """The polls ``poll_ids`` as ``viewer_id`` sees them, by poll ID (two small reads)."""
    if not poll_ids:
        return {}
    ids = list(set(poll_ids))
    own: dict[int, list[int]] = {}
    if viewer_id is not None:
        for poll_id, choice in fastsql.run_plain(conn, _OWN_VOTES, viewer_id, ids):
            own.setdefault(poll_id, []).append(int(choice))
    return {
        int(row.id): view_of(row, viewer_id, own.get(int(row.id), ()))
        for row in fastsql.run(conn, _OF_POSTS, ids)
    }
