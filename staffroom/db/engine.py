"""Engine set-up and the one way code runs a transaction: ``Database.read`` / ``write``.

SQLite runs in WAL mode with ``synchronous=FULL`` (an acknowledged write survives power
loss) and write transactions take the lock up front (``BEGIN IMMEDIATE``) so they queue on
``busy_timeout`` instead of failing. On SQLite the async variants run inline (a query takes
microseconds, a thread hop costs more); on PostgreSQL they run in a worker thread so that
requests overlap while waiting on the network.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import Any, Concatenate, ParamSpec, TypeVar

from anyio import to_thread
from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.pool import QueuePool

P = ParamSpec("P")
T = TypeVar("T")

_IMMEDIATE = "staffroom_immediate"
ENQUEUED_KEY = "staffroom.enqueued_jobs"


class Database:
    """A configured engine plus transaction helpers."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.is_sqlite = engine.dialect.name == "sqlite"
        # Called with the IDs of jobs a committed transaction enqueued (wakes or runs workers).
        self.after_commit: Callable[[list[int]], None] | None = None
        # SQLite has one writer at a time. Queueing this process's writers on a lock avoids
        # SQLite's busy handler, which sleeps in growing steps when a lock is taken.
        self._write_lock: AbstractContextManager[object] = (
            threading.RLock() if self.is_sqlite else nullcontext()
        )

    def read(self, fn: Callable[Concatenate[Connection, P], T], *a: P.args, **k: P.kwargs) -> T:
        """Run ``fn(conn, ...)`` for reading; nothing it does is committed.

        No explicit transaction is opened: statements run through SQLAlchemy begin one
        implicitly (rolled back at the end), and driver-level reads (``fastsql``) on SQLite
        each see a consistent snapshot without the cost of ``BEGIN``/``COMMIT``.
        """
        with self.engine.connect() as conn:
            return fn(conn, *a, **k)

    def write(self, fn: Callable[Concatenate[Connection, P], T], *a: P.args, **k: P.kwargs) -> T:
        """Run ``fn(conn, ...)`` in a write transaction; commit on return, roll back on error.

        Jobs the transaction enqueued are handed to ``after_commit`` once it has committed.
        """
        with self._write_lock, self.engine.connect() as conn:
            conn.info.pop(ENQUEUED_KEY, None)
            try:
                conn = conn.execution_options(**{_IMMEDIATE: True})
                with conn.begin():
                    result = fn(conn, *a, **k)
                enqueued: list[int] = conn.info.pop(ENQUEUED_KEY, None) or []
            finally:
                conn.info.pop(ENQUEUED_KEY, None)
        if enqueued and self.after_commit is not None:
            self.after_commit(enqueued)
        return result

    async def aread(
        self, fn: Callable[Concatenate[Connection, P], T], *a: P.args, **k: P.kwargs
    ) -> T:
        if self.is_sqlite:
            return self.read(fn, *a, **k)
        return await to_thread.run_sync(lambda: self.read(fn, *a, **k))

    async def awrite(
        self, fn: Callable[Concatenate[Connection, P], T], *a: P.args, **k: P.kwargs
    ) -> T:
        if self.is_sqlite:
            return self.write(fn, *a, **k)
        return await to_thread.run_sync(lambda: self.write(fn, *a, **k))

    def dispose(self) -> None:
        self.engine.dispose()


def create_database(url: str, *, pool_size: int = 8) -> Database:
    """Create the engine for ``url`` (``sqlite:///path`` or ``postgresql+psycopg://...``)."""
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    if url.startswith("sqlite"):
        path = url.split("///", 1)[1] if "///" in url else ""
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            url,
            poolclass=QueuePool,
            pool_size=pool_size,
            max_overflow=8,
            connect_args={"check_same_thread": False, "timeout": 10},
        )
        _configure_sqlite(engine)
    else:
        engine = create_engine(url, pool_size=pool_size, max_overflow=8, pool_pre_ping=True)
    return Database(engine)


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # we issue BEGIN ourselves
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=FULL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=10000")
        cur.execute("PRAGMA cache_size=-65536")
        cur.execute("PRAGMA temp_store=MEMORY")
        cur.close()

    @event.listens_for(engine, "begin")
    def on_begin(conn: Connection) -> None:
        immediate = conn.get_execution_options().get(_IMMEDIATE, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")
