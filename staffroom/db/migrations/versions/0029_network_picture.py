"""network picture setting

Revision ID: 0029
Revises: 0026
Create Date: 2026-12-04 22:45:00

``web_preferences.network_public``: may other people open one's network picture
(``/@username/network``)? Off by default; the owner always sees their own.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0029"
down_revision: str | None = "0028"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "web_preferences",
        sa.Column("network_public", sa.Boolean(), nullable=False, server_default=sa.false()),
    )


def downgrade() -> None:
    with op.batch_alter_table("web_preferences") as batch:
        batch.drop_column("network_public")
