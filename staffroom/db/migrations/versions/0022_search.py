"""full-text search of posts

Revision ID: 0022
Revises: 0020
Create Date: 2026-12-05 12:00:00

``accounts.indexable`` (Mastodon's: may this person's public posts be found by full-text
search), copied from ``discoverable`` so nobody's posts become findable by this migration
who had opted out of discovery.

The index of posts' words (``spoiler_text`` and ``text``), kept by the database itself in the
same transaction as every insert, edit and delete of a post (decision 0018):

- SQLite: ``statuses_search``, an FTS5 table with external content (``statuses``, rowid =
  ``statuses.id``), tokenizer ``unicode61 remove_diacritics 2`` (case and accents folded;
  ``#`` and ``@`` separate words, so ``#phonics`` and ``@ana`` index ``phonics`` and ``ana``),
  kept by three triggers and filled once with FTS5's ``rebuild``. A later migration that
  recreates ``statuses`` (a batch ALTER) drops the triggers and must create them again.
- PostgreSQL: a GIN expression index over ``to_tsvector('simple', fold(spoiler_text || ' ' ||
  text))`` where ``fold`` is ``translate(lower(...))`` of Latin letters with accents to their
  base letter: immutable, no extension needed. ``services/search_index.py`` writes the same
  expression, character for character, so the planner uses the index.
"""

import unicodedata
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0022"
down_revision: str | None = "0021"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Latin letters with diacritics, lower case (the fold lower-cases first).
_ACCENTED = (
    "àáâãäåāăąçćĉċčďđèéêëēĕėęěĝğġģĥħìíîïĩīĭįıĵķĺļľŀłñńņňòóôõöøōŏőŕŗřśŝşšţťŧùúûüũūŭůűųŵýÿŷźżžß"
)
_SPECIAL = {"đ": "d", "ħ": "h", "\u0131": "i", "ŀ": "l", "ł": "l", "ø": "o", "ŧ": "t", "ß": "s"}


def _base(char: str) -> str:
    return _SPECIAL.get(char) or unicodedata.normalize("NFKD", char)[0]


FOLD_FROM = _ACCENTED
FOLD_TO = "".join(_base(c) for c in _ACCENTED)
PG_DOCUMENT = (
    "to_tsvector('simple'::regconfig, translate(lower((spoiler_text || ' ' || text)), "
    f"'{FOLD_FROM}', '{FOLD_TO}'))"
)

SQLITE_TRIGGERS = (
    """CREATE TRIGGER statuses_search_insert AFTER INSERT ON statuses BEGIN
      INSERT INTO statuses_search(rowid, spoiler_text, text)
      VALUES (new.id, new.spoiler_text, new.text);
    END""",
    """CREATE TRIGGER statuses_search_delete AFTER DELETE ON statuses BEGIN
      INSERT INTO statuses_search(statuses_search, rowid, spoiler_text, text)
      VALUES ('delete', old.id, old.spoiler_text, old.text);
    END""",
    """CREATE TRIGGER statuses_search_update AFTER UPDATE OF spoiler_text, text ON statuses
    BEGIN
      INSERT INTO statuses_search(statuses_search, rowid, spoiler_text, text)
      VALUES ('delete', old.id, old.spoiler_text, old.text);
      INSERT INTO statuses_search(rowid, spoiler_text, text)
      VALUES (new.id, new.spoiler_text, new.text);
    END""",
)


def upgrade() -> None:
    op.add_column(
        "accounts",
        sa.Column("indexable", sa.Boolean(), nullable=False, server_default=sa.true()),
    )
    op.execute("UPDATE accounts SET indexable = discoverable WHERE indexable <> discoverable")
    if op.get_context().dialect.name == "sqlite":
        op.execute(
            "CREATE VIRTUAL TABLE statuses_search USING fts5(spoiler_text, text,"
            " content='statuses', content_rowid='id',"
            " tokenize='unicode61 remove_diacritics 2')"
        )
        for trigger in SQLITE_TRIGGERS:
            op.execute(trigger)
        op.execute("INSERT INTO statuses_search(statuses_search) VALUES ('rebuild')")
    else:
        op.execute(
            f"CREATE INDEX ix_statuses_search ON statuses USING gin ({PG_DOCUMENT})"
            " WHERE reblog_of_id IS NULL"
        )


def downgrade() -> None:
    if op.get_context().dialect.name == "sqlite":
        for name in ("insert", "delete", "update"):
            op.execute(f"DROP TRIGGER IF EXISTS statuses_search_{name}")
        op.execute("DROP TABLE IF EXISTS statuses_search")
    else:
        op.execute("DROP INDEX IF EXISTS ix_statuses_search")
    with op.batch_alter_table("accounts") as batch:
        batch.drop_column("indexable")
