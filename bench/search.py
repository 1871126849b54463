"""Post search latency (``GET /api/v2/search?type=statuses``) against a raw FTS5 ceiling.

    python bench/search.py --db bench/out/search.sqlite3 [--requests 2000]

Calls the ASGI application directly (no sockets, no HTTP parsing), in process, as
``bench/asgi_costs.py`` does: each request is one active user's search (their token, so the
visibility rule, blocks and mutes apply) for one query of the table below, ``limit=20``. The
ceiling, measured in the same run and interleaved request by request, is a raw FTS5 query of
the same words on a plain ``sqlite3`` connection to the same file: ``SELECT rowid FROM
statuses_search WHERE statuses_search MATCH ? ORDER BY rowid DESC LIMIT 20`` (no visibility
rule, no operators, no posts loaded, nothing serialised). Prints p50/p99 per query and over
all, the ratio raw / search at p50 and p99, and whether the search's p99 is at most 50 ms.
The dataset's words come from a small vocabulary (``bench/synth.py``), so most words match
10% of the million posts: the index's worst case. Read-only: the dataset is not changed
(migrate it first: ``staffroom.db.migrate`` creates and fills the index, migration
0022_search).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sqlite3
import statistics
import time
from pathlib import Path
from urllib.parse import urlencode

from asgi_costs import _call, _scope

LIMIT_MS = 50.0

# (query as a person types it, the same words for FTS5)
QUERIES: list[tuple[str, str]] = [
    ("rubric", '"rubric"'),
    ("lesson plan", '"lesson" AND "plan"'),
    ('"lesson plan"', '"lesson plan"'),
    ("quiz*", '"quiz"*'),
    ("homework feedback -exam", '("homework" AND "feedback") NOT "exam"'),
    ("#wellbeing oracy", '"wellbeing" AND "oracy"'),
    ("worksheet is:reply", '"worksheet"'),
    ("brilliant tricky messy calm", '"brilliant" AND "tricky" AND "messy" AND "calm"'),
    ("experiment from:{poster}", '"experiment"'),
    ("staffroom coffee in:library", '"staffroom" AND "coffee"'),
    ("marking before:{midway}", '"marking"'),
    ("slides has:poll", '"slides"'),
]


def _pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def _raw(conn: sqlite3.Connection, match: str) -> float:
    began = time.perf_counter()
    conn.execute(
        "SELECT rowid FROM statuses_search WHERE statuses_search MATCH ?"
        " ORDER BY rowid DESC LIMIT 20",
        (match,),
    ).fetchall()
    return (time.perf_counter() - began) * 1e3


async def _main(args: argparse.Namespace) -> None:
    from staffroom.app import create_app

    db = Path(args.db).resolve()
    tokens = Path(f"{db}.home_tokens.txt").read_text().split()
    raw = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    poster = raw.execute(
        "SELECT username FROM accounts ORDER BY statuses_count DESC LIMIT 1 OFFSET 50"
    ).fetchone()[0]
    low, high = raw.execute("SELECT min(created_at), max(created_at) FROM statuses").fetchone()
    midway = str(low)[:10] if str(low) == str(high) else _middle_day(str(low), str(high))
    queries = [(q.format(poster=poster, midway=midway), m) for q, m in QUERIES]
    app = create_app()
    lifespan = app.router.lifespan_context(app)
    await lifespan.__aenter__()
    searched: dict[str, list[float]] = {q: [] for q, _ in queries}
    ceiling: dict[str, list[float]] = {q: [] for q, _ in queries}
    try:
        for n in range(args.warmup + args.requests):
            q, match = queries[n % len(queries)]
            token = tokens[(n // len(queries)) % len(tokens)]
            query = urlencode({"q": q, "type": "statuses", "limit": 20})
            scope = {**_scope("/api/v2/search", query, token), "state": {}}
            began = time.perf_counter()
            status = await _call(app, scope)
            took = (time.perf_counter() - began) * 1e3
            if status != 200:
                raise SystemExit(f"{q!r} answered {status}")
            raw_ms = _raw(raw, match)
            if n >= args.warmup:
                searched[q].append(took)
                ceiling[q].append(raw_ms)
    finally:
        await lifespan.__aexit__(None, None, None)
    _report(searched, ceiling)


def _middle_day(low: str, high: str) -> str:
    from datetime import datetime

    a, b = datetime.fromisoformat(low[:19]), datetime.fromisoformat(high[:19])
    return (a + (b - a) / 2).date().isoformat()


def _report(searched: dict[str, list[float]], ceiling: dict[str, list[float]]) -> None:
    print(f"{'query':40} {'search p50':>10} {'p99':>8} {'raw p50':>8} {'p99':>8}  (ms)")
    for q, times in searched.items():
        raw = ceiling[q]
        print(
            f"{q:40} {statistics.median(times):10.2f} {_pct(times, 99):8.2f}"
            f" {statistics.median(raw):8.3f} {_pct(raw, 99):8.3f}"
        )
    every = [t for times in searched.values() for t in times]
    every_raw = [t for times in ceiling.values() for t in times]
    p50, p99 = statistics.median(every), _pct(every, 99)
    r50, r99 = statistics.median(every_raw), _pct(every_raw, 99)
    print(f"all {len(every)} searches: p50 {p50:.2f} ms, p99 {p99:.2f} ms, max {max(every):.2f}")
    print(f"raw FTS5 ceiling: p50 {r50:.3f} ms, p99 {r99:.3f} ms")
    print(f"raw / search: p50 {r50 / p50:.3f}, p99 {r99 / p99:.3f}")
    print(f"search p99 {p99:.2f} ms <= {LIMIT_MS:.0f} ms: {'PASS' if p99 <= LIMIT_MS else 'FAIL'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", default="bench/out/search.sqlite3")
    parser.add_argument("--requests", type=int, default=2400)
    parser.add_argument("--warmup", type=int, default=240)
    args = parser.parse_args()
    os.environ.update(
        STAFFROOM_DATABASE_URL=f"sqlite:///{Path(args.db).resolve()}",
        STAFFROOM_RATE_LIMITS="0",
        STAFFROOM_SECRET_KEY="bench-secret-key",
        STAFFROOM_JOBS=os.environ.get("STAFFROOM_JOBS", "inline"),
    )
    os.environ.setdefault("STAFFROOM_DATA_DIR", str(Path(args.db).resolve().parent / "data"))
    asyncio.run(_main(args))


if __name__ == "__main__":
    main()
