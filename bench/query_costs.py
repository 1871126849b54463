"""Where one home-timeline read or one post spends its time, statement by statement, in process
(no HTTP): what remains to optimise once the profile says "the database".

    python bench/query_costs.py --db sqlite:///bench/out/bench.sqlite3 --mode home
    python bench/query_costs.py --db sqlite:///bench/out/bench.sqlite3 --mode post   # writes
    python bench/query_costs.py --db postgresql://postgres@127.0.0.1/staffroom_bench_reads \
        --redis redis://127.0.0.1:6390/0 --tokens bench/out/pg10k.sqlite3.home_tokens.txt

``home``: for each active user (tokens beside the dataset) resolve the token, read the home
timeline (``services.timelines.home``, limit 20) and serialise it, as the endpoint does; the
users are read once unmeasured first (caches, Redis timelines), then measured. ``post``: the
posters post (``services.posting.post_status``, one transaction) and the delivery job runs
right after the commit (``STAFFROOM_JOBS=inline``). Every statement is timed, whether it goes
through SQLAlchemy or straight to the driver (``staffroom.db.fastsql``); prints milliseconds
per request for the costliest statements, and what is left for Python.
"""

from __future__ import annotations

import argparse
import os
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from sqlalchemy import event

from staffroom.db import fastsql

COSTS: defaultdict[str, list[float]] = defaultdict(lambda: [0, 0.0])


def _key(sql: str) -> str:
    return " ".join(sql.split())[:160]


def instrument(engine: Any) -> None:
    """Time every statement (SQLAlchemy's cursor events and ``fastsql``'s) and commit."""
    started: dict[int, float] = {}

    @event.listens_for(engine, "before_cursor_execute")
    def before(conn: Any, cursor: Any, sql: str, *args: Any) -> None:
        started[id(cursor)] = time.perf_counter()

    @event.listens_for(engine, "after_cursor_execute")
    def after(conn: Any, cursor: Any, sql: str, *args: Any) -> None:
        entry = COSTS[_key(sql)]
        entry[0] += 1
        entry[1] += time.perf_counter() - started.pop(id(cursor), time.perf_counter())

    dialect = engine.dialect
    do_commit = dialect.do_commit

    def timed_commit(dbapi_connection: Any) -> None:
        began = time.perf_counter()
        try:
            do_commit(dbapi_connection)
        finally:
            entry = COSTS["COMMIT"]
            entry[0] += 1
            entry[1] += time.perf_counter() - began

    dialect.do_commit = timed_commit  # type: ignore[method-assign]
    original = fastsql._execute

    def timed(conn: Any, sql: str, params: Any) -> Any:
        # every fastsql entry point (run, run_plain, run_plain_named) executes through here
        began = time.perf_counter()
        try:
            return original(conn, sql, params)
        finally:
            entry = COSTS[_key(sql)]
            entry[0] += 1
            entry[1] += time.perf_counter() - began

    fastsql._execute = timed  # type: ignore[assignment]


def home_requests(rt: Any, tokens: list[str]) -> None:
    from staffroom.serializers.statuses import serialize_statuses
    from staffroom.services.timelines import PageRequest, home
    from staffroom.services.tokens import resolve_token

    for token in tokens:
        info = rt.db.read(resolve_token, token)
        page = rt.db.read(home, rt, info.account_id, PageRequest(limit=21))
        serialize_statuses(page.views, rt.settings.base_url)


def post_requests(rt: Any, tokens: list[str], run: str) -> None:
    from staffroom.services.posting import NewStatus, post_status
    from staffroom.services.tokens import resolve_token

    for n, token in enumerate(tokens):
        info = rt.db.read(resolve_token, token)
        new = NewStatus(text=f"Cost {run} post {n} about the lesson #edchat", visibility="public")
        rt.db.write(post_status, rt, info.account_id, new)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", required=True, help="database URL")
    parser.add_argument("--redis", help="Redis URL (Redis timelines)")
    parser.add_argument("--mode", choices=("home", "post"), default="home")
    parser.add_argument("--tokens", type=Path, help="default: beside a SQLite dataset")
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--top", type=int, default=14)
    args = parser.parse_args()
    if args.tokens is None:
        path = args.db.split("///", 1)[1]
        args.tokens = Path(
            path + (".home_tokens.txt" if args.mode == "home" else ".post_tokens.txt")
        )
    os.environ.update(STAFFROOM_DATABASE_URL=args.db, STAFFROOM_SECRET_KEY="bench")
    if args.redis:
        os.environ["STAFFROOM_REDIS_URL"] = args.redis
    from staffroom.config import Settings
    from staffroom.runtime import Runtime

    rt = Runtime.build(Settings.from_env(jobs_mode="inline"))
    instrument(rt.db.engine)
    tokens = (args.tokens.read_text().split() * 10)[: args.requests]
    if args.mode == "home":
        home_requests(rt, tokens)  # warm: caches, Redis timelines, last reads
        run = lambda: home_requests(rt, tokens)  # noqa: E731
    else:
        post_requests(rt, tokens[:20], f"w{int(time.time())}")
        run = lambda: post_requests(rt, tokens, str(int(time.time())))  # noqa: E731
    COSTS.clear()
    began = time.perf_counter()
    run()
    total = time.perf_counter() - began
    n = len(tokens)
    sql = sum(v[1] for v in COSTS.values())
    print(
        f"{args.mode}: {total / n * 1000:.3f} ms per request, of which statements "
        f"{sql / n * 1000:.3f} ms ({sum(int(v[0]) for v in COSTS.values()) / n:.1f} per "
        f"request), the rest (Python, Redis) {(total - sql) / n * 1000:.3f} ms"
    )
    print(f"{'ms/request':>10} {'calls/req':>9}  statement")
    for text, (calls, seconds) in sorted(COSTS.items(), key=lambda kv: -kv[1][1])[: args.top]:
        print(f"{seconds / n * 1000:10.3f} {calls / n:9.2f}  {text}")
    rt.close()


if __name__ == "__main__":
    main()
