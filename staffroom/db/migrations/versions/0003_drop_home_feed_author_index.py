"""drop home_feed author index

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22 00:00:23.668192
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0003'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.drop_index("ix_home_feed_account_id_author_id", table_name="home_feed")


def downgrade() -> None:
    op.create_index(
        "ix_home_feed_account_id_author_id", "home_feed", ["account_id", "author_id"]
    )
