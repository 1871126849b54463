"""lists and followed hashtags

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-04 19:30:00

``lists`` (private to their owner; ``replies_policy`` 0 followed, 1 list, 2 none;
``exclusive``), ``list_accounts`` (members, followed or not) and ``list_tags`` (a list may
also hold hashtags), ``tag_follows`` (followed hashtags), and the kept list timelines:
``list_feed`` entries and ``list_timelines`` (as ``home_feed`` / ``home_timelines``).
Everything goes with its list, account or tag.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0025"
down_revision: str | None = "0024"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _fk(column: str, table: str, target: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.id"], name=f"fk_{table}_{column}_{target}", ondelete="CASCADE"
    )


def upgrade() -> None:
    op.create_table(
        "lists",
        sa.Column("id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("account_id", sa.BigInteger(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("replies_policy", sa.SmallInteger(), nullable=False),
        sa.Column("exclusive", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        _fk("account_id", "lists", "accounts"),
        sa.PrimaryKeyConstraint("id", name="pk_lists"),
    )
    op.create_index("ix_lists_account_id_id", "lists", ["account_id", "id"])
    op.create_table(
        "list_accounts",
        sa.Column("list_id", sa.BigInteger(), nullable=False),
        sa.Column("account_id", sa.BigInteger(), nullable=False),
        _fk("list_id", "list_accounts", "lists"),
        _fk("account_id", "list_accounts", "accounts"),
        sa.PrimaryKeyConstraint("list_id", "account_id", name="pk_list_accounts"),
    )
    op.create_index(
        "ix_list_accounts_account_id_list_id", "list_accounts", ["account_id", "list_id"]
    )
    op.create_table(
        "list_tags",
        sa.Column("list_id", sa.BigInteger(), nullable=False),
        sa.Column("tag_id", sa.BigInteger(), nullable=False),
        _fk("list_id", "list_tags", "lists"),
        _fk("tag_id", "list_tags", "tags"),
        sa.PrimaryKeyConstraint("list_id", "tag_id", name="pk_list_tags"),
    )
    op.create_index("ix_list_tags_tag_id_list_id", "list_tags", ["tag_id", "list_id"])
    op.create_table(
        "tag_follows",
        sa.Column("id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("account_id", sa.BigInteger(), nullable=False),
        sa.Column("tag_id", sa.BigInteger(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        _fk("account_id", "tag_follows", "accounts"),
        _fk("tag_id", "tag_follows", "tags"),
        sa.PrimaryKeyConstraint("id", name="pk_tag_follows"),
        sa.UniqueConstraint("account_id", "tag_id", name="uq_tag_follows_account_id"),
    )
    op.create_index("ix_tag_follows_tag_id_account_id", "tag_follows", ["tag_id", "account_id"])
    op.create_table(
        "list_feed",
        sa.Column("list_id", sa.BigInteger(), nullable=False),
        sa.Column("status_id", sa.BigInteger(), nullable=False),
        sa.Column("author_id", sa.BigInteger(), nullable=False),
        sa.Column("reblog_of_id", sa.BigInteger(), nullable=True),
        _fk("list_id", "list_feed", "lists"),
        sa.PrimaryKeyConstraint("list_id", "status_id", name="pk_list_feed"),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "list_timelines",
        sa.Column("list_id", sa.BigInteger(), nullable=False),
        sa.Column("kept_until", sa.BigInteger(), nullable=False),
        _fk("list_id", "list_timelines", "lists"),
        sa.PrimaryKeyConstraint("list_id", name="pk_list_timelines"),
    )


def downgrade() -> None:
    for table in ("list_timelines", "list_feed", "tag_follows", "list_tags", "list_accounts"):
        op.drop_table(table)
    op.drop_table("lists")
