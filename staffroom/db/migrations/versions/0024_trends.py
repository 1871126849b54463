"""trends, endorsements

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-06 10:00:00

``account_pins``: the accounts a person endorses on their profile (Mastodon's endorsements),
one row per pair, going with either account.
``trend_activity``: the record of use behind trends and tag history, one row per kind
(tag, link, post interaction), target, hour and account, with the account's uses in that hour.
``trend_links``: links shared in public posts, by URL. ``trends``: the last refresh's scores
(what the trends API reads). ``trend_reviews``: an admin's approval or rejection.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0024'
down_revision: str | None = '0023'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "account_pins",
        sa.Column("id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("account_id", sa.BigInteger(), nullable=False),
        sa.Column("target_account_id", sa.BigInteger(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"], ["accounts.id"],
            name="fk_account_pins_account_id_accounts", ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["target_account_id"], ["accounts.id"],
            name="fk_account_pins_target_account_id_accounts", ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_account_pins"),
        sa.UniqueConstraint(
            "account_id", "target_account_id", name="uq_account_pins_account_id"
        ),
    )
    op.create_index(
        "ix_account_pins_target_account_id_account_id",
        "account_pins",
        ["target_account_id", "account_id"],
    )
    op.create_table(
        "trend_activity",
        sa.Column("kind", sa.SmallInteger(), nullable=False),
        sa.Column("target_id", sa.BigInteger(), nullable=False),
        sa.Column("hour", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.BigInteger(), nullable=False),
        sa.Column("uses", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint(
            "kind", "target_id", "hour", "account_id", name="pk_trend_activity"
        ),
    )
    op.create_index("ix_trend_activity_hour", "trend_activity", ["hour"])
    op.create_table(
        "trend_links",
        sa.Column("id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("url_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_trend_links"),
        sa.UniqueConstraint("url_hash", name="uq_trend_links_url_hash"),
    )
    op.create_table(
        "trends",
        sa.Column("kind", sa.SmallInteger(), nullable=False),
        sa.Column("target_id", sa.BigInteger(), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("max_score", sa.Float(), nullable=False),
        sa.Column("max_score_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("kind", "target_id", name="pk_trends"),
    )
    op.create_index("ix_trends_kind_score", "trends", ["kind", "score"])
    op.create_table(
        "trend_reviews",
        sa.Column("kind", sa.SmallInteger(), nullable=False),
        sa.Column("target_id", sa.BigInteger(), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("kind", "target_id", name="pk_trend_reviews"),
    )


def downgrade() -> None:
    op.drop_table("trend_reviews")
    op.drop_index("ix_trends_kind_score", table_name="trends")
    op.drop_table("trends")
    op.drop_table("trend_links")
    op.drop_index("ix_trend_activity_hour", table_name="trend_activity")
    op.drop_table("trend_activity")
    op.drop_index("ix_account_pins_target_account_id_account_id", table_name="account_pins")
    op.drop_table("account_pins")
