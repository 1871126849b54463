"""The directory (``services.directory.browse``, what ``GET /api/v1/directory`` and
``/directory`` run) against the raw SQL of the same page, in one process, same run.

On a copy of the dataset migrated to head, ``--listed`` accounts (default 20,000) opt in with
fields drawn with a fixed seed: 1-3 subjects of 19, 1-2 levels, a country (a skewed pick of
30), 1-3 languages, a role, and a "why follow me" line. Then, for each query shape, ``--runs``
pages (default 300, after 30 warm-up) each through the service (SQLAlchemy, the viewer's
block/mute exclusions, the account rows) and through ``sqlite3`` with the hand-written SQL of
the same page (the ceiling: same indexes, no exclusions, no ORM), p50 and p99 of each, and the
ratio of the p99s. The values filtered on vary per run (random picks), the offset too where
the shape pages.

    cp --reflink=auto bench/out/pristine.sqlite3 bench/out/directory-bench.sqlite3
    python bench/directory.py --db bench/out/directory-bench.sqlite3

Writes ``bench/out/directory-latest.json``.
"""

from __future__ import annotations

import argparse
import json
import random
import sqlite3
import statistics
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from staffroom.db import create_database, migrate
from staffroom.services import directory
from staffroom.services.directory_fields import DEFAULT_FIELDS

HERE = Path(__file__).resolve().parent
SUBJECTS = DEFAULT_FIELDS[0].values()
LEVELS = DEFAULT_FIELDS[1].values()
COUNTRIES = ("GB", "ES", "US", "IE", "MX", "AR", "FR", "DE", "IT", "PT", "BR", "CL", "CO",
             "PE", "CA", "AU", "NZ", "IN", "JP", "KR", "PL", "NL", "BE", "SE", "NO", "FI",
             "DK", "GR", "TR", "ZA")  # fmt: skip
LANGS = ("en", "es", "fr", "de", "it", "pt", "nl", "pl", "ja", "ko", "ca", "eu", "gl")
ROLES = DEFAULT_FIELDS[4].values()


def _country(rng: random.Random) -> str:
    # Skewed: the first countries are far more common (as a real instance's would be).
    return COUNTRIES[min(int(rng.expovariate(0.25)), len(COUNTRIES) - 1)]


def seed(db: Path, listed: int, rng: random.Random) -> int:
    """List ``listed`` random accounts (once: an already seeded copy is kept)."""
    conn = sqlite3.connect(db)
    try:
        have = conn.execute("SELECT count(*) FROM directory_entries").fetchone()[0]
        if have >= listed:
            return int(have)
        ids = [r[0] for r in conn.execute("SELECT id FROM accounts")]
        chosen = rng.sample(ids, listed)
        start = datetime(2026, 1, 1, tzinfo=UTC)
        entries, values = [], []
        for n, account_id in enumerate(chosen):
            at = (start + timedelta(minutes=n)).isoformat(sep=" ")
            entries.append((account_id, f"Teacher {n} shares lesson ideas", at, at))
            picks = [
                *(("subject", s) for s in rng.sample(SUBJECTS, rng.randint(1, 3))),
                *(("level", v) for v in rng.sample(LEVELS, rng.randint(1, 2))),
                ("country", _country(rng)),
                *(("languages", v) for v in rng.sample(LANGS, rng.randint(1, 3))),
                ("role", rng.choice(ROLES)),
            ]
            values.extend((account_id, f, v) for f, v in picks)
        with conn:
            conn.executemany(
                "INSERT INTO directory_entries (account_id, why_follow, listed_at, updated_at)"
                " VALUES (?, ?, ?, ?)",
                entries,
            )
            conn.executemany(
                "INSERT INTO directory_field_values (account_id, field, value) VALUES (?, ?, ?)",
                values,
            )
        conn.execute("ANALYZE")
        return listed
    finally:
        conn.close()


