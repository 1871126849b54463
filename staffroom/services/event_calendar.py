"""The calendar of upcoming events (issue 15): discoverable, not cancelled, not ended, in
start order, paged by (start, ID), filtered by hashtag, by subject (hosted by people the
directory lists under it), by people the viewer follows (hosting, or going publicly), or
"mine" (going, or following the series).

Nothing leaks: an event that is not discoverable is listed only to people who RSVPed (on
"mine"); a private RSVP never makes an event show under "people I follow"; events hosted
by someone the viewer blocks or is blocked by are left out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import ColumnElement, Connection, Row, and_, exists, or_, select

from staffroom.db.tables import blocks, directory_entries, directory_field_values, follows
from staffroom.db.tables_events import event_hosts, event_rsvps, events, series_follows
from staffroom.services import event_rsvps as rsvps
from staffroom.services.accounts import get_accounts
from staffroom.services.events import Event, events_from_rows
from staffroom.services.profiles import clean_tag_name

FILTERS = ("all", "following", "mine")
PAGE = 30


@dataclass(frozen=True, slots=True)
class CalendarQuery:
    hashtag: str = ""
    subject: str = ""
    who: str = "all"  # all | following | mine
    after: str = ""  # the paging cursor "<epoch>-<id>"


@dataclass(slots=True)
class CalendarPage:
    events: list[Event]
    counts: dict[int, int] = field(default_factory=dict)
    hosts: dict[int, Row[Any]] = field(default_factory=dict)
    next_cursor: str | None = None


def cursor_of(event: Event) -> str:
    return f"{int(event.starts_at.timestamp())}-{event.id}"


def _after(cursor: str) -> ColumnElement[bool] | None:
    try:
        stamp, _, ident = cursor.partition("-")
        moment = datetime.fromtimestamp(int(stamp), tz=UTC)
        event_id = int(ident)
    except (ValueError, OverflowError, OSError):
        return None
    return or_(
        events.c.starts_at > moment, and_(events.c.starts_at == moment, events.c.id > event_id)
    )


def _not_blocked(viewer_id: int) -> ColumnElement[bool]:
    return ~exists().where(
        or_(
            (blocks.c.account_id == viewer_id)
            & (blocks.c.target_account_id == events.c.account_id),
            (blocks.c.target_account_id == viewer_id)
            & (blocks.c.account_id == events.c.account_id),
        )
    )


def _followed(viewer_id: int) -> Any:
    return select(follows.c.target_account_id).where(follows.c.account_id == viewer_id)


def upcoming(
    conn: Connection,
    viewer_id: int | None,
    query: CalendarQuery,
    now: datetime,
    *,
    limit: int = PAGE,
) -> CalendarPage:
    """One page of the calendar as ``viewer_id`` may see it."""
    q = select(events).where(events.c.ends_at > now, events.c.cancelled.is_(False))
    mine = query.who == "mine" and viewer_id is not None
    if mine:
        assert viewer_id is not None
        going = exists().where(
            (event_rsvps.c.event_id == events.c.id) & (event_rsvps.c.account_id == viewer_id)
        )
        following = exists().where(
            (series_follows.c.series_id == events.c.series_id)
            & (series_follows.c.account_id == viewer_id)
        )
        q = q.where(going | (following & events.c.discoverable.is_(True)))
    else:
        q = q.where(events.c.discoverable.is_(True))
    if query.who == "following" and viewer_id is not None:
        hosted = exists().where(
            (event_hosts.c.event_id == events.c.id)
            & event_hosts.c.account_id.in_(_followed(viewer_id))
        )
        public_going = exists().where(
            (event_rsvps.c.event_id == events.c.id)
            & event_rsvps.c.private.is_(False)
            & event_rsvps.c.account_id.in_(_followed(viewer_id))
        )
        q = q.where(hosted | public_going)
    tag = clean_tag_name(query.hashtag) if query.hashtag.strip() else None
    if tag:
        q = q.where(events.c.hashtag_lower == tag.lower())
    subject = query.subject.strip()
    if subject:
        q = q.where(
            exists().where(
                (event_hosts.c.event_id == events.c.id)
                & (directory_field_values.c.account_id == event_hosts.c.account_id)
                & (directory_field_values.c.field == "subject")
                & (directory_field_values.c.value == subject)
                & (directory_entries.c.account_id == event_hosts.c.account_id)
            )
        )
    if viewer_id is not None:
        q = q.where(_not_blocked(viewer_id))
    if query.after:
        cond = _after(query.after)
        if cond is not None:
            q = q.where(cond)
    rows = conn.execute(q.order_by(events.c.starts_at, events.c.id).limit(limit + 1)).all()
    found = events_from_rows(conn, rows[:limit])
    page = CalendarPage(found)
    page.counts = rsvps.counts(conn, [e.id for e in found])
    page.hosts = get_accounts(conn, {h for e in found for h in e.host_ids})
    if len(rows) > limit and found:
        page.next_cursor = cursor_of(found[-1])
    return page


def subjects(conn: Connection) -> list[str]:
    """The subjects people list themselves under in the directory (the filter's choices)."""
    return sorted(
        {
            str(v)
            for v in conn.execute(
                select(directory_field_values.c.value)
                .where(directory_field_values.c.field == "subject")
                .distinct()
                .limit(500)
            ).scalars()
        }
    )
