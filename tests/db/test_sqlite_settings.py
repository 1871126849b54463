"""Every SQLite connection is durable and bounded the same way, readers and the writer."""

from __future__ import annotations

from staffroom.db import Database


def _pragma(db: Database, name: str) -> object:
    with db.engine.connect() as conn:
        return conn.exec_driver_sql(f"PRAGMA {name}").scalar()


def test_connections_are_durable_and_keep_the_log_bounded(db: Database) -> None:
    assert _pragma(db, "journal_mode") == "wal"
    assert _pragma(db, "synchronous") == 2  # FULL: a commit survives power loss
    assert _pragma(db, "foreign_keys") == 1
    assert _pragma(db, "journal_size_limit") == 64 * 1024 * 1024
