"""The topic call end to end: a host opens it on the series' next date, people propose by
form and by public post (not by followers-only posts, nor posts without the marker), the
host shortlists and starts the vote, people vote, the poll's end writes the winning topic,
announces it publicly and tells each RSVP and series follower once; the tie rule; a vote
without votes; the checks in words; posting without the marker costs no events query."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import event as sa_event
from sqlalchemy import func, insert, select
from starlette.testclient import TestClient

from staffroom import clock
from staffroom.db.tables import notifications, statuses
from staffroom.db.tables_events import event_rsvps, series_follows
from staffroom.errors import Forbidden, NotFound, ValidationFailed
from staffroom.jobs import enqueue
from staffroom.policies.visibility import PUBLIC
from staffroom.runtime import Runtime
from staffroom.services import event_topic_vote as vote
from staffroom.services import event_topics as topics
from staffroom.services.events import EventDraft, create_event, create_series, get_event
from staffroom.services.posting import NewStatus, post_status
from tests.conftest import ServerClock, User

UserFactory = Callable[..., User]


def _series(runtime: Runtime, host: User) -> tuple[int, int, int]:
    """A weekly #ELTChat from Wednesday 16 Dec 2026, 20:00 London: (series, 1st, 2nd)."""
    draft = EventDraft(
        title="ELTChat",
        hashtag="ELTChat",
        time_zone="Europe/London",
        start_local=datetime(2026, 12, 16, 20, 0),
    )
    series_id, first = runtime.db.write(create_series, runtime, host.id, draft, "weekly")
    second = [e.id for e in runtime.db.read(lambda c: _occurrences(c, series_id))][1]
    return series_id, first, second


def _occurrences(conn: Any, series_id: int) -> Any:
    from staffroom.services.events import series_events

    return series_events(conn, series_id)


def _post(client: TestClient, user: User, text: str, visibility: str = "public") -> str:
    answer = client.post(
        "/api/v1/statuses", json={"status": text, "visibility": visibility}, headers=user.headers
    )
    assert answer.status_code == 200, answer.text
    return str(answer.json()["id"])


def _texts(runtime: Runtime, event_id: int) -> list[str]:
    return sorted(p.text for p in runtime.db.read(topics.proposals, event_id))


def _topic_notes(runtime: Runtime, event_id: int) -> dict[int, int]:
    rows = runtime.db.read(
        lambda c: c.execute(
            select(notifications.c.account_id, func.count())
            .where(notifications.c.type == "event_topic", notifications.c.event_id == event_id)
            .group_by(notifications.c.account_id)
        ).all()
    )
    return {int(a): int(n) for a, n in rows}


def _shortlist_all(runtime: Runtime, host: User, event_id: int, *texts: str) -> list[int]:
    by_text = {p.text: p.id for p in runtime.db.read(topics.proposals, event_id)}
    ids = [by_text[t] for t in texts]
    runtime.db.write(topics.set_shortlist, host.id, event_id, ids)
    return ids


def _poll_id(client: TestClient, user: User, status_id: int) -> str:
    found = client.get(f"/api/v1/statuses/{status_id}", headers=user.headers).json()
    return str(found["poll"]["id"])


def _vote(client: TestClient, user: User, poll_id: str, choice: int) -> None:
    answer = client.post(
        f"/api/v1/polls/{poll_id}/votes", json={"choices": [choice]}, headers=user.headers
    )
    assert answer.status_code == 200, answer.text


