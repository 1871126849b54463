"""``INSERT ... ON CONFLICT DO NOTHING`` for either engine, built once per table."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Table
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

_CACHE: dict[tuple[str, str], Any] = {}


def insert_ignore(conn: Connection, table: Table) -> Any:
    """A reusable statement: execute it with a dict (or a list of dicts) of column values."""
    key = (conn.dialect.name, table.name)
    stmt = _CACHE.get(key)
    if stmt is None:
        insert = sqlite_insert if conn.dialect.name == "sqlite" else pg_insert
        stmt = _CACHE[key] = insert(table).on_conflict_do_nothing()
    return stmt
