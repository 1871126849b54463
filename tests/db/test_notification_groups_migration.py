"""Migration 0023 fills ``group_key`` for the notifications that exist, by the rule
``services.notify`` applies at creation, and goes back down cleanly."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from alembic import command

from staffroom.db.migrate import alembic_config, migrate


def test_existing_notifications_get_group_keys(tmp_path: Path) -> None:
    path = tmp_path / "m.sqlite3"
    url = f"sqlite:///{path}"
    migrate(url, "0022")
    hour = 490_000  # an hour since the epoch; created_at below is inside it
    at = "2025-11-24 16:10:00.000000"  # in hour 490000 since the epoch
    later = "2025-11-25 06:00:00.000000"  # hour 490014: more than 12 hours on, a new group
    rows = [
        (1, 7, 8, "favourite", 50, "f:8:50", at),
        (2, 7, 9, "favourite", 50, "f:9:50", at),
        (3, 7, 9, "favourite", 50, "f:9:50:x", later),
        (4, 7, 8, "follow", None, "follow:8", at),
        (5, 7, 8, "mention", 51, "m:8:51", at),
    ]
    with sqlite3.connect(path) as conn:  # (no foreign keys enforced on a plain connection)
        conn.executemany(
            "INSERT INTO notifications (id, account_id, from_account_id, type, status_id,"
            " dedupe_key, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
    migrate(url)
    with sqlite3.connect(path) as conn:
        keys = dict(conn.execute("SELECT id, group_key FROM notifications ORDER BY id"))
        filtered = {r[0] for r in conn.execute("SELECT filtered FROM notifications")}
    assert keys == {
        1: f"favourite-50-{hour}",
        2: f"favourite-50-{hour}",
        3: f"favourite-50-{hour + 14}",
        4: f"follow-{hour}",
        5: None,
    }
    assert filtered == {0}

    command.downgrade(alembic_config(url), "0022")
    with sqlite3.connect(path) as conn:
        columns = {r[1] for r in conn.execute("PRAGMA table_info(notifications)")}
        count = conn.execute("SELECT count(*) FROM notifications").fetchone()[0]
    assert "group_key" not in columns and "filtered" not in columns and count == 5
