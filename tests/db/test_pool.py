"""PostgreSQL connections: an idle pooled connection the server dropped is replaced unseen."""

from __future__ import annotations

import os

import pytest
from sqlalchemy import Connection, create_engine, text

from staffroom.db import create_database
from staffroom.db import engine as engine_module

PG_URL = os.environ.get(
    "STAFFROOM_TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test"
)


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