def test_topic_call_proposals_shortlist_poll_and_the_winner_announced(
    client: TestClient, runtime: Runtime, make_user: UserFactory, server_clock: ServerClock
) -> None:
    host, ana, ben, cat, dan, eve, gil = (
        make_user(n) for n in ("host", "ana", "ben", "cat", "dan", "eve", "gil")
    )
    series_id, first, second = _series(runtime, host)

    with pytest.raises(ValidationFailed):  # only the series' next date
        runtime.db.write(topics.open_call, host.id, second)
    with pytest.raises(Forbidden):
        runtime.db.write(topics.open_call, ana.id, first)
    runtime.db.write(topics.open_call, host.id, first)
    assert runtime.db.read(get_event, first).topic_state == "open"  # type: ignore[union-attr]

    # By form; the same words again (any case) fold into the first proposal.
    made, new = runtime.db.write(topics.propose, ana.id, first, "  Feedback on   writing ")
    again, new_again = runtime.db.write(topics.propose, ben.id, first, "feedback on WRITING")
    assert new and not new_again and again == made
    # By post: public with the hashtag and the marker; not followers-only, not unmarked.
    by_post = _post(client, cat, "#ELTChat Topic: Using songs in class")
    _post(client, dan, "#ELTChat topic: A secret topic", visibility="private")
    _post(client, eve, "#ELTChat what a great topic last week")
    _post(client, eve, "topic: Drama without the hashtag")
    gone = _post(client, eve, "topic: Drama games #ELTChat")
    assert _texts(runtime, first) == [
        "Drama games",
        "Feedback on writing",
        "Using songs in class",
    ]
    linked = {p.text: p.status_id for p in runtime.db.read(topics.proposals, first)}
    assert linked["Using songs in class"] == int(by_post) and linked["Feedback on writing"] is None
    # Deleting the post removes its proposal.
    assert client.delete(f"/api/v1/statuses/{gone}", headers=eve.headers).status_code == 200
    assert "Drama games" not in _texts(runtime, first)
    runtime.db.write(topics.propose, ben.id, first, "Vocabulary games")

    with pytest.raises(Forbidden):
        _shortlist_all(runtime, ana, first, "Vocabulary games")
    _shortlist_all(
        runtime, host, first, "Feedback on writing", "Using songs in class", "Vocabulary games"
    )
    poll_status = runtime.db.write(vote.start_vote, runtime, host.id, first)
    event = runtime.db.read(get_event, first)
    assert event is not None and event.topic_state == "voting"
    assert event.topic_poll_status_id == poll_status
    posted = client.get(f"/api/v1/statuses/{poll_status}").json()  # public: signed out
    assert posted["visibility"] == "public" and "ELTChat</span></a> topic:" in posted["content"]
    assert [o["title"] for o in posted["poll"]["options"]] == [
        "Feedback on writing",
        "Using songs in class",
        "Vocabulary games",
    ]
    assert posted["poll"]["expires_at"].startswith("2026-12-16T19:00:00")  # an hour before
    with pytest.raises(ValidationFailed):  # no proposals once voting
        runtime.db.write(topics.propose, gil.id, first, "Late idea")

    poll_id = _poll_id(client, ana, poll_status)
    _vote(client, ana, poll_id, 1)
    _vote(client, ben, poll_id, 1)
    _vote(client, dan, poll_id, 0)
    # Who is told: RSVPs and series followers, once each (ben does both); gil neither.
    runtime.db.write(
        lambda c: (
            c.execute(
                insert(event_rsvps),
                [
                    {
                        "event_id": first,
                        "account_id": a,
                        "private": False,
                        "created_at": clock.now(),
                    }
                    for a in (ana.id, ben.id)
                ],
            ),
            c.execute(
                insert(series_follows),
                [
                    {"series_id": series_id, "account_id": a, "created_at": clock.now()}
                    for a in (ben.id, cat.id)
                ],
            ),
        )
    )

    runtime.worker.drain()
    assert runtime.db.read(get_event, first).topic_state == "voting"  # type: ignore[union-attr]
    server_clock.now = datetime.fromisoformat("2026-12-16T19:00:00+00:00")
    runtime.worker.drain()
    runtime.worker.drain()

    event = runtime.db.read(get_event, first)
    assert event is not None and event.topic == "Using songs in class"
    assert event.topic_state == "decided"
    announced = runtime.db.read(
        lambda c: c.execute(
            select(statuses.c.id, statuses.c.text, statuses.c.visibility).where(
                statuses.c.account_id == host.id, statuses.c.text.like("The topic for%")
            )
        ).all()
    )
    assert len(announced) == 1 and announced[0].visibility == PUBLIC
    assert "Using songs in class #ELTChat" in announced[0].text
    assert f"/events/{first}" in announced[0].text
    assert _topic_notes(runtime, first) == {ana.id: 1, ben.id: 1, cat.id: 1}

    # The job again (a crash before it was deleted) and the service again: nothing more.
    runtime.db.write(lambda c: enqueue(c, vote.JOB, {"event_id": first, "status_id": poll_status}))
    runtime.worker.drain()
    assert runtime.db.write(vote.end_vote, runtime, first, poll_status) is None
    assert _topic_notes(runtime, first) == {ana.id: 1, ben.id: 1, cat.id: 1}


