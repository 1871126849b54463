"""home_feed as a WITHOUT ROWID table (SQLite)

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-22 09:00:00

On SQLite a table whose primary key is not an INTEGER column keeps two B-trees: the rows
under a hidden rowid, and a unique index on the key that points into them. For ``home_feed``
that meant every fan-out insert wrote a page of each, and every timeline page read found
each entry in the index and then again in the table. As a WITHOUT ROWID table the rows live
in the key's own B-tree, ordered by (owner, post): one write per entry, and a timeline page
is one range of it. PostgreSQL has no such option and is not changed.
"""

from collections.abc import Sequence

from alembic import op

revision: str = '0007'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _rebuild(with_rowid: bool) -> None:
    if op.get_context().dialect.name != "sqlite":
        return
    with op.batch_alter_table(
        "home_feed", recreate="always", table_kwargs={"sqlite_with_rowid": with_rowid}
    ):
        pass


def upgrade() -> None:
    _rebuild(with_rowid=False)


def downgrade() -> None:
    _rebuild(with_rowid=True)
