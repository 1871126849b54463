"""SQLite writes queued together commit together; each keeps its own outcome."""

from __future__ import annotations

import threading
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

import pytest
from sqlalchemy import Connection, event, text

from staffroom.db import Database
from staffroom.db.engine import ENQUEUED_KEY


def _commits(db: Database) -> list[int]:
    seen: list[int] = []

    @event.listens_for(db.engine, "commit")
    def count(_conn: Any) -> None:
        seen.append(1)

    return seen


def _insert(conn: Connection, k: int, *, jobs: list[int] | None = None) -> int:
    conn.execute(text("INSERT INTO t (k, v) VALUES (:k, 'x')"), {"k": k})
    if jobs:
        conn.info.setdefault(ENQUEUED_KEY, []).extend(jobs)
    return k


def _keys(db: Database) -> list[int]:
    return db.read(lambda c: [r[0] for r in c.execute(text("SELECT k FROM t ORDER BY k"))])


def test_queued_writes_share_one_commit_and_a_failure_stays_its_own(db: Database) -> None:
    commits = _commits(db)
    woken: list[list[int]] = []
    db.after_commit = woken.append
    gate, entered = threading.Event(), threading.Event()

    def hold(conn: Connection) -> str:
        entered.set()
        gate.wait(10)
        return "first"

    with ThreadPoolExecutor(8) as pool:
        first = pool.submit(db.write, hold)
        assert entered.wait(10)  # the writer is busy: what follows queues up
        queued: list[Future[Any]] = [
            pool.submit(db.write, _insert, k, jobs=[100 + k]) for k in (1, 2, 3)
        ]
        queued.append(pool.submit(db.write, _insert, 2, jobs=[999]))  # duplicate key
        queued.append(pool.submit(db.write, _insert, 4))
        while db._writer is not None and db._writer._queue.qsize() < 5:
            threading.Event().wait(0.01)
        gate.set()
        assert first.result(10) == "first"
        assert [f.result(10) for f in (queued[0], queued[1], queued[2], queued[4])] == [1, 2, 3, 4]
        with pytest.raises(Exception, match="UNIQUE"):
            queued[3].result(10)

    assert _keys(db) == [1, 2, 3, 4]
    assert len(commits) == 2  # the held write, then the four others together
    assert sorted(j for ids in woken for j in ids) == [101, 102, 103]  # not 999


def test_a_lone_write_commits_at_once_and_async_writes_work(db: Database) -> None:
    import asyncio

    assert db.write(_insert, 7) == 7
    assert asyncio.run(db.awrite(_insert, 8)) == 8
    assert _keys(db) == [7, 8]


def test_a_write_cannot_start_another_write(db: Database) -> None:
    def nested(conn: Connection) -> None:
        db.write(_insert, 1)

    with pytest.raises(RuntimeError, match="cannot start another"):
        db.write(nested)
    assert _keys(db) == []


def test_the_writer_survives_a_write_that_raises_a_base_exception(db: Database) -> None:
    class Stop(BaseException):
        pass

    def bad(conn: Connection) -> None:
        _insert(conn, 1)
        raise Stop

    with pytest.raises(Stop):
        db.write(bad)
    pool = ThreadPoolExecutor(1)  # a dead writer would never answer: fail, don't hang
    try:
        assert pool.submit(db.write, _insert, 2).result(timeout=10) == 2
    finally:
        pool.shutdown(wait=False)
    assert _keys(db) == [2]
