"""Audience Q&A: questions wait for a host, approved ones order by votes then age, one vote
per person (toggled), answered ones leave the speaker's list, refusals in words."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from staffroom.errors import Forbidden, NotFound, RateLimited, ValidationFailed
from staffroom.runtime import Runtime
from staffroom.services import audience_qa as qa
from tests.conftest import User
from tests.gatherings.wall_helpers import live_event

UserFactory = Callable[..., User]


def test_questions_are_screened_then_ordered_by_votes_then_age(
    runtime: Runtime, make_user: UserFactory
) -> None:
    host, ana, ben, cy = (make_user(n) for n in ("host", "ana", "ben", "cy"))
    event_id = live_event(runtime, host)
    first = runtime.db.write(qa.submit, ana.id, event_id, "  How   do you mark   quickly? ")
    second = runtime.db.write(qa.submit, ben.id, event_id, "What about homework?")
    third = runtime.db.write(qa.submit, cy.id, event_id, "Is this off topic?")

    audience = runtime.db.read(qa.qa_view, cy.id, event_id)
    assert audience.approved == [] and [q.id for q in audience.pending] == [third]
    assert runtime.db.read(qa.qa_view, None, event_id).pending == []
    hosts = runtime.db.read(qa.qa_view, host.id, event_id)
    assert [q.id for q in hosts.pending] == [first, second, third]
    assert hosts.pending[0].text == "How do you mark quickly?"

    for question in (first, second):
        change = runtime.db.write(qa.screen, host.id, event_id, question, "approve")
        assert change.frames == [{"type": "qa"}]
    runtime.db.write(qa.screen, host.id, event_id, third, "reject")
    assert [q.id for q in runtime.db.read(qa.top_questions, event_id)] == [first, second]

    runtime.db.write(qa.vote, ana.id, event_id, second)
    runtime.db.write(qa.vote, cy.id, event_id, second)
    runtime.db.write(qa.vote, cy.id, event_id, first)
    top = runtime.db.read(qa.top_questions, event_id)
    assert [(q.id, q.votes) for q in top] == [(second, 2), (first, 1)]
    view = runtime.db.read(qa.qa_view, cy.id, event_id)
    assert view.voted == {first, second}
    runtime.db.write(qa.vote, cy.id, event_id, second)  # taken back
    runtime.db.write(qa.vote, cy.id, event_id, first)  # taken back
    runtime.db.write(qa.vote, cy.id, event_id, first)  # and given again: still one
    top = runtime.db.read(qa.top_questions, event_id)
    assert [(q.id, q.votes) for q in top] == [(first, 1), (second, 1)]  # a tie: oldest first

    runtime.db.write(qa.screen, host.id, event_id, first, "answer")
    assert [q.id for q in runtime.db.read(qa.top_questions, event_id)] == [second]
    assert [q.id for q in runtime.db.read(qa.qa_view, ana.id, event_id).answered] == [first]


def test_refusals(runtime: Runtime, make_user: UserFactory) -> None:
    host, ana, ben = make_user("host"), make_user("ana"), make_user("ben")
    event_id = live_event(runtime, host)
    with pytest.raises(ValidationFailed, match="at least 3 characters"):
        runtime.db.write(qa.submit, ana.id, event_id, " ok ")
    with pytest.raises(ValidationFailed, match="at most 500 characters"):
        runtime.db.write(qa.submit, ana.id, event_id, "x" * 501)
    mine = runtime.db.write(qa.submit, ana.id, event_id, "x" * 500)
    with pytest.raises(NotFound):  # not approved yet: nothing to vote on
        runtime.db.write(qa.vote, ben.id, event_id, mine)
    with pytest.raises(Forbidden):
        runtime.db.write(qa.screen, ben.id, event_id, mine, "approve")
    with pytest.raises(ValidationFailed, match="Only an approved question"):
        runtime.db.write(qa.screen, host.id, event_id, mine, "answer")
    runtime.db.write(qa.screen, host.id, event_id, mine, "approve")
    with pytest.raises(ValidationFailed, match="your own question"):
        runtime.db.write(qa.vote, ana.id, event_id, mine)
    with pytest.raises(NotFound):
        runtime.db.write(qa.vote, ben.id, event_id + 1, mine)
    runtime.db.write(qa.submit, ana.id, event_id, "second one")
    runtime.db.write(qa.submit, ana.id, event_id, "third one")
    with pytest.raises(RateLimited):
        runtime.db.write(qa.submit, ana.id, event_id, "fourth in a minute")
    with pytest.raises(Forbidden):
        runtime.db.write(qa.set_open, ben.id, event_id, False)
    runtime.db.write(qa.set_open, host.id, event_id, False)
    with pytest.raises(ValidationFailed, match="closed"):
        runtime.db.write(qa.submit, ben.id, event_id, "too late?")


def test_an_ended_event_takes_no_questions(runtime: Runtime, make_user: UserFactory) -> None:
    host, ana = make_user("host"), make_user("ana")
    event_id = live_event(runtime, host, minutes_ago=120)
    with pytest.raises(ValidationFailed, match="closed"):
        runtime.db.write(qa.submit, ana.id, event_id, "Is it over?")
    assert runtime.db.read(qa.qa_view, ana.id, event_id).phase == "ended"
