"""Hand-written SQL for the hottest read paths, run straight on the driver.

SQLAlchemy's statement building and parameter expansion cost more than the queries
themselves on a timeline read (measured in docs/PERFORMANCE.md), so the few queries every
timeline request makes are plain SQL strings. Write them with ``?`` placeholders; a list or
tuple parameter expands in place (``id IN (?)``), an empty one to ``NULL`` (matches nothing).
The same text runs on SQLite (qmark) and PostgreSQL (format) paramstyles.

Rows come back without SQLAlchemy type processing: SQLite gives booleans as 0/1 and
timestamps as text, which the serialisers accept (``serializers.common.as_utc``).
"""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection

_CACHE: dict[tuple[str, str, tuple[int, ...]], str] = {}


def _render(sql: str, marker: str, params: Sequence[Any]) -> tuple[str, list[Any]]:
    shape = tuple(len(p) if isinstance(p, list | tuple | set | frozenset) else -1 for p in params)
    key = (sql, marker, shape)
    flat: list[Any] = []
    for p in params:
        if isinstance(p, list | tuple | set | frozenset):
            flat.extend(p)
        else:
            flat.append(p)
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


class Rows(list[Any]):
    """Result rows (named tuples: ``row.id`` or ``row[0]``)."""

    def first(self) -> Any:
        return self[0] if self else None


_ROW_TYPES: dict[tuple[str, ...], Any] = {}


def _row_type(names: tuple[str, ...]) -> Any:
    row_type = _ROW_TYPES.get(names)
    if row_type is None:
        row_type = _ROW_TYPES[names] = namedtuple("Row", names, rename=True)
    return row_type


def run(conn: Connection, sql: str, *params: Any) -> Rows:
    """Execute ``sql`` (``?`` placeholders, list parameters expand) in ``conn``'s transaction
    on the driver's own cursor, and return all rows."""
    marker = "?" if conn.dialect.paramstyle == "qmark" else "%s"
    text, flat = _render(sql, marker, params)
    cursor = conn.connection.cursor()
    try:
        cursor.execute(text, flat)
        if cursor.description is None:
            return Rows()
        make = _row_type(tuple(d[0] for d in cursor.description))._make
        return Rows(make(r) for r in cursor.fetchall())
    finally:
        cursor.close()
