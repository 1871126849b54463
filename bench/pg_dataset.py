"""Copy a benchmark dataset made by ``bench/dataset.py`` (SQLite) into a PostgreSQL database.

    python bench/dataset.py --out bench/out/pg10k.sqlite3 --accounts 10000 --posts 100000 --force
    python bench/pg_dataset.py --sqlite bench/out/pg10k.sqlite3 --database staffroom_bench_tpl

The target database is dropped and recreated, migrated by ``staffroom.db.migrate``, then every
table is filled with ``COPY`` (foreign-key triggers off while loading) and analysed. The side
files (tokens, accounts, manifest) of the SQLite dataset stay valid: token hashes are copied.
The benchmarks clone this database (``CREATE DATABASE ... TEMPLATE``) before each run that
posts, so every run starts from the same state.
"""

from __future__ import annotations

import argparse
import sqlite3
import time
from pathlib import Path

import psycopg
from sqlalchemy import Boolean
from tqdm import tqdm

from staffroom.db import migrate, tables

PG_ADMIN_URL = "postgresql://postgres@127.0.0.1/postgres"


def recreate(database: str) -> str:
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{database}"')
    url = f"postgresql://postgres@127.0.0.1/{database}"
    migrate(url)
    return url


def copy_table(source: sqlite3.Connection, target: psycopg.Connection, name: str) -> int:
    """Copy every row of one table; booleans become booleans, timestamps stay UTC text."""
    table = tables.metadata.tables[name]
    columns = [c.name for c in table.c]
    booleans = [i for i, c in enumerate(table.c) if isinstance(c.type, Boolean)]
    total = source.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0]
    if not total:
        return 0
    names = ", ".join(f'"{c}"' for c in columns)
    rows = source.execute(f'SELECT {names} FROM "{name}"')
    with (
        target.cursor() as cur,
        cur.copy(f'COPY "{name}" ({names}) FROM STDIN') as copy,
        tqdm(total=total, desc=name, unit="row", unit_scale=True) as bar,
    ):
        for row in rows:
            if booleans:
                row = list(row)
                for i in booleans:
                    if row[i] is not None:
                        row[i] = bool(row[i])
            copy.write_row(row)
            bar.update()
    return int(total)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sqlite", type=Path, required=True)
    parser.add_argument("--database", default="staffroom_bench_tpl")
    args = parser.parse_args()
    started = time.monotonic()
    url = recreate(args.database)
    source = sqlite3.connect(f"file:{args.sqlite.resolve()}?mode=ro", uri=True)
    counts: dict[str, int] = {}
    with psycopg.connect(url) as target:
        target.execute("SET session_replication_role = replica")  # no FK triggers while loading
        target.execute("SET TimeZone = 'UTC'")
        for table in tables.metadata.sorted_tables:
            counts[table.name] = copy_table(source, target, table.name)
        target.commit()
    with psycopg.connect(url, autocommit=True) as target:
        target.execute("VACUUM ANALYZE")
    print({k: v for k, v in counts.items() if v}, f"{time.monotonic() - started:.0f}s")


if __name__ == "__main__":
    main()
