"""Migrations that reshape SQLite storage keep every row, both ways."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from alembic import command

from staffroom.db.migrate import alembic_config, migrate


def _home_feed(path: Path) -> tuple[str, list[tuple[int, ...]]]:
    with sqlite3.connect(path) as conn:
        ddl = conn.execute("SELECT sql FROM sqlite_master WHERE name = 'home_feed'").fetchone()[0]
        rows = conn.execute("SELECT * FROM home_feed ORDER BY account_id, status_id").fetchall()
    return ddl, rows


def test_home_feed_moves_into_its_primary_key_and_back(tmp_path: Path) -> None:
    path = tmp_path / "m.sqlite3"
    url = f"sqlite:///{path}"
    migrate(url, "0006")
    with sqlite3.connect(path) as conn:
        # (a plain sqlite3 connection does not enforce the account foreign key)
        conn.executemany(
            "INSERT INTO home_feed VALUES (?, ?, ?, ?)", [(1, 20, 2, None), (1, 10, 3, 9)]
        )
    before = _home_feed(path)
    assert "WITHOUT ROWID" not in before[0]

    migrate(url)
    ddl, rows = _home_feed(path)
    assert "WITHOUT ROWID" in ddl and rows == before[1] == [(1, 10, 3, 9), (1, 20, 2, None)]

    command.downgrade(alembic_config(url), "0006")
    assert _home_feed(path) == before
