"""The WAL is copied back into the database by the checkpoint thread, not inside commits."""

from __future__ import annotations

import time
from pathlib import Path

from sqlalchemy import Connection, text

from staffroom.db import Database, create_database


def _write(conn: Connection, k: int) -> None:
    conn.execute(text("INSERT INTO t (k, v) VALUES (:k, :v)"), {"k": k, "v": "x" * 3000})


def test_commits_leave_checkpoints_to_the_checkpoint_thread(db: Database) -> None:
    writer = db._writer
    assert writer is not None
    db.write(_write, 0)
    assert db.write(lambda c: c.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar()) == 0
    before = writer.checkpointer.checkpoints
    for k in range(1, 1500):  # ~1,500 pages: past SQLite's own 1,000-page trigger
        db.write(_write, k)
    deadline = time.monotonic() + 10
    while writer.checkpointer.checkpoints == before:
        assert time.monotonic() < deadline, "no checkpoint after the writes"
        time.sleep(0.05)
    # Everything the log holds can be (or was) copied back: nothing is stuck in it.
    with db.engine.connect() as conn:
        busy, frames, copied = conn.exec_driver_sql("PRAGMA wal_checkpoint(PASSIVE)").one()
    assert busy == 0 and frames == copied
    assert db.read(lambda c: c.execute(text("SELECT count(*) FROM t")).scalar()) == 1500


def test_the_checkpoint_thread_stops_with_the_database(tmp_path: Path) -> None:
    database = create_database(f"sqlite:///{tmp_path / 'stop.sqlite3'}")
    database.write(lambda c: c.exec_driver_sql("CREATE TABLE t (k INTEGER PRIMARY KEY)"))
    assert database._writer is not None
    thread = database._writer.checkpointer._thread
    assert thread is not None and thread.is_alive()
    database.dispose()
    assert not thread.is_alive()
