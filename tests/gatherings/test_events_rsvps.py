"""RSVPs and reminders: counts include private RSVPs but attendee lists never name them; a
reminder fires once, at its time, and not after cancelling, un-RSVPing or a move (which
schedules the reminder afresh)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Connection, select

from staffroom.db.tables import notifications
from staffroom.errors import Forbidden, ValidationFailed
from staffroom.runtime import Runtime
from staffroom.services import event_editing, event_rsvps
from staffroom.services.events import EventDraft, create_event, create_series, materialize
from tests.conftest import CLOCK_START, ServerClock

# CLOCK_START is 2026-12-10 17:00 UTC; the event is two days later at 20:00 London (UTC).
START_LOCAL = datetime(2026, 12, 12, 20, 0)


def _event(runtime: Runtime, host_id: int, **extra: Any) -> int:
    draft = EventDraft(
        title="ELTChat",
        hashtag="ELTChat",
        time_zone="Europe/London",
        start_local=START_LOCAL,
        **extra,
    )
    return int(runtime.db.write(create_event, runtime, host_id, draft))


def _reminders(runtime: Runtime, account_id: int) -> list[tuple[str, int | None]]:
    def read(conn: Connection) -> list[tuple[str, int | None]]:
        rows = conn.execute(
            select(notifications.c.type, notifications.c.event_id).where(
                notifications.c.account_id == account_id,
                notifications.c.type == "event_reminder",
            )
        )
        return [(r.type, r.event_id) for r in rows]

    return runtime.db.read(read)


def test_counts_include_private_rsvps_but_lists_do_not_name_them(
    runtime: Runtime, make_user: Callable[..., Any], server_clock: ServerClock
) -> None:
    host, ana, ben = (make_user(n) for n in ("host", "ana", "ben"))
    event_id = _event(runtime, host.id)
    runtime.db.write(event_rsvps.going, ana.id, event_id)
    runtime.db.write(event_rsvps.going, ben.id, event_id, private=True)

    assert runtime.db.read(event_rsvps.counts, [event_id]) == {event_id: 2}
    assert runtime.db.read(event_rsvps.attendees, event_id) == [ana.id]
    assert runtime.db.read(event_rsvps.attendees, event_id, viewer_id=ana.id) == [ana.id]
    assert runtime.db.read(event_rsvps.attendees, event_id, viewer_id=ben.id) == [ana.id, ben.id]
    assert [e.id for e in runtime.db.read(event_rsvps.my_events, ben.id)] == [event_id]

    assert runtime.db.write(event_rsvps.not_going, ana.id, event_id)
    assert runtime.db.read(event_rsvps.counts, [event_id]) == {event_id: 1}
    with pytest.raises(ValidationFailed):
        runtime.db.write(event_rsvps.going, ana.id, event_id, remind_minutes=7)


def test_a_reminder_fires_once_at_its_time(
    runtime: Runtime, make_user: Callable[..., Any], server_clock: ServerClock
) -> None:
    host, ana = make_user("host"), make_user("ana")
    event_id = _event(runtime, host.id)
    runtime.db.write(event_rsvps.going, ana.id, event_id, remind_minutes=60)
    # saying it again (a privacy change) does not schedule a second reminder
    runtime.db.write(event_rsvps.going, ana.id, event_id, private=True, remind_minutes=60)

    runtime.worker.drain()
    assert _reminders(runtime, ana.id) == []
    server_clock.now = CLOCK_START.replace(day=12, hour=18, minute=59)
    runtime.worker.drain()
    assert _reminders(runtime, ana.id) == []  # a minute early
    server_clock.advance(minutes=1)
    runtime.worker.drain()
    server_clock.advance(hours=1)
    runtime.worker.drain()
    assert _reminders(runtime, ana.id) == [("event_reminder", event_id)]


def test_no_reminder_after_cancelling_or_taking_the_rsvp_back(
    runtime: Runtime, make_user: Callable[..., Any], server_clock: ServerClock
) -> None:
    host, ana, ben = (make_user(n) for n in ("host", "ana", "ben"))
    cancelled = _event(runtime, host.id)
    kept = _event(runtime, host.id)
    runtime.db.write(event_rsvps.going, ana.id, cancelled, remind_minutes=15)
    runtime.db.write(event_rsvps.going, ben.id, kept, remind_minutes=15)
    runtime.db.write(event_editing.cancel_event, host.id, cancelled)
    runtime.db.write(event_rsvps.not_going, ben.id, kept)

    server_clock.advance(days=3)
    runtime.worker.drain()
    assert _reminders(runtime, ana.id) == [] and _reminders(runtime, ben.id) == []


def test_moving_the_event_moves_the_reminder(
    runtime: Runtime, make_user: Callable[..., Any], server_clock: ServerClock
) -> None:
    host, ana, ben = (make_user(n) for n in ("host", "ana", "ben"))
    event_id = _event(runtime, host.id)
    runtime.db.write(event_rsvps.going, ana.id, event_id, remind_minutes=60)
    change = event_editing.EventChange(
        title="ELTChat moved",
        description="",
        time_zone="Europe/London",
        start_local=START_LOCAL + timedelta(days=1),
        duration_minutes=60,
        online_url="",
        cohosts=["@ben"],
    )
    with pytest.raises(Forbidden):  # only hosts edit
        runtime.db.write(event_editing.edit_event, ana.id, event_id, change)
    moved = runtime.db.write(event_editing.edit_event, host.id, event_id, change)
    assert moved.title == "ELTChat moved" and ben.id in moved.host_ids

    server_clock.now = CLOCK_START.replace(day=12, hour=19, minute=30)
    runtime.worker.drain()  # the old reminder time: nothing
    assert _reminders(runtime, ana.id) == []
    server_clock.now = CLOCK_START.replace(day=13, hour=19, minute=0)
    runtime.worker.drain()
    assert _reminders(runtime, ana.id) == [("event_reminder", event_id)]


def test_following_a_series_and_the_periodic_job_keeps_it_made_ahead(
    runtime: Runtime, make_user: Callable[..., Any], server_clock: ServerClock
) -> None:
    host, ana = make_user("host"), make_user("ana")
    draft = EventDraft(
        title="Monthly", hashtag="monthly", time_zone="UTC", start_local=datetime(2027, 1, 12, 19)
    )
    series_id, _first = runtime.db.write(create_series, runtime, host.id, draft, "monthly")
    runtime.db.write(event_editing.follow_series, ana.id, series_id)
    runtime.db.write(event_editing.follow_series, ana.id, series_id)
    assert runtime.db.read(event_editing.follows_series, ana.id, series_id)

    server_clock.advance(days=400)
    made = runtime.db.write(event_editing.materialize_all, server_clock.now)
    assert made >= 4
    assert runtime.db.write(materialize, series_id, server_clock.now) == []  # idempotent
    runtime.db.write(event_editing.unfollow_series, ana.id, series_id)
    assert not runtime.db.read(event_editing.follows_series, ana.id, series_id)


def test_the_worker_keeps_series_made_ahead(
    runtime: Runtime, make_user: Callable[..., Any], server_clock: ServerClock
) -> None:
    from staffroom.services.events import series_events

    host = make_user("host")
    draft = EventDraft(
        title="Weekly", hashtag="weekly", time_zone="UTC", start_local=datetime(2026, 12, 16, 19)
    )
    series_id, _first = runtime.db.write(create_series, runtime, host.id, draft, "weekly")
    last = runtime.db.read(series_events, series_id, limit=500)[-1].starts_at
    server_clock.advance(days=60)
    runtime.worker.seed_periodic()
    runtime.worker.drain()
    later = runtime.db.read(series_events, series_id, limit=500)[-1].starts_at
    assert later >= last + timedelta(days=56)
    assert later > server_clock.now + timedelta(days=80)
