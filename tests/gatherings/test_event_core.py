"""The events core: a series keeps its local time across daylight-saving changes, chat
posts group under the host's questions."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from staffroom.runtime import Runtime
from staffroom.services import event_recurrence as recurrence
from staffroom.services.chat_threads import ChatPost, group
from staffroom.services.events import EventDraft, create_series, series_events


def test_weekly_series_keeps_its_local_time_across_the_clock_change(
    runtime: Runtime, make_user: Callable[..., Any]
) -> None:
    host = make_user("host")
    # Europe/London goes to BST on Sunday 28 March 2027: 20:00 is 20:00 UTC then 19:00 UTC
    draft = EventDraft(
        title="ELTChat",
        hashtag="#ELTChat",
        time_zone="Europe/London",
        start_local=datetime(2027, 3, 17, 20, 0),
    )
    series_id, first = runtime.db.write(create_series, runtime, host.id, draft, "weekly")
    made = runtime.db.read(series_events, series_id, limit=4)
    assert made[0].id == first
    assert [e.starts_at for e in made[:3]] == [
        datetime(2027, 3, 17, 20, tzinfo=UTC),
        datetime(2027, 3, 24, 20, tzinfo=UTC),
        datetime(2027, 3, 31, 19, tzinfo=UTC),
    ]
    assert {e.local_start.hour for e in made} == {20}
    assert all(e.ends_at - e.starts_at == timedelta(hours=1) for e in made)
    assert made[0].announce_status_id is not None and made[1].announce_status_id is None


def test_monthly_by_weekday_and_last_weekday() -> None:
    second_tuesday = list(_take(recurrence.local_starts(datetime(2026, 1, 13, 19), "monthly"), 3))
    assert [d.day for d in second_tuesday] == [13, 10, 10]  # Jan, Feb, Mar 2026
    fifth = list(_take(recurrence.local_starts(datetime(2026, 1, 29, 19), "monthly"), 2))
    assert fifth[1] == datetime(2026, 2, 26, 19)  # the last Thursday of February


def _take(it: Any, n: int) -> Any:
    for _ in range(n):
        yield next(it)


def _post(i: int, who: int, text: str, reply: int | None = None) -> ChatPost:
    return ChatPost(i, who, text, reply, datetime(2026, 1, 1, tzinfo=UTC))


def test_answers_group_under_questions_and_every_post_once() -> None:
    host, ana, ben = 1, 2, 3
    posts = [
        _post(1, ana, "Hello all, first time here"),
        _post(2, host, "Q1 How do you start a lesson?"),
        _post(3, ana, "A1 With a picture"),
        _post(4, ben, "Q1 from me too?"),  # not a host: not a question
        _post(5, host, "Q2: And end one?"),
        _post(6, ben, "A1 late: with a song"),
        _post(7, ana, "@host an exit ticket", reply=5),
        _post(8, ben, "agreed", reply=7),
        _post(9, ana, "great chat"),
    ]
    sections = group(reversed(posts), [host])
    assert [(s.number, [p.id for p in s.posts()]) for s in sections] == [
        (None, [1]),
        (1, [2, 3, 4, 6]),
        (2, [5, 7, 8, 9]),
    ]
    assert [p.id for p in sections[1].answers] == [3, 6]
    assert [p.id for p in sections[2].answers] == [7, 8]
    assert sorted(p.id for s in sections for p in s.posts()) == list(range(1, 10))


def test_chat_posts_are_public_tagged_posts_in_the_window_and_replies_into_them(
    runtime: Runtime, make_user: Callable[..., Any]
) -> None:
    from staffroom import clock
    from staffroom.services.event_posts import chat_status_ids, chat_views
    from staffroom.services.events import create_event, require_event
    from staffroom.services.posting import NewStatus, post_status

    host, ana = make_user("host"), make_user("ana")
    now = clock.now()
    local = (
        (now - timedelta(minutes=5)).astimezone(UTC).replace(tzinfo=None, second=0, microsecond=0)
    )
    draft = EventDraft(title="Chat", hashtag="EdChat", time_zone="UTC", start_local=local)
    event_id = runtime.db.write(create_event, runtime, host.id, draft, announce=False)

    def post(who: Any, text: str, visibility: str = "public", reply: int | None = None) -> int:
        new = NewStatus(text=text, visibility=visibility, in_reply_to_id=reply)
        return runtime.db.write(post_status, runtime, who.id, new)

    q1 = post(host, "Q1 What works? #EdChat")
    a1 = post(ana, "pictures", reply=q1)  # no hashtag, but into the thread
    post(ana, "secret #EdChat", "private")
    post(ana, "just us #EdChat", "direct")
    post(ana, "quiet #EdChat", "unlisted")
    post(ana, "elsewhere #OtherChat")
    event = runtime.db.read(require_event, event_id)
    assert runtime.db.read(chat_status_ids, event) == [q1, a1]
    assert [v.id for v in runtime.db.read(chat_views, ana.id, event)] == [q1, a1]
