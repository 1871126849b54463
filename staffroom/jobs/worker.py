"""Workers: claim due jobs, run their handlers, record the outcome.

Three ways to run them, chosen by ``settings.jobs_mode``:
- ``thread``: a worker thread inside the web process (the embedded default), woken as soon as
  a transaction that enqueued jobs commits;
- ``external``: ``staffroom worker`` processes beside the web processes (scale-out);
- ``inline``: right after the enqueuing transaction commits, in the same thread (tests, so
  that a request's effects are visible when it returns).
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import traceback
from typing import TYPE_CHECKING

from sqlalchemy import Connection

from staffroom.jobs import queue
from staffroom.jobs.registry import BATCH_HANDLERS, HANDLERS, PERIODIC, load_handlers

if TYPE_CHECKING:
    from staffroom.runtime import Runtime

log = logging.getLogger("staffroom.jobs")


class LeaseLost(Exception):
    """Another worker took the job over (our lease expired); stop working on it."""


class _Lease:
    def __init__(self, worker: Worker, job: queue.Job) -> None:
        self.worker = worker
        self.job = job
        self.completed = False

    def complete_in(self, conn: Connection) -> None:
        queue.complete(conn, self.job.id)
        self.completed = True

    def extend(self) -> None:
        rt = self.worker.rt
        if not rt.db.write(
            queue.extend_lease, self.job.id, self.worker.name, self.worker.lease_seconds
        ):
            raise LeaseLost(self.job.id)


class Worker:
    """Runs jobs for one runtime; thread-safe ``wake`` for low-latency pick-up."""

    def __init__(
        self,
        rt: Runtime,
        *,
        name: str | None = None,
        batch: int = 50,
        poll_seconds: float = 0.5,
        lease_seconds: float = 60,
    ) -> None:
        load_handlers()
        self.rt = rt
        self.name = name or f"{socket.gethostname()}:{os.getpid()}:{id(self):x}"
        self.batch = batch
        self.poll_seconds = poll_seconds
        self.lease_seconds = lease_seconds
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def run_once(self, only: list[int] | None = None) -> int:
        """Claim and run one batch of due jobs; returns how many were claimed."""
        claimed = self.rt.db.write(
            queue.claim, self.name, limit=self.batch, lease_seconds=self.lease_seconds, only=only
        )
        done: list[int] = []
        by_kind: dict[str, list[queue.Job]] = {}
        for job in claimed:
            by_kind.setdefault(job.kind, []).append(job)
        for kind, group in by_kind.items():
            if len(group) > 1 and kind in BATCH_HANDLERS and self._run_batch(kind, group, done):
                continue
            done += [job.id for job in group if self._run(job)]
        if done:  # one commit for the whole batch
            self.rt.db.write(queue.complete_many, done)
        return len(claimed)

    def _run_batch(self, kind: str, group: list[queue.Job], done: list[int]) -> bool:
        """Run ``group`` with the batch handler; False (nothing recorded) if it failed."""
        leases = [_Lease(self, job) for job in group]
        try:
            BATCH_HANDLERS[kind](self.rt, group, leases)  # type: ignore[arg-type]
        except Exception:
            log.exception("batch of %s %s jobs failed; running them one by one", len(group), kind)
            return False
        done += [lease.job.id for lease in leases if not lease.completed]
        return True

    def _run(self, job: queue.Job) -> bool:
        """Run one job; True if it succeeded and still needs deleting."""
        handler = HANDLERS.get(job.kind)
        if handler is None:
            self.rt.db.write(queue.fail, job, f"no handler for job kind {job.kind!r}")
            return False
        lease = _Lease(self, job)
        try:
            handler(self.rt, job, lease)
        except LeaseLost:
            log.warning("job %s was taken over by another worker", job.id)
            return False
        except Exception:
            log.exception("job %s (%s) failed on attempt %s", job.id, job.kind, job.attempts)
            self.rt.db.write(queue.fail, job, traceback.format_exc())
            return False
        return not lease.completed

    def drain(self) -> int:
        """Run due jobs until none is left; returns how many ran (CLI and tests)."""
        total = 0
        while worked := self.run_once():
            total += worked
        return total

    def seed_periodic(self) -> None:
        """Make sure each periodic job (``registry.periodic``) is scheduled."""
        for seed in PERIODIC:
            try:
                self.rt.db.write(seed)
            except Exception:  # database unavailable: the next worker start seeds it
                log.exception("could not schedule a periodic job")

    def wake(self) -> None:
        self._wake.set()

    def run_forever(self) -> None:
        """Work until :meth:`stop`; sleeps up to ``poll_seconds`` when idle."""
        self.seed_periodic()
        while not self._stop.is_set():
            try:
                worked = self.run_once()
            except Exception:  # database unavailable etc.: keep the worker alive
                log.exception("worker loop error")
                worked = 0
            if not worked:
                self._wake.wait(self.poll_seconds)
                self._wake.clear()

    def start_thread(self) -> None:
        self._thread = threading.Thread(
            target=self.run_forever, name="staffroom-worker", daemon=True
        )
        self._thread.start()

    def stop(self, timeout: float = 10) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
