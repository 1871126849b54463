"""kept home timelines, covering follower index

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22 02:00:00

Fan-out now writes only into the home timelines of recently active owners
(``home_timelines``). Until now every timeline was written, so every user who was active in
the last 14 days (the default ``active_days``) and has timeline rows starts out kept; the
others are rebuilt when they come back.
"""

import time
from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision: str = '0004'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ACTIVE_DAYS = 14


def _names(name: str) -> tuple[str, str]:
    return f"ix_{name}_target_account_id", f"ix_{name}_target_account_id_account_id"


def upgrade() -> None:
    for name in ("follows", "blocks", "mutes"):
        old, new = _names(name)
        op.create_index(new, name, ["target_account_id", "account_id"])
        op.drop_index(old, table_name=name)
    op.create_table(
        "home_timelines",
        sa.Column("account_id", sa.BigInteger(), nullable=False),
        sa.Column("kept_until", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_home_timelines_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("account_id", name=op.f("pk_home_timelines")),
    )
    bind = op.get_bind()
    cutoff = datetime.fromtimestamp(time.time() - _ACTIVE_DAYS * 86400, UTC)
    users = sa.table("users", sa.column("account_id"), sa.column("last_active_at"))
    feed = sa.table("home_feed", sa.column("account_id"))
    rows = bind.execute(
        sa.select(users.c.account_id, users.c.last_active_at)
        .where(users.c.last_active_at >= cutoff)
        .where(sa.exists().where(feed.c.account_id == users.c.account_id))
    ).all()
    kept = sa.table("home_timelines", sa.column("account_id"), sa.column("kept_until"))
    values = [
        {"account_id": a, "kept_until": _seconds(seen) + _ACTIVE_DAYS * 86400} for a, seen in rows
    ]
    for start in range(0, len(values), 10_000):
        bind.execute(sa.insert(kept), values[start : start + 10_000])


def _seconds(value: object) -> int:
    if isinstance(value, str):  # SQLite hands back text
        value = datetime.fromisoformat(value)
    assert isinstance(value, datetime)
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return int(value.timestamp())


def downgrade() -> None:
    op.drop_table("home_timelines")
    for name in ("follows", "blocks", "mutes"):
        old, new = _names(name)
        op.create_index(old, name, ["target_account_id"])
        op.drop_index(new, table_name=name)
