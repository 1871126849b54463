""" "I'm going": RSVPs to events, their counts and attendee lists, and reminders (issue 15).

An RSVP (``event_rsvps``) may be private: it is counted but its person never appears in an
attendee list, nor anywhere else another person reads. A chosen reminder is a delayed
``event_reminder`` job due that long before the start; the job checks again that the RSVP
and its reminder still hold and that the event neither was cancelled nor moved (an edit of
the time schedules fresh jobs, see :func:`reschedule_reminders`) before it notifies.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import ColumnElement, Connection, delete, func, insert, select, update

from staffroom import clock
from staffroom.db.tables_events import event_rsvps, events
from staffroom.errors import NotFound, ValidationFailed
from staffroom.jobs import enqueue
from staffroom.jobs.registry import Lease, job_handler
from staffroom.messages import N_
from staffroom.services.events import Event, events_from_rows, get_event
from staffroom.services.notify import notify

if TYPE_CHECKING:
    from staffroom.jobs.queue import Job
    from staffroom.runtime import Runtime

# The reminders one may choose, in minutes before the start (``None``: no reminder).
REMINDERS: tuple[int | None, ...] = (None, 15, 60, 1440)


@dataclass(frozen=True, slots=True)
class Rsvp:
    event_id: int
    account_id: int
    private: bool
    remind_minutes: int | None


def parse_reminder(raw: str) -> int | None:
    """A form's reminder choice ("", "15", "60", "1440") or a 422."""
    if raw in ("", "none"):
        return None
    try:
        minutes = int(raw)
    except ValueError:
        minutes = -1
    if minutes not in REMINDERS:
        raise ValidationFailed(N_("Choose a reminder from the list"), field="remind_minutes")
    return minutes


def _open_event(conn: Connection, event_id: int) -> Event:
    event = get_event(conn, event_id)
    if event is None:
        raise NotFound(N_("There is no such event"))
    if event.cancelled:
        raise ValidationFailed(N_("This event was cancelled"))
    if event.ends_at <= clock.now():
        raise ValidationFailed(N_("This event is over"))
    return event


def going(
    conn: Connection,
    account_id: int,
    event_id: int,
    *,
    private: bool = False,
    remind_minutes: int | None = None,
) -> Rsvp:
    """Say "I'm going" (or change one's privacy or reminder); schedules the reminder."""
    if remind_minutes not in REMINDERS:
        raise ValidationFailed(N_("Choose a reminder from the list"), field="remind_minutes")
    event = _open_event(conn, event_id)
    key = (event_rsvps.c.event_id == event_id) & (event_rsvps.c.account_id == account_id)
    old = conn.execute(select(event_rsvps).where(key)).first()
    values = {"private": private, "remind_minutes": remind_minutes}
    if old is None:
        conn.execute(
            insert(event_rsvps).values(
                event_id=event_id, account_id=account_id, created_at=clock.now(), **values
            )
        )
    else:
        conn.execute(update(event_rsvps).where(key).values(**values))
    if remind_minutes is not None and (old is None or old.remind_minutes != remind_minutes):
        _schedule(conn, event, account_id, remind_minutes)
    return Rsvp(event_id, account_id, private, remind_minutes)


def not_going(conn: Connection, account_id: int, event_id: int) -> bool:
    """Take back an RSVP (its reminder then finds nothing to do); False if there was none."""
    result = conn.execute(
        delete(event_rsvps).where(
            (event_rsvps.c.event_id == event_id) & (event_rsvps.c.account_id == account_id)
        )
    )
    return bool(result.rowcount)


def rsvp_of(conn: Connection, account_id: int | None, event_id: int) -> Rsvp | None:
    if account_id is None:
        return None
    row = conn.execute(
        select(event_rsvps).where(
            (event_rsvps.c.event_id == event_id) & (event_rsvps.c.account_id == account_id)
        )
    ).first()
    if row is None:
        return None
    return Rsvp(row.event_id, row.account_id, bool(row.private), row.remind_minutes)


