"""media held by scheduled posts

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-04 16:50:00

``media_attachments.scheduled_status_id``: the scheduled post that will take an attachment
when it is published (as Mastodon keeps it). Such media are not unattached: the day-old
clean-up leaves them, no other post takes them, and they are not deleted; cancelling the
scheduled post lets them go (``SET NULL``) and the clean-up removes them.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0019'
down_revision: str | None = '0018'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("media_attachments") as batch:
        batch.add_column(sa.Column("scheduled_status_id", sa.BigInteger(), nullable=True))
        batch.create_foreign_key(
            "fk_media_attachments_scheduled_status_id_scheduled_statuses",
            "scheduled_statuses",
            ["scheduled_status_id"],
            ["id"],
            ondelete="SET NULL",
        )
        batch.create_index(
            "ix_media_attachments_scheduled_status_id", ["scheduled_status_id"]
        )


def downgrade() -> None:
    with op.batch_alter_table("media_attachments") as batch:
        batch.drop_index("ix_media_attachments_scheduled_status_id")
        batch.drop_constraint(
            "fk_media_attachments_scheduled_status_id_scheduled_statuses", type_="foreignkey"
        )
        batch.drop_column("scheduled_status_id")
