"""covering indexes for timeline reads (SQLite)

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-22 05:20:00

Every timeline read checks its posts' counters and edit times, their authors' counters, and
the viewer's flags, in one statement (``services.status_views``). On SQLite a ``BIGINT``
primary key is not the rowid, so each of those lookups searched the primary-key index and
then the table's wide rows (post text, profile text). These indexes hold exactly the
columns that statement reads, so each lookup is one search in a compact index. PostgreSQL
does not get them: there an index on the counters would turn every counter update (each
post updates its author's count) into a non-HOT update.
"""

from collections.abc import Sequence

from alembic import op

revision: str = '0006'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

STATUSES = [
    "id", "account_id", "visibility", "replies_count", "reblogs_count", "favourites_count",
    "edited_at",
]
ACCOUNTS = [
    "id", "updated_at", "followers_count", "following_count", "statuses_count",
    "last_status_at",
]


def upgrade() -> None:
    if op.get_context().dialect.name != "sqlite":
        return
    op.create_index("ix_statuses_current", "statuses", STATUSES, unique=True)
    op.create_index("ix_accounts_current", "accounts", ACCOUNTS, unique=True)


def downgrade() -> None:
    if op.get_context().dialect.name != "sqlite":
        return
    op.drop_index("ix_accounts_current", table_name="accounts")
    op.drop_index("ix_statuses_current", table_name="statuses")
