"""post edits

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-03 17:30:00

``status_edits``: every version of an edited post, oldest first (the original is recorded when
the first edit is made), for ``GET /api/v1/statuses/:id/history``; it goes with its post.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0012'
down_revision: str | None = '0011'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "status_edits",
        sa.Column("id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("status_id", sa.BigInteger(), nullable=False),
        sa.Column("account_id", sa.BigInteger(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("content_html", sa.Text(), nullable=False),
        sa.Column("spoiler_text", sa.Text(), nullable=False),
        sa.Column("sensitive", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["status_id"], ["statuses.id"],
            name="fk_status_edits_status_id_statuses", ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["account_id"], ["accounts.id"],
            name="fk_status_edits_account_id_accounts", ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_status_edits"),
    )
    op.create_index("ix_status_edits_status_id_id", "status_edits", ["status_id", "id"])


def downgrade() -> None:
    op.drop_index("ix_status_edits_status_id_id", table_name="status_edits")
    op.drop_table("status_edits")
