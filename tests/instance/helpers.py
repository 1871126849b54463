"""Test data written straight to the database (posts, activity), independent of other APIs."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Connection, insert, update

from staffroom.db.tables import accounts, statuses, users
from staffroom.ids import new_id
from staffroom.runtime import Runtime
from staffroom.services.tokens import issue_token
from tests.conftest import User


def _post(conn: Connection, account_id: int, status_id: int, at: datetime) -> None:
    conn.execute(
        insert(statuses).values(
            id=status_id,
            account_id=account_id,
            text="hello",
            content_html="<p>hello</p>",
            spoiler_text="",
            sensitive=False,
            visibility=0,
            created_at=at,
        )
    )
    conn.execute(
        update(accounts)
        .where(accounts.c.id == account_id)
        .values(statuses_count=accounts.c.statuses_count + 1, last_status_at=at)
    )


def add_post(runtime: Runtime, account_id: int, at: datetime | None = None) -> int:
    """A public post by ``account_id`` created at ``at`` (default now); returns its id."""
    if at is None:
        at, status_id = datetime.now(UTC), new_id()
    else:
        status_id = int(at.timestamp() * 1000) << 16 | 1
    runtime.db.write(_post, account_id, status_id, at)
    return status_id


def _touch(conn: Connection, account_id: int, at: datetime) -> None:
    conn.execute(update(users).where(users.c.account_id == account_id).values(last_active_at=at))


def set_last_active(runtime: Runtime, account_id: int, at: datetime) -> None:
    runtime.db.write(_touch, account_id, at)


def _created(conn: Connection, account_id: int, at: datetime) -> None:
    conn.execute(update(users).where(users.c.account_id == account_id).values(created_at=at))


def set_signed_up(runtime: Runtime, account_id: int, at: datetime) -> None:
    runtime.db.write(_created, account_id, at)


def token_for(runtime: Runtime, user: User | None, scopes: str) -> dict[str, str]:
    """Headers with a new token for ``user`` (``None``: an app-only token) with ``scopes``."""
    raw, _ = runtime.db.write(
        issue_token, app_id=None, account_id=user.id if user else None, scopes=scopes.split()
    )
    return {"Authorization": f"Bearer {raw}"}
