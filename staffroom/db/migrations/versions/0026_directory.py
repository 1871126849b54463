"""the directory

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-04 22:45:00

People opt in to the directory (``services/directory.py``) and describe themselves with the
fields the instance defines (``services/directory_fields.py``; for teachers: subject, level,
country, languages, role).

- ``directory_entries``: one row per listed person (no row: not listed; opting out deletes
  it and their values): ``why_follow`` (a line of at most 160 characters), ``listed_at``
  (when they opted in: the "new" order, indexed with ``account_id``), ``updated_at``.
- ``directory_field_values``: one row per chosen value, ``(account_id, field, value)`` as
  the primary key (a person's fields are one range read); multi-valued fields (subjects,
  languages) have one row per value. ``ix_directory_field_values_field_value_account_id``
  makes "everyone with subject = maths" an index-only seek, and several filters are an
  intersection of such seeks. Values are the choice codes (``maths``, ``ES``, ``es``), never
  labels, so a later relabelling or translation changes nothing stored.

Both go with their account. Readers outside the directory (e.g. suggestions "in the
directory under your subject") should join these two tables and nothing else.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0026"
down_revision: str | None = "0025"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _account_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["account_id"],
        ["accounts.id"],
        name=f"fk_{table}_account_id_accounts",
        ondelete="CASCADE",
    )


def upgrade() -> None:
    op.create_table(
        "directory_entries",
        sa.Column("account_id", sa.BigInteger(), nullable=False),
        sa.Column("why_follow", sa.String(length=200), nullable=False),
        sa.Column("listed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        _account_fk("directory_entries"),
        sa.PrimaryKeyConstraint("account_id", name="pk_directory_entries"),
    )
    op.create_index(
        "ix_directory_entries_listed_at_account_id",
        "directory_entries",
        ["listed_at", "account_id"],
    )
    op.create_table(
        "directory_field_values",
        sa.Column("account_id", sa.BigInteger(), nullable=False),
        sa.Column("field", sa.String(length=32), nullable=False),
        sa.Column("value", sa.String(length=64), nullable=False),
        _account_fk("directory_field_values"),
        sa.PrimaryKeyConstraint("account_id", "field", "value", name="pk_directory_field_values"),
    )
    op.create_index(
        "ix_directory_field_values_field_value_account_id",
        "directory_field_values",
        ["field", "value", "account_id"],
    )


def downgrade() -> None:
    op.drop_table("directory_field_values")
    op.drop_table("directory_entries")
