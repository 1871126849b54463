"""An event's topic call: hosts open it, people propose topics, hosts shortlist (issue 15).

Writes ``event_topics`` and ``events.topic_state`` (``closed`` -> ``open`` -> ``closed``;
the vote and the decision are in :mod:`staffroom.services.event_topic_vote`). A call is
opened for a one-off event or for the next upcoming occurrence of a series. A proposal comes
from a form (:func:`propose`) or from a public post with the hashtag and ``topic:``
(:mod:`staffroom.services.event_topic_posts`). A person makes at most three proposals per
event, and a topic already proposed (same words, any case) is folded into the first one.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, select, update

from staffroom import clock
from staffroom.db.tables_events import event_topics, events
from staffroom.errors import Forbidden, ValidationFailed
from staffroom.messages import N_, T_
from staffroom.services.event_topic_posts import MAX_CHARS, MIN_CHARS, add_proposal
from staffroom.services.events import Event, require_event
from staffroom.services.polls import MAX_OPTIONS

MAX_SHORTLIST = MAX_OPTIONS  # the vote is a poll: one option per shortlisted topic

_SPACES = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class Proposal:
    id: int
    account_id: int
    status_id: int | None  # the post it came from (``None``: the form)
    text: str
    shortlisted: bool
    created_at: datetime


def host_event(conn: Connection, host_id: int, event_id: int) -> Event:
    """The event if ``host_id`` hosts it; 404 if there is none, 403 for anyone else."""
    event = require_event(conn, event_id)
    if not event.is_host(host_id):
        raise Forbidden(N_("Only the event's hosts can do that"))
    return event


def next_occurrence_id(conn: Connection, series_id: int, now: datetime) -> int | None:
    return conn.execute(
        select(events.c.id)
        .where(
            events.c.series_id == series_id,
            events.c.starts_at > now,
            events.c.cancelled.is_(False),
        )
        .order_by(events.c.starts_at)
        .limit(1)
    ).scalar()


def _set_state(conn: Connection, event_id: int, state: str) -> None:
    conn.execute(
        update(events)
        .where(events.c.id == event_id)
        .values(topic_state=state, updated_at=clock.now())
    )


def open_call(conn: Connection, host_id: int, event_id: int) -> None:
    """Open the call for proposals (hosts; an upcoming one-off event or the series' next
    occurrence, whose topic is not being voted on or decided)."""
    event = host_event(conn, host_id, event_id)
    now = clock.now()
    if event.phase(now) != "upcoming":
        raise ValidationFailed(N_("Topics can only be proposed before the event starts"))
    if event.series_id is not None and next_occurrence_id(conn, event.series_id, now) != event.id:
        raise ValidationFailed(N_("Open the topic call on the series' next date"))
    if event.topic_state == "voting":
        raise ValidationFailed(N_("The vote on the topic is running"))
    if event.topic_state == "decided":
        raise ValidationFailed(N_("The topic is already decided"))
    _set_state(conn, event.id, "open")


def close_call(conn: Connection, host_id: int, event_id: int) -> None:
    """Stop taking proposals (hosts); the proposals and the shortlist stay."""
    event = host_event(conn, host_id, event_id)
    if event.topic_state == "open":
        _set_state(conn, event.id, "closed")


def clean_text(text: str) -> str:
    """A topic's words on one line, or a 422 saying how long one may be."""
    cleaned = _SPACES.sub(" ", text).strip()
    if not MIN_CHARS <= len(cleaned) <= MAX_CHARS:
        raise ValidationFailed(
            T_(
                "A topic has from %(least)s to %(most)s characters",
                least=MIN_CHARS,
                most=MAX_CHARS,
            ),
            field="text",
        )
    return cleaned


def propose(conn: Connection, account_id: int, event_id: int, text: str) -> tuple[int, bool]:
    """Propose a topic from the form while the call is open; answers (the proposal's ID,
    ``False`` if the topic had been proposed already and was folded into that one)."""
    event = require_event(conn, event_id)
    if event.topic_state != "open" or event.phase(clock.now()) != "upcoming":
        raise ValidationFailed(N_("The topic call for this event is not open"))
    return add_proposal(conn, event.id, account_id, clean_text(text), None)


def proposals(conn: Connection, event_id: int) -> list[Proposal]:
    """The event's proposals, shortlisted first, then newest first."""
    rows = conn.execute(
        select(event_topics)
        .where(event_topics.c.event_id == event_id)
        .order_by(event_topics.c.shortlisted.desc(), event_topics.c.id.desc())
    ).all()
    return [
        Proposal(
            id=r.id,
            account_id=r.account_id,
            status_id=r.status_id,
            text=r.text,
            shortlisted=bool(r.shortlisted),
            created_at=r.created_at,
        )
        for r in rows
    ]


def shortlisted(conn: Connection, event_id: int) -> list[Proposal]:
    """The shortlist, earliest proposed first (the poll's order)."""
    found = [p for p in proposals(conn, event_id) if p.shortlisted]
    return sorted(found, key=lambda p: p.id)


def set_shortlist(conn: Connection, host_id: int, event_id: int, topic_ids: Sequence[int]) -> None:
    """Make exactly these proposals the shortlist (hosts; not while the vote runs or once
    the topic is decided); at most :data:`MAX_SHORTLIST`."""
    event = host_event(conn, host_id, event_id)
    if event.topic_state in ("voting", "decided"):
        raise ValidationFailed(N_("The shortlist cannot change once the vote has started"))
    chosen = set(topic_ids)
    if len(chosen) > MAX_SHORTLIST:
        raise ValidationFailed(
            T_("Shortlist at most %(most)s topics (the vote's options)", most=MAX_SHORTLIST)
        )
    known = set(
        conn.execute(select(event_topics.c.id).where(event_topics.c.event_id == event.id)).scalars()
    )
    if not chosen <= known:
        raise ValidationFailed(N_("That topic was not proposed for this event"))
    conn.execute(
        update(event_topics)
        .where(event_topics.c.event_id == event.id)
        .values(shortlisted=event_topics.c.id.in_(chosen) if chosen else False)
    )
