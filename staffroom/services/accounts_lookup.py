"""Small account look-ups shared by several endpoints."""

from __future__ import annotations

from sqlalchemy import Connection, select

from staffroom.db.tables import accounts


def account_exists(conn: Connection, account_id: int) -> bool:
    query = select(accounts.c.id).where(accounts.c.id == account_id)
    return conn.execute(query).first() is not None
