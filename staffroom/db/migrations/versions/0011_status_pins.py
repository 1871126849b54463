"""pinned posts

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-03 17:00:00

``status_pins``: the posts an account features at the top of its profile (at most 5, its own),
newest pin first; a pin goes with its post or its account.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0011'
down_revision: str | None = '0010'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "status_pins",
        sa.Column("id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("account_id", sa.BigInteger(), nullable=False),
        sa.Column("status_id", sa.BigInteger(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"], ["accounts.id"],
            name="fk_status_pins_account_id_accounts", ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["status_id"], ["statuses.id"],
            name="fk_status_pins_status_id_statuses", ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_status_pins"),
        sa.UniqueConstraint("account_id", "status_id", name="uq_status_pins_account_id"),
    )
    op.create_index("ix_status_pins_status_id", "status_pins", ["status_id"])


def downgrade() -> None:
    op.drop_index("ix_status_pins_status_id", table_name="status_pins")
    op.drop_table("status_pins")
