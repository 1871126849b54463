"""The demo's events (issue 15): a weekly #ELTChat series (its next chat upcoming, with
RSVPs, one of them private), last week's chat with its topic and a host's Q1/Q2 answered
with A1/A2 by several people (so its transcript has something to show), and a conference,
#EdTechConf26, with two sessions."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import Connection, update

from staffroom.db.tables_events import events
from staffroom.runtime import Runtime
from staffroom.services import event_recurrence, event_rsvps
from staffroom.services.event_editing import follow_series
from staffroom.services.events import EventDraft, create_event, create_series
from staffroom.services.posting import NewStatus, post_status

HOST = "marta_elt"
ZONE = "Europe/London"
# (minutes into the chat, who, text); the host's Q lines are the chat's questions.
CHAT = (
    (1, HOST, "Welcome to #ELTChat! Tonight: feedback that students actually read."),
    (3, HOST, "Q1 How do you give feedback on writing? #ELTChat"),
    (6, "sandy_in_seoul", "A1 Voice notes: quicker for me, warmer for them #ELTChat"),
    (8, "diego_bizeng", "A1 Two stars and a wish, then one thing to fix now #ELTChat"),
    (20, HOST, "Q2 How do you know feedback was used? #ELTChat"),
    (23, "aylin_eap", "A2 They redraft and highlight what changed #ELTChat"),
    (26, "kenji_reads", "A2 A feedback log they keep all term #ELTChat"),
)
CONFERENCE_SESSIONS = (
    ("Keynote: AI in the classroom", 10, "amara_mensah"),
    ("Workshop: formative assessment tools", 14, "anjali_stem"),
)
GOING = ("sandy_in_seoul", "diego_bizeng", "aylin_eap")
PRIVATELY_GOING = "kenji_reads"
# Posts the demo's events add: three announcements (the series and the conference's and its
# sessions' are announced: 1 + 1 + 2) and last week's chat.
POST_COUNT = 4 + len(CHAT)


def _next_wednesday(now_local: datetime) -> datetime:
    day = now_local.date() + timedelta(days=(2 - now_local.weekday()) % 7)
    start = datetime.combine(day, datetime.min.time()).replace(hour=20)
    return start if start > now_local.replace(tzinfo=None) else start + timedelta(days=7)


def fill_events(conn: Connection, rt: Runtime, ids: dict[str, int], now: datetime) -> int:
    """Make the demo's events; answers how many were made (occurrences included)."""
    host = ids[HOST]
    first = _next_wednesday(event_recurrence.to_local(now, ZONE))
    chat = EventDraft(
        title="ELTChat",
        hashtag="ELTChat",
        time_zone=ZONE,
        start_local=first,
        description="The weekly chat for English language teachers. Everyone welcome.",
    )
    series_id, next_id = create_series(
        conn, rt, host, chat, "weekly", host_ids=[ids["rachel_byrne_elt"]]
    )
    for name in GOING:
        event_rsvps.going(conn, ids[name], next_id, remind_minutes=60)
        follow_series(conn, ids[name], series_id)
    event_rsvps.going(conn, ids[PRIVATELY_GOING], next_id, private=True)

    last_week = first - timedelta(days=7)
    past_id = create_event(conn, rt, host, chat, announce=False)
    start = event_recurrence.to_utc(last_week, ZONE)
    # Last week's chat: part of the series, its topic decided (demo seeding only).
    conn.execute(
        update(events)
        .where(events.c.id == past_id)
        .values(
            series_id=series_id,
            starts_at=start,
            ends_at=start + timedelta(hours=1),
            topic="Feedback that students actually read",
            topic_state="decided",
        )
    )
    for minutes, who, text in CHAT:
        post_status(
            conn,
            rt,
            ids[who],
            NewStatus(
                text=text, visibility="public", created_at=start + timedelta(minutes=minutes)
            ),
        )

    conf_start = (first + timedelta(days=21)).replace(hour=9)
    conference = EventDraft(
        title="EdTech Conference 2026",
        hashtag="EdTechConf26",
        time_zone=ZONE,
        start_local=conf_start,
        duration_minutes=9 * 60,
        online_url="https://conference.example/edtech26",
        kind="conference",
    )
    conf_id = create_event(conn, rt, ids["peter_lindqvist"], conference)
    made = 2
    for title, hour, speaker in CONFERENCE_SESSIONS:
        session = EventDraft(
            title=title,
            hashtag="EdTechConf26",
            time_zone=ZONE,
            start_local=conf_start.replace(hour=hour),
            kind="session",
            parent_id=conf_id,
        )
        session_id = create_event(conn, rt, ids["peter_lindqvist"], session, [ids[speaker]])
        event_rsvps.going(conn, ids["kate_library"], session_id)
        made += 1
    return made
