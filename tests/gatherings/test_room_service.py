"""The live room's service: the hashtag added once, host questions numbered Q1, Q2 (never a
participant's), answers grouped under them, slow mode with the host exempt, mutes that hold
in one room only, who's here, and what never shows (followers-only, direct, blocked)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from staffroom import clock
from staffroom.errors import Forbidden, RateLimited, ValidationFailed
from staffroom.runtime import Runtime
from staffroom.services import blocks, chat_room
from staffroom.services.event_posts import chat_views
from staffroom.services.events import require_event
from tests.gatherings.room_helpers import live_event, plain_post, say, text_of

UserFactory = Callable[..., Any]


def _room_ids(runtime: Runtime, viewer: Any, event: Any) -> list[int]:
    found = runtime.db.read(chat_room.room_view, viewer.id if viewer else None, event)
    return [v.id for v in found.views]


def test_the_hashtag_is_added_once_and_the_post_is_public(
    runtime: Runtime, make_user: UserFactory
) -> None:
    host, ana = make_user("host"), make_user("ana")
    event = live_event(runtime, host)
    first = say(runtime, ana, event, "  Hello from Leeds ")
    second = say(runtime, ana, event, "Already tagged #edchat here")
    assert text_of(runtime, first) == "Hello from Leeds #EdChat"
    assert text_of(runtime, second) == "Already tagged #edchat here"
    assert _room_ids(runtime, None, event) == [first, second]


def test_host_questions_are_numbered_and_answers_grouped(
    runtime: Runtime, make_user: UserFactory
) -> None:
    host, cohost, ana, ben, cat = (make_user(n) for n in ("host", "cohost", "ana", "ben", "cat"))
    event = live_event(runtime, host, hosts=(cohost.id,))
    hello = say(runtime, ana, event, "Hi all")
    q1 = say(runtime, host, event, "How do you start a lesson?", as_question=True)
    a1 = say(runtime, ana, event, "With a picture", answering=1)
    fake = say(runtime, ben, event, "Q7 is this a question?")  # a participant: never
    with pytest.raises(Forbidden):
        say(runtime, ben, event, "Let me ask", as_question=True)
    q2 = say(runtime, cohost, event, "And end one?", as_question=True)
    a2 = say(runtime, ben, event, "An exit ticket", answering=2)
    late = say(runtime, cat, event, "A song", answering=1)
    reply = say(runtime, cat, event, "Love that", in_reply_to_id=q2)
    chatter = say(runtime, cat, event, "Great chat")
    assert text_of(runtime, q1) == "Q1 How do you start a lesson? #EdChat"
    assert text_of(runtime, q2) == "Q2 And end one? #EdChat"
    assert text_of(runtime, a1) == "A1 With a picture #EdChat"
    assert text_of(runtime, a2) == "A2 An exit ticket #EdChat"
    with pytest.raises(ValidationFailed, match="no question with that number"):
        say(runtime, ana, event, "hm", answering=3)

    room = runtime.db.read(chat_room.room_view, ana.id, event)
    assert room.questions == [(1, q1), (2, q2)]
    assert room.next_question == 3
    grouped = [(s.number, [p.id for p in s.posts()]) for s in room.sections]
    assert grouped == [(None, [hello]), (1, [q1, a1, fake, late]), (2, [q2, a2, reply, chatter])]
    assert [p.id for p in room.sections[1].answers] == [a1, late]
    assert [p.id for p in room.sections[2].answers] == [a2, reply]


def test_slow_mode_holds_participants_back_but_not_hosts(
    runtime: Runtime, make_user: UserFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    host, ana = make_user("host"), make_user("ana")
    event = live_event(runtime, host)
    with pytest.raises(Forbidden):
        runtime.db.write(chat_room.set_slow_mode, ana.id, event.id, 30)
    with pytest.raises(ValidationFailed, match="0 \\(off\\) to 600"):
        runtime.db.write(chat_room.set_slow_mode, host.id, event.id, 601)
    runtime.db.write(chat_room.set_slow_mode, host.id, event.id, 60)
    event = runtime.db.read(require_event, event.id)
    start = datetime.now(UTC)
    offset = [timedelta(0)]
    monkeypatch.setattr(clock, "now", lambda: start + offset[0])
    say(runtime, ana, event, "first")
    offset[0] = timedelta(seconds=20)
    with pytest.raises(RateLimited) as refused:
        say(runtime, ana, event, "second")
    assert refused.value.status == 429
    assert "You can post again in 40 seconds" in str(refused.value)
    say(runtime, host, event, "hosts are exempt")
    say(runtime, host, event, "twice in a row")
    offset[0] = timedelta(seconds=61)
    say(runtime, ana, event, "second, after the wait")


def test_a_room_mute_hides_someone_in_that_room_only(
    runtime: Runtime, make_user: UserFactory
) -> None:
    host, ana, ben = make_user("host"), make_user("ana"), make_user("ben")
    event = live_event(runtime, host)
    other = live_event(runtime, host, hashtag="MathsChat")
    said = say(runtime, ben, event, "hello")
    said_elsewhere = say(runtime, ben, other, "hello maths")
    runtime.db.write(chat_room.mute_in_room, ana.id, event.id, ben.id)
    assert said not in _room_ids(runtime, ana, event)
    assert said in _room_ids(runtime, host, event)  # only ana muted him
    assert said_elsewhere in _room_ids(runtime, ana, other)  # only in that room
    assert said in [v.id for v in runtime.db.read(chat_views, ana.id, event)]  # not a mute
    with pytest.raises(ValidationFailed):
        runtime.db.write(chat_room.mute_in_room, ana.id, event.id, ana.id)
    runtime.db.write(chat_room.unmute_in_room, ana.id, event.id, ben.id)
    assert said in _room_ids(runtime, ana, event)


def test_who_is_here_lists_joiners_and_posters_newest_first_with_hosts_marked(
    runtime: Runtime, make_user: UserFactory
) -> None:
    host, ana, ben, cat = (make_user(n) for n in ("host", "ana", "ben", "cat"))
    event = live_event(runtime, host)
    plain_post(runtime, cat, "posted from another app #EdChat")  # never opened the room
    runtime.db.write(chat_room.join, event, ben.id)
    say(runtime, host, event, "Welcome")
    runtime.db.write(chat_room.join, event, ana.id)
    people = runtime.db.read(chat_room.who_is_here, event)
    assert [p.username for p in people] == ["ana", "host", "ben", "cat"]
    assert [p.username for p in people if p.is_host] == ["host"]
    runtime.db.write(blocks.block, runtime.timelines, ana.id, cat.id)
    seen_by_ana = runtime.db.read(chat_room.who_is_here, event, ana.id)
    assert "cat" not in [p.username for p in seen_by_ana]


def test_followers_only_direct_and_blocked_posts_never_show(
    runtime: Runtime, make_user: UserFactory
) -> None:
    host, ana, ben = make_user("host"), make_user("ana"), make_user("ben")
    event = live_event(runtime, host)
    public = plain_post(runtime, ana, "open #EdChat")
    plain_post(runtime, ana, "for followers #EdChat", "private")
    plain_post(runtime, ana, "for ben @ben #EdChat", "direct")
    plain_post(runtime, ana, "quiet #EdChat", "unlisted")
    bens = say(runtime, ben, event, "me too")
    assert _room_ids(runtime, None, event) == [public, bens]
    assert _room_ids(runtime, ben, event) == [public, bens]  # even the one mentioned
    runtime.db.write(blocks.block, runtime.timelines, ben.id, ana.id)
    assert _room_ids(runtime, ben, event) == [bens]  # ben blocks ana
    assert _room_ids(runtime, ana, event) == [public]  # ana is blocked by ben


def test_refusals_in_words(runtime: Runtime, make_user: UserFactory) -> None:
    host, ana = make_user("host"), make_user("ana")
    event = live_event(runtime, host)
    limit = runtime.settings.max_status_chars
    fits = "x" * (limit - len(" #EdChat"))
    say(runtime, ana, event, fits)
    with pytest.raises(ValidationFailed) as too_long:
        say(runtime, ana, event, fits + "y")
    assert f"with the room's #EdChat it has {limit + 1} characters" in str(too_long.value)
    assert too_long.value.status == 422
    with pytest.raises(ValidationFailed, match="Write something"):
        say(runtime, ana, event, "   ")
    ended = live_event(runtime, host, hashtag="Old", started_minutes_ago=200, duration=60)
    with pytest.raises(ValidationFailed, match="has ended"):
        say(runtime, ana, ended, "late")
    soon = live_event(runtime, host, hashtag="Soon", started_minutes_ago=-120)
    with pytest.raises(ValidationFailed, match="opens 15 minutes before"):
        say(runtime, ana, soon, "early")


def test_questions_posted_at_once_get_distinct_numbers(
    runtime: Runtime, make_user: UserFactory
) -> None:
    from concurrent.futures import ThreadPoolExecutor

    host, cohost = make_user("host"), make_user("cohost")
    event = live_event(runtime, host, hosts=(cohost.id,))

    def ask(n: int) -> int:
        who = host if n % 2 else cohost
        return say(runtime, who, event, f"Question from {n}", as_question=True)

    with ThreadPoolExecutor(max_workers=4) as pool:
        asked = list(pool.map(ask, range(8)))
    room = runtime.db.read(chat_room.room_view, None, event)
    assert [n for n, _ in room.questions] == list(range(1, 9))
    assert sorted(s for _, s in room.questions) == sorted(asked)
    for number, status_id in room.questions:
        assert text_of(runtime, status_id).startswith(f"Q{number} Question from ")
