"""When each post's delivery finished, observed by polling the ``jobs`` table.

A post and its ``deliver_status`` job commit in one transaction, and the job is deleted in
the same transaction as the last of its timeline writes (SQL store) or after all of them
(Redis store). So a post's fan-out is complete exactly when its job row is gone. The poller
reads the pending ``deliver_status`` jobs every ``interval`` seconds and remembers, for each
post, the last poll that still saw its job.

For a post acknowledged at ``t_ack``, delivery is complete at the end of the first poll that
*started* after ``t_ack`` (so its snapshot is newer than the post's commit) and after the last
poll that saw the job, and that no longer sees it. The lag is that poll's end minus ``t_ack``:
an upper bound, late by at most one poll period (recorded as ``poll_period_ms``).
"""

from __future__ import annotations

import bisect
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any

SQLITE_PENDING = (
    "SELECT json_extract(payload, '$.status_id') FROM jobs "
    "WHERE kind = 'deliver_status' AND failed_at IS NULL"
)
PG_PENDING = (
    "SELECT (payload->>'status_id')::bigint FROM jobs "
    "WHERE kind = 'deliver_status' AND failed_at IS NULL"
)


def sqlite_reader(path: str) -> Callable[[], Iterable[int]]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
    return lambda: [int(r[0]) for r in conn.execute(SQLITE_PENDING)]


def postgres_reader(url: str) -> Callable[[], Iterable[int]]:
    import psycopg

    conn = psycopg.connect(url, autocommit=True)
    return lambda: [int(r[0]) for r in conn.execute(PG_PENDING)]


class JobPoller:
    """Polls pending deliveries on a thread; ``completion`` answers per post afterwards."""

    def __init__(self, pending: Callable[[], Iterable[int]], interval: float = 0.01) -> None:
        self._pending = pending
        self._interval = interval
        self.starts: list[float] = []
        self.ends: list[float] = []
        self.last_seen: dict[int, int] = {}  # status id -> index of the last poll that saw it
        self.latest_count = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="job-poller", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.is_set():
            began = time.perf_counter()
            ids = list(self._pending())
            ended = time.perf_counter()
            index = len(self.starts)
            for status_id in ids:
                self.last_seen[status_id] = index
            self.latest_count = len(ids)
            self.starts.append(began)
            self.ends.append(ended)
            pause = self._interval - (time.perf_counter() - began)
            if pause > 0:
                time.sleep(pause)

    def completion(self, status_id: int, acknowledged: float) -> float | None:
        """When delivery of a post acknowledged at ``acknowledged`` was seen complete."""
        first_after_ack = bisect.bisect_left(self.starts, acknowledged)
        index = max(first_after_ack, self.last_seen.get(status_id, -1) + 1)
        return self.ends[index] if index < len(self.ends) else None

    def wait_idle(self, ids: set[int], timeout: float) -> bool:
        """Wait until a poll started from now on sees none of ``ids`` pending."""
        started = time.perf_counter()
        while time.perf_counter() < started + timeout:
            time.sleep(0.05)
            newest = len(self.starts) - 1
            if (
                newest >= 0
                and self.starts[newest] >= started
                and all(self.last_seen.get(i, -1) < newest for i in ids)
            ):
                return True
        return False

    def period_ms(self) -> dict[str, float]:
        gaps = sorted(b - a for a, b in zip(self.ends, self.ends[1:], strict=False))
        if not gaps:
            return {}
        return {
            "median": round(gaps[len(gaps) // 2] * 1000, 2),
            "p99": round(gaps[min(len(gaps) - 1, int(len(gaps) * 0.99))] * 1000, 2),
            "polls": len(gaps) + 1,
        }


def lags(
    poller: JobPoller, acked: list[tuple[int, float]]
) -> tuple[list[float], list[int], dict[str, Any]]:
    """(lags in seconds, posts never seen delivered, poll facts) for (status id, t_ack) pairs."""
    out: list[float] = []
    missing: list[int] = []
    for status_id, t_ack in acked:
        done = poller.completion(status_id, t_ack)
        if done is None:
            missing.append(status_id)
        else:
            out.append(done - t_ack)
    return out, missing, {"poll_period_ms": poller.period_ms()}
