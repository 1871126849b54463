"""authorization codes remember the token they were exchanged for

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03 08:00:00

RFC 6749 section 4.1.2: when an authorization code is used twice, the server should revoke
every token issued on that code. ``token_id`` records the token of the first exchange.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0008'
down_revision: str | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("oauth_codes") as batch:
        batch.add_column(sa.Column("token_id", sa.BigInteger(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("oauth_codes") as batch:
        batch.drop_column("token_id")
