"""What an event's topic page shows one viewer (issue 15): the call's state, the proposals
with their proposers, the vote's post as the viewer may see it, and what a host may do.

A proposal by someone the viewer blocks, is blocked by, or mutes is left out for everyone
but the event's hosts (who shortlist from all of them); the vote's post is read through
``status_views.load_view``, so it follows the visibility rules like any post.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, select

from staffroom import clock
from staffroom.db.tables import accounts, mutes
from staffroom.services.blocks import mute_active
from staffroom.services.event_topics import (
    MAX_SHORTLIST,
    Proposal,
    next_occurrence_id,
    proposals,
)
from staffroom.services.events import Event, require_event
from staffroom.services.pack_reads import blocked_either_way
from staffroom.services.status_views import StatusView, load_view


@dataclass(frozen=True, slots=True)
class ProposalRow:
    proposal: Proposal
    username: str
    display_name: str


@dataclass(frozen=True, slots=True)
class TopicPage:
    event: Event
    proposals: list[ProposalRow]
    vote: StatusView | None  # the poll's post, while voting or after
    no_votes: bool  # the last vote closed without votes: nothing was decided
    is_host: bool
    can_open: bool  # the call may be opened on this event (upcoming, the series' next)
    max_shortlist: int = MAX_SHORTLIST


def _hidden(conn: Connection, viewer_id: int | None, authors: set[int]) -> set[int]:
    if viewer_id is None or not authors:
        return set()
    muted = conn.execute(
        select(mutes.c.target_account_id).where(
            mutes.c.account_id == viewer_id, mutes.c.target_account_id.in_(authors), mute_active()
        )
    ).scalars()
    return blocked_either_way(conn, viewer_id, authors) | set(muted)


def topic_page(conn: Connection, viewer_id: int | None, event_id: int) -> TopicPage:
    """The topic page of ``event_id`` for ``viewer_id`` (404 if there is no such event)."""
    event = require_event(conn, event_id)
    is_host = event.is_host(viewer_id)
    found = proposals(conn, event.id)
    authors = {p.account_id for p in found}
    hidden = set() if is_host else _hidden(conn, viewer_id, authors)
    names = {
        r.id: (r.username, r.display_name)
        for r in conn.execute(
            select(accounts.c.id, accounts.c.username, accounts.c.display_name).where(
                accounts.c.id.in_(authors)
            )
        )
    }
    rows = [
        ProposalRow(p, *names.get(p.account_id, ("", "")))
        for p in found
        if p.account_id not in hidden
    ]
    poll_id = event.topic_poll_status_id
    vote = load_view(conn, viewer_id, poll_id) if poll_id is not None else None
    now = clock.now()
    can_open = event.phase(now) == "upcoming" and (
        event.series_id is None or next_occurrence_id(conn, event.series_id, now) == event.id
    )
    return TopicPage(
        event=event,
        proposals=rows,
        vote=vote,
        no_votes=poll_id is not None and event.topic_state in ("closed", "open"),
        is_host=is_host,
        can_open=can_open,
    )