def _one_off(runtime: Runtime, host: User, days: int = 3) -> int:
    start = (clock.now() + timedelta(days=days)).replace(tzinfo=None)
    draft = EventDraft(title="Edu Q&A", hashtag="EduQA", time_zone="UTC", start_local=start)
    return int(runtime.db.write(create_event, runtime, host.id, draft))


def _open_with(runtime: Runtime, host: User, event_id: int, by: User, *texts: str) -> None:
    runtime.db.write(topics.open_call, host.id, event_id)
    for text in texts:
        runtime.db.write(topics.propose, by.id, event_id, text)
    _shortlist_all(runtime, host, event_id, *texts)


def test_a_tie_goes_to_the_earliest_proposed(
    client: TestClient, runtime: Runtime, make_user: UserFactory, server_clock: ServerClock
) -> None:
    host, ana, ben, cat = (make_user(n) for n in ("host", "ana", "ben", "cat"))
    event_id = _one_off(runtime, host)
    _open_with(runtime, host, event_id, ana, "Older topic", "Newer topic", "Third")
    closes = clock.now() + timedelta(hours=2)
    poll_status = runtime.db.write(vote.start_vote, runtime, host.id, event_id, closes)
    poll_id = _poll_id(client, ana, poll_status)
    _vote(client, ben, poll_id, 1)
    _vote(client, cat, poll_id, 0)
    server_clock.advance(hours=2)
    runtime.worker.drain()
    event = runtime.db.read(get_event, event_id)
    assert event is not None and event.topic == "Older topic" and event.topic_state == "decided"


def test_a_vote_without_votes_decides_nothing_and_keeps_the_shortlist(
    client: TestClient, runtime: Runtime, make_user: UserFactory, server_clock: ServerClock
) -> None:
    host, ana = make_user("host"), make_user("ana")
    event_id = _one_off(runtime, host)
    _open_with(runtime, host, event_id, ana, "Songs", "Drama")
    runtime.db.write(vote.start_vote, runtime, host.id, event_id, clock.now() + timedelta(hours=1))
    server_clock.advance(hours=1)
    runtime.worker.drain()
    event = runtime.db.read(get_event, event_id)
    assert event is not None and event.topic is None and event.topic_state == "closed"
    assert [p.text for p in runtime.db.read(topics.shortlisted, event_id)] == ["Songs", "Drama"]
    sign_in_page = client.get(f"/events/{event_id}/topics")
    assert "closed without any votes" in sign_in_page.text
    assert _topic_notes(runtime, event_id) == {}


def test_a_host_sets_the_topic_directly_and_it_is_announced(
    client: TestClient, runtime: Runtime, make_user: UserFactory, server_clock: ServerClock
) -> None:
    host, ana, gil = make_user("host"), make_user("ana"), make_user("gil")
    event_id = _one_off(runtime, host)
    runtime.db.write(
        lambda c: c.execute(
            insert(event_rsvps).values(
                event_id=event_id, account_id=ana.id, private=False, created_at=clock.now()
            )
        )
    )
    with pytest.raises(Forbidden):
        runtime.db.write(vote.set_topic, runtime, ana.id, event_id, "Mine")
    announced = runtime.db.write(vote.set_topic, runtime, host.id, event_id, "Assessment")
    event = runtime.db.read(get_event, event_id)
    assert event is not None and event.topic == "Assessment" and event.topic_state == "decided"
    text = client.get(f"/api/v1/statuses/{announced}").json()["content"]
    assert "Assessment" in text and "EduQA" in text
    assert _topic_notes(runtime, event_id) == {ana.id: 1}
    assert gil.id not in _topic_notes(runtime, event_id)


