"""quote posts

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-04 16:00:00

Quote posts as Mastodon 4.5 has them. ``statuses`` gains ``quoted_status_id`` (the post it
quotes, fixed at posting; no foreign key, so deleting the quoted post leaves the quoting row,
and so every cached copy of it, unchanged: the quote then reads as ``deleted``),
``quote_approval_policy`` (0 public, 1 followers, 2 nobody) and ``quotes_count``. The last
two change without an edit, so the narrow check of cached rows reads them and SQLite's
covering index ``ix_statuses_current`` (migration 0006) is rebuilt to hold them. ``quotes``:
one row per quoting post, its state (``accepted`` or ``revoked``), found by quoted post.
``users.default_quote_policy``: the account's default (``posting:default:quote_policy``).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0016'
down_revision: str | None = '0015'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OLD_CURRENT = [
    "id", "account_id", "visibility", "replies_count", "reblogs_count", "favourites_count",
    "edited_at",
]
NEW_CURRENT = [*OLD_CURRENT, "quote_approval_policy", "quotes_count"]


def upgrade() -> None:
    op.add_column("statuses", sa.Column("quoted_status_id", sa.BigInteger(), nullable=True))
    op.add_column(
        "statuses",
        sa.Column("quote_approval_policy", sa.SmallInteger(), nullable=False, server_default="0"),
    )
    op.add_column(
        "statuses", sa.Column("quotes_count", sa.Integer(), nullable=False, server_default="0")
    )
    op.add_column(
        "users",
        sa.Column(
            "default_quote_policy", sa.String(10), nullable=False, server_default="public"
        ),
    )
    op.create_table(
        "quotes",
        sa.Column("status_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("account_id", sa.BigInteger(), nullable=False),
        sa.Column("quoted_status_id", sa.BigInteger(), nullable=False),
        sa.Column("quoted_account_id", sa.BigInteger(), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["status_id"], ["statuses.id"],
            name="fk_quotes_status_id_statuses", ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["account_id"], ["accounts.id"],
            name="fk_quotes_account_id_accounts", ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["quoted_account_id"], ["accounts.id"],
            name="fk_quotes_quoted_account_id_accounts", ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("status_id", name="pk_quotes"),
    )
    op.create_index(
        "ix_quotes_quoted_status_id_status_id", "quotes", ["quoted_status_id", "status_id"]
    )
    op.create_index("ix_quotes_quoted_account_id", "quotes", ["quoted_account_id"])
    op.create_index("ix_quotes_account_id", "quotes", ["account_id"])
    if op.get_context().dialect.name == "sqlite":
        op.drop_index("ix_statuses_current", table_name="statuses")
        op.create_index("ix_statuses_current", "statuses", NEW_CURRENT, unique=True)


def downgrade() -> None:
    if op.get_context().dialect.name == "sqlite":
        op.drop_index("ix_statuses_current", table_name="statuses")
        op.create_index("ix_statuses_current", "statuses", OLD_CURRENT, unique=True)
    op.drop_index("ix_quotes_account_id", table_name="quotes")
    op.drop_index("ix_quotes_quoted_account_id", table_name="quotes")
    op.drop_index("ix_quotes_quoted_status_id_status_id", table_name="quotes")
    op.drop_table("quotes")
    with op.batch_alter_table("users") as batch:
        batch.drop_column("default_quote_policy")
    with op.batch_alter_table("statuses") as batch:
        batch.drop_column("quotes_count")
        batch.drop_column("quote_approval_policy")
        batch.drop_column("quoted_status_id")
