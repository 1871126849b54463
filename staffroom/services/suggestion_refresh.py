""" "Followed by N people you follow", precomputed per person (decision 0021).

Counting, over everyone a person follows, whom those people follow is the one expensive
part of suggestions (76,000 follows to group for someone following 1,000 on the benchmark
dataset: about 100 ms on SQLite). The ``refresh_suggestions`` job does it in the background
and keeps the strongest ``POOL`` candidates with their exact count in
``suggestion_candidates``; when someone they follow follows or unfollows one of those, the
``suggestion_edge`` job moves the count by one (``apply_edge``), so the evidence stays true;
a new candidate found that way waits for the person's next refresh.
``services.suggestion_sources`` reads them (and falls back to a small live sample for
someone never refreshed).

Writes ``suggestion_refreshes`` (in the caller's transaction: ``network_changed``, called by
``services.follows`` for every follow and unfollow) and ``suggestion_candidates`` (the job).
A change bumps ``version`` and marks the row ``stale``; a job is enqueued only when the row
was not stale already, so a burst of follows (a pack's follow-all) costs one refresh, and a
job that finds the version moved on while it computed enqueues the next one.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from sqlalchemy import Connection, delete, func, insert, literal, or_, select, update

from staffroom import clock
from staffroom.db import fastsql
from staffroom.db.tables import (
    accounts,
    follows,
    suggestion_candidates,
    suggestion_refreshes,
    users,
)
from staffroom.db.upsert import insert_ignore
from staffroom.jobs.queue import enqueue
from staffroom.jobs.registry import Lease, job_handler, periodic

if TYPE_CHECKING:
    from staffroom.jobs.queue import Job
    from staffroom.runtime import Runtime

KIND = "refresh_suggestions"
EDGE_KIND = "suggestion_edge"
FOLLOWING = 5000  # of a person's follows (newest first), how many are counted
POOL = 300  # candidates kept per person
_SCAN = 3 * POOL  # strongest counts read before dropping opted-out people


def network_changed(conn: Connection, account_id: int) -> None:
    """``account_id`` followed or unfollowed someone: refresh their candidates (once)."""
    row = conn.execute(
        select(suggestion_refreshes.c.stale).where(suggestion_refreshes.c.account_id == account_id)
    ).first()
    if row is None:
        conn.execute(
            insert_ignore(conn, suggestion_refreshes),
            {
                "account_id": account_id,
                "computed_at": None,
                "partial": False,
                "complete": False,
                "stale": True,
                "version": 1,
            },
        )
    else:
        conn.execute(
            update(suggestion_refreshes)
            .where(suggestion_refreshes.c.account_id == account_id)
            .values(version=suggestion_refreshes.c.version + 1, stale=True)
        )
    if row is None or not row.stale:
        enqueue(conn, KIND, {"account_id": account_id})


def edge_changed(conn: Connection, follower_id: int, target_id: int, delta: int) -> None:
    """``follower_id`` followed (``delta`` 1) or unfollowed (-1) ``target_id``: the counts
    of ``follower_id``'s own followers change too, by the ``suggestion_edge`` job."""
    enqueue(conn, EDGE_KIND, {"account_id": follower_id, "target_id": target_id, "delta": delta})


def edges_changed(conn: Connection, follower_id: int, target_ids: list[int], delta: int) -> None:
    """:func:`edge_changed` for many targets at once (a follow-all): one job for them all."""
    if target_ids:
        payload = {"account_id": follower_id, "target_ids": target_ids, "delta": delta}
        enqueue(conn, EDGE_KIND, payload)


