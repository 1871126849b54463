"""scheduled posts

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-03 18:00:00

``scheduled_statuses``: a post to be published at ``scheduled_at`` (what was asked, as JSON);
the ``publish_scheduled`` job publishes it and deletes the row in one transaction.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0013'
down_revision: str | None = '0012'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "scheduled_statuses",
        sa.Column("id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("account_id", sa.BigInteger(), nullable=False),
        sa.Column("scheduled_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("params", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"], ["accounts.id"],
            name="fk_scheduled_statuses_account_id_accounts", ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_scheduled_statuses"),
    )
    op.create_index(
        "ix_scheduled_statuses_account_id_id", "scheduled_statuses", ["account_id", "id"]
    )


def downgrade() -> None:
    op.drop_index("ix_scheduled_statuses_account_id_id", table_name="scheduled_statuses")
    op.drop_table("scheduled_statuses")
