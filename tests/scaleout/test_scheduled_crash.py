"""A worker killed (``kill -9``) in the middle of publishing a due scheduled post: the post
appears exactly once, published by the next worker.

The test holds a lock on the author's account row, so the worker's publishing transaction
stops half-way (the scheduled row deleted, uncommitted, and the post's insert waiting on the
lock its foreign key needs); then it kills the worker, lets go, and starts two others.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from sqlalchemy import Engine, func, select, text, update

from staffroom.db.tables import accounts, jobs, scheduled_statuses, statuses
from tests.scaleout.people import sign_up
from tests.scaleout.processes import Cluster, eventually

pytestmark = pytest.mark.e2e


def _count(db: Engine, table: object, *where: object) -> int:
    with db.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table).where(*where)).scalar_one())  # type: ignore[arg-type]


def test_worker_killed_while_publishing_a_scheduled_post(
    make_cluster: Callable[..., Cluster], db: Engine
) -> None:
    cluster = make_cluster()
    web = cluster.start_web()  # external jobs: no worker until the test starts one
    author = sign_up(web.url, "host")
    at = datetime.now(UTC) + timedelta(minutes=10)
    answer = httpx.post(
        f"{web.url}/api/v1/statuses",
        headers=author.headers,
        json={"status": "Q1: what makes feedback stick? #ELTChat", "scheduled_at": at.isoformat()},
        timeout=20,
    )
    assert answer.status_code == 200, answer.text
    scheduled_id = int(answer.json()["id"])
    mine = statuses.c.account_id == author.id

    # The time comes (the test moves the post and its job to now, as waiting would).
    due = datetime.now(UTC) - timedelta(seconds=1)
    with db.begin() as conn:
        conn.execute(update(scheduled_statuses).values(scheduled_at=due))
        conn.execute(update(jobs).where(jobs.c.kind == "publish_scheduled").values(run_at=due))

    blocker = db.connect()
    try:
        blocker.begin()
        blocker.execute(select(accounts.c.id).where(accounts.c.id == author.id).with_for_update())
        worker = cluster.start_worker()

        def waiting_on_the_lock() -> None:
            with db.connect() as conn:
                waiting = conn.execute(
                    text(
                        "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                        " AND query LIKE 'INSERT INTO statuses %'"
                    )
                ).scalar_one()
            assert waiting == 1, worker.log()

        eventually(waiting_on_the_lock, timeout=30, interval=0.05)
        worker.kill()
    finally:
        blocker.rollback()
        blocker.close()
    assert _count(db, statuses, mine) == 0  # nothing of the half-done publication stayed
    assert _count(db, scheduled_statuses, scheduled_statuses.c.id == scheduled_id) == 1

    with db.begin() as conn:  # the dead worker's lease would run out: end it now
        conn.execute(
            update(jobs)
            .where(jobs.c.kind == "publish_scheduled")
            .values(locked_until=datetime.now(UTC) - timedelta(seconds=1))
        )
    cluster.start_worker()
    cluster.start_worker()  # two at once: still exactly once

    def published() -> None:
        assert _count(db, jobs, jobs.c.kind == "publish_scheduled") == 0

    eventually(published, timeout=30, interval=0.1)  # the job goes in the publishing commit
    assert _count(db, statuses, mine) == 1
    assert _count(db, scheduled_statuses) == 0