def apply_edge(conn: Connection, follower_id: int, target_id: int, delta: int) -> None:
    """Add ``delta`` to ``target_id``'s count in the candidates of everyone following
    ``follower_id`` (exact sets only: a capped set may not have counted them). A new follow
    also brings ``target_id`` in, with a count of 1, where the set is ``complete`` (it holds
    every candidate, so one missing had a count of 0) and the person does not follow them."""
    followers = select(follows.c.account_id).where(follows.c.target_account_id == follower_id)
    exact = select(suggestion_refreshes.c.account_id).where(
        suggestion_refreshes.c.partial.is_(False),
        suggestion_refreshes.c.computed_at.is_not(None),
    )
    conn.execute(
        update(suggestion_candidates)
        .where(
            suggestion_candidates.c.target_account_id == target_id,
            suggestion_candidates.c.account_id.in_(followers),
            suggestion_candidates.c.account_id.in_(exact),
        )
        .values(followers_in_network=suggestion_candidates.c.followers_in_network + delta)
    )
    if delta <= 0:
        return
    already = select(suggestion_candidates.c.account_id).where(
        suggestion_candidates.c.target_account_id == target_id
    )
    follows_target = select(follows.c.account_id).where(follows.c.target_account_id == target_id)
    newcomers = select(suggestion_refreshes.c.account_id, literal(target_id), literal(1)).where(
        suggestion_refreshes.c.complete.is_(True),
        suggestion_refreshes.c.account_id.in_(followers),
        suggestion_refreshes.c.account_id != target_id,
        suggestion_refreshes.c.account_id.not_in(already),
        suggestion_refreshes.c.account_id.not_in(follows_target),
    )
    conn.execute(
        insert(suggestion_candidates).from_select(
            ["account_id", "target_account_id", "followers_in_network"], newcomers
        )
    )


@job_handler(EDGE_KIND)
def suggestion_edge(rt: Runtime, job: Job, lease: Lease) -> None:
    payload = job.payload

    targets = payload.get("target_ids") or [payload["target_id"]]

    def run(conn: Connection) -> None:
        for target in targets:
            apply_edge(conn, int(payload["account_id"]), int(target), int(payload["delta"]))
        lease.complete_in(conn)

    rt.db.write(run)


def strongest(conn: Connection, account_id: int) -> tuple[list[tuple[int, int]], bool]:
    """Whom the people ``account_id`` follows follow, with how many of them (the strongest
    ``POOL`` that are discoverable), and whether the follows counted were capped."""
    mine = (
        select(follows.c.target_account_id)
        .where(follows.c.account_id == account_id)
        .order_by(follows.c.id.desc())
        .limit(FOLLOWING)
    )
    counted = len(list(conn.execute(mine).scalars()))
    rows = conn.execute(
        select(follows.c.target_account_id, func.count())
        .where(
            follows.c.account_id.in_(mine),
            follows.c.target_account_id.not_in(
                select(follows.c.target_account_id).where(follows.c.account_id == account_id)
            ),
            follows.c.target_account_id != account_id,
        )
        .group_by(follows.c.target_account_id)
        .order_by(func.count().desc(), follows.c.target_account_id.desc())
        .limit(_SCAN)
    ).all()
    allowed = (
        set(
            conn.execute(
                select(accounts.c.id).where(
                    accounts.c.id.in_([r[0] for r in rows]), accounts.c.discoverable.is_(True)
                )
            ).scalars()
        )
        if rows
        else set()
    )
    found = [(int(target), int(count)) for target, count in rows if target in allowed][:POOL]
    return found, counted >= FOLLOWING


def refresh(
    conn: Connection, account_id: int, found: list[tuple[int, int]], partial: bool, version: int
) -> bool:
    """Replace ``account_id``'s candidates; True if a change came meanwhile (refresh again)."""
    conn.execute(
        delete(suggestion_candidates).where(suggestion_candidates.c.account_id == account_id)
    )
    if found:
        conn.execute(
            insert(suggestion_candidates),
            [
                {"account_id": account_id, "target_account_id": t, "followers_in_network": n}
                for t, n in found
            ],
        )
    conn.execute(
        insert_ignore(conn, suggestion_refreshes),
        {
            "account_id": account_id,
            "computed_at": None,
            "partial": False,
            "complete": False,
            "stale": False,
            "version": version,
        },
    )
    current = conn.execute(
        select(suggestion_refreshes.c.version).where(
            suggestion_refreshes.c.account_id == account_id
        )
    ).scalar_one()
    moved = bool(current != version)
    conn.execute(
        update(suggestion_refreshes)
        .where(suggestion_refreshes.c.account_id == account_id)
        .values(
            computed_at=clock.now(),
            partial=partial,
            complete=not partial and len(found) < POOL,
            stale=moved,
        )
    )
    return moved


