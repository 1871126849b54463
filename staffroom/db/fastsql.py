"""Hand-written SQL for the hottest read paths, run straight on the driver.

SQLAlchemy's statement building and parameter expansion cost more than the queries
themselves on a timeline read (measured in docs/PERFORMANCE.md), so the few queries every
timeline request makes are plain SQL strings. Write them with ``?`` placeholders; a list or
tuple parameter expands in place (``id IN (?)``), an empty one to ``NULL`` (matches nothing).
The same text runs on SQLite (qmark) and PostgreSQL (format) paramstyles. On PostgreSQL
``x IN (?)`` with a non-empty list becomes ``x = ANY(%s::bigint[])`` (or ``text[]``), one
array parameter: the statement text no longer depends on the list's length, so the driver
prepares it once instead of planning every length anew (planning cost more than running).

Rows come back without SQLAlchemy type processing: SQLite gives booleans as 0/1 and
timestamps as text, which the serialisers accept (``serializers.common.as_utc``). Parameters
get none either: pass timestamps through :func:`timestamp` and JSON as text.
"""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection

_CACHE: dict[tuple[str, str, tuple[int, ...]], str] = {}
_EXPANDS = (list, tuple, set, frozenset)


def _render(sql: str, marker: str, params: Sequence[Any]) -> tuple[str, Sequence[Any]]:
    for p in params:
        if isinstance(p, _EXPANDS):
            break
    else:
        if marker == "?":
            return sql, params  # nothing to expand: the text is already the driver's
    shape: list[int] = []
    flat: list[Any] = []
    for p in params:
        if isinstance(p, _EXPANDS):
            shape.append(len(p))
            flat.extend(p)
        else:
            shape.append(-1)
            flat.append(p)
    key = (sql, marker, tuple(shape))
    text = _CACHE.get(key)
    if text is None:
        pieces = sql.split("?")
        if len(pieces) - 1 != len(params):
            raise ValueError(f"{len(pieces) - 1} placeholders, {len(params)} parameters")
        out = [pieces[0]]
        for n, piece in zip(shape, pieces[1:], strict=True):
            if n < 0:
                out.append(marker)
            else:
                out.append(", ".join([marker] * n) if n else "NULL")
            out.append(piece)
        text = "".join(out)
        if len(_CACHE) < 4096:
            _CACHE[key] = text
    return text, flat


def timestamp(conn: Connection, value: datetime) -> Any:
    """A timezone-aware UTC ``value`` as a parameter, stored exactly as SQLAlchemy stores it
    (on SQLite, text that sorts and compares with the rows SQLAlchemy wrote)."""
    if conn.dialect.paramstyle != "qmark":
        return value
    return (
        f"{value.year:04d}-{value.month:02d}-{value.day:02d} "
        f"{value.hour:02d}:{value.minute:02d}:{value.second:02d}.{value.microsecond:06d}"
    )


def _array_type(values: Any) -> str | None:
    if all(isinstance(v, int) and not isinstance(v, bool) for v in values):
        return "bigint[]"
    if all(isinstance(v, str) for v in values):
        return "text[]"
    return None


def _render_pg(sql: str, params: Sequence[Any]) -> tuple[str, Sequence[Any]]:
    """PostgreSQL: non-empty lists after ``IN (`` as one array parameter; others as
    :func:`_render` does."""
    kinds: list[str | None] = []
    for p in params:
        if isinstance(p, _EXPANDS) and p:
            kinds.append(_array_type(p))
        else:
            kinds.append(None)
    if not any(kinds):
        return _render(sql, "%s", params)
    key = (sql, "pg", tuple(kinds))
    text = _PG_CACHE.get(key)
    pieces = sql.split("?")
    if len(pieces) - 1 != len(params):
        raise ValueError(f"{len(pieces) - 1} placeholders, {len(params)} parameters")
    arrays = [
        kind is not None
        and pieces[i].rstrip().upper().endswith("IN (")
        and pieces[i + 1].lstrip().startswith(")")
        for i, kind in enumerate(kinds)
    ]
    flat: list[Any] = []
    for p, as_array in zip(params, arrays, strict=True):
        if as_array:
            flat.append(list(p))
        elif isinstance(p, _EXPANDS):
            flat.extend(p)
        else:
            flat.append(p)
    if text is None:
        out = [pieces[0]]
        for i, piece in enumerate(pieces[1:]):
            p = params[i]
            if arrays[i]:
                head = out[-1].rstrip()
                negated = head.upper().endswith("NOT IN (")
                head = head[: -len("NOT IN (")] if negated else head[: -len("IN (")]
                out[-1] = head + ("<> ALL(" if negated else "= ANY(")
                out.append(f"%s::{kinds[i]}")
            elif isinstance(p, _EXPANDS):
                out.append(", ".join(["%s"] * len(p)) if p else "NULL")
            else:
                out.append("%s")
            out.append(piece)
        text = "".join(out)
        if len(_PG_CACHE) < 4096:
            _PG_CACHE[key] = text
    return text, flat


_PG_CACHE: dict[tuple[str, str, tuple[str | None, ...]], str] = {}


class Rows(list[Any]):
    """Result rows (named tuples: ``row.id`` or ``row[0]``)."""

    def first(self) -> Any:
        return self[0] if self else None


_ROW_TYPES: dict[tuple[str, ...], Any] = {}


def row_type(names: tuple[str, ...]) -> Any:
    """The named-tuple type for rows with these column names (one per set of names)."""
    found = _ROW_TYPES.get(names)
    if found is None:
        found = _ROW_TYPES[names] = namedtuple("Row", names, rename=True)
    return found


def _execute(conn: Connection, sql: str, params: Sequence[Any]) -> Any:
    if conn.dialect.paramstyle == "qmark":
        text, flat = _render(sql, "?", params)
    else:
        text, flat = _render_pg(sql, params)
    cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.execute(text, flat)
    except BaseException:
        cursor.close()
        raise
    return cursor


def run(conn: Connection, sql: str, *params: Any) -> Rows:
    """Execute ``sql`` (``?`` placeholders, list parameters expand) in ``conn``'s transaction
    on the driver's own cursor, and return all rows."""
    cursor = _execute(conn, sql, params)
    try:
        if cursor.description is None:
            return Rows()
        make = row_type(tuple(d[0] for d in cursor.description))._make
        return Rows(map(make, cursor.fetchall()))
    finally:
        cursor.close()


def run_plain(conn: Connection, sql: str, *params: Any) -> list[tuple[Any, ...]]:
    """Like :func:`run`, but rows are plain tuples (cheaper, for rows unpacked at once)."""
    cursor = _execute(conn, sql, params)
    try:
        return [] if cursor.description is None else list(cursor.fetchall())
    finally:
        cursor.close()


def run_plain_named(
    conn: Connection, sql: str, *params: Any
) -> tuple[tuple[str, ...], list[tuple[Any, ...]]]:
    """The column names and plain-tuple rows of ``sql`` (for callers that split rows)."""
    cursor = _execute(conn, sql, params)
    try:
        if cursor.description is None:
            return (), []
        return tuple(d[0] for d in cursor.description), list(cursor.fetchall())
    finally:
        cursor.close()