def counts(conn: Connection, event_ids: list[int]) -> dict[int, int]:
    """How many are going to each event (private RSVPs included)."""
    if not event_ids:
        return {}
    rows = conn.execute(
        select(event_rsvps.c.event_id, func.count())
        .where(event_rsvps.c.event_id.in_(event_ids))
        .group_by(event_rsvps.c.event_id)
    )
    found = {i: 0 for i in event_ids}
    found.update({int(r[0]): int(r[1]) for r in rows})
    return found


def attendees(
    conn: Connection, event_id: int, *, viewer_id: int | None = None, limit: int = 1000
) -> list[int]:
    """The account IDs of those going who let it be shown, first RSVP first (the viewer's
    own private RSVP is shown to the viewer)."""
    shown: ColumnElement[bool] = event_rsvps.c.private.is_(False)
    if viewer_id is not None:
        shown = shown | (event_rsvps.c.account_id == viewer_id)
    return [
        int(i)
        for i in conn.execute(
            select(event_rsvps.c.account_id)
            .where((event_rsvps.c.event_id == event_id) & shown)
            .order_by(event_rsvps.c.created_at, event_rsvps.c.account_id)
            .limit(limit)
        ).scalars()
    ]


def my_events(
    conn: Connection, account_id: int, *, after: datetime | None = None, limit: int = 50
) -> list[Event]:
    """The events one is going to, soonest first (from ``after``: those not yet ended)."""
    q = (
        select(events)
        .join(event_rsvps, event_rsvps.c.event_id == events.c.id)
        .where(event_rsvps.c.account_id == account_id)
    )
    if after is not None:
        q = q.where(events.c.ends_at > after)
    rows = conn.execute(q.order_by(events.c.starts_at, events.c.id).limit(limit)).all()
    return events_from_rows(conn, rows)


# --- reminders ---------------------------------------------------------------------------


def _schedule(conn: Connection, event: Event, account_id: int, minutes: int) -> None:
    due = event.starts_at - timedelta(minutes=minutes)
    delay = (due - clock.now()).total_seconds()
    if event.starts_at <= clock.now():
        return
    enqueue(
        conn,
        "event_reminder",
        {
            "event_id": event.id,
            "account_id": account_id,
            "starts_at": event.starts_at.isoformat(),
            "minutes": minutes,
        },
        delay_seconds=max(delay, 0.001),
    )


def reschedule_reminders(conn: Connection, event_id: int) -> int:
    """After the event's time changed: a fresh reminder job for everyone who chose one (the
    old jobs see the move and do nothing). Answers how many were scheduled."""
    event = get_event(conn, event_id)
    if event is None or event.cancelled:
        return 0
    rows = conn.execute(
        select(event_rsvps.c.account_id, event_rsvps.c.remind_minutes).where(
            (event_rsvps.c.event_id == event_id) & event_rsvps.c.remind_minutes.is_not(None)
        )
    ).all()
    for r in rows:
        _schedule(conn, event, int(r.account_id), int(r.remind_minutes))
    return len(rows)


def send_reminder(conn: Connection, payload: dict[str, Any]) -> int | None:
    """Notify one person of a coming event if all still holds; idempotent (the notification
    is deduplicated per event start)."""
    event = get_event(conn, int(payload["event_id"]))
    if event is None or event.cancelled or event.starts_at.isoformat() != payload["starts_at"]:
        return None
    rsvp = rsvp_of(conn, int(payload["account_id"]), event.id)
    if rsvp is None or rsvp.remind_minutes != int(payload["minutes"]):
        return None
    return notify(
        conn,
        recipient_id=rsvp.account_id,
        actor_id=event.account_id,
        type="event_reminder",
        event_id=event.id,
        dedupe=str(int(event.starts_at.timestamp())),
    )


@job_handler("event_reminder")
def event_reminder(rt: Runtime, job: Job, lease: Lease) -> None:
    """Send one reminder and complete the job, in one transaction."""

    def run(conn: Connection) -> None:
        send_reminder(conn, job.payload)
        lease.complete_in(conn)

    rt.db.write(run)
