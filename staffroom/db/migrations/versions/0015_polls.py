"""polls

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-04 16:10:00

``polls`` (one per post at most: its options, whether several may be chosen, whether totals
are hidden until it ends, when it ends, and the counts kept with every vote) and
``poll_votes`` (one row per choice; a person's choices on one poll are unique).
``statuses.poll_id`` says which posts have one, so reading a page asks for polls only
when it holds some. ``polls.ended`` is set by the ``poll_ended`` job, once.
``status_edits.poll_options``: the options of each version (JSON), for the history.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0015'
down_revision: str | None = '0014'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "polls",
        sa.Column("id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("status_id", sa.BigInteger(), nullable=False),
        sa.Column("account_id", sa.BigInteger(), nullable=False),
        sa.Column("options", sa.Text(), nullable=False),
        sa.Column("multiple", sa.Boolean(), nullable=False),
        sa.Column("hide_totals", sa.Boolean(), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("votes_count", sa.Integer(), nullable=False),
        sa.Column("voters_count", sa.Integer(), nullable=False),
        sa.Column("tallies", sa.Text(), nullable=False),
        sa.Column("ended", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"], ["accounts.id"],
            name="fk_polls_account_id_accounts", ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["status_id"], ["statuses.id"],
            name="fk_polls_status_id_statuses", ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_polls"),
        sa.UniqueConstraint("status_id", name="uq_polls_status_id"),
    )
    op.create_table(
        "poll_votes",
        sa.Column("id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("poll_id", sa.BigInteger(), nullable=False),
        sa.Column("account_id", sa.BigInteger(), nullable=False),
        sa.Column("choice", sa.SmallInteger(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"], ["accounts.id"],
            name="fk_poll_votes_account_id_accounts", ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["poll_id"], ["polls.id"], name="fk_poll_votes_poll_id_polls", ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_poll_votes"),
        sa.UniqueConstraint(
            "poll_id", "account_id", "choice", name="uq_poll_votes_poll_id"
        ),
    )
    op.create_index("ix_poll_votes_account_id", "poll_votes", ["account_id"])
    op.add_column("statuses", sa.Column("poll_id", sa.BigInteger(), nullable=True))
    op.add_column("status_edits", sa.Column("poll_options", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("status_edits") as batch:
        batch.drop_column("poll_options")
    with op.batch_alter_table("statuses") as batch:
        batch.drop_column("poll_id")
    op.drop_index("ix_poll_votes_account_id", "poll_votes")
    op.drop_table("poll_votes")
    op.drop_table("polls")