def _raw_sql(filters: dict[str, list[str]], order: str) -> tuple[str, list[Any]]:
    where, args = ["a.discoverable = 1"], []
    for name, chosen in filters.items():
        marks = ", ".join("?" * len(chosen))
        where.append(
            "e.account_id IN (SELECT account_id FROM directory_field_values"
            f" WHERE field = ? AND value IN ({marks}))"
        )
        args += [name, *chosen]
    by = (
        "e.listed_at DESC, e.account_id DESC"
        if order == "new"
        else "a.last_status_at DESC NULLS LAST, e.account_id DESC"
    )
    sql = (
        "SELECT e.account_id FROM directory_entries e JOIN accounts a ON a.id = e.account_id"
        f" WHERE {' AND '.join(where)} ORDER BY {by} LIMIT ? OFFSET ?"
    )
    return sql, args


Shape = Callable[[random.Random], directory.DirectoryQuery]


def shapes() -> dict[str, Shape]:
    def q(filters: dict[str, list[str]], order: str = "active", offset: int = 0) -> Any:
        return directory.DirectoryQuery(filters, order, offset, 40)

    return {
        "all, active": lambda r: q({}),
        "all, new, offset 0-2000": lambda r: q({}, "new", r.randrange(0, 2000, 40)),
        "subject": lambda r: q({"subject": [r.choice(SUBJECTS)]}),
        "subject + country": lambda r: q(
            {"subject": [r.choice(SUBJECTS)], "country": [_country(r)]}
        ),
        "2 subjects + level + language, new": lambda r: q(
            {
                "subject": r.sample(SUBJECTS, 2),
                "level": [r.choice(LEVELS)],
                "languages": [r.choice(LANGS)],
            },
            "new",
        ),
    }


def _pct(samples: list[float], p: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(len(ordered) * p))] * 1000


def measure(db: Path, runs: int, warmup: int, rng: random.Random) -> dict[str, Any]:
    database = create_database(f"sqlite:///{db}", pool_size=1)
    raw = sqlite3.connect(db)
    for pragma in ("cache_size=-65536", "temp_store=MEMORY"):  # as staffroom.db.engine
        raw.execute(f"PRAGMA {pragma}")
    viewer = raw.execute("SELECT account_id FROM users LIMIT 1").fetchone()[0]
    results: dict[str, Any] = {}
    try:
        for name, make in shapes().items():
            service: list[float] = []
            ceiling: list[float] = []
            for i in range(warmup + runs):
                query = make(rng)
                sql, args = _raw_sql(query.filters, query.order)
                t0 = time.perf_counter()
                rows = database.read(directory.browse, viewer, query)
                t1 = time.perf_counter()
                ids = [r[0] for r in raw.execute(sql, [*args, query.limit, query.offset])]
                if ids:
                    marks = ", ".join("?" * len(ids))
                    raw.execute(f"SELECT * FROM accounts WHERE id IN ({marks})", ids).fetchall()
                t2 = time.perf_counter()
                if i >= warmup:
                    service.append(t1 - t0)
                    ceiling.append(t2 - t1)
                assert len(rows) == len(ids), (name, len(rows), len(ids))
            results[name] = {
                "service_p50_ms": round(_pct(service, 0.50), 2),
                "service_p99_ms": round(_pct(service, 0.99), 2),
                "raw_p50_ms": round(_pct(ceiling, 0.50), 2),
                "raw_p99_ms": round(_pct(ceiling, 0.99), 2),
                "p99_ratio": round(_pct(service, 0.99) / max(_pct(ceiling, 0.99), 1e-6), 2),
                "service_mean_ms": round(statistics.mean(service) * 1000, 2),
            }
            print(f"{name:40s} {json.dumps(results[name])}", flush=True)
    finally:
        raw.close()
        database.dispose()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", type=Path, required=True, help="a COPY of the dataset")
    parser.add_argument("--listed", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=300)
    parser.add_argument("--warmup", type=int, default=30)
    args = parser.parse_args()
    migrate(f"sqlite:///{args.db}")
    rng = random.Random(14)
    listed = seed(args.db, args.listed, rng)
    results = measure(args.db, args.runs, args.warmup, rng)
    out = {"listed": listed, "runs": args.runs, "results": results}
    (HERE / "out").mkdir(exist_ok=True)
    (HERE / "out" / "directory-latest.json").write_text(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
