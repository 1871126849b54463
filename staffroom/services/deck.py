"""The deck's layout: which columns a person chose, in order, stored per account.

Writes only ``web_preferences.deck`` (the row is shared with the first-run path, which owns
``first_run``). A layout is a list of :class:`Column` (a kind's slug and its argument); the
web layer's column registry decides which kinds and arguments are valid, this module keeps
the list well-formed: at most :data:`MAX_COLUMNS`, no column twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from staffroom.db.tables import web_preferences
from staffroom.errors import NotFound, ValidationFailed

MAX_COLUMNS = 10
MAX_ARGUMENT = 200


@dataclass(frozen=True, slots=True)
class Column:
    """One column: its kind (``home``, ``hashtag``...) and argument (``EdChat``), if any."""

    kind: str
    arg: str | None = None

    @property
    def key(self) -> str:
        """``kind`` or ``kind:arg``: how forms and fragments name the column."""
        return self.kind if self.arg is None else f"{self.kind}:{self.arg}"

    @classmethod
    def from_key(cls, key: str) -> Column:
        kind, sep, arg = key.partition(":")
        return cls(kind, arg if sep else None)


class DeckFull(ValidationFailed):
    """The deck already has :data:`MAX_COLUMNS` columns."""


class AlreadyThere(ValidationFailed):
    """The column is already on the deck."""


DEFAULT_LAYOUT = (Column("home"), Column("notifications"), Column("mentions"))


def _parse(stored: Any) -> list[Column] | None:
    if not isinstance(stored, list):
        return None
    columns: list[Column] = []
    for item in stored[:MAX_COLUMNS]:
        if isinstance(item, dict) and isinstance(item.get("kind"), str):
            arg = item.get("arg")
            column = Column(item["kind"], arg if isinstance(arg, str) else None)
            if column not in columns:
                columns.append(column)
    return columns


def get_layout(conn: Connection, account_id: int) -> list[Column]:
    """The person's columns, or the default layout if they never changed it."""
    stored = conn.execute(
        select(web_preferences.c.deck).where(web_preferences.c.account_id == account_id)
    ).scalar()
    parsed = _parse(stored)
    return list(DEFAULT_LAYOUT) if parsed is None else parsed


def save_layout(conn: Connection, account_id: int, columns: list[Column]) -> None:
    """Store ``columns`` as the person's layout."""
    deck = [{"kind": c.kind, "arg": c.arg} for c in columns[:MAX_COLUMNS]]
    now = datetime.now(UTC)
    insert = sqlite_insert if conn.dialect.name == "sqlite" else pg_insert
    # A new row says the first-run path is finished: people without a row were never
    # offered it (services.onboarding), and a deck row must not make them "pending".
    conn.execute(
        insert(web_preferences)
        .values(account_id=account_id, deck=None, first_run="done", updated_at=now)
        .on_conflict_do_nothing()
    )
    conn.execute(
        update(web_preferences)
        .where(web_preferences.c.account_id == account_id)
        .values(deck=deck, updated_at=now)
    )


def add_column(conn: Connection, account_id: int, column: Column) -> list[Column]:
    """Add ``column`` at the end (422 if the deck is full or already has it)."""
    columns = get_layout(conn, account_id)
    if column in columns:
        raise AlreadyThere("This column is already on your deck")
    if len(columns) >= MAX_COLUMNS:
        raise DeckFull(f"A deck has at most {MAX_COLUMNS} columns")
    columns.append(column)
    save_layout(conn, account_id, columns)
    return columns


def remove_column(conn: Connection, account_id: int, column: Column) -> list[Column]:
    """Take ``column`` off the deck (404 if it is not there)."""
    columns = get_layout(conn, account_id)
    if column not in columns:
        raise NotFound()
    columns.remove(column)
    save_layout(conn, account_id, columns)
    return columns


def move_column(conn: Connection, account_id: int, column: Column, step: int) -> list[Column]:
    """Move ``column`` ``step`` places (-1 left, +1 right), stopping at either end."""
    columns = get_layout(conn, account_id)
    if column not in columns:
        raise NotFound()
    here = columns.index(column)
    there = max(0, min(len(columns) - 1, here + step))
    columns.insert(there, columns.pop(here))
    save_layout(conn, account_id, columns)
    return columns
