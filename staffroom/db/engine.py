"""Engine set-up and the one way code runs a transaction: ``Database.read`` / ``write``.

SQLite runs in WAL mode with ``synchronous=FULL`` (an acknowledged write survives power
loss) and write transactions take the lock up front (``BEGIN IMMEDIATE``) so they queue on
``busy_timeout`` instead of failing. On SQLite every write of the process goes through one
writer thread that commits queued transactions together (``group_commit``); reads run
inline (a query takes microseconds, a thread hop costs more). On PostgreSQL both run in a
worker thread so that requests overlap while waiting on the network.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, Concatenate, ParamSpec, TypeVar

from anyio import to_thread
from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.pool import QueuePool

from staffroom import extras
from staffroom.db.group_commit import GroupWriter, Outcome

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
        # SQLite has one writer at a time: this process's writes queue for one thread,
        # which also spares them SQLite's busy handler (it sleeps in growing steps).
        self._writer = GroupWriter(engine, _immediate, ENQUEUED_KEY) if self.is_sqlite else None
        self._readers = threading.local()
        self._readers_lock = threading.Lock()
        # Every thread's reading connection, closed by ``dispose``; a thread that has ended
        # (the event loop's thread pool retires threads idle for 10 s) gives its back to the
        # pool when the next thread takes one, or the pool would run dry.
        self._reader_conns: dict[threading.Thread, Connection] = {}

    def read(self, fn: Callable[Concatenate[Connection, P], T], *a: P.args, **k: P.kwargs) -> T:
        """Run ``fn(conn, ...)`` for reading; nothing it does is committed.

        No explicit transaction is opened: statements run through SQLAlchemy begin one
        implicitly (rolled back at the end), and driver-level reads (``fastsql``) on SQLite
        each see a consistent snapshot without the cost of ``BEGIN``/``COMMIT``. On SQLite
        each thread keeps one reading connection (no pool checkout per read).
        """
        if not self.is_sqlite:
            # Autocommit: under READ COMMITTED every statement takes its own snapshot anyway,
            # so a transaction adds only BEGIN and its end (two round trips). Nor does a read
            # end with ROLLBACK, on which psycopg forgets every prepared statement (nothing
            # would ever be prepared: planning took 0.4 of the 0.6 ms of the home timeline's
            # main statement).
            with self.engine.connect() as conn:
                conn = conn.execution_options(isolation_level="AUTOCOMMIT")
                return fn(conn, *a, **k)
        local = self._readers
        kept: Connection | None = getattr(local, "conn", None)
        if kept is None or kept.closed or kept.invalidated or getattr(local, "busy", False):
            if getattr(local, "busy", False):  # a read inside a read: a connection of its own
                with self.engine.connect() as other:
                    return fn(other, *a, **k)
            self._release_ended_readers()
            kept = local.conn = self.engine.connect()
            with self._readers_lock:
                self._reader_conns[threading.current_thread()] = kept
        conn = kept
        local.busy = True
        try:
            return fn(conn, *a, **k)
        finally:
            local.busy = False
            if conn.in_transaction():
                conn.rollback()

    def write(self, fn: Callable[Concatenate[Connection, P], T], *a: P.args, **k: P.kwargs) -> T:
        """Run ``fn(conn, ...)`` in a write transaction; commit on return, roll back on error.

        Jobs the transaction enqueued are handed to ``after_commit`` once it has committed.
        """
        if self._writer is not None:
            outcome = self._writer.submit(lambda conn: fn(conn, *a, **k)).result()
            value: T = self._committed(outcome)
            return value
        with self.engine.connect() as conn:
            conn.info.pop(ENQUEUED_KEY, None)
            try:
                with conn.begin():
                    result = fn(conn, *a, **k)
                enqueued: list[int] = conn.info.pop(ENQUEUED_KEY, None) or []
            finally:
                conn.info.pop(ENQUEUED_KEY, None)
        done: T = self._committed(Outcome(result, enqueued))
        return done

    def _committed(self, outcome: Outcome) -> Any:
        if outcome.enqueued and self.after_commit is not None:
            self.after_commit(outcome.enqueued)
        return outcome.value

    async def aread(
        self, fn: Callable[Concatenate[Connection, P], T], *a: P.args, **k: P.kwargs
    ) -> T:
        if self.is_sqlite:
            return self.read(fn, *a, **k)
        return await to_thread.run_sync(lambda: self.read(fn, *a, **k))

    async def awrite(
        self, fn: Callable[Concatenate[Connection, P], T], *a: P.args, **k: P.kwargs
    ) -> T:
        if self._writer is not None:
            future = self._writer.submit(lambda conn: fn(conn, *a, **k))
            outcome = await asyncio.wrap_future(future)
            result: T = self._committed(outcome)
            return result
        return await to_thread.run_sync(lambda: self.write(fn, *a, **k))

    def _release_ended_readers(self) -> None:
        with self._readers_lock:
            ended = [t for t in self._reader_conns if not t.is_alive()]
            released = [self._reader_conns.pop(t) for t in ended]
        for conn in released:
            with contextlib.suppress(Exception):
                conn.close()

    def dispose(self) -> None:
        if self._writer is not None:
            self._writer.stop()
        with self._readers_lock:
            kept = list(self._reader_conns.values())
            self._reader_conns = {}
        for conn in kept:
            with contextlib.suppress(Exception):
                conn.close()
        self.engine.dispose()


def create_database(url: str, *, pool_size: int = 8) -> Database:
    """Create the engine for ``url`` (``sqlite:///path`` or ``postgresql+psycopg://...``)."""
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    if url.startswith("postgresql"):
        extras.require(extras.POSTGRESQL)
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
        # Connections go back to the pool with COMMIT (see ``read``); failed transactions
        # were already rolled back by their ``with conn.begin()``.
        engine = create_engine(
            url, pool_size=pool_size, max_overflow=0, pool_reset_on_return="commit"
        )
        _ping_when_idle(engine)
    return Database(engine)


# A pooled connection idle for longer than this is checked before use (the server may have
# restarted or closed it); busy connections are not, which saves a round trip per checkout.
PING_AFTER_IDLE = 5.0


def _ping_when_idle(engine: Engine) -> None:
    @event.listens_for(engine, "checkin")
    def on_checkin(_dbapi_conn: Any, record: Any) -> None:
        record.info["staffroom_idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def on_checkout(dbapi_conn: Any, record: Any, _proxy: Any) -> None:
        since = record.info.get("staffroom_idle_since")
        if since is None or time.monotonic() - since < PING_AFTER_IDLE:
            return
        try:
            cursor = dbapi_conn.cursor()
            try:
                cursor.execute("SELECT 1")
            finally:
                cursor.close()
            dbapi_conn.rollback()
        except Exception as exc:  # the pool replaces it and tries again
            raise DisconnectionError(str(exc)) from exc


def _immediate(conn: Connection) -> Connection:
    return conn.execution_options(**{_IMMEDIATE: True})


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
        # Under sustained load readers keep the log from restarting, so it grows (610 MB
        # after one benchmark run); when it does restart, give the disk back beyond 64 MiB.
        cur.execute("PRAGMA journal_size_limit=67108864")
        cur.close()

    @event.listens_for(engine, "begin")
    def on_begin(conn: Connection) -> None:
        immediate = conn.get_execution_options().get(_IMMEDIATE, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")
