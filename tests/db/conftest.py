"""A throwaway SQLite database with one table ``t (k, v)``, for the writer tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from staffroom.db import Database, create_database


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = create_database(f"sqlite:///{tmp_path / 'writes.sqlite3'}")
    with database.engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE t (k INTEGER PRIMARY KEY, v TEXT NOT NULL)")
    yield database
    database.dispose()
