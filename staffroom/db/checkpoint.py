"""WAL checkpoints for SQLite, off the writer's path.

By default SQLite copies the write-ahead log back into the database file (a checkpoint:
random writes into the file, then ``fsync``) inside whichever commit takes the log past
1,000 pages, and every write queued behind that commit waits for it. The group-commit
writer (``group_commit.py``) turns that off on its connection and wakes this thread after
its commits instead; the thread runs a ``PASSIVE`` checkpoint on a connection of its own at
most every ``pause`` seconds, which copies what no reader still needs while writers go on
appending to the log. When the last connection closes SQLite checkpoints anyway.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time

from sqlalchemy import Engine

log = logging.getLogger(__name__)


class WalCheckpointer:
    """Checkpoints the WAL of ``engine``'s database after writes (a daemon thread)."""

    def __init__(self, engine: Engine, *, pause: float = 0.2) -> None:
        self._engine = engine
        self._pause = pause
        self._wanted = threading.Event()
        self._stopping = False
        self._thread: threading.Thread | None = None
        self.checkpoints = 0

    def start(self) -> None:
        if self._thread is None or not self._thread.is_alive():
            self._stopping = False
            self._thread = threading.Thread(target=self._run, name="sqlite-checkpoint", daemon=True)
            self._thread.start()

    def wake(self) -> None:
        """Something was committed: checkpoint soon."""
        self._wanted.set()

    def stop(self) -> None:
        self._stopping = True
        self._wanted.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
        self._thread = None

    def _run(self) -> None:
        while not self._stopping:
            self._wanted.wait()
            self._wanted.clear()
            if self._stopping:
                return
            try:
                self.checkpoint()
            except Exception:  # a failed checkpoint is retried after the next commit
                log.exception("WAL checkpoint failed")
            time.sleep(self._pause)

    def checkpoint(self) -> None:
        """One ``PASSIVE`` checkpoint now (never waits for readers or writers)."""
        with contextlib.closing(self._engine.raw_connection()) as conn:
            cursor = conn.cursor()
            try:
                cursor.execute("PRAGMA wal_checkpoint(PASSIVE)")
                cursor.fetchall()
            finally:
                cursor.close()
        self.checkpoints += 1
