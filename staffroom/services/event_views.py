"""What the event pages read, each in one call (issue 15): an event's page (hosts, the
viewer's RSVP, the count and the attendees who let themselves be shown, its series, its
conference or sessions), a series' page, and the choices of the "new event" form.

An event whose maker the viewer blocks, or is blocked by, is not found for that viewer.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, select

from staffroom.db.tables_events import events
from staffroom.errors import NotFound
from staffroom.messages import N_
from staffroom.services import event_editing, event_rsvps
from staffroom.services.accounts import get_accounts
from staffroom.services.events import (
    Event,
    Series,
    events_from_rows,
    get_series,
    require_event,
    require_series,
)
from staffroom.services.pack_reads import blocked_either_way

ATTENDEES_SHOWN = 200  # on the event's page; /events/{id}/attendees shows them all
ATTENDEES_ALL = 5000


@dataclass(slots=True)
class EventPage:
    event: Event
    people: dict[int, Row[Any]]  # hosts and attendees shown
    count: int
    attendee_ids: list[int]
    rsvp: event_rsvps.Rsvp | None
    series: Series | None
    conference: Event | None
    sessions: list[Event] = field(default_factory=list)


@dataclass(slots=True)
class SeriesPage:
    series: Series
    upcoming: list[Event]
    past: list[Event]
    counts: dict[int, int]
    people: dict[int, Row[Any]]
    following: bool


def _visible(conn: Connection, viewer_id: int | None, maker_id: int) -> None:
    if blocked_either_way(conn, viewer_id, [maker_id]):
        raise NotFound(N_("There is no such event"))


def event_page(
    conn: Connection, viewer_id: int | None, event_id: int, *, shown_limit: int = ATTENDEES_SHOWN
) -> EventPage:
    """An event's page for ``viewer_id``, naming at most ``shown_limit`` of those going."""
    event = require_event(conn, event_id)
    _visible(conn, viewer_id, event.account_id)
    shown = event_rsvps.attendees(conn, event_id, viewer_id=viewer_id, limit=shown_limit)
    hidden = blocked_either_way(conn, viewer_id, shown)
    shown = [a for a in shown if a not in hidden]
    conference = None
    if event.parent_id is not None:
        conference = require_event(conn, event.parent_id)
    sessions: list[Event] = []
    if event.kind == "conference":
        rows = conn.execute(
            select(events)
            .where(events.c.parent_id == event_id)
            .order_by(events.c.starts_at, events.c.id)
            .limit(100)
        ).all()
        sessions = events_from_rows(conn, rows)
    people = get_accounts(conn, [*event.host_ids, *shown])
    return EventPage(
        event=event,
        people=people,
        count=event_rsvps.counts(conn, [event_id])[event_id],
        attendee_ids=shown,
        rsvp=event_rsvps.rsvp_of(conn, viewer_id, event_id),
        series=get_series(conn, event.series_id) if event.series_id else None,
        conference=conference,
        sessions=sessions,
    )


def series_page(
    conn: Connection, viewer_id: int | None, series_id: int, now: datetime
) -> SeriesPage:
    series = require_series(conn, series_id)
    _visible(conn, viewer_id, series.account_id)
    q = select(events).where(events.c.series_id == series_id)
    later = conn.execute(
        q.where(events.c.ends_at > now).order_by(events.c.starts_at).limit(12)
    ).all()
    earlier = conn.execute(
        q.where(events.c.ends_at <= now).order_by(events.c.starts_at.desc()).limit(12)
    ).all()
    upcoming, past = events_from_rows(conn, later), events_from_rows(conn, earlier)
    return SeriesPage(
        series=series,
        upcoming=upcoming,
        past=past,
        counts=event_rsvps.counts(conn, [e.id for e in upcoming]),
        people=get_accounts(conn, series.host_ids),
        following=event_editing.follows_series(conn, viewer_id, series_id),
    )


def my_conferences(conn: Connection, account_id: int, now: datetime) -> list[Event]:
    """The conferences one made that are not over (a new session names one of them)."""
    rows = conn.execute(
        select(events)
        .where(
            events.c.account_id == account_id,
            events.c.kind == "conference",
            events.c.ends_at > now,
            events.c.cancelled.is_(False),
        )
        .order_by(events.c.starts_at)
        .limit(50)
    ).all()
    return events_from_rows(conn, rows)


def attendee_names(conn: Connection, event_id: int) -> list[str]:
    """The usernames shown as going (for tests and the attendee list)."""
    ids = event_rsvps.attendees(conn, event_id)
    found = get_accounts(conn, ids)
    return [str(found[i].username) for i in ids if i in found]
