"""the web app's per-account state (deck, first run) and recorded follow-alls

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03 12:10:00

``web_preferences`` holds the deck's columns and the first-run step per account;
``bulk_follows`` / ``bulk_follow_targets`` record whom a "follow all" followed so that its
undo unfollows exactly those.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0009'
down_revision: str | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "web_preferences",
        sa.Column("account_id", sa.BigInteger(), nullable=False),
        sa.Column("deck", sa.JSON(), nullable=True),
        sa.Column("first_run", sa.String(16), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"], ["accounts.id"],
            name="fk_web_preferences_account_id_accounts", ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("account_id", name="pk_web_preferences"),
    )
    op.create_table(
        "bulk_follows",
        sa.Column("id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("account_id", sa.BigInteger(), nullable=False),
        sa.Column("source", sa.String(100), nullable=False),
        sa.Column("undone_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"], ["accounts.id"],
            name="fk_bulk_follows_account_id_accounts", ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_bulk_follows"),
    )
    op.create_index("ix_bulk_follows_account_id_id", "bulk_follows", ["account_id", "id"])
    op.create_table(
        "bulk_follow_targets",
        sa.Column("bulk_follow_id", sa.BigInteger(), nullable=False),
        sa.Column("target_account_id", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["bulk_follow_id"], ["bulk_follows.id"],
            name="fk_bulk_follow_targets_bulk_follow_id_bulk_follows", ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["target_account_id"], ["accounts.id"],
            name="fk_bulk_follow_targets_target_account_id_accounts", ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "bulk_follow_id", "target_account_id", name="pk_bulk_follow_targets"
        ),
    )


def downgrade() -> None:
    op.drop_table("bulk_follow_targets")
    op.drop_index("ix_bulk_follows_account_id_id", table_name="bulk_follows")
    op.drop_table("bulk_follows")
    op.drop_table("web_preferences")
