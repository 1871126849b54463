"""iCalendar feeds (parsed back with ``icalendar``) and the calendar's filters and privacy."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from icalendar import Calendar
from sqlalchemy import Connection, insert

from staffroom.db.tables import directory_entries, directory_field_values, follows
from staffroom.ids import new_id
from staffroom.runtime import Runtime
from staffroom.services import event_calendar, event_editing, event_ical, event_rsvps
from staffroom.services.event_calendar import CalendarQuery
from staffroom.services.events import EventDraft, create_event, create_series
from tests.conftest import CLOCK_START, ServerClock

LONDON, NEW_YORK = ZoneInfo("Europe/London"), ZoneInfo("America/New_York")


def test_weekly_series_keeps_local_time_across_dst_in_the_feed(
    runtime: Runtime, make_user: Callable[..., Any], server_clock: ServerClock
) -> None:
    host = make_user("host")
    # The US changes its clocks on 14 March 2027, the UK on 28 March.
    draft = EventDraft(
        title="ELTChat",
        hashtag="ELTChat",
        time_zone="Europe/London",
        start_local=datetime(2027, 3, 10, 20, 0),
    )
    series_id, _ = runtime.db.write(create_series, runtime, host.id, draft, "weekly")
    text = runtime.db.read(event_ical.series_feed, series_id, "https://staff.example")

    cal = Calendar.from_ical(text)
    zones = {str(tz["TZID"]): tz.to_tz() for tz in cal.walk("VTIMEZONE")}
    assert set(zones) == {"Europe/London"}
    starts = []
    for item in cal.walk("VEVENT"):
        start = item["DTSTART"]
        assert start.params["TZID"] == "Europe/London"
        # read with the feed's own VTIMEZONE, as a calendar application does
        naive = start.dt.replace(tzinfo=None)
        starts.append(naive.replace(tzinfo=zones["Europe/London"]))
        assert str(item["UID"]).startswith("event-") and str(item["UID"]).endswith("@staff.example")
        assert str(item["URL"]).startswith("https://staff.example/events/")
    starts.sort()
    assert [s.astimezone(LONDON).strftime("%d %H:%M") for s in starts[:4]] == [
        "10 20:00",
        "17 20:00",
        "24 20:00",
        "31 20:00",
    ]
    assert [s.astimezone(NEW_YORK).strftime("%d %H:%M") for s in starts[:4]] == [
        "10 15:00",
        "17 16:00",
        "24 16:00",
        "31 15:00",
    ]


def test_event_feed_says_cancelled_and_the_sequence_grows(
    runtime: Runtime, make_user: Callable[..., Any], server_clock: ServerClock
) -> None:
    host = make_user("host")
    draft = EventDraft(
        title="Staff meeting",
        hashtag="meet",
        time_zone="America/New_York",
        start_local=datetime(2026, 12, 20, 9, 0),
        online_url="https://meet.example/x",
        description="Bring tea",
    )
    event_id = runtime.db.write(create_event, runtime, host.id, draft)
    first = Calendar.from_ical(runtime.db.read(event_ical.event_feed, event_id, "https://s.ex"))
    item = first.walk("VEVENT")[0]
    assert item["STATUS"] == "CONFIRMED"
    assert "Bring tea" in str(item["DESCRIPTION"]) and "https://meet.example/x" in str(
        item["DESCRIPTION"]
    )
    server_clock.advance(minutes=5)
    runtime.db.write(event_editing.cancel_event, host.id, event_id)
    after = Calendar.from_ical(runtime.db.read(event_ical.event_feed, event_id, "https://s.ex"))
    cancelled = after.walk("VEVENT")[0]
    assert cancelled["STATUS"] == "CANCELLED"
    assert int(cancelled["SEQUENCE"]) > int(item["SEQUENCE"])
    assert cancelled["UID"] == item["UID"]


def test_personal_feed_has_what_one_goes_to_and_follows(
    runtime: Runtime, make_user: Callable[..., Any], server_clock: ServerClock
) -> None:
    host, ana = make_user("host"), make_user("ana")
    one = EventDraft(
        title="One-off", hashtag="one", time_zone="UTC", start_local=datetime(2026, 12, 15, 9)
    )
    other = EventDraft(
        title="Not mine", hashtag="two", time_zone="UTC", start_local=datetime(2026, 12, 16, 9)
    )
    weekly = EventDraft(
        title="Weekly", hashtag="wk", time_zone="UTC", start_local=datetime(2026, 12, 17, 9)
    )
    one_id = runtime.db.write(create_event, runtime, host.id, one)
    runtime.db.write(create_event, runtime, host.id, other)
    series_id, _ = runtime.db.write(create_series, runtime, host.id, weekly, "weekly")
    runtime.db.write(event_rsvps.going, ana.id, one_id)
    runtime.db.write(event_editing.follow_series, ana.id, series_id)

    token = runtime.db.write(event_ical.ensure_token, ana.id)
    assert runtime.db.write(event_ical.ensure_token, ana.id) == token
    cal = Calendar.from_ical(runtime.db.read(event_ical.personal_feed, token, "https://s.ex"))
    titles = {str(v["SUMMARY"]) for v in cal.walk("VEVENT")}
    assert titles == {"One-off", "Weekly"}

    new = runtime.db.write(event_ical.reset_token, ana.id)
    assert new != token
    assert runtime.db.read(event_ical.account_of_token, token) is None
    assert runtime.db.read(event_ical.account_of_token, new) == ana.id


def _follow(conn: Connection, who: int, whom: int) -> None:
    conn.execute(
        insert(follows).values(
            id=new_id(), account_id=who, target_account_id=whom, created_at=CLOCK_START
        )
    )


def _subject(conn: Connection, who: int, subject: str) -> None:
    conn.execute(
        insert(directory_entries).values(
            account_id=who, why_follow="", listed_at=CLOCK_START, updated_at=CLOCK_START
        )
    )
    conn.execute(
        insert(directory_field_values).values(account_id=who, field="subject", value=subject)
    )


def test_calendar_filters_and_nothing_leaks(
    runtime: Runtime, make_user: Callable[..., Any], server_clock: ServerClock
) -> None:
    maths, art, viewer, friend, shy = (make_user(n) for n in ("maths", "art", "vi", "fr", "shy"))

    def make(who: int, title: str, tag: str, day: int, **extra: Any) -> int:
        draft = EventDraft(
            title=title,
            hashtag=tag,
            time_zone="UTC",
            start_local=datetime(2026, 12, day, 18),
            **extra,
        )
        return int(runtime.db.write(create_event, runtime, who, draft))

    algebra = make(maths.id, "Algebra", "MathsChat", 12)
    paint = make(art.id, "Paint", "ArtChat", 13)
    hidden = make(art.id, "Secret", "ArtChat", 14, discoverable=False)
    runtime.db.write(_subject, maths.id, "Mathematics")
    runtime.db.write(_follow, viewer.id, friend.id)
    runtime.db.write(_follow, viewer.id, shy.id)
    runtime.db.write(event_rsvps.going, friend.id, algebra)
    runtime.db.write(event_rsvps.going, shy.id, paint, private=True)
    runtime.db.write(event_rsvps.going, viewer.id, hidden)

    def ids(query: CalendarQuery, who: int | None = viewer.id) -> list[int]:
        page = runtime.db.read(event_calendar.upcoming, who, query, server_clock.now)
        return [e.id for e in page.events]

    assert ids(CalendarQuery()) == [algebra, paint]
    assert ids(CalendarQuery(), None) == [algebra, paint]
    assert ids(CalendarQuery(hashtag="#artchat")) == [paint]
    assert ids(CalendarQuery(subject="Mathematics")) == [algebra]
    assert ids(CalendarQuery(who="following")) == [algebra]  # shy's RSVP is private
    assert ids(CalendarQuery(who="mine")) == [hidden]  # found through its link and RSVPed
    assert ids(CalendarQuery(who="mine"), friend.id) == [algebra]
    first = runtime.db.read(
        event_calendar.upcoming, None, CalendarQuery(), server_clock.now, limit=1
    )
    assert first.next_cursor is not None and first.counts == {algebra: 1}
    assert ids(CalendarQuery(after=first.next_cursor)) == [paint]
    server_clock.advance(days=3, hours=2)
    assert ids(CalendarQuery()) == []  # ended events leave the calendar
