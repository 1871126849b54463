"""direct conversations

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-04 12:00:00

``account_conversations``: each participant's list of direct conversations
(``/api/v1/conversations``): one row per (account, thread, other participants) with its
newest direct post and whether it is unread; ``conversation_statuses``: the direct posts in
each row. Rows go with their account; memberships with their post or row.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0017'
down_revision: str | None = '0016'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "account_conversations",
        sa.Column("id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("account_id", sa.BigInteger(), nullable=False),
        sa.Column("conversation_key", sa.BigInteger(), nullable=False),
        sa.Column("participant_ids", sa.String(length=1000), nullable=False),
        sa.Column("last_status_id", sa.BigInteger(), nullable=False),
        sa.Column("unread", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"], ["accounts.id"],
            name="fk_account_conversations_account_id_accounts", ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_account_conversations"),
        sa.UniqueConstraint(
            "account_id", "conversation_key", "participant_ids",
            name="uq_account_conversations_account_id",
        ),
    )
    op.create_index(
        "ix_account_conversations_account_id_last_status_id",
        "account_conversations",
        ["account_id", "last_status_id"],
    )
    op.create_table(
        "conversation_statuses",
        sa.Column("conversation_id", sa.BigInteger(), nullable=False),
        sa.Column("status_id", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["conversation_id"], ["account_conversations.id"],
            name="fk_conversation_statuses_conversation_id_account_conversations",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["status_id"], ["statuses.id"],
            name="fk_conversation_statuses_status_id_statuses", ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "conversation_id", "status_id", name="pk_conversation_statuses"
        ),
    )
    op.create_index(
        "ix_conversation_statuses_status_id", "conversation_statuses", ["status_id"]
    )


def downgrade() -> None:
    op.drop_index("ix_conversation_statuses_status_id", table_name="conversation_statuses")
    op.drop_table("conversation_statuses")
    op.drop_index(
        "ix_account_conversations_account_id_last_status_id", table_name="account_conversations"
    )
    op.drop_table("account_conversations")
