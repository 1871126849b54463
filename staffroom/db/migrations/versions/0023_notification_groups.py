"""grouped notifications, notification policies and requests

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-06 10:00:00

``notifications.group_key`` (Mastodon's grouping key, set at creation for favourites, reposts
and follows; existing rows are backfilled with the same rule) with an index on
``(account_id, group_key, id)``, and ``notifications.filtered`` (held back by the
recipient's policy). ``notification_policies`` (accept / filter / drop per kind of
stranger), ``notification_requests`` (one per recipient and sender with filtered
notifications) and ``notification_permissions`` (senders accepted once, never filtered).
"""

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision: str = '0023'
down_revision: str | None = '0022'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_GROUPABLE = ("favourite", "reblog", "follow")
_SPAN_HOURS = 12


def _hour(moment: datetime) -> int:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return int(moment.timestamp()) // 3600


def _backfill(conn: sa.Connection) -> None:
    """The rule of ``services.notify.group_key_for``, applied in creation order."""
    rows = conn.execute(
        sa.text(
            "SELECT id, account_id, type, status_id, created_at FROM notifications"
            " WHERE type IN ('favourite', 'reblog', 'follow')"
            " ORDER BY account_id, type, status_id, id"
        )
    )
    last: tuple[object, ...] | None = None
    bucket = 0
    last_hour = 0
    batch: list[dict[str, object]] = []
    for id_, account_id, type_, status_id, created_at in rows:
        if isinstance(created_at, str):
            created_at = datetime.fromisoformat(created_at)
        hour = _hour(created_at)
        target = (account_id, type_, status_id)
        if target != last or hour >= bucket + _SPAN_HOURS or hour >= last_hour + _SPAN_HOURS:
            bucket = hour
        last, last_hour = target, hour
        prefix = type_ if type_ == "follow" else f"{type_}-{status_id}"
        batch.append({"k": f"{prefix}-{bucket}", "i": id_})
        if len(batch) >= 2000:
            conn.execute(sa.text("UPDATE notifications SET group_key = :k WHERE id = :i"), batch)
            batch = []
    if batch:
        conn.execute(sa.text("UPDATE notifications SET group_key = :k WHERE id = :i"), batch)


def upgrade() -> None:
    with op.batch_alter_table("notifications") as batch:
        batch.add_column(sa.Column("group_key", sa.String(length=64), nullable=True))
        batch.add_column(
            sa.Column("filtered", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    _backfill(op.get_bind())
    op.create_index(
        "ix_notifications_account_id_group_key_id",
        "notifications",
        ["account_id", "group_key", "id"],
    )
    op.create_table(
        "notification_policies",
        sa.Column("account_id", sa.BigInteger(), nullable=False),
        sa.Column("for_not_following", sa.String(length=8), nullable=False),
        sa.Column("for_not_followers", sa.String(length=8), nullable=False),
        sa.Column("for_new_accounts", sa.String(length=8), nullable=False),
        sa.Column("for_private_mentions", sa.String(length=8), nullable=False),
        sa.Column("for_limited_accounts", sa.String(length=8), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"], ["accounts.id"],
            name="fk_notification_policies_account_id_accounts", ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("account_id", name="pk_notification_policies"),
    )
    op.create_table(
        "notification_requests",
        sa.Column("id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("account_id", sa.BigInteger(), nullable=False),
        sa.Column("from_account_id", sa.BigInteger(), nullable=False),
        sa.Column("last_status_id", sa.BigInteger(), nullable=True),
        sa.Column("notifications_count", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"], ["accounts.id"],
            name="fk_notification_requests_account_id_accounts", ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["from_account_id"], ["accounts.id"],
            name="fk_notification_requests_from_account_id_accounts", ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["last_status_id"], ["statuses.id"],
            name="fk_notification_requests_last_status_id_statuses", ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_notification_requests"),
        sa.UniqueConstraint(
            "account_id", "from_account_id", name="uq_notification_requests_account_id"
        ),
    )
    op.create_table(
        "notification_permissions",
        sa.Column("account_id", sa.BigInteger(), nullable=False),
        sa.Column("from_account_id", sa.BigInteger(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"], ["accounts.id"],
            name="fk_notification_permissions_account_id_accounts", ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["from_account_id"], ["accounts.id"],
            name="fk_notification_permissions_from_account_id_accounts", ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "account_id", "from_account_id", name="pk_notification_permissions"
        ),
    )


def downgrade() -> None:
    op.drop_table("notification_permissions")
    op.drop_table("notification_requests")
    op.drop_table("notification_policies")
    op.drop_index("ix_notifications_account_id_group_key_id", table_name="notifications")
    with op.batch_alter_table("notifications") as batch:
        batch.drop_column("filtered")
        batch.drop_column("group_key")
