"""Server-side CPU per post, in process, all threads counted.

    python bench/post_costs.py --pristine bench/out/pristine.sqlite3 [--posts 3000] [--profile]

Copies the dataset (posting changes it), then calls the ASGI application directly (no
sockets, no HTTP parsing, no load generator) with ``POST /api/v1/statuses`` from the posters'
tokens, ``--concurrency`` requests in flight as wrk's connections would keep them, and waits
until the background delivery jobs are done. It prints the process's CPU time per post
(every thread: the event loop, the group-commit writer, the job worker, the WAL checkpoint)
and the wall-clock rate. ``--profile`` runs yappi on CPU time across all threads and prints
the functions with the most self time and the most total time (yappi is a tool, not a
dependency: ``pip install yappi``).

This is a tool for working on the posting path; the benchmark of record is ``bench/run.py``.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import time
from pathlib import Path
from typing import Any

import orjson
from asgi_costs import _call, _scope
from fanout_lag import copy_dataset
from run import pending_jobs


def _post_scope(token: str, body: bytes) -> tuple[dict[str, Any], bytes]:
    scope = _scope("/api/v1/statuses", "", token)
    scope["method"] = "POST"
    scope["headers"] += [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
    ]
    return scope, body


async def _run(app: Any, requests: list[tuple[dict[str, Any], bytes]], concurrency: int) -> None:
    pending = iter(requests)

    async def connection() -> None:
        for scope, body in pending:
            status = await _call(app, {**scope, "state": {}}, body)
            if status != 200:
                raise SystemExit(f"POST answered {status}")

    await asyncio.gather(*(connection() for _ in range(concurrency)))


async def _main(args: argparse.Namespace, db: Path) -> None:
    from staffroom.app import create_app

    tokens = Path(f"{db}.post_tokens.txt").read_text().split()
    run = int(time.time())

    def requests(prefix: str, count: int) -> list[tuple[dict[str, Any], bytes]]:
        return [
            _post_scope(
                tokens[i % len(tokens)],
                orjson.dumps({"status": f"Cost {run}{prefix} post {i} about the lesson #edchat"}),
            )
            for i in range(count)
        ]

    app = create_app()
    lifespan = app.router.lifespan_context(app)
    await lifespan.__aenter__()
    try:
        await _run(app, requests("w", args.warmup), args.concurrency)
        while pending_jobs(db)[0]:
            await asyncio.sleep(0.05)
        measured = requests("m", args.posts)
        if args.profile:
            import yappi

            yappi.set_clock_type("cpu")
            yappi.start(builtins=True)
        times, wall = os.times(), time.perf_counter()
        await _run(app, measured, args.concurrency)
        acknowledged = time.perf_counter() - wall
        while pending_jobs(db)[0]:
            await asyncio.sleep(0.01)
        wall = time.perf_counter() - wall
        after = os.times()
        user, system = after.user - times.user, after.system - times.system
        cpu = user + system
        if args.profile:
            yappi.stop()
            _print_profile(yappi, args.top)
        print(f"{args.posts} posts, {args.concurrency} in flight: {cpu / args.posts * 1e3:.3f} ms"
              f" CPU per post (all threads; {100 * system / cpu:.0f}% of it in the kernel),"
              f" {args.posts / acknowledged:.0f} acknowledged/s,"
              f" {args.posts / wall:.0f} delivered/s (wall clock)")  # fmt: skip
    finally:
        await lifespan.__aexit__(None, None, None)


def _print_profile(yappi: Any, top: int) -> None:
    stats = yappi.get_func_stats()
    total = sum(s.tsub for s in stats) or 1.0
    for key, title in (("tsub", "self"), ("ttot", "total (inclusive)")):
        print(f"\ntop {top} by {title} CPU time, % of all profiled CPU:")
        for stat in sorted(stats, key=lambda s: getattr(s, key), reverse=True)[:top]:
            where = f"{Path(stat.module).name}:{stat.lineno}" if stat.module else ""
            print(f"  {100 * getattr(stat, key) / total:5.1f}%  {stat.name}  {where}")
    print("\nthreads:")
    for thread in yappi.get_thread_stats():
        print(f"  {100 * thread.ttot / total:5.1f}%  {thread.name}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", type=Path, default=Path("bench/out/bench.sqlite3"))
    parser.add_argument("--pristine", type=Path, help="copy this dataset over --db first")
    parser.add_argument("--posts", type=int, default=3000)
    parser.add_argument("--warmup", type=int, default=500)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--profile", action="store_true", help="yappi, CPU clock, all threads")
    parser.add_argument("--top", type=int, default=30)
    args = parser.parse_args()
    db = args.db.resolve()
    if args.pristine:
        copy_dataset(args.pristine.resolve(), db)
    os.environ.update(
        STAFFROOM_DATABASE_URL=f"sqlite:///{db}",
        STAFFROOM_RATE_LIMITS="0",
        STAFFROOM_SECRET_KEY="bench-secret-key",
    )
    os.environ.setdefault("STAFFROOM_DATA_DIR", str(db.parent / "data"))
    asyncio.run(_main(args, db))


if __name__ == "__main__":
    main()
