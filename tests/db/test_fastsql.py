"""fastsql: list parameters expand on SQLite and become one array parameter on PostgreSQL."""

from __future__ import annotations

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
    assert short[0] == long[0] == (
        "SELECT 1 FROM t WHERE a = %s AND id = ANY(%s::bigint[]) AND name <> ALL(%s::text[])"
    )
    assert short[1] == [7, [1, 2], ["x"]]
    # empty lists (and lists not after IN) still expand: nothing to type an array by
    assert _render_pg("x IN (?)", ([],)) == ("x IN (NULL)", [])
    assert _render_pg("VALUES (?)", ([1, 2],)) == ("VALUES (%s, %s)", [1, 2])
