"""The job queue: at-least-once with leases, retries with backoff, failures kept for admins."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace
from typing import Any

import pytest
from sqlalchemy import select, update
from starlette.testclient import TestClient

from staffroom.db.tables import home_feed, jobs
from staffroom.jobs import queue
from staffroom.jobs.registry import HANDLERS, job_handler
from staffroom.jobs.worker import Worker
from staffroom.runtime import Runtime
from tests.conftest import User

calls: list[int] = []


@pytest.fixture
def flaky() -> Iterator[None]:
    @job_handler("test_flaky")
    def handler(rt: Runtime, job: queue.Job, lease: object) -> None:
        calls.append(job.attempts)
        if job.payload.get("fail_until", 0) >= job.attempts:
            raise RuntimeError(f"boom {job.attempts}")

    calls.clear()
    yield
    HANDLERS.pop("test_flaky", None)


def _make_due(runtime: Runtime) -> None:
    runtime.db.write(
        lambda c: c.execute(update(jobs).values(run_at=datetime.now(UTC) - timedelta(seconds=1)))
    )


def test_failed_attempts_retry_with_backoff_then_succeed(runtime: Runtime, flaky: None) -> None:
    worker = Worker(runtime)
    runtime.db.after_commit = None
    runtime.db.write(queue.enqueue, "test_flaky", {"fail_until": 2})
    assert worker.run_once() == 1
    row = runtime.db.read(lambda c: c.execute(select(jobs)).one())
    assert row.attempts == 1 and "boom 1" in row.last_error and row.failed_at is None
    assert row.run_at.replace(tzinfo=UTC) > datetime.now(UTC)  # backing off
    assert worker.run_once() == 0  # not due yet
    _make_due(runtime)
    worker.run_once()
    _make_due(runtime)
    worker.run_once()
    assert calls == [1, 2, 3]
    assert runtime.db.read(queue.counts) == {"pending": 0, "failed": 0}


def test_job_gives_up_after_max_attempts_and_can_be_retried(runtime: Runtime, flaky: None) -> None:
    worker = Worker(runtime)
    runtime.db.after_commit = None
    runtime.db.write(queue.enqueue, "test_flaky", {"fail_until": 99}, max_attempts=2)
    worker.run_once()
    _make_due(runtime)
    worker.run_once()
    assert runtime.db.read(queue.counts) == {"pending": 0, "failed": 1}
    [dead] = runtime.db.read(queue.failed)
    assert "boom 2" in dead.last_error
    assert runtime.db.write(queue.retry, dead.id)
    assert runtime.db.read(queue.counts) == {"pending": 1, "failed": 0}


def test_expired_lease_is_claimed_again(runtime: Runtime) -> None:
    runtime.db.after_commit = None
    runtime.db.write(queue.enqueue, "nothing", {})
    first = runtime.db.write(queue.claim, "w1", lease_seconds=60)
    assert len(first) == 1
    assert runtime.db.write(queue.claim, "w2") == []  # leased to w1
    runtime.db.write(
        lambda c: c.execute(
            update(jobs).values(locked_until=datetime.now(UTC) - timedelta(seconds=1))
        )
    )
    again = runtime.db.write(queue.claim, "w2")
    assert [j.id for j in again] == [first[0].id] and again[0].attempts == 2
    assert not runtime.db.write(queue.extend_lease, first[0].id, "w1", 60)  # w1 lost it


def test_job_exists_only_if_its_post_does(
    client: TestClient, runtime: Runtime, make_user: Callable[..., User]
) -> None:
    alice = make_user("alice")
    runtime.db.after_commit = None  # keep jobs queued to look at them
    too_long = client.post("/api/v1/statuses", json={"status": "x" * 200}, headers=alice.headers)
    assert too_long.status_code == 422
    assert runtime.db.read(queue.counts)["pending"] == 0
    ok = client.post("/api/v1/statuses", json={"status": "hello"}, headers=alice.headers)
    assert ok.status_code == 200
    assert runtime.db.read(queue.counts)["pending"] == 1


def test_replayed_fan_out_adds_nothing_twice(
    client: TestClient, runtime: Runtime, make_user: Callable[..., User]
) -> None:
    alice, bob = make_user("alice"), make_user("bob")
    client.post(f"/api/v1/accounts/{alice.id}/follow", headers=bob.headers)
    runtime.db.after_commit = None
    status = client.post("/api/v1/statuses", json={"status": "hi @bob"}, headers=alice.headers)
    status_id = int(status.json()["id"])
    [job] = runtime.db.write(queue.claim, "w1")
    lease = SimpleNamespace(extend=lambda: None, complete_in=lambda conn: None)
    HANDLERS[job.kind](runtime, job, lease)
    HANDLERS[job.kind](runtime, job, lease)  # a replay
    entries = runtime.db.read(
        lambda c: c.execute(select(home_feed).where(home_feed.c.status_id == status_id)).all()
    )
    assert sorted(e.account_id for e in entries) == sorted([alice.id, bob.id])
    Worker(runtime).drain()
    notes = client.get("/api/v1/notifications", headers=bob.headers).json()
    assert [n["type"] for n in notes].count("mention") == 1


def test_deliveries_claimed_together_share_one_commit(
    client: TestClient, runtime: Runtime, make_user: Callable[..., User]
) -> None:
    alice, bob = make_user("alice"), make_user("bob")
    client.post(f"/api/v1/accounts/{alice.id}/follow", headers=bob.headers)
    runtime.db.after_commit = None
    ids = [
        client.post(
            "/api/v1/statuses", json={"status": f"n{i} @bob"}, headers=alice.headers
        ).json()["id"]
        for i in range(5)
    ]
    commits: list[int] = []
    real_write = runtime.db.write

    def counting_write(fn: Any, *a: Any, **k: Any) -> Any:
        commits.append(1)
        return real_write(fn, *a, **k)

    runtime.db.write = counting_write  # type: ignore[method-assign]
    assert Worker(runtime).run_once() == 5
    runtime.db.write = real_write  # type: ignore[method-assign]
    assert len(commits) <= 3  # claim, the shared delivery transaction, finished jobs
    home = client.get("/api/v1/timelines/home", headers=bob.headers).json()
    assert [s["id"] for s in home] == list(reversed(ids))
    Worker(runtime).drain()
    assert runtime.db.read(queue.counts) == {"pending": 0, "failed": 0}
    mentions = client.get("/api/v1/notifications", headers=bob.headers).json()
    assert len([n for n in mentions if n["type"] == "mention"]) == 5
