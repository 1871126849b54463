"""iCalendar feeds of events (issue 15), written with the ``icalendar`` library
(docs/decisions/0023): one event, a series, and a person's own feed of everything they go
to, host or follow, at a secret address (``calendar_tokens``) they can reset.

Each VEVENT carries DTSTART/DTEND with the event's TZID and the calendar carries the
matching VTIMEZONE components, so a calendar application keeps a weekly 20:00 chat at
20:00 local time across daylight-saving changes. UIDs are stable (``event-<id>@<host>``);
LAST-MODIFIED and SEQUENCE change with each edit; a cancelled event says STATUS:CANCELLED.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

from icalendar import Calendar
from icalendar import Event as VEvent
from sqlalchemy import Connection, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from staffroom import clock
from staffroom.db.tables_events import (
    calendar_tokens,
    event_hosts,
    event_rsvps,
    events,
    series_follows,
)
from staffroom.errors import NotFound
from staffroom.messages import N_
from staffroom.services.events import (
    Event,
    event_url,
    events_from_rows,
    require_event,
    require_series,
    series_events,
)
from staffroom.services.pack_reads import blocked_either_way

PRODID = "-//Staffroom//Events//EN"
MEDIA_TYPE = "text/calendar; charset=utf-8"
PAST = timedelta(days=90)  # how far back the personal feed goes
FEED_LIMIT = 500


def _stamps(conn: Connection, ids: Sequence[int]) -> dict[int, tuple[datetime, datetime]]:
    if not ids:
        return {}
    rows = conn.execute(
        select(events.c.id, events.c.created_at, events.c.updated_at).where(events.c.id.in_(ids))
    )
    return {int(r.id): (_aware(r.created_at), _aware(r.updated_at)) for r in rows}


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def _vevent(event: Event, base_url: str, stamps: tuple[datetime, datetime]) -> VEvent:
    created, modified = stamps
    host = urlsplit(base_url).hostname or "localhost"
    url = event_url(base_url, event.id)
    item = VEvent()
    item.add("uid", f"event-{event.id}@{host}")
    item.add("dtstamp", modified)
    item.add("created", created)
    item.add("last-modified", modified)
    item.add("sequence", max(0, int((modified - created).total_seconds())))
    item.add("summary", event.title)
    item.add("dtstart", event.local_start)
    item.add("dtend", event.local_end)
    item.add("url", url)
    parts = [event.description] if event.description else []
    if event.topic and event.topic_state == "decided":
        parts.append(f"Topic: {event.topic}")
    parts.append(f"#{event.hashtag}")
    if event.online_url:
        parts.append(event.online_url)
        item.add("location", event.online_url)
    parts.append(url)
    item.add("description", "\n\n".join(parts))
    item.add("categories", [event.hashtag])
    item.add("status", "CANCELLED" if event.cancelled else "CONFIRMED")
    return item


def calendar_of(conn: Connection, found: Sequence[Event], base_url: str, name: str) -> bytes:
    """The iCalendar text of these events, with a VTIMEZONE for each zone they use."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    stamps = _stamps(conn, [e.id for e in found])
    for event in found:
        cal.add_component(_vevent(event, base_url, stamps[event.id]))
    cal.add_missing_timezones()
    return bytes(cal.to_ical())


def event_feed(
    conn: Connection, event_id: int, base_url: str, viewer_id: int | None = None
) -> bytes:
    """``/events/{id}.ics`` (anyone with the event's link may read its page, and this; not
    someone its maker blocks or who blocks its maker)."""
    event = require_event(conn, event_id)
    if blocked_either_way(conn, viewer_id, [event.account_id]):
        raise NotFound(N_("There is no such event"))
    return calendar_of(conn, [event], base_url, event.title)


def series_feed(conn: Connection, series_id: int, base_url: str) -> bytes:
    """``/series/{id}.ics``: every occurrence made so far."""
    series = require_series(conn, series_id)
    return calendar_of(
        conn, series_events(conn, series_id, limit=FEED_LIMIT), base_url, series.title
    )


def personal_events(conn: Connection, account_id: int, now: datetime) -> list[Event]:
    """What one goes to, hosts, or follows the series of, from ``PAST`` ago on."""
    going = select(event_rsvps.c.event_id).where(event_rsvps.c.account_id == account_id)
    hosting = select(event_hosts.c.event_id).where(event_hosts.c.account_id == account_id)
    following = select(series_follows.c.series_id).where(series_follows.c.account_id == account_id)
    rows = conn.execute(
        select(events)
        .where(events.c.ends_at > now - PAST)
        .where(
            or_(
                events.c.id.in_(going),
                events.c.id.in_(hosting),
                events.c.series_id.in_(following) & events.c.discoverable.is_(True),
            )
        )
        .order_by(events.c.starts_at, events.c.id)
        .limit(FEED_LIMIT)
    ).all()
    return events_from_rows(conn, rows)


def personal_feed(conn: Connection, token: str, base_url: str) -> bytes:
    """``/calendar/{token}.ics``; 404 for a token that is not (or no longer) anyone's."""
    account_id = account_of_token(conn, token)
    if account_id is None:
        raise NotFound(N_("There is no such calendar"))
    found = personal_events(conn, account_id, clock.now())
    return calendar_of(conn, found, base_url, "Staffroom")


# --- the secret address ----------------------------------------------------------------------


def account_of_token(conn: Connection, token: str) -> int | None:
    if not token or len(token) > 64:
        return None
    found = conn.execute(
        select(calendar_tokens.c.account_id, calendar_tokens.c.token).where(
            calendar_tokens.c.token == token
        )
    ).first()
    if found is None or not secrets.compare_digest(str(found.token), token):
        return None
    return int(found.account_id)


def token_of(conn: Connection, account_id: int) -> str | None:
    found = conn.execute(
        select(calendar_tokens.c.token).where(calendar_tokens.c.account_id == account_id)
    ).scalar()
    return str(found) if found is not None else None


def ensure_token(conn: Connection, account_id: int) -> str:
    """One's calendar token, made on first use."""
    insert = sqlite_insert if conn.dialect.name == "sqlite" else pg_insert
    conn.execute(
        insert(calendar_tokens)
        .values(account_id=account_id, token=secrets.token_urlsafe(32), created_at=clock.now())
        .on_conflict_do_nothing()
    )
    token = token_of(conn, account_id)
    assert token is not None
    return token


def reset_token(conn: Connection, account_id: int) -> str:
    """A new secret address; the old one stops working at once."""
    ensure_token(conn, account_id)
    token = secrets.token_urlsafe(32)
    conn.execute(
        update(calendar_tokens)
        .where(calendar_tokens.c.account_id == account_id)
        .values(token=token, created_at=clock.now())
    )
    return token
