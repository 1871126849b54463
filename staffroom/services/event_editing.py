"""Changing events: hosts edit an occurrence or cancel it; people follow a series; a
periodic job keeps every series' occurrences made ahead (issue 15).

An edit that moves the start schedules fresh reminders (``event_rsvps.reschedule_reminders``);
a cancelled event keeps its row (calendars show it as cancelled) and its reminders find
nothing to do.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import Connection, delete, insert, select, update

from staffroom import clock
from staffroom.db import fastsql
from staffroom.db.tables_events import event_hosts, event_series, events, series_follows
from staffroom.errors import Forbidden, NotFound, ValidationFailed
from staffroom.jobs.registry import Lease, job_handler, periodic
from staffroom.messages import N_, T_
from staffroom.services import event_recurrence as recurrence
from staffroom.services.accounts import find_by_username
from staffroom.services.event_rsvps import reschedule_reminders
from staffroom.services.events import (
    Event,
    EventDraft,
    check_draft,
    materialize,
    require_event,
    require_series,
)

if TYPE_CHECKING:
    from staffroom.jobs.queue import Job
    from staffroom.runtime import Runtime

MATERIALIZE_JOB_ID = 30  # the one periodic job (real IDs are time-based, far larger)
MATERIALIZE_SECONDS = 6 * 3600
MAX_COHOSTS = 10


@dataclass(frozen=True, slots=True)
class EventChange:
    """What a host may change about one occurrence."""

    title: str
    description: str
    time_zone: str
    start_local: datetime  # naive wall-clock time in time_zone
    duration_minutes: int
    online_url: str
    cohosts: Sequence[str] = ()  # usernames, besides the maker


def host_ids_named(conn: Connection, usernames: Sequence[str], maker_id: int) -> list[int]:
    """The accounts of the co-hosts named (``@`` optional), or a 422 naming the unknown one."""
    found: list[int] = []
    for raw in usernames:
        name = raw.strip().lstrip("@").split("@")[0]
        if not name:
            continue
        row = find_by_username(conn, name)
        if row is None:
            raise ValidationFailed(T_("There is nobody here called %(name)s", name=name))
        if row.id != maker_id and row.id not in found:
            found.append(int(row.id))
    if len(found) > MAX_COHOSTS:
        raise ValidationFailed(N_("An event has at most 10 co-hosts"))
    return found


def require_host(conn: Connection, account_id: int, event_id: int) -> Event:
    event = require_event(conn, event_id)
    if not event.is_host(account_id):
        raise Forbidden(N_("Only the event's hosts can change it"))
    return event


def edit_event(conn: Connection, account_id: int, event_id: int, change: EventChange) -> Event:
    """A host's edit of one occurrence; a moved start reschedules the reminders."""
    event = require_host(conn, account_id, event_id)
    if event.cancelled:
        raise ValidationFailed(N_("This event was cancelled"))
    draft = check_draft(
        EventDraft(
            title=change.title,
            hashtag=event.hashtag,
            time_zone=change.time_zone,
            start_local=change.start_local,
            duration_minutes=change.duration_minutes,
            description=change.description,
            online_url=change.online_url,
            kind=event.kind,
        )
    )
    cohosts = host_ids_named(conn, change.cohosts, event.account_id)
    start = recurrence.to_utc(draft.start_local, draft.time_zone)
    conn.execute(
        update(events)
        .where(events.c.id == event_id)
        .values(
            title=draft.title,
            description=draft.description,
            time_zone=draft.time_zone,
            starts_at=start,
            ends_at=start + timedelta(minutes=draft.duration_minutes),
            online_url=draft.online_url,
            updated_at=clock.now(),
        )
    )
    keep = [event.account_id, *cohosts]
    conn.execute(
        delete(event_hosts).where(
            (event_hosts.c.event_id == event_id)
            & (event_hosts.c.role == "host")
            & event_hosts.c.account_id.not_in(keep)
        )
    )
    have = set(event.host_ids) | set(event.speaker_ids)
    new = [{"event_id": event_id, "account_id": a} for a in keep if a not in have]
    if new:
        conn.execute(insert(event_hosts), new)
    if start != event.starts_at:
        reschedule_reminders(conn, event_id)
    return require_event(conn, event_id)


def cancel_event(conn: Connection, account_id: int, event_id: int) -> Event:
    """A host cancels one occurrence (it stays listed as cancelled; reminders stop)."""
    event = require_host(conn, account_id, event_id)
    if not event.cancelled:
        conn.execute(
            update(events)
            .where(events.c.id == event_id)
            .values(cancelled=True, updated_at=clock.now())
        )
    return require_event(conn, event_id)


# --- following a series --------------------------------------------------------------------


def follow_series(conn: Connection, account_id: int, series_id: int) -> None:
    require_series(conn, series_id)
    if not follows_series(conn, account_id, series_id):
        conn.execute(
            insert(series_follows).values(
                series_id=series_id, account_id=account_id, created_at=clock.now()
            )
        )


def unfollow_series(conn: Connection, account_id: int, series_id: int) -> None:
    conn.execute(
        delete(series_follows).where(
            (series_follows.c.series_id == series_id) & (series_follows.c.account_id == account_id)
        )
    )


def follows_series(conn: Connection, account_id: int | None, series_id: int) -> bool:
    if account_id is None:
        return False
    return (
        conn.execute(
            select(series_follows.c.series_id).where(
                (series_follows.c.series_id == series_id)
                & (series_follows.c.account_id == account_id)
            )
        ).first()
        is not None
    )


# --- the periodic job ------------------------------------------------------------------------


def materialize_all(conn: Connection, now: datetime) -> int:
    """Make every series' occurrences up to the horizon; answers how many were made."""
    made = 0
    for series_id in conn.execute(select(event_series.c.id)).scalars():
        try:
            made += len(materialize(conn, int(series_id), now))
        except NotFound:
            continue
    return made


_SCHEDULE = (
    "INSERT INTO jobs (id, kind, payload, run_at, attempts, max_attempts, created_at)"
    " VALUES (?, 'materialize_series', '{}', ?, 0, 1000000, ?) ON CONFLICT (id) DO NOTHING"
)


@periodic
def ensure_scheduled(conn: Connection) -> None:
    """Make sure the job exists (one row, a fixed ID, so processes never double it)."""
    schedule_materialize(conn, 0)


def schedule_materialize(conn: Connection, delay_seconds: float) -> None:
    now = clock.now()
    fastsql.run_plain(
        conn,
        _SCHEDULE,
        MATERIALIZE_JOB_ID,
        fastsql.timestamp(conn, now + timedelta(seconds=delay_seconds)),
        fastsql.timestamp(conn, now),
    )


@job_handler("materialize_series")
def materialize_series(rt: Runtime, job: Job, lease: Lease) -> None:
    """Make the coming occurrences, then schedule the next run in the same transaction."""

    def run(conn: Connection) -> None:
        materialize_all(conn, clock.now())
        lease.complete_in(conn)
        schedule_materialize(conn, MATERIALIZE_SECONDS)

    rt.db.write(run)
