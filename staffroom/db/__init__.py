"""Storage: the schema, the engine and the migrations."""

from staffroom.db.engine import Database, create_database
from staffroom.db.migrate import migrate

__all__ = ["Database", "create_database", "migrate"]
