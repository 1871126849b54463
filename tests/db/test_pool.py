"""PostgreSQL connections: an idle pooled connection the server dropped is replaced unseen."""

from __future__ import annotations

import os

import pytest
from sqlalchemy import Connection, create_engine, text

from staffroom.db import create_database
from staffroom.db import engine as engine_module

PG_URL = os.environ.get("STAFFROOM_TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test")


def _pid(conn: Connection) -> int:
    return int(conn.execute(text("SELECT pg_backend_pid()")).scalar_one())


def test_a_connection_dropped_while_idle_is_replaced(monkeypatch: pytest.MonkeyPatch) -> None:
    db = create_database(PG_URL, pool_size=1)
    admin = create_engine(PG_URL.replace("postgresql://", "postgresql+psycopg://", 1))
    try:
        first = db.read(_pid)
        with admin.begin() as conn:  # the server restarts, or an admin kills the backend
            conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": first})
        monkeypatch.setattr(engine_module, "PING_AFTER_IDLE", 0.0)
        second = db.read(_pid)  # no error reaches the caller
        assert second != first
    finally:
        db.dispose()
        admin.dispose()


def test_sqlite_readers_of_ended_threads_go_back_to_the_pool(tmp_path: object) -> None:
    """The event loop's thread pool retires idle threads and starts new ones: each keeps a
    reading connection while it lives, and one that has ended must not keep it, or the
    pool runs dry and reads stall (found by tests/web/test_no_leaks.py)."""
    import threading
    from pathlib import Path

    assert isinstance(tmp_path, Path)
    db = create_database(f"sqlite:///{tmp_path / 'pool.sqlite3'}", pool_size=2)
    try:
        for _ in range(9):  # more threads, one after another, than pool_size (2), under 2 + 8
            worker = threading.Thread(
                target=db.read, args=(lambda conn: conn.execute(text("SELECT 1")).scalar(),)
            )
            worker.start()
            worker.join()
        assert db.read(lambda conn: conn.execute(text("SELECT 1")).scalar()) == 1
        assert db.engine.pool.checkedout() <= 2  # this thread's, and at most one ended one
    finally:
        db.dispose()
