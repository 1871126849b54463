"""Looking at home timelines and the job queue from outside the processes that write them.

``RedisFeeds`` reads the Redis timeline store's sorted sets (``staffroom:feed:<id>``);
``SqlFeeds`` reads ``home_feed`` rows. Both answer how many followers hold a post and check
that every follower holds it exactly once. ``delivery_jobs`` lists a post's pending
``deliver_status`` jobs; ``expire_leases`` ends their leases as the passing of time would.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

import redis
from sqlalchemy import Engine, func, insert, select, update

from staffroom.db.tables import home_feed, home_timelines, jobs
from tests.scaleout.people import feed_key, holders, keep_timelines


class Feeds(Protocol):
    def keep(self, account_ids: list[int]) -> None: ...

    def holding(self, status_id: int, account_ids: list[int]) -> int: ...

    def assert_exactly_once(self, status_id: int, account_ids: list[int]) -> None: ...


@dataclass
class RedisFeeds:
    client: redis.Redis

    def keep(self, account_ids: list[int]) -> None:
        keep_timelines(self.client, account_ids)

    def holding(self, status_id: int, account_ids: list[int]) -> int:
        return holders(self.client, account_ids, status_id)

    def assert_exactly_once(self, status_id: int, account_ids: list[int]) -> None:
        """Each timeline holds the post; and only it besides the ``0`` sentinel, so once.

        (A sorted set cannot hold a member twice; the size check catches an entry written
        under a different member, such as a second copy of the post.)
        """
        pipe = self.client.pipeline(transaction=False)
        for account_id in account_ids:
            pipe.zrange(feed_key(account_id), 0, -1)
        contents = pipe.execute()
        wrong = [
            (account_id, members)
            for account_id, members in zip(account_ids, contents, strict=True)
            if sorted(members) != sorted([b"0", str(status_id).encode()])
        ]
        assert not wrong, f"{len(wrong)} timelines are wrong, e.g. {wrong[:3]}"


@dataclass
class SqlFeeds:
    db: Engine

    def keep(self, account_ids: list[int]) -> None:
        """Mark the timelines kept, as reading them would (fan-out skips the others)."""
        until = int(time.time()) + 86400
        with self.db.begin() as conn:
            conn.execute(
                insert(home_timelines),
                [{"account_id": a, "kept_until": until} for a in account_ids],
            )

    def _rows(self, status_id: int) -> list[int]:
        with self.db.connect() as conn:
            return list(
                conn.execute(
                    select(home_feed.c.account_id).where(home_feed.c.status_id == status_id)
                ).scalars()
            )

    def holding(self, status_id: int, account_ids: list[int]) -> int:
        wanted = set(account_ids)
        return sum(owner in wanted for owner in self._rows(status_id))

    def assert_exactly_once(self, status_id: int, account_ids: list[int]) -> None:
        owners = self._rows(status_id)
        wanted = set(account_ids)
        followers = [owner for owner in owners if owner in wanted]
        assert len(followers) == len(account_ids), (len(followers), len(account_ids))
        assert sorted(followers) == sorted(account_ids)
        # followers + the author (written with the post), and no one else
        assert len(owners) == len(account_ids) + 1


def delivery_jobs(db: Engine, status_id: int) -> list[Any]:
    """Pending or failed ``deliver_status`` jobs for ``status_id``."""
    with db.connect() as conn:
        rows = conn.execute(select(jobs).where(jobs.c.kind == "deliver_status")).all()
    return [row for row in rows if int(row.payload["status_id"]) == status_id]


def expire_leases(db: Engine, status_id: int) -> None:
    """End the leases on the post's jobs now, which is what waiting out the lease would do."""
    ids = [row.id for row in delivery_jobs(db, status_id)]
    with db.begin() as conn:
        conn.execute(
            update(jobs)
            .where(jobs.c.id.in_(ids))
            .values(locked_until=datetime.now(UTC) - timedelta(seconds=1))
        )


def count_rows(db: Engine, table: Any, *where: Any) -> int:
    with db.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table).where(*where)).scalar_one())
