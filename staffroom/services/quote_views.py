"""Quotes as a viewer sees them, for ``status_views``: :class:`QuoteView`, the rows of quoted
posts loaded with a page (:func:`quoted_rows`) and each quote's state for the viewer
(:class:`Quoting`, through ``policies.visibility.quote_state``)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection

from staffroom.db import fastsql
from staffroom.policies.visibility import QUOTE_SHOWN, ViewerFacts, quote_state

if TYPE_CHECKING:
    from staffroom.services.status_views import StatusView

_NO_ONE: frozenset[int] = frozenset()


@dataclass(frozen=True, slots=True)
class QuoteView:
    """A quote as one viewer sees it: ``state`` (``policies.visibility.quote_state``) and,
    when shown, the quoted post (``status``, one level deep: its own quote has only the
    quoted post's ID, ``quoted_id``, and only when that one is shown too)."""

    state: str
    status: StatusView | None = None
    quoted_id: int | None = None
    shallow: bool = False  # inside a quoted post: Mastodon's ShallowQuote


_QUOTE_STATES = "SELECT status_id, state FROM quotes WHERE status_id IN (?)"


def quoted_rows(
    conn: Connection,
    viewer_id: int | None,
    rows: dict[int, Any],
    flags: dict[int, Any],
    authors: dict[int, Any],
    read_rows: Callable[..., None],
) -> dict[int, str]:
    """Rows of the posts that posts in ``rows`` quote, two levels deep (the second only to
    decide whether its ID may be shown), into ``rows``; returns the stored state of each
    quote. No statement at all for a page without quotes (the quoted ID is in the row)."""
    quoting: list[int] = []
    for _ in range(2):
        wanted = set()
        for row in list(rows.values()):
            if row.quoted_status_id is not None:
                quoting.append(row.id)
                if row.quoted_status_id not in rows:
                    wanted.add(row.quoted_status_id)
        if not wanted:
            break
        read_rows(conn, viewer_id, wanted, rows, flags, authors)
    if not quoting:
        return {}
    return dict(fastsql.run_plain(conn, _QUOTE_STATES, list(set(quoting))))


@dataclass(frozen=True, slots=True)
class Quoting:
    """What ``status_views._assemble`` needs to tell each viewer about quotes."""

    rows: dict[int, Any]
    stored: dict[int, str]
    facts: ViewerFacts

    def state(self, row: Any, static: dict[int, Any]) -> tuple[str, Any]:
        """The viewer's state of ``row``'s quote and the quoted row when it is shown."""
        quoted = self.rows.get(row.quoted_status_id)
        if quoted is not None and quoted.id not in static:
            quoted = None
        state = quote_state(
            self.facts,
            stored=self.stored.get(row.id),
            author_id=None if quoted is None else quoted.account_id,
            visibility=0 if quoted is None else quoted.visibility,
            mentioned=_NO_ONE if quoted is None else static[quoted.id].mentioned,
        )
        return state, (quoted if state in QUOTE_SHOWN else None)
