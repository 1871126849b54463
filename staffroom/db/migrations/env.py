"""Alembic environment: runs migrations against ``sqlalchemy.url``."""

from alembic import context
from sqlalchemy import create_engine, pool

from staffroom.db.tables import metadata

config = context.config
url = config.get_main_option("sqlalchemy.url")
assert url

if context.is_offline_mode():
    context.configure(url=url, target_metadata=metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()
else:
    engine = create_engine(url, poolclass=pool.NullPool)
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=metadata,
            render_as_batch=connection.dialect.name == "sqlite",
        )
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()
