"""who-to-follow dismissals

Revision ID: 0028
Revises: 0025
Create Date: 2026-12-04 22:45:00

``suggestion_dismissals``: one row per person a viewer dismissed from their suggestions
(primary key ``(account_id, target_account_id)``, so "is this one dismissed" is one seek);
both sides go with their account.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0028"
down_revision: str | None = "0025"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "suggestion_dismissals",
        sa.Column("account_id", sa.BigInteger(), nullable=False),
        sa.Column("target_account_id", sa.BigInteger(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name="fk_suggestion_dismissals_account_id_accounts",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["target_account_id"],
            ["accounts.id"],
            name="fk_suggestion_dismissals_target_account_id_accounts",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("account_id", "target_account_id", name="pk_suggestion_dismissals"),
    )


def downgrade() -> None:
    op.drop_table("suggestion_dismissals")
