"""profile header images

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-04 10:00:00

``accounts.header_path`` is the public path of an uploaded header image (``/system/headers/…``),
like ``avatar_path``; ``NULL`` means the default header.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0010'
down_revision: str | None = '0009'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("accounts", sa.Column("header_path", sa.String(255), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("accounts") as batch:
        batch.drop_column("header_path")
