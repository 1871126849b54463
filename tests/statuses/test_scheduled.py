"""Scheduled posts as Mastodon has them (``scheduled_at``, ``/api/v1/scheduled_statuses``),
published by the job queue at their time, exactly once: tested with a controllable clock and
with a publication that fails half-way."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import pytest
from starlette.testclient import TestClient

from staffroom.runtime import Runtime
from staffroom.services import posting
from tests.conftest import CLOCK_START, ServerClock, User

UserFactory = Callable[..., User]
START = CLOCK_START



def _iso(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


def _schedule(client: TestClient, user: User, text: str, at: datetime, **extra: object) -> Any:
    return client.post(
        "/api/v1/statuses",
        json={"status": text, "scheduled_at": _iso(at), **extra},
        headers=user.headers,
    )


def _run_due(runtime: Runtime) -> None:
    runtime.worker.drain()


def _texts(client: TestClient, user: User) -> list[str]:
    statuses = client.get(f"/api/v1/accounts/{user.id}/statuses").json()
    return [s["content"] for s in statuses]


def test_a_scheduled_post_is_published_at_its_time(
    client: TestClient, runtime: Runtime, make_user: UserFactory, server_clock: ServerClock
) -> None:
    alice, bob = make_user("alice"), make_user("bob")
    client.post(f"/api/v1/accounts/{alice.id}/follow", headers=bob.headers)
    at = START + timedelta(hours=1)

    answer = _schedule(client, alice, "Q1: how do you start a lesson? #ELTChat", at)

    assert answer.status_code == 200, answer.text
    scheduled = answer.json()
    assert scheduled["scheduled_at"] == "2026-12-10T18:00:00.000Z"
    assert scheduled["params"]["text"] == "Q1: how do you start a lesson? #ELTChat"
    assert scheduled["params"]["visibility"] == "public"
    listed = client.get("/api/v1/scheduled_statuses", headers=alice.headers).json()
    assert [s["id"] for s in listed] == [scheduled["id"]]
    _run_due(runtime)
    assert _texts(client, alice) == []  # not yet
    server_clock.advance(minutes=59)
    _run_due(runtime)
    assert _texts(client, alice) == []

    server_clock.advance(minutes=1)
    _run_due(runtime)
    _run_due(runtime)

    assert len(_texts(client, alice)) == 1
    assert "how do you start a lesson" in _texts(client, alice)[0]
    home = client.get("/api/v1/timelines/home", headers=bob.headers).json()
    assert ["Q1:" in s["content"] for s in home] == [True]
    assert client.get("/api/v1/scheduled_statuses", headers=alice.headers).json() == []
    gone = client.get(f"/api/v1/scheduled_statuses/{scheduled['id']}", headers=alice.headers)
    assert gone.status_code == 404


def test_too_soon_and_unreadable_times_are_refused(
    client: TestClient, make_user: UserFactory, server_clock: ServerClock
) -> None:
    alice = make_user("alice")

    soon = _schedule(client, alice, "Soon", START + timedelta(minutes=4))
    unreadable = client.post(
        "/api/v1/statuses",
        json={"status": "When?", "scheduled_at": "next tuesday"},
        headers=alice.headers,
    )
    too_long = _schedule(client, alice, "x" * 141, START + timedelta(hours=1))

    assert soon.status_code == 422 and "at least 5 minutes" in soon.json()["error"]
    assert unreadable.status_code == 422 and "scheduled_at" in unreadable.json()["error"]
    assert too_long.status_code == 422
    assert client.get("/api/v1/scheduled_statuses", headers=alice.headers).json() == []


def test_move_cancel_and_privacy_of_scheduled_posts(
    client: TestClient, runtime: Runtime, make_user: UserFactory, server_clock: ServerClock
) -> None:
    alice, bob = make_user("alice"), make_user("bob")
    first = _schedule(client, alice, "Moved", START + timedelta(hours=1)).json()
    second = _schedule(client, alice, "Cancelled", START + timedelta(hours=1)).json()

    moved = client.put(
        f"/api/v1/scheduled_statuses/{first['id']}",
        json={"scheduled_at": _iso(START + timedelta(hours=3))},
        headers=alice.headers,
    )
    cancelled = client.delete(f"/api/v1/scheduled_statuses/{second['id']}", headers=alice.headers)

    assert moved.status_code == 200 and moved.json()["scheduled_at"] == "2026-12-10T20:00:00.000Z"
    assert cancelled.status_code == 200 and cancelled.json() == {}
    for path in (f"/api/v1/scheduled_statuses/{first['id']}",):
        assert client.get(path, headers=bob.headers).status_code == 404
        assert client.delete(path, headers=bob.headers).status_code == 404
    assert client.get("/api/v1/scheduled_statuses", headers=bob.headers).json() == []
    server_clock.advance(hours=1, minutes=1)
    _run_due(runtime)  # the first time has come: moved, so nothing yet; the other cancelled
    assert _texts(client, alice) == []
    server_clock.advance(hours=2)
    _run_due(runtime)
    assert ["Moved" in t for t in _texts(client, alice)] == [True]


def test_a_publication_that_fails_half_way_leaves_no_trace_and_runs_again(
    client: TestClient,
    runtime: Runtime,
    make_user: UserFactory,
    server_clock: ServerClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The worker dies after the post is written but before the commit (here: the last step
    of posting raises): nothing of it stays, and the job's next run posts it once."""
    alice = make_user("alice")
    _schedule(client, alice, "Exactly once", START + timedelta(minutes=10))
    server_clock.advance(minutes=10)
    real_enqueue = posting.enqueue
    calls = {"n": 0}

    def dying_enqueue(*args: Any, **kwargs: Any) -> Any:
        calls["n"] += 1
        if calls["n"] == 1:
            raise RuntimeError("the worker died here")
        return real_enqueue(*args, **kwargs)

    monkeypatch.setattr(posting, "enqueue", dying_enqueue)
    _run_due(runtime)
    assert _texts(client, alice) == []
    assert len(client.get("/api/v1/scheduled_statuses", headers=alice.headers).json()) == 1

    server_clock.advance(minutes=5)  # the retry's back-off
    _run_due(runtime)
    _run_due(runtime)

    assert ["Exactly once" in t for t in _texts(client, alice)] == [True]
    assert client.get("/api/v1/scheduled_statuses", headers=alice.headers).json() == []
