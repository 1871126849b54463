"""who to follow: dismissals and precomputed candidates

Revision ID: 0028
Revises: 0026
Create Date: 2026-12-04 22:45:00

``suggestion_dismissals``: one row per person a viewer dismissed from their suggestions
(primary key ``(account_id, target_account_id)``, so "is this one dismissed" is one seek);
both sides go with their account. ``suggestion_candidates``: per person, the strongest
candidates of "followed by N people you follow" with N, written by the
``refresh_suggestions`` job; ``suggestion_refreshes``: when that ran, whether its count was
capped (``partial``), whether it holds every candidate (``complete``) and whether a refresh is pending (``stale``).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0028"
down_revision: str | None = "0027"
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

    op.create_table(
        "suggestion_candidates",
        sa.Column("account_id", sa.BigInteger(), nullable=False),
        sa.Column("target_account_id", sa.BigInteger(), nullable=False),
        sa.Column("followers_in_network", sa.Integer(), nullable=False),
        _fk("suggestion_candidates", "account_id"),
        _fk("suggestion_candidates", "target_account_id"),
        sa.PrimaryKeyConstraint("account_id", "target_account_id", name="pk_suggestion_candidates"),
    )
    op.create_index(
        "ix_suggestion_candidates_target_account_id",
        "suggestion_candidates",
        ["target_account_id", "account_id"],
    )
    op.create_table(
        "suggestion_refreshes",
        sa.Column("account_id", sa.BigInteger(), nullable=False),
        sa.Column("computed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("partial", sa.Boolean(), nullable=False),
        sa.Column("complete", sa.Boolean(), nullable=False),
        sa.Column("stale", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        _fk("suggestion_refreshes", "account_id"),
        sa.PrimaryKeyConstraint("account_id", name="pk_suggestion_refreshes"),
    )


def _fk(table: str, column: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], ["accounts.id"], name=f"fk_{table}_{column}_accounts", ondelete="CASCADE"
    )


def downgrade() -> None:
    op.drop_table("suggestion_refreshes")
    op.drop_table("suggestion_candidates")
    op.drop_table("suggestion_dismissals")