def refresh_now(conn: Connection, account_id: int) -> None:
    """Compute and store in one transaction (tests, the benchmark, a CLI)."""
    found, partial = strongest(conn, account_id)
    refresh(conn, account_id, found, partial, _version(conn, account_id))


def _version(conn: Connection, account_id: int) -> int:
    value = conn.execute(
        select(suggestion_refreshes.c.version).where(
            suggestion_refreshes.c.account_id == account_id
        )
    ).scalar()
    return int(value or 0)


@job_handler(KIND)
def refresh_suggestions(rt: Runtime, job: Job, lease: Lease) -> None:
    """Count in a read transaction, then store (and complete) in a short write."""
    account_id = int(job.payload["account_id"])

    def compute(conn: Connection) -> tuple[int, list[tuple[int, int]], bool]:
        version = _version(conn, account_id)
        found, partial = strongest(conn, account_id)
        return version, found, partial

    version, found, partial = rt.db.read(compute)

    def store(conn: Connection) -> None:
        exists = conn.execute(select(accounts.c.id).where(accounts.c.id == account_id)).first()
        if exists is not None and refresh(conn, account_id, found, partial, version):
            enqueue(conn, KIND, {"account_id": account_id})
        lease.complete_in(conn)

    rt.db.write(store)


# --- the periodic sweep ---------------------------------------------------------------------
# Counts stay exact through ``suggestion_edge``, but someone a friend starts following enters
# a person's candidates only at their next refresh: every ``SWEEP_SECONDS`` the oldest sets
# of people active in the last ``ACTIVE_DAYS`` days, older than ``MAX_AGE``, are refreshed.
SWEEP_JOB_ID = 28  # fixed, so processes never double it (real IDs are time-based, far larger)
SWEEP_SECONDS = 600
SWEEP_BATCH = 20
MAX_AGE = timedelta(days=1)
ACTIVE_DAYS = 30
_SCHEDULE = (
    "INSERT INTO jobs (id, kind, payload, run_at, attempts, max_attempts, created_at)"
    " VALUES (?, 'refresh_stale_suggestions', '{}', ?, 0, 1000000, ?) ON CONFLICT (id) DO NOTHING"
)


@periodic
def ensure_sweep(conn: Connection) -> None:
    """Make sure the sweep job exists (one row, a fixed ID)."""
    schedule_sweep(conn, 0)


def schedule_sweep(conn: Connection, delay_seconds: float) -> None:
    now = clock.now()
    run_at = now + timedelta(seconds=delay_seconds)
    fastsql.run_plain(
        conn, _SCHEDULE, SWEEP_JOB_ID, fastsql.timestamp(conn, run_at), fastsql.timestamp(conn, now)
    )


def due(conn: Connection, limit: int = SWEEP_BATCH) -> list[int]:
    """Active people whose candidates are the oldest, older than ``MAX_AGE``."""
    now = clock.now()
    return list(
        conn.execute(
            select(suggestion_refreshes.c.account_id)
            .join(users, users.c.account_id == suggestion_refreshes.c.account_id)
            .where(
                # Stale ones too: a refresh job that gave up must not leave a set for good.
                or_(
                    suggestion_refreshes.c.computed_at < now - MAX_AGE,
                    suggestion_refreshes.c.computed_at.is_(None),
                ),
                users.c.last_active_at >= now - timedelta(days=ACTIVE_DAYS),
            )
            .order_by(suggestion_refreshes.c.computed_at)
            .limit(limit)
        ).scalars()
    )


@job_handler("refresh_stale_suggestions")
def refresh_stale_suggestions(rt: Runtime, job: Job, lease: Lease) -> None:
    """Enqueue a refresh for each due person, then schedule the next sweep (one write)."""

    def run(conn: Connection) -> None:
        for account_id in due(conn):
            conn.execute(
                update(suggestion_refreshes)
                .where(suggestion_refreshes.c.account_id == account_id)
                .values(version=suggestion_refreshes.c.version + 1, stale=True)
            )
            enqueue(conn, KIND, {"account_id": account_id})
        lease.complete_in(conn)
        schedule_sweep(conn, SWEEP_SECONDS)

    rt.db.write(run)