def test_bad_input_is_refused_in_words(
    runtime: Runtime, make_user: UserFactory, server_clock: ServerClock
) -> None:
    host, ana = make_user("host"), make_user("ana")
    event_id = _one_off(runtime, host)
    with pytest.raises(ValidationFailed, match="not open"):
        runtime.db.write(topics.propose, ana.id, event_id, "Too early")
    with pytest.raises(NotFound):
        runtime.db.write(topics.open_call, host.id, 12345)
    runtime.db.write(topics.open_call, host.id, event_id)
    with pytest.raises(ValidationFailed, match="from 3 to 200"):
        runtime.db.write(topics.propose, ana.id, event_id, "ab")
    for text in ("One", "Two", "Three"):
        runtime.db.write(topics.propose, ana.id, event_id, text)
    with pytest.raises(ValidationFailed, match="at most 3 topics"):
        runtime.db.write(topics.propose, ana.id, event_id, "Four")
    with pytest.raises(ValidationFailed, match="at least 2"):
        runtime.db.write(vote.start_vote, runtime, host.id, event_id)
    ids = _shortlist_all(runtime, host, event_id, "One", "Two")
    for text in ("Five", "Six", "Seven"):
        runtime.db.write(topics.propose, host.id, event_id, text)
    everyone = [p.id for p in runtime.db.read(topics.proposals, event_id)]
    with pytest.raises(ValidationFailed, match="at most 4"):
        runtime.db.write(topics.set_shortlist, host.id, event_id, everyone)
    assert len(ids) == 2
    event = runtime.db.read(get_event, event_id)
    assert event is not None
    with pytest.raises(ValidationFailed, match="before the event starts"):
        runtime.db.write(
            vote.start_vote, runtime, host.id, event_id, event.starts_at + timedelta(minutes=1)
        )
    with pytest.raises(ValidationFailed, match="5 minutes"):
        runtime.db.write(
            vote.start_vote, runtime, host.id, event_id, clock.now() + timedelta(minutes=1)
        )
    assert runtime.db.read(get_event, event_id).topic_state == "open"  # type: ignore[union-attr]


def test_posting_without_the_marker_asks_nothing_about_events(
    runtime: Runtime, make_user: UserFactory, server_clock: ServerClock
) -> None:
    host, ana = make_user("host"), make_user("ana")
    event_id = _one_off(runtime, host)
    runtime.db.write(topics.open_call, host.id, event_id)
    seen: list[str] = []

    def record(conn: Any, cursor: Any, statement: str, *rest: Any) -> None:
        seen.append(statement)

    sa_event.listen(runtime.db.engine, "before_cursor_execute", record)
    try:
        runtime.db.write(
            post_status, runtime, ana.id, NewStatus(text="#EduQA what a chat", visibility="public")
        )
        plain = list(seen)
        seen.clear()
        runtime.db.write(
            post_status,
            runtime,
            ana.id,
            NewStatus(text="#EduQA topic: Homework", visibility="public"),
        )
        marked = list(seen)
    finally:
        sa_event.remove(runtime.db.engine, "before_cursor_execute", record)
    assert plain and not [s for s in plain if "event" in s]
    assert [s for s in marked if "FROM events" in s]  # the listener does see that query
    assert _texts(runtime, event_id) == ["Homework"]


def test_an_edit_follows_the_post_while_the_call_is_open(
    client: TestClient, runtime: Runtime, make_user: UserFactory, server_clock: ServerClock
) -> None:
    host, ana = make_user("host"), make_user("ana")
    event_id = _one_off(runtime, host)
    runtime.db.write(topics.open_call, host.id, event_id)
    plain = _post(client, ana, "#EduQA looking forward to it")
    marked = _post(client, ana, "#EduQA topic: Homwork")

    def edit(status_id: str, text: str) -> None:
        answer = client.put(
            f"/api/v1/statuses/{status_id}", json={"status": text}, headers=ana.headers
        )
        assert answer.status_code == 200, answer.text

    edit(marked, "#EduQA topic: Homework")
    edit(plain, "#EduQA topic: Group work")
    assert _texts(runtime, event_id) == ["Group work", "Homework"]
    edit(marked, "#EduQA never mind")  # the marker gone: the proposal goes
    assert _texts(runtime, event_id) == ["Group work"]
    runtime.db.write(topics.close_call, host.id, event_id)
    edit(plain, "#EduQA thanks all")  # the call closed: proposals stay as they were
    assert _texts(runtime, event_id) == ["Group work"]
