"""The job table as a queue, using the database engine's own locking.

A job is written by ``enqueue`` inside the caller's transaction, so it exists if and only if
the change that needs it was committed. Workers ``claim`` jobs with a lease
(``locked_until``): PostgreSQL skips rows other workers hold (``FOR UPDATE SKIP LOCKED``);
SQLite serialises writers anyway. A worker that dies leaves its lease to expire and the job is
claimed again, so every job runs at least once; handlers make their effects idempotent.
Failures retry with exponential backoff; after ``max_attempts`` a job keeps ``failed_at`` and
its last error for an admin (``staffroom jobs``).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import orjson
from sqlalchemy import Connection, bindparam, delete, func, select, update

from staffroom import clock
from staffroom.db import fastsql
from staffroom.db.engine import ENQUEUED_KEY
from staffroom.db.tables import jobs
from staffroom.ids import new_id

# Plain SQL (``fastsql``): every post enqueues its delivery here.
_INSERT_JOB = (
    "INSERT INTO jobs (id, kind, payload, run_at, attempts, max_attempts, created_at)"
    " VALUES (?, ?, ?, ?, 0, ?, ?)"
)
_DUE = (
    select(jobs.c.id)
    .where(jobs.c.failed_at.is_(None))
    .where(jobs.c.run_at <= bindparam("now"))
    .where((jobs.c.locked_until.is_(None)) | (jobs.c.locked_until < bindparam("now")))
    .order_by(jobs.c.run_at, jobs.c.id)
    .limit(bindparam("limit"))
)
_DUE_LOCKED = _DUE.with_for_update(skip_locked=True)
_LEASE = (
    update(jobs)
    .where(jobs.c.id.in_(bindparam("ids", expanding=True)))
    .values(
        locked_by=bindparam("worker"),
        locked_until=bindparam("until"),
        attempts=jobs.c.attempts + 1,
    )
    .returning(jobs.c.id, jobs.c.kind, jobs.c.payload, jobs.c.attempts, jobs.c.max_attempts)
)
_DELETE = delete(jobs).where(jobs.c.id.in_(bindparam("ids", expanding=True)))


@dataclass(frozen=True, slots=True)
class Job:
    id: int
    kind: str
    payload: dict[str, Any]
    attempts: int
    max_attempts: int


def enqueue(
    conn: Connection,
    kind: str,
    payload: dict[str, Any],
    *,
    delay_seconds: float = 0,
    max_attempts: int = 8,
) -> int:
    """Add a job in the current transaction; it becomes visible to workers on commit."""
    now = clock.now()
    job_id = new_id()
    run_at = now + timedelta(seconds=delay_seconds) if delay_seconds else now
    fastsql.run_plain(
        conn,
        _INSERT_JOB,
        job_id,
        kind,
        orjson.dumps(payload).decode(),
        fastsql.timestamp(conn, run_at),
        max_attempts,
        fastsql.timestamp(conn, now),
    )
    conn.info.setdefault(ENQUEUED_KEY, []).append(job_id)
    return job_id


def claim(
    conn: Connection,
    worker_id: str,
    *,
    limit: int = 10,
    lease_seconds: float = 60,
    only: list[int] | None = None,
) -> list[Job]:
    """Lease up to ``limit`` due jobs to ``worker_id`` (counting this as an attempt)."""
    now = clock.now()
    pg = conn.dialect.name == "postgresql"
    if only is not None:
        due = _DUE.where(jobs.c.id.in_(only))
        if pg:
            due = due.with_for_update(skip_locked=True)
    else:
        due = _DUE_LOCKED if pg else _DUE
    ids = list(conn.execute(due, {"now": now, "limit": limit}).scalars())
    if not ids:
        return []
    params = {"ids": ids, "worker": worker_id, "until": now + timedelta(seconds=lease_seconds)}
    rows = conn.execute(_LEASE, params).all()
    return sorted(
        (Job(r.id, r.kind, r.payload, r.attempts, r.max_attempts) for r in rows), key=lambda j: j.id
    )


def extend_lease(conn: Connection, job_id: int, worker_id: str, seconds: float) -> bool:
    """Keep a long job's lease; False if another worker has taken the job over."""
    result = conn.execute(
        update(jobs)
        .where(jobs.c.id == job_id, jobs.c.locked_by == worker_id)
        .values(locked_until=clock.now() + timedelta(seconds=seconds))
    )
    return bool(result.rowcount)


def complete(conn: Connection, job_id: int) -> None:
    fastsql.run_plain(conn, "DELETE FROM jobs WHERE id = ?", job_id)


def complete_many(conn: Connection, job_ids: list[int]) -> None:
    conn.execute(_DELETE, {"ids": job_ids})


def backoff_seconds(attempts: int) -> float:
    """2, 4, 8 ... seconds (capped at an hour), with jitter so retries spread out."""
    return float(min(3600, 2**attempts) * (0.75 + random.random() / 2))


def fail(conn: Connection, job: Job, error: str) -> None:
    """Record a failed attempt: retry later, or give up after ``max_attempts``."""
    now = clock.now()
    values: dict[str, Any] = {"locked_by": None, "locked_until": None, "last_error": error[:4000]}
    if job.attempts >= job.max_attempts:
        values["failed_at"] = now
    else:
        values["run_at"] = now + timedelta(seconds=backoff_seconds(job.attempts))
    conn.execute(update(jobs).where(jobs.c.id == job.id).values(values))


def failed(conn: Connection, limit: int = 100) -> list[Any]:
    """Jobs that gave up, newest first."""
    return list(
        conn.execute(
            select(jobs)
            .where(jobs.c.failed_at.is_not(None))
            .order_by(jobs.c.id.desc())
            .limit(limit)
        )
    )


def retry(conn: Connection, job_id: int) -> bool:
    """Put a failed job back in the queue with a fresh set of attempts."""
    result = conn.execute(
        update(jobs)
        .where(jobs.c.id == job_id, jobs.c.failed_at.is_not(None))
        .values(failed_at=None, attempts=0, run_at=clock.now(), last_error=None)
    )
    return bool(result.rowcount)


def counts(conn: Connection) -> dict[str, int]:
    """Pending (including running) and failed job counts."""
    pending = conn.execute(
        select(func.count()).select_from(jobs).where(jobs.c.failed_at.is_(None))
    ).scalar_one()
    dead = conn.execute(
        select(func.count()).select_from(jobs).where(jobs.c.failed_at.is_not(None))
    ).scalar_one()
    return {"pending": int(pending), "failed": int(dead)}
