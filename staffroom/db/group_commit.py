"""Group commit for SQLite: one writer thread runs queued write transactions together.

SQLite has one writer at a time, and each commit waits for ``fsync`` (``synchronous=FULL``).
Callers hand their transaction function to the writer thread, which takes every function
queued at that moment, runs each under its own ``SAVEPOINT`` inside one ``BEGIN IMMEDIATE``
transaction, and commits once. A function that raises is rolled back to its savepoint and
gets its exception; the others commit. Results are handed back only after the commit, so an
acknowledged write is as durable as before; functions run one after another, so each sees
exactly what it would have seen in a transaction of its own run in the same order.

No batch waits for company: while one batch commits, the next one queues up, so batches
grow with load and a lone write commits at once. Commits do not checkpoint the WAL: a
:class:`~staffroom.db.checkpoint.WalCheckpointer` thread does, after them.
"""

from __future__ import annotations

import contextlib
import queue
import threading
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, Engine

from staffroom.db.checkpoint import WalCheckpointer

MAX_BATCH = 64


@dataclass(slots=True)
class Outcome:
    """What one function returned, and the IDs of the jobs it enqueued."""

    value: Any
    enqueued: list[int] = field(default_factory=list)


@dataclass(slots=True)
class _Item:
    fn: Callable[[Connection], Any]
    future: Future[Outcome]


class GroupWriter:
    """The SQLite writer thread of one process (started on first use)."""

    def __init__(
        self,
        engine: Engine,
        begin: Callable[[Connection], Any],
        enqueued_key: str,
    ) -> None:
        self._engine = engine
        self._begin = begin
        self._enqueued_key = enqueued_key
        self._queue: queue.SimpleQueue[_Item | None] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._start_lock = threading.Lock()
        self._conn: Connection | None = None
        self.checkpointer = WalCheckpointer(engine)

    def submit(self, fn: Callable[[Connection], Any]) -> Future[Outcome]:
        """Queue ``fn(conn)`` for the next batch; the future resolves after its commit."""
        if threading.current_thread() is self._thread:
            raise RuntimeError("a write transaction cannot start another one")
        self._ensure_started()
        future: Future[Outcome] = Future()
        self._queue.put(_Item(fn, future))
        return future

    def stop(self) -> None:
        if self._thread is not None and self._thread.is_alive():
            self._queue.put(None)
            self._thread.join(timeout=10)
        self._thread = None
        self.checkpointer.stop()

    def _ensure_started(self) -> None:
        if self._thread is not None and self._thread.is_alive():
            return
        with self._start_lock:
            if self._thread is None or not self._thread.is_alive():
                self.checkpointer.start()
                thread = threading.Thread(target=self._run, name="sqlite-writer", daemon=True)
                thread.start()
                self._thread = thread

    def _run(self) -> None:
        while True:
            first = self._queue.get()
            if first is None:
                self._drop_connection()
                return
            batch = [first]
            while len(batch) < MAX_BATCH:
                try:
                    item = self._queue.get_nowait()
                except queue.Empty:
                    break
                if item is None:
                    self._queue.put(None)  # stop after this batch
                    break
                batch.append(item)
            self._run_batch([i for i in batch if i.future.set_running_or_notify_cancel()])

    def _connection(self) -> Connection:
        """The writer's own connection, kept open between batches (checked out once)."""
        if self._conn is None or self._conn.closed or self._conn.invalidated:
            conn = self._begin(self._engine.connect())
            raw = conn.connection.dbapi_connection
            assert raw is not None
            raw.execute("PRAGMA wal_autocheckpoint=0")  # the checkpointer's job
            self._conn = conn
        return self._conn

    def _drop_connection(self) -> None:
        if self._conn is not None:
            with contextlib.suppress(Exception):  # already broken: a new one comes next
                self._conn.close()
        self._conn = None

    def _run_batch(self, batch: list[_Item]) -> None:
        if not batch:
            return
        done: list[tuple[_Item, Outcome]] = []
        try:
            conn = self._connection()
            conn.info.pop(self._enqueued_key, None)
            with conn.begin():
                if len(batch) == 1:  # alone: its failure is the transaction's
                    item = batch[0]
                    done.append((item, Outcome(item.fn(conn), self._take_jobs(conn, 0))))
                else:
                    raw = conn.connection.dbapi_connection
                    assert raw is not None
                    for item in batch:
                        outcome = self._run_one(conn, raw, item)
                        if outcome is not None:
                            done.append((item, outcome))
            conn.info.pop(self._enqueued_key, None)
        except BaseException as exc:  # the batch did not commit: nobody's write happened
            # Whatever it was, the writer lives on (a dead writer would hang every write).
            if not isinstance(exc, Exception):
                self._drop_connection()
            for item in batch:
                if not item.future.done():
                    item.future.set_exception(exc)
            return
        self.checkpointer.wake()
        for item, outcome in done:
            item.future.set_result(outcome)

    def _take_jobs(self, conn: Connection, since: int) -> list[int]:
        jobs: list[int] = conn.info.get(self._enqueued_key) or []
        taken = jobs[since:]
        del jobs[since:]
        return taken

    def _run_one(self, conn: Connection, raw: Any, item: _Item) -> Outcome | None:
        """Run one caller's function under a savepoint (driver-level: cheap)."""
        before = len(conn.info.get(self._enqueued_key) or [])
        raw.execute("SAVEPOINT staffroom_item")
        try:
            value = item.fn(conn)
        except Exception as exc:
            raw.execute("ROLLBACK TO staffroom_item")
            raw.execute("RELEASE staffroom_item")
            self._take_jobs(conn, before)
            item.future.set_exception(exc)
            return None
        raw.execute("RELEASE staffroom_item")
        jobs: list[int] = conn.info.setdefault(self._enqueued_key, [])
        return Outcome(value, list(jobs[before:]))
