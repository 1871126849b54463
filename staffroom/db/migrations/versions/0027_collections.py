"""starter packs (Mastodon's collections)

Revision ID: 0027
Revises: 0026
Create Date: 2026-12-04 22:45:00

``collections`` (a named, described, shareable set of people: a starter pack),
``collection_items`` (one per person in it, with the owner's one-line ``reason`` and
Mastodon's ``state``: ``accepted`` or ``revoked`` once the person removed themselves),
``collection_tags`` and ``collection_lists`` (hashtags and the owner's lists it also offers),
``users.pack_policy`` (who may add the person to a pack: ``anyone``, ``followed`` - only
people they follow - or ``nobody``), ``bulk_follows.collection_id`` (the pack a follow-all
came from) and ``notifications.collection_id`` (``added_to_collection``,
``collection_update``).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0027"
down_revision: str | None = "0026"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _fk(column: str, table: str, target: str, ondelete: str = "CASCADE") -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.id"], name=f"fk_{table}_{column}_{target}", ondelete=ondelete
    )


def upgrade() -> None:
    op.create_table(
        "collections",
        sa.Column("id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("account_id", sa.BigInteger(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("language", sa.String(length=16), nullable=True),
        sa.Column("sensitive", sa.Boolean(), nullable=False),
        sa.Column("discoverable", sa.Boolean(), nullable=False),
        sa.Column("tag_id", sa.BigInteger(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        _fk("account_id", "collections", "accounts"),
        _fk("tag_id", "collections", "tags", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name="pk_collections"),
    )
    op.create_index("ix_collections_account_id_id", "collections", ["account_id", "id"])
    op.create_table(
        "collection_items",
        sa.Column("id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("collection_id", sa.BigInteger(), nullable=False),
        sa.Column("account_id", sa.BigInteger(), nullable=False),
        sa.Column("reason", sa.String(length=200), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        _fk("collection_id", "collection_items", "collections"),
        _fk("account_id", "collection_items", "accounts"),
        sa.PrimaryKeyConstraint("id", name="pk_collection_items"),
        sa.UniqueConstraint(
            "collection_id", "account_id", name="uq_collection_items_collection_id"
        ),
    )
    op.create_index(
        "ix_collection_items_account_id_collection_id",
        "collection_items",
        ["account_id", "collection_id"],
    )
    op.create_table(
        "collection_tags",
        sa.Column("collection_id", sa.BigInteger(), nullable=False),
        sa.Column("tag_id", sa.BigInteger(), nullable=False),
        _fk("collection_id", "collection_tags", "collections"),
        _fk("tag_id", "collection_tags", "tags"),
        sa.PrimaryKeyConstraint("collection_id", "tag_id", name="pk_collection_tags"),
    )
    op.create_table(
        "collection_lists",
        sa.Column("collection_id", sa.BigInteger(), nullable=False),
        sa.Column("list_id", sa.BigInteger(), nullable=False),
        _fk("collection_id", "collection_lists", "collections"),
        _fk("list_id", "collection_lists", "lists"),
        sa.PrimaryKeyConstraint("collection_id", "list_id", name="pk_collection_lists"),
    )
    with op.batch_alter_table("users") as batch:
        batch.add_column(
            sa.Column("pack_policy", sa.String(length=10), nullable=False, server_default="anyone")
        )
    with op.batch_alter_table("bulk_follows") as batch:
        batch.add_column(sa.Column("collection_id", sa.BigInteger(), nullable=True))
        batch.create_foreign_key(
            "fk_bulk_follows_collection_id_collections",
            "collections",
            ["collection_id"],
            ["id"],
            ondelete="SET NULL",
        )
        batch.create_index("ix_bulk_follows_collection_id", ["collection_id"])
    with op.batch_alter_table("notifications") as batch:
        batch.add_column(sa.Column("collection_id", sa.BigInteger(), nullable=True))
        batch.create_foreign_key(
            "fk_notifications_collection_id_collections",
            "collections",
            ["collection_id"],
            ["id"],
            ondelete="CASCADE",
        )
        batch.create_index("ix_notifications_collection_id", ["collection_id"])


def downgrade() -> None:
    with op.batch_alter_table("notifications") as batch:
        batch.drop_index("ix_notifications_collection_id")
        batch.drop_constraint("fk_notifications_collection_id_collections", type_="foreignkey")
        batch.drop_column("collection_id")
    with op.batch_alter_table("bulk_follows") as batch:
        batch.drop_index("ix_bulk_follows_collection_id")
        batch.drop_constraint("fk_bulk_follows_collection_id_collections", type_="foreignkey")
        batch.drop_column("collection_id")
    with op.batch_alter_table("users") as batch:
        batch.drop_column("pack_policy")
    for table in ("collection_lists", "collection_tags", "collection_items"):
        op.drop_table(table)
    op.drop_table("collections")
