"""Crashes: delivery survives ``kill -9`` of a worker mid fan-out and of a web process right
after it acknowledged a post, delivering each post to every follower exactly once.

Both run against each timeline store: Redis (scale-out) and SQL ``home_feed`` rows.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine, select

from staffroom.db.tables import statuses
from tests.scaleout.feeds import Feeds, RedisFeeds, SqlFeeds, delivery_jobs, expire_leases
from tests.scaleout.people import post, seed_followers, sign_up
from tests.scaleout.processes import Cluster, eventually

pytestmark = pytest.mark.e2e

# Timelines written per fan-out transaction: small, so that 10,000 followers take a while.
FANOUT_BATCH = "50"
# Above the crowd's size: at or above this many followers the Redis store would merge the
# author's posts in at read time instead of fanning them out, and there would be no fan-out
# to interrupt.
NO_READ_TIME_MERGE = "1000000"


def _feeds(store: str, db: Engine, request: pytest.FixtureRequest) -> Feeds:
    if store == "redis":
        return RedisFeeds(request.getfixturevalue("redis_client"))
    return SqlFeeds(db)


@pytest.mark.parametrize("store", ["redis", "sql"])
def test_worker_killed_mid_fan_out_delivers_to_every_follower_once(
    store: str,
    make_cluster: Callable[..., Cluster],
    db: Engine,
    request: pytest.FixtureRequest,
) -> None:
    followers_count = 10_000
    feeds = _feeds(store, db, request)
    cluster = make_cluster(
        redis=store == "redis",
        STAFFROOM_FANOUT_BATCH=FANOUT_BATCH,
        STAFFROOM_LARGE_ACCOUNT_FOLLOWERS=NO_READ_TIME_MERGE,
    )
    web = cluster.start_web()
    author = sign_up(web.url, "author")
    followers = seed_followers(db, author.id, followers_count, "follower")
    feeds.keep(followers)
    worker = cluster.start_worker()

    status_id = post(web.url, author, "Assessment rubric for the new unit is in the shared drive")
    started = time.monotonic()

    def under_way() -> None:
        assert feeds.holding(status_id, followers) > 0

    eventually(under_way, timeout=30, interval=0.01)
    worker.kill()
    reached = feeds.holding(status_id, followers)
    print(f"killed after {time.monotonic() - started:.2f}s with {reached} timelines written")
    assert 0 < reached < followers_count, "the worker was not killed in the middle of fan-out"

    [job] = delivery_jobs(db, status_id)  # the job outlived its worker
    assert job.failed_at is None
    assert job.locked_until > datetime.now(UTC)  # still leased to the dead worker

    cluster.start_worker()
    time.sleep(1.5)  # three poll intervals: the new worker leaves a leased job alone
    [still] = delivery_jobs(db, status_id)
    assert (still.locked_by, still.attempts) == (job.locked_by, job.attempts)
    assert feeds.holding(status_id, followers) < followers_count

    # The lease would run out 60 s after the last batch; end it now, as time would.
    expire_leases(db, status_id)
    eventually(lambda: _no_jobs(db, status_id), timeout=60, interval=0.1)
    feeds.assert_exactly_once(status_id, followers)


def _no_jobs(db: Engine, status_id: int) -> None:
    assert delivery_jobs(db, status_id) == []


@pytest.mark.parametrize("store", ["redis", "sql"])
def test_web_process_killed_after_acknowledging_a_post_loses_nothing(
    store: str,
    make_cluster: Callable[..., Cluster],
    db: Engine,
    request: pytest.FixtureRequest,
) -> None:
    feeds = _feeds(store, db, request)
    cluster = make_cluster(redis=store == "redis")
    web = cluster.start_web()  # STAFFROOM_JOBS=external and no worker yet
    author = sign_up(web.url, "author")
    followers = seed_followers(db, author.id, 200, "reader")
    feeds.keep(followers)

    text = "Parents' evening slots are open until Friday"
    status_id = post(web.url, author, text)
    web.kill()

    with db.connect() as conn:
        assert (
            conn.execute(select(statuses.c.text).where(statuses.c.id == status_id)).scalar_one()
            == text
        )
    [job] = delivery_jobs(db, status_id)
    assert job.attempts == 0 and job.locked_by is None
    assert feeds.holding(status_id, followers) == 0

    cluster.start_worker()
    eventually(lambda: _no_jobs(db, status_id), timeout=30, interval=0.1)
    feeds.assert_exactly_once(status_id, followers)
