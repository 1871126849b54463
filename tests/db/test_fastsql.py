"""fastsql: list parameters expand on SQLite and become one array parameter on PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Column, DateTime, Integer, MetaData, Table, insert

from staffroom.db import Database, fastsql
from staffroom.db.fastsql import _render, _render_pg


def test_sqlite_expands_lists_in_place() -> None:
    text, flat = _render("SELECT 1 FROM t WHERE a = ? AND id IN (?)", "?", (7, [1, 2, 3]))
    assert text == "SELECT 1 FROM t WHERE a = ? AND id IN (?, ?, ?)"
    assert flat == [7, 1, 2, 3]
    assert _render("x IN (?)", "?", ([],))[0] == "x IN (NULL)"


def test_postgres_uses_one_array_whatever_the_length() -> None:
    sql = "SELECT 1 FROM t WHERE a = ? AND id IN (?) AND name NOT IN (?)"
    short = _render_pg(sql, (7, [1, 2], ["x"]))
    long = _render_pg(sql, (7, list(range(50)), ["x", "y"]))
    assert (
        short[0]
        == long[0]
        == ("SELECT 1 FROM t WHERE a = %s AND id = ANY(%s::bigint[]) AND name <> ALL(%s::text[])")
    )
    assert short[1] == [7, [1, 2], ["x"]]
    # empty lists (and lists not after IN) still expand: nothing to type an array by
    assert _render_pg("x IN (?)", ([],)) == ("x IN (NULL)", [])
    assert _render_pg("VALUES (?)", ([1, 2],)) == ("VALUES (%s, %s)", [1, 2])


def test_timestamps_are_stored_as_sqlalchemy_stores_them(db: Database) -> None:
    """A time written through ``fastsql.timestamp`` equals, sorts and compares with the same
    time written by SQLAlchemy (on SQLite both are text)."""
    at = Table(
        "at",
        MetaData(),
        Column("k", Integer, primary_key=True),
        Column("t", DateTime(timezone=True)),
    )
    times = [datetime(2026, 11, 22, 8, 5, 3, micro, tzinfo=UTC) for micro in (0, 7, 999_999)]
    with db.engine.begin() as conn:
        at.create(conn)
        for k, value in enumerate(times):
            conn.execute(insert(at), {"k": k, "t": value})
            fastsql.run_plain(conn, "INSERT INTO at (k, t) VALUES (?, ?)", 10 + k,
                              fastsql.timestamp(conn, value))  # fmt: skip
        rows = fastsql.run_plain(conn, "SELECT k, t FROM at ORDER BY t, k")
        later = fastsql.run_plain(
            conn, "SELECT count(*) FROM at WHERE t > ?", fastsql.timestamp(conn, times[1])
        )
    assert [k for k, _ in rows] == [0, 10, 1, 11, 2, 12]
    assert [t for _, t in rows][0::2] == [t for _, t in rows][1::2]
    assert later == [(2,)]
