"""media in post edits

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-04 16:00:00

``status_edits.media``: the attachments of each version of an edited post, as JSON (``[{"id",
"description", "focus": [x, y]}]``, in the post's order); null in versions recorded before
edits could change media, whose media were the post's. An attachment an edit removes keeps
its post (``position`` -1) so that the versions that showed it still can.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0018'
down_revision: str | None = '0017'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("status_edits") as batch:
        batch.add_column(sa.Column("media", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("status_edits") as batch:
        batch.drop_column("media")
