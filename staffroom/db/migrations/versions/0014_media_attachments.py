"""media attachments

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-03 17:00:00

``media_attachments``: uploaded images (``/api/v1|v2/media``), unattached until a post takes
them through ``media_ids``, and ``web_preferences.data_saver`` (images in posts only when
tapped). Deleting a post leaves its media unattached (``SET NULL``) for
the removal job; deleting an account removes its rows.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0014'
down_revision: str | None = '0013'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "media_attachments",
        sa.Column("id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("account_id", sa.BigInteger(), nullable=False),
        sa.Column("status_id", sa.BigInteger(), nullable=True),
        sa.Column("position", sa.SmallInteger(), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("content_type", sa.String(64), nullable=True),
        sa.Column("file_key", sa.String(255), nullable=True),
        sa.Column("file_url", sa.String(1000), nullable=True),
        sa.Column("file_size", sa.Integer(), nullable=True),
        sa.Column("preview_key", sa.String(255), nullable=True),
        sa.Column("preview_url", sa.String(1000), nullable=True),
        sa.Column("width", sa.Integer(), nullable=True),
        sa.Column("height", sa.Integer(), nullable=True),
        sa.Column("small_width", sa.Integer(), nullable=True),
        sa.Column("small_height", sa.Integer(), nullable=True),
        sa.Column("blurhash", sa.String(100), nullable=True),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("focus_x", sa.Float(), nullable=False),
        sa.Column("focus_y", sa.Float(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"], ["accounts.id"],
            name="fk_media_attachments_account_id_accounts", ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["status_id"], ["statuses.id"],
            name="fk_media_attachments_status_id_statuses", ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_media_attachments"),
    )
    op.create_index("ix_media_attachments_status_id", "media_attachments", ["status_id"])
    op.create_index(
        "ix_media_attachments_account_id_id", "media_attachments", ["account_id", "id"]
    )
    op.add_column(
        "web_preferences",
        sa.Column("data_saver", sa.Boolean(), nullable=False, server_default=sa.false()),
    )


def downgrade() -> None:
    with op.batch_alter_table("web_preferences") as batch:
        batch.drop_column("data_saver")
    op.drop_index("ix_media_attachments_account_id_id", "media_attachments")
    op.drop_index("ix_media_attachments_status_id", "media_attachments")
    op.drop_table("media_attachments")
