"""Server-side CPU per request of the home timeline and of its raw ceiling, in process.

    python bench/asgi_costs.py --db bench/out/bench.sqlite3 [--requests 4000] [--profile out.prof]

Calls the ASGI application directly (no sockets, no HTTP parsing, no load generator), the
same way ``bench/run.py``'s wrk scripts do: ``GET /api/v1/timelines/home?limit=20`` with each
active user's token in turn, and ``GET /bench/raw_home?account_id=`` for the same users.
Every user is read once unmeasured first (caches, kept timelines), then rounds of each
endpoint alternate so that both see the same machine. It prints microseconds per request
and their ratio (raw / home, the figure ``run.py`` measures over HTTP, where the server's
fixed HTTP cost is added to both sides), and the read system calls each made (a warm SQLite
page cache makes none). Read-only: the dataset is not changed. ``--users 100`` keeps the
working set small (for ``valgrind --tool=callgrind``, whose instruction counts, unlike
times, repeat exactly on a noisy machine). ``--gc`` reports the collector's pauses by
generation and what a full collection costs with the caches filled.

This is a tool for working on the hot path; the benchmark of record is ``bench/run.py``.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import gc
import os
import statistics
import time
from pathlib import Path
from typing import Any


def _scope(path: str, query: str, token: str | None) -> dict[str, Any]:
    headers = [(b"host", b"127.0.0.1:8000"), (b"user-agent", b"bench")]
    if token:
        headers.append((b"authorization", f"Bearer {token}".encode()))
    return {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": query.encode(),
        "root_path": "",
        "headers": headers,
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8000),
        "state": {},
    }


async def _call(app: Any, scope: dict[str, Any], body: bytes = b"") -> int:
    """Call ``app`` with ``scope`` and a request ``body``; the response status."""
    status = 0
    sent = False

    async def receive() -> dict[str, Any]:
        nonlocal sent
        if sent:
            await asyncio.sleep(3600)  # a client that keeps the connection open
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]

    await app(scope, receive, send)
    return status


IO: dict[str, list[int]] = {}
PAUSES: dict[int, list[float]] = {0: [], 1: [], 2: []}
_gc_started = 0.0


def _record_gc(phase: str, info: dict[str, int]) -> None:
    """``gc.callbacks`` hook: the length of every collection, by generation."""
    global _gc_started
    if phase == "start":
        _gc_started = time.perf_counter()
    else:
        PAUSES[info["generation"]].append((time.perf_counter() - _gc_started) * 1e3)


def _print_gc() -> None:
    for generation, pauses in PAUSES.items():
        if pauses:
            print(f"gc generation {generation}: {len(pauses)} collections, "
                  f"mean {statistics.mean(pauses):.2f} ms, max {max(pauses):.2f} ms")  # fmt: skip
    began = time.perf_counter()
    gc.collect()
    print(f"tracked objects {len(gc.get_objects())} (frozen {gc.get_freeze_count()}), "
          f"a full collection now takes {(time.perf_counter() - began) * 1e3:.1f} ms")  # fmt: skip


def _io() -> tuple[int, int]:
    fields = dict(line.split(": ") for line in Path("/proc/self/io").read_text().splitlines())
    return int(fields["syscr"]), int(fields["read_bytes"])


async def _round(app: Any, scopes: list[dict[str, Any]]) -> float:
    calls, disk = _io()
    began = time.perf_counter()
    for template in scopes:
        scope = {**template, "state": {}}  # a request leaves things in its scope
        status = await _call(app, scope)
        if status != 200:
            raise SystemExit(f"{scope['path']} answered {status}")
    after = _io()
    totals = IO.setdefault(scopes[0]["path"], [0, 0, 0])
    totals[0] += len(scopes)
    totals[1] += after[0] - calls
    totals[2] += after[1] - disk
    return (time.perf_counter() - began) / len(scopes) * 1e6


async def _main(args: argparse.Namespace) -> None:
    from staffroom.app import create_app

    db = Path(args.db).resolve()
    tokens = Path(f"{db}.home_tokens.txt").read_text().split()[: args.users]
    accounts = Path(f"{db}.home_accounts.txt").read_text().split()[: args.users]
    home = [_scope("/api/v1/timelines/home", "limit=20", t) for t in tokens]
    raw = [_scope("/bench/raw_home", f"account_id={a}", None) for a in accounts]
    app = create_app()
    lifespan = app.router.lifespan_context(app)
    await lifespan.__aenter__()
    try:
        await _round(app, home)  # warm: caches, kept timelines
        await _round(app, raw)
        if args.gc:
            gc.callbacks.append(_record_gc)
        per_round = max(1, args.requests // args.rounds)
        home_us: list[float] = []
        raw_us: list[float] = []
        profiler = cProfile.Profile() if args.profile else None
        for i in range(args.rounds):
            start = (i * per_round) % len(home)
            chosen = (home * 2)[start : start + per_round]
            if profiler:
                profiler.enable()
            home_us.append(await _round(app, chosen))
            if profiler:
                profiler.disable()
            start = (i * per_round) % len(raw)
            raw_us.append(await _round(app, (raw * 2)[start : start + per_round]))
        if profiler:
            profiler.dump_stats(args.profile)
        h, r = statistics.median(home_us), statistics.median(raw_us)
        print(f"home {h:.1f} us/request (rounds {min(home_us):.1f}-{max(home_us):.1f})")
        print(f"raw  {r:.1f} us/request (rounds {min(raw_us):.1f}-{max(raw_us):.1f})")
        for path, (n, calls, disk) in IO.items():
            per = f"{calls / n:.1f} read calls, {disk / n / 1024:.1f} KiB from disk"
            print(f"{path}: {per} per request (warm-up included)")
        print(f"raw / home time (in process, no HTTP): {r / h:.3f}")
        if args.gc:
            _print_gc()
    finally:
        await lifespan.__aexit__(None, None, None)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", default="bench/out/bench.sqlite3")
    parser.add_argument("--requests", type=int, default=4000)
    parser.add_argument("--rounds", type=int, default=8)
    parser.add_argument("--users", type=int, help="only the first N active users")
    parser.add_argument("--profile", help="write a cProfile of the home rounds here")
    parser.add_argument("--gc", action="store_true", help="report garbage-collector pauses")
    args = parser.parse_args()
    os.environ.update(
        STAFFROOM_DATABASE_URL=f"sqlite:///{Path(args.db).resolve()}",
        STAFFROOM_RATE_LIMITS="0",
        STAFFROOM_BENCH_ROUTES="1",
        STAFFROOM_SECRET_KEY="bench-secret-key",
        STAFFROOM_JOBS=os.environ.get("STAFFROOM_JOBS", "inline"),
    )
    os.environ.setdefault("STAFFROOM_DATA_DIR", str(Path(args.db).resolve().parent / "data"))
    asyncio.run(_main(args))


if __name__ == "__main__":
    main()
