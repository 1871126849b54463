"""filters

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-06 10:00:00

Mastodon's v2 filters: ``custom_filters`` (a person's filter: title, contexts, action warn /
hide / blur, optional expiry), its ``custom_filter_keywords`` (whole word or not) and
``custom_filter_statuses`` (single posts). A filter goes with its account, keywords and
posts go with their filter; a filtered post that is deleted simply stops matching.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0021'
down_revision: str | None = '0020'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "custom_filters",
        sa.Column("id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("account_id", sa.BigInteger(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("context", sa.String(length=100), nullable=False),
        sa.Column("action", sa.SmallInteger(), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"], ["accounts.id"],
            name="fk_custom_filters_account_id_accounts", ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_custom_filters"),
    )
    op.create_index("ix_custom_filters_account_id", "custom_filters", ["account_id"])
    op.create_table(
        "custom_filter_keywords",
        sa.Column("id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("custom_filter_id", sa.BigInteger(), nullable=False),
        sa.Column("keyword", sa.Text(), nullable=False),
        sa.Column("whole_word", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["custom_filter_id"], ["custom_filters.id"],
            name="fk_custom_filter_keywords_custom_filter_id_custom_filters",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_custom_filter_keywords"),
    )
    op.create_index(
        "ix_custom_filter_keywords_custom_filter_id",
        "custom_filter_keywords",
        ["custom_filter_id"],
    )
    op.create_table(
        "custom_filter_statuses",
        sa.Column("id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("custom_filter_id", sa.BigInteger(), nullable=False),
        sa.Column("status_id", sa.BigInteger(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["custom_filter_id"], ["custom_filters.id"],
            name="fk_custom_filter_statuses_custom_filter_id_custom_filters",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_custom_filter_statuses"),
        sa.UniqueConstraint(
            "custom_filter_id", "status_id", name="uq_custom_filter_statuses_custom_filter_id"
        ),
    )


def downgrade() -> None:
    op.drop_table("custom_filter_statuses")
    op.drop_table("custom_filter_keywords")
    op.drop_index("ix_custom_filters_account_id", table_name="custom_filters")
    op.drop_table("custom_filters")
