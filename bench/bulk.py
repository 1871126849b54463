"""Fast bulk loading into the SQLite database that ``staffroom.db.migrate`` created.

Rows go in with ``executemany`` in large transactions with ``synchronous=OFF``; secondary
indexes are dropped first and rebuilt once at the end (a sort beats millions of random B-tree
inserts). Column lists come from ``staffroom.db.tables``, so a column the generator does not
fill gets its scalar default from the schema (or NULL).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

from tqdm import tqdm

from staffroom.db import tables

BATCH = 50_000


def connect_for_load(path: str) -> sqlite3.Connection:
    """A connection tuned for one-off loading (unsafe on crash: only used while generating)."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=OFF")
    conn.execute("PRAGMA synchronous=OFF")
    conn.execute("PRAGMA foreign_keys=OFF")
    conn.execute("PRAGMA cache_size=-2000000")  # 2 GB: random index inserts stay in memory
    conn.execute("PRAGMA temp_store=MEMORY")
    return conn


def finish_load(conn: sqlite3.Connection) -> None:
    """Back to the settings the server expects (WAL; the server sets synchronous itself)."""
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("PRAGMA journal_mode=WAL")
    conn.close()


def drop_secondary_indexes(conn: sqlite3.Connection, table_names: Sequence[str]) -> list[str]:
    """Drop the explicit indexes of ``table_names``; return their DDL to rebuild them."""
    marks = ",".join("?" * len(table_names))
    rows = conn.execute(
        f"SELECT name, sql FROM sqlite_master WHERE type='index' AND sql IS NOT NULL "
        f"AND tbl_name IN ({marks})",
        list(table_names),
    ).fetchall()
    for name, _sql in rows:
        conn.execute(f'DROP INDEX "{name}"')
    return [sql for _name, sql in rows]


def rebuild_indexes(conn: sqlite3.Connection, ddl: Sequence[str]) -> None:
    for sql in tqdm(ddl, desc="indexes", unit="index"):
        conn.execute(sql)


def _scalar_default(column: Any) -> Any:
    default = column.default
    if default is None or not getattr(default, "is_scalar", False):
        return None
    value = default.arg
    return int(value) if isinstance(value, bool) else value


class Loader:
    """Inserts rows given as tuples of ``columns`` into ``table``; other columns get defaults."""

    def __init__(self, conn: sqlite3.Connection, table_name: str, columns: Sequence[str]) -> None:
        table = tables.metadata.tables[table_name]
        unknown = set(columns) - set(table.c.keys())
        if unknown:
            raise SystemExit(f"{table_name} has no column(s) {sorted(unknown)}: update bench/")
        self.conn = conn
        self.table_name = table_name
        self.extra_values = [
            _scalar_default(column) for column in table.c if column.name not in columns
        ]
        missing_required = [
            column.name
            for column, value in zip(
                [c for c in table.c if c.name not in columns], self.extra_values, strict=True
            )
            if value is None and not column.nullable
        ]
        if missing_required:
            raise SystemExit(f"{table_name}: no value for {missing_required}: update bench/")
        all_columns = list(columns) + [c.name for c in table.c if c.name not in columns]
        names = ", ".join(f'"{c}"' for c in all_columns)
        marks = ", ".join("?" * len(all_columns))
        self.sql = f'INSERT INTO "{table_name}" ({names}) VALUES ({marks})'
        self.count = 0

    def load(self, rows: Iterable[Sequence[Any]], total: int | None = None) -> int:
        """Insert ``rows`` in transactions of ``BATCH`` rows, with a progress bar."""
        extra = tuple(self.extra_values)
        batch: list[tuple[Any, ...]] = []
        with tqdm(total=total, desc=self.table_name, unit="row", unit_scale=True) as bar:
            for row in rows:
                batch.append(tuple(row) + extra if extra else tuple(row))
                if len(batch) >= BATCH:
                    self._flush(batch)
                    bar.update(len(batch))
                    batch = []
            if batch:
                self._flush(batch)
                bar.update(len(batch))
        return self.count

    def _flush(self, batch: list[tuple[Any, ...]]) -> None:
        self.conn.execute("BEGIN")
        self.conn.executemany(self.sql, batch)
        self.conn.execute("COMMIT")
        self.count += len(batch)


class TimeText:
    """``DateTime`` values as SQLAlchemy stores them in SQLite, cached per millisecond."""

    def __init__(self) -> None:
        self._cache: dict[int, str] = {}

    def at_ms(self, ms: int) -> str:
        text = self._cache.get(ms)
        if text is None:
            moment = datetime.fromtimestamp(ms / 1000, UTC)
            text = moment.strftime("%Y-%m-%d %H:%M:%S.%f")
            if len(self._cache) < 2_000_000:
                self._cache[ms] = text
        return text


class Snowflakes:
    """IDs in the server's layout (``ms << 16 | seq``) for times given in non-decreasing order."""

    def __init__(self) -> None:
        self._last_ms = -1
        self._seq = 0

    def at(self, ms: int) -> int:
        if ms < self._last_ms:
            ms = self._last_ms
        if ms == self._last_ms:
            self._seq += 1
            if self._seq > 0xFFFF:
                ms, self._seq = ms + 1, 0
        else:
            self._seq = 0
        self._last_ms = ms
        return ms << 16 | self._seq
