"""The full-text index of posts, one interface over SQLite FTS5 and PostgreSQL (decision 0018).

The database keeps the index itself in the transaction of every insert, edit and delete of
a post (migration 0022_search: FTS5 triggers on SQLite, a GIN expression index on
PostgreSQL), so nothing here writes. :func:`text_search` turns the words of a parsed query
into conditions on ``statuses`` (PostgreSQL: ``@@`` on the GIN index, which the planner
weighs against the other indexes; SQLite: a probe of FTS5 by rowid); on SQLite
:func:`fts_window` lets FTS5 drive instead, newest first, a bounded window at a time.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Connection,
    FromClause,
    column,
    exists,
    func,
    literal,
    literal_column,
    not_,
    or_,
    select,
    table,
)
from sqlalchemy.sql.expression import ColumnClause

from staffroom.db.tables import statuses
from staffroom.services.search_query import TextPart

FTS_TABLE = "statuses_search"
_fts = table(FTS_TABLE, column("rowid", BigInteger))
fts_rowid: ColumnClause[int] = _fts.c.rowid

# PostgreSQL's accent fold: the same characters, in the same order, as migration 0022_search
# (the planner uses the index only for the identical expression).
_ACCENTED = (
    "àáâãäåāăąçćĉċčďđèéêëēĕėęěĝğġģĥħìíîïĩīĭįıĵķĺļľŀłñńņňòóôõöøōŏőŕŗřśŝşšţťŧùúûüũūŭůűųŵýÿŷźżžß"
)
_SPECIAL = {"đ": "d", "ħ": "h", "\u0131": "i", "ŀ": "l", "ł": "l", "ø": "o", "ŧ": "t", "ß": "s"}
FOLD_FROM = _ACCENTED
FOLD_TO = "".join(_SPECIAL.get(c) or unicodedata.normalize("NFKD", c)[0] for c in _ACCENTED)
_PG_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True, slots=True)
class TextSearch:
    """What the words add to a search of ``statuses``: ``source`` to read from, ``where``
    conditions, and ``order_id``: the post ID column to order and bound the page by."""

    source: FromClause
    where: list[ColumnElement[bool]]
    order_id: ColumnElement[int]


_CONFIG: ColumnClause[Any] = literal_column("'simple'::regconfig")
_FOLD_FROM_SQL: ColumnClause[Any] = literal_column(f"'{FOLD_FROM}'")
_FOLD_TO_SQL: ColumnClause[Any] = literal_column(f"'{FOLD_TO}'")


def _fold(expr: Any) -> Any:
    """``translate(lower(expr), accented, plain)``, the constants written inline."""
    return func.translate(func.lower(expr), _FOLD_FROM_SQL, _FOLD_TO_SQL)


def _pg_document() -> Any:
    text = statuses.c.spoiler_text.op("||")(literal_column("' '")).op("||")(statuses.c.text)
    return func.to_tsvector(_CONFIG, _fold(text.self_group()))


def _fts_phrase(part: TextPart) -> str:
    """One part in FTS5's query language: a quoted string, which FTS5 tokenizes as it
    tokenized posts (so any input is safe), ``*`` for a prefix."""
    quoted = '"' + part.text.replace('"', '""') + '"'
    if part.kind == "prefix":
        return quoted + "*"
    if part.kind == "term":  # all of its words, anywhere (Mastodon's operator "and")
        words = _PG_WORD.findall(part.text)
        return " AND ".join('"' + w + '"' for w in words) if len(words) > 1 else quoted
    return quoted


def _fts_match(parts: Sequence[TextPart]) -> str:
    return " AND ".join(f"({_fts_phrase(p)})" for p in parts)


def _pg_query(part: TextPart) -> Any:
    config = _CONFIG
    if part.kind == "phrase":
        return func.phraseto_tsquery(config, _fold(literal(part.text)))
    if part.kind == "term":
        return func.plainto_tsquery(config, _fold(literal(part.text)))
    words = _PG_WORD.findall(part.text)
    lexemes = [f"'{w}'" for w in words]
    lexemes[-1] += ":*"
    return func.to_tsquery(config, _fold(literal(" <-> ".join(lexemes))))


def text_search(dialect: str, must: Sequence[TextPart], must_not: Sequence[TextPart]) -> TextSearch:
    """Conditions on ``statuses`` for posts whose words match ``must`` and none of
    ``must_not``, for a statement that reads ``statuses`` by ID (on SQLite, positive words
    are better searched through :func:`fts_window`, which lets the index drive)."""
    where: list[ColumnElement[bool]] = [statuses.c.reblog_of_id.is_(None)]
    if dialect == "sqlite":
        expression = fts_expression(must, must_not)
        if expression is not None:
            where.append(fts_contains(expression))
        elif must_not:
            matching = select(fts_rowid).where(_match(_fts_match_any(must_not)))
            where.append(statuses.c.id.not_in(matching))
        return TextSearch(statuses, where, statuses.c.id)
    document = _pg_document()
    where += [document.op("@@")(_pg_query(p)) for p in must]
    if must_not:
        where.append(not_(or_(*[document.op("@@")(_pg_query(p)) for p in must_not])))
    return TextSearch(statuses, where, statuses.c.id)


def _match(expression: str) -> ColumnElement[bool]:
    return column(FTS_TABLE).op("MATCH")(expression)


def fts_expression(must: Sequence[TextPart], must_not: Sequence[TextPart]) -> str | None:
    """The FTS5 query for ``must`` and none of ``must_not``; ``None`` without ``must``."""
    if not must:
        return None
    expression = _fts_match(must)
    if must_not:
        expression = f"({expression}) NOT ({_fts_match_any(must_not)})"
    return expression


def fts_contains(expression: str) -> ColumnElement[bool]:
    """Does the FTS5 index hold this post for ``expression`` (a probe by rowid per post)."""
    return exists().where(_match(expression), fts_rowid == statuses.c.id)


def _window_query(expression: str, above: int | None, below: int | None) -> Any:
    query = select(fts_rowid).where(_match(expression))
    if above is not None:
        query = query.where(fts_rowid > above)
    if below is not None:
        query = query.where(fts_rowid < below)
    return query.order_by(fts_rowid.desc())


def fts_window(
    expression: str, above: int | None, below: int | None, floor: int | None
) -> TextSearch:
    """Posts matching ``expression`` between ``above`` and ``below`` (exclusive), not older
    than ``floor``: FTS5 drives, newest first, so a page stops at its last row and never
    reads past ``floor`` (see :func:`fts_window_floor`)."""
    where = [statuses.c.reblog_of_id.is_(None), _match(expression)]
    where += [fts_rowid > above] if above is not None else []
    where += [fts_rowid < below] if below is not None else []
    where += [fts_rowid >= floor] if floor is not None else []
    source = _fts.join(statuses, statuses.c.id == fts_rowid)
    return TextSearch(source, where, fts_rowid)


def fts_window_floor(
    conn: Connection, expression: str, above: int | None, below: int | None, size: int
) -> int | None:
    """The oldest post ID of a full window (``None``: the window holds every match left)."""
    query = _window_query(expression, above, below).limit(1).offset(size - 1)
    found = conn.execute(query).scalar()
    return int(found) if found is not None else None


def _fts_match_any(parts: Sequence[TextPart]) -> str:
    return " OR ".join(f"({_fts_phrase(p)})" for p in parts)
