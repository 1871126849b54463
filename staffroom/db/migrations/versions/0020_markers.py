"""read markers

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-05 10:00:00

``markers``: where a person stopped reading a timeline (``home``, ``notifications``), one
row per account and timeline, as Mastodon's ``markers``; ``version`` (Mastodon's
``lock_version``) grows with every change and is compared-and-set, so two writers never lose
an update silently. A marker goes with its account.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0020'
down_revision: str | None = '0019'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "markers",
        sa.Column("account_id", sa.BigInteger(), nullable=False),
        sa.Column("timeline", sa.String(length=32), nullable=False),
        sa.Column("last_read_id", sa.BigInteger(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"], ["accounts.id"],
            name="fk_markers_account_id_accounts", ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("account_id", "timeline", name="pk_markers"),
    )


def downgrade() -> None:
    op.drop_table("markers")
