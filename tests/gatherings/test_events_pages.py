"""Event pages without JavaScript: make an event and a series from the form, refusals in
words, RSVP with a private name and a reminder, edit and cancel, follow a series, the
calendar signed in and out, the feeds (a wrong personal token is a 404), and Mastodon
clients not seeing Staffroom's own notification types unless they ask."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from icalendar import Calendar
from starlette.testclient import TestClient

from staffroom.runtime import Runtime
from staffroom.services import event_rsvps
from staffroom.services.events import EventDraft, create_event
from tests.conftest import CLOCK_START, ServerClock, User
from tests.oauth.helpers import form_with_button
from tests.oauth.helpers import sign_in as _sign_in

UserFactory = Callable[..., User]
FORM = {
    "title": "ELTChat",
    "hashtag": "#ELTChat",
    "starts_at": "2026-12-16T20:00",
    "ends_at": "2026-12-16T21:00",
    "time_zone": "Europe/London",
    "description": "Our weekly chat",
    "online_url": "https://meet.example/elt",
    "kind": "chat",
    "repeat": "none",
    "announce": "1",
    "discoverable": "1",
}


def sign_in(client: TestClient, email: str, password: str) -> None:
    client.cookies.clear()
    _sign_in(client, email, password)


def _submit(client: TestClient, html: str, button: str, **fields: str) -> str:
    form = form_with_button(html, button)
    answer = client.post(form.action, data={**form.fields, **fields}, follow_redirects=False)
    assert answer.status_code == 303, answer.text
    return str(answer.headers["location"])


def test_make_rsvp_edit_and_cancel_an_event_on_the_web(
    client: TestClient, runtime: Runtime, make_user: UserFactory, server_clock: ServerClock
) -> None:
    host, ana, ben = make_user("host"), make_user("ana"), make_user("ben")
    sign_in(client, host.email, host.password)
    page = client.get("/events/new")
    assert page.status_code == 200 and 'type="datetime-local"' in page.text
    where = _submit(client, page.text, "Make the event", **FORM, cohosts="@ben")
    assert where.startswith("/events/")
    event_id = int(where.split("/")[2])
    shown = client.get(where)
    assert "ELTChat" in shown.text and 'href="/tags/ELTChat"' in shown.text
    assert "20:00" in shown.text and f"/events/{event_id}/transcript" in shown.text
    assert "The post announcing this event" in shown.text and "Edit or cancel" in shown.text

    sign_in(client, ana.email, ana.password)
    page = client.get(where)
    _submit(client, page.text, "I'm going", private="1", remind_minutes="60")
    sign_in(client, ben.email, ben.password)
    page = client.get(where)
    _submit(client, page.text, "I'm going", remind_minutes="", private="")
    page = client.get(where)
    assert "2 going" in page.text and "@ben" in page.text and "@ana" not in page.text
    assert "Edit or cancel" in page.text  # ben co-hosts

    client.cookies.clear()
    signed_out = client.get(where)
    assert signed_out.status_code == 200 and "@ana" not in signed_out.text
    everyone = client.get(f"{where}/attendees")
    assert "@ben" in everyone.text and "@ana" not in everyone.text and "2 going" in everyone.text
    assert "Sign in to say you are going" in signed_out.text

    sign_in(client, host.email, host.password)
    edit = client.get(f"/events/{event_id}/edit")
    moved = {**FORM, "starts_at": "2026-12-17T19:00", "ends_at": "2026-12-17T20:30"}
    assert _submit(client, edit.text, "Save", **moved).endswith("done=saved")
    assert "19:00" in client.get(where).text
    edit = client.get(f"/events/{event_id}/edit")
    _submit(client, edit.text, "Cancel this event")
    assert "This event was cancelled." in client.get(where).text
    server_clock.advance(days=10)
    runtime.worker.drain()
    assert runtime.db.read(event_rsvps.counts, [event_id]) == {event_id: 2}
    note = client.get(
        "/api/v1/notifications", params={"types[]": "event_reminder"}, headers=ana.headers
    )
    assert note.json() == []  # cancelled: no reminder


def test_bad_input_is_refused_in_words(
    client: TestClient, make_user: UserFactory, server_clock: ServerClock
) -> None:
    host = make_user("host")
    sign_in(client, host.email, host.password)
    page = client.get("/events/new")
    form = form_with_button(page.text, "Make the event")
    for change, words in (
        ({"time_zone": "Mars/Olympus"}, "That is not a time zone we know"),
        ({"ends_at": "2026-12-16T19:00"}, "The event must end after it starts"),
        ({"hashtag": "#no way"}, "That is not a valid hashtag"),
        ({"starts_at": "soon"}, "Give the start as a date and a time"),
        ({"cohosts": "nobody_here"}, "There is nobody here called nobody_here"),
        ({"repeat": "daily"}, "Choose weekly, fortnightly or monthly"),
    ):
        answer = client.post(form.action, data={**form.fields, **FORM, **change})
        assert answer.status_code == 422, change
        assert words in answer.text


def test_a_series_from_the_form_its_page_follow_and_feeds(
    client: TestClient, make_user: UserFactory, server_clock: ServerClock
) -> None:
    host, ana = make_user("host"), make_user("ana")
    sign_in(client, host.email, host.password)
    page = client.get("/events/new")
    series = _submit(
        client, page.text, "Make the event", **{**FORM, "repeat": "monthly", "until": "2027-06-30"}
    )
    assert series.startswith("/series/")
    series_id = series.split("/")[2]
    shown = client.get(series)
    assert "Every month" in shown.text and "Coming up" in shown.text
    atom = f'href="/series/{series_id}/transcripts.atom"'
    assert f'<link rel="alternate" type="application/atom+xml" {atom}' in shown.text
    assert client.get(f"/series/{series_id}/transcripts.atom").status_code == 200

    sign_in(client, ana.email, ana.password)
    _submit(client, client.get(series).text, "Follow this series")
    assert "Stop following this series" in client.get(series).text

    feed = client.get(f"/series/{series_id}.ics")
    assert feed.headers["content-type"] == "text/calendar; charset=utf-8"
    days = sorted(e.decoded("DTSTART").day for e in Calendar.from_ical(feed.content).walk("VEVENT"))
    assert 16 in days and 20 in days  # the 3rd Wednesday: 16 Dec, 20 Jan...

    settings = client.get("/settings/calendar")
    assert settings.status_code == 200
    url = settings.text.split('id="calendar-feed-url" type="text" readonly value="')[1].split('"')[
        0
    ]
    path = url.split("://", 1)[1].split("/", 1)[1]
    mine = client.get("/" + path)
    assert mine.status_code == 200 and b"ELTChat" in mine.content
    _submit(client, settings.text, "Make a new address (the old one stops working)")
    assert client.get("/" + path).status_code == 404
    assert client.get("/calendar/not-a-token.ics").status_code == 404


def test_calendar_page_signed_in_and_out(
    client: TestClient, runtime: Runtime, make_user: UserFactory, server_clock: ServerClock
) -> None:
    host = make_user("host")

    def make(title: str, tag: str, **extra: object) -> int:
        draft = EventDraft(
            title=title,
            hashtag=tag,
            time_zone="America/New_York",
            start_local=datetime(2026, 12, 11, 19, 30),
            **extra,  # type: ignore[arg-type]
        )
        return int(runtime.db.write(create_event, runtime, host.id, draft))

    make("Listed chat", "ListedChat")
    make("Hidden chat", "HiddenChat", discoverable=False)
    out = client.get("/events")
    assert out.status_code == 200 and "Listed chat" in out.text and "Hidden chat" not in out.text
    assert "Friday, December 11, 2026" in client.get("/events?tz=America/New_York").text
    assert "Saturday, December 12, 2026" in client.get("/events?tz=Europe/Berlin").text
    assert "Listed chat" not in client.get("/events?hashtag=other").text
    sign_in(client, host.email, host.password)
    page = client.get("/events?who=mine")
    assert 'href="/events" aria-current="page"' in page.text
    assert client.get("/events/999999").status_code == 404
    assert client.get("/series/999999").status_code == 404


def test_mastodon_clients_see_event_notifications_only_when_they_ask(
    client: TestClient, runtime: Runtime, make_user: UserFactory, server_clock: ServerClock
) -> None:
    host, ana = make_user("host"), make_user("ana")
    draft = EventDraft(
        title="Soon", hashtag="soon", time_zone="UTC", start_local=datetime(2026, 12, 10, 18)
    )
    event_id = runtime.db.write(create_event, runtime, host.id, draft)
    runtime.db.write(event_rsvps.going, ana.id, event_id, remind_minutes=15)
    server_clock.now = CLOCK_START.replace(minute=50)
    runtime.worker.drain()

    v1 = client.get("/api/v1/notifications", headers=ana.headers).json()
    assert v1 == []
    named = client.get(
        "/api/v1/notifications", params={"types[]": "event_reminder"}, headers=ana.headers
    ).json()
    assert [n["type"] for n in named] == ["event_reminder"]
    v2 = client.get("/api/v2/notifications", headers=ana.headers).json()
    assert v2["notification_groups"] == []
    v2_named = client.get(
        "/api/v2/notifications", params={"types[]": "event_reminder"}, headers=ana.headers
    ).json()
    assert [g["type"] for g in v2_named["notification_groups"]] == ["event_reminder"]
    count = client.get("/api/v1/notifications/unread_count", headers=ana.headers).json()
    assert count == {"count": 0}

    sign_in(client, ana.email, ana.password)
    page = client.get("/notifications")
    assert f'href="/events/{event_id}"' in page.text and "Soon" in page.text


def test_strangers_cannot_edit_and_blocked_people_do_not_see_the_event(
    client: TestClient, runtime: Runtime, make_user: UserFactory, server_clock: ServerClock
) -> None:
    host, ana, ben = make_user("host"), make_user("ana"), make_user("ben")
    draft = EventDraft(
        title="Quiet chat", hashtag="quiet", time_zone="UTC", start_local=datetime(2026, 12, 12, 9)
    )
    event_id = runtime.db.write(create_event, runtime, host.id, draft)
    blocked = client.post(f"/api/v1/accounts/{ben.id}/block", headers=host.headers)
    assert blocked.status_code == 200

    sign_in(client, ana.email, ana.password)
    assert client.get(f"/events/{event_id}/edit").status_code == 404
    page = client.get(f"/events/{event_id}")
    assert "Edit or cancel" not in page.text
    form = form_with_button(page.text, "I'm going")
    refused = client.post(f"/web/events/{event_id}/cancel", data=form.fields)
    assert refused.status_code == 403
    assert "This event was cancelled." not in client.get(f"/events/{event_id}").text
    wrong = client.post(form.action, data={**form.fields, "remind_minutes": "7"})
    assert wrong.status_code == 422 and "Choose a reminder from the list" in wrong.text

    sign_in(client, ben.email, ben.password)
    assert client.get(f"/events/{event_id}").status_code == 404
    assert client.get(f"/events/{event_id}.ics").status_code == 404
    assert "Quiet chat" not in client.get("/events").text
