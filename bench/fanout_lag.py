"""Issue 3 (a): fan-out lag, from a post's 200 response to its presence in every follower's
home timeline, while posts arrive at a fixed rate (default 200/s, open loop).

    python bench/fanout_lag.py                          # SQLite, embedded (worker thread)
    python bench/fanout_lag.py --engine postgres --workers 1

SQLite: copies the pristine dataset (``--pristine``, 100k accounts) to ``--db`` first, starts
``staffroom serve`` (jobs on its worker thread) pinned to CPU 0; the load generator and the
job poller run in this process, pinned to CPU 1. PostgreSQL: clones ``--template`` (made by
``bench/pg_dataset.py``), starts a private Redis, marks every follower of the posting accounts
as having a kept timeline, and runs ``staffroom serve`` with ``STAFFROOM_JOBS=external`` beside
``--workers`` ``staffroom worker`` processes (nothing pinned).

Posts go to ``POST /api/v1/statuses`` from the dataset's posters (about 150 followers each),
one token after another, unique texts. Delivery completion is observed by polling the
``jobs`` table every 10 ms (``bench/lagtrack.py``). Then the ceiling (``bench/rawfanout.py``):
the same posts' fan-out rows written raw on the same schedule. Writes
``<out>/fanout-<engine>-<time>.json``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import sys
import time
from pathlib import Path
from typing import Any

import orjson
from fanout_data import (
    keep_followers_sqlite,
    keep_followers_timelines,
    pg_audiences,
    redis_check,
    sqlite_check,
)
from lagtrack import JobPoller, lags, postgres_reader, sqlite_reader
from openloop import Results, send_at_rate
from profiling import start_recording
from rawfanout import redis_replay, sqlite_replay
from servers import (
    HERE,
    CpuWatch,
    PostgresBackends,
    PrivateRedis,
    Proc,
    clone_database,
    load_average,
    staffroom_env,
    start_serve,
    start_worker,
    summary_ms,
    two_cpus,
    uptime,
)

from staffroom.db import migrate

TARGET_P99_S = 2.0
WORKER_BATCH = 20  # jobs a worker claims at once (staffroom.jobs.worker.Worker.batch)


def copy_dataset(pristine: Path, db: Path) -> None:
    for leftover in (db.with_name(db.name + s) for s in ("-wal", "-shm")):
        leftover.unlink(missing_ok=True)
    for source in pristine.parent.glob(pristine.name + "*"):
        if source.name.endswith(("-wal", "-shm")):
            continue
        shutil.copyfile(source, db.with_name(db.name + source.name[len(pristine.name) :]))


def post_requests(tokens: list[str], port: int, count: int, run: str, hashtag: str) -> list[bytes]:
    """``count`` POST requests with unique texts, rotating the posters' tokens."""
    requests = []
    suffix = f" #{hashtag}" if hashtag else ""
    for i in range(count):
        body = orjson.dumps(
            {"status": f"Fan-out {run} post {i} about the lesson{suffix}", "visibility": "public"}
        )
        head = (
            f"POST /api/v1/statuses HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
            f"Authorization: Bearer {tokens[i % len(tokens)]}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
        )
        requests.append(head.encode() + body)
    return requests


def acknowledged(out: Results, first_measured: int) -> tuple[list[tuple[int, float, float]], int]:
    """(status id, scheduled, answered) of measured posts answered 200; and the failures."""
    posts, failed = [], 0
    for index, scheduled, answered, status, body in out.records:
        if index < first_measured:
            continue
        if status == 200:
            posts.append((int(orjson.loads(body)["id"]), scheduled, answered))
        else:
            failed += 1
    return posts, failed


def start_system(args: argparse.Namespace, tokens: list[str]) -> dict[str, Any]:
    """The servers under test, and how to watch them."""
    base = f"http://127.0.0.1:{args.port}"
    procs: list[Proc] = []
    if args.engine == "sqlite":
        migrate(f"sqlite:///{args.db}")
        kept = keep_followers_sqlite(str(args.db), tokens)
        print(f"-- {kept} timelines kept (every poster's follower)", flush=True)
        env = staffroom_env(f"sqlite:///{args.db}", base, args.out)
        procs.append(start_serve("fanout-web", env, args.port, args.server_cpu, args.out))
        return {
            "procs": procs,
            "pending": sqlite_reader(str(args.db)),
            "redis": None,
            "backends": None,
            "kept_timelines": kept,
        }
    clone_database(args.template, args.database)
    url = f"postgresql://postgres@127.0.0.1/{args.database}"
    redis = PrivateRedis(args.redis_port, args.out).start()
    redis.flush()
    kept = keep_followers_timelines(url, redis.url, tokens)
    print(f"-- {kept} followers' timelines kept in Redis", flush=True)
    env = staffroom_env(url, base, args.out, redis_url=redis.url, jobs="external")
    procs.append(start_serve("fanout-web", env, args.port, None, args.out))
    for n in range(args.workers):
        procs.append(start_worker(f"fanout-worker{n + 1}", env, None, args.out, args.threads))
    return {
        "procs": procs,
        "pending": postgres_reader(url),
        "redis": redis,
        "url": url,
        "backends": PostgresBackends(args.database),
        "kept_timelines": kept,
    }


def drive(args: argparse.Namespace, system: dict[str, Any], tokens: list[str]) -> dict[str, Any]:
    """Post at the fixed rate while polling deliveries; lags and acknowledgement figures."""
    total = int(args.rate * (args.warmup + args.duration))
    first_measured = int(args.rate * args.warmup)
    requests = post_requests(tokens, args.port, total, str(int(time.time())), args.hashtag)
    poller = JobPoller(system["pending"], args.poll)
    procs: list[Proc] = system["procs"]
    backends = system["backends"]
    fixed = [(p.name, p.pid) for p in procs] + [("client", os.getpid())]
    watched = (
        (lambda: fixed + [("postgres", pid) for pid in backends()]) if backends else (lambda: fixed)
    )
    poller.start()
    spies = [
        start_recording(p.pid, args.out / f"{p.name}-profile", idle=args.profile_idle)
        for p in (procs if args.profile else [])
    ]
    load_before, started = load_average(), time.perf_counter()
    with CpuWatch(watched) as cpu:
        out = asyncio.run(
            send_at_rate(
                "127.0.0.1",
                args.port,
                requests,
                args.rate,
                args.duration,
                args.warmup,
                args.connections,
                keep=True,
            )
        )
        sent_for = time.perf_counter() - started
        posts, failed = acknowledged(out, first_measured)
        ids = {p[0] for p in posts}
        drained = poller.wait_idle(ids, args.max_wait)
    poller.stop()
    profiles = {p.name: spy.finish() for p, spy in zip(procs, spies, strict=False)}
    lag, missing, facts = lags(poller, [(p[0], p[2]) for p in posts])
    delivered = [p for p in posts if p[0] not in set(missing)]
    first = min((p[1] for p in posts), default=0.0)
    ack_window = max((p[2] for p in posts), default=first) - first
    return {
        "posts": posts,
        "result": {
            "target_rate": args.rate,
            "measured_posts_sent": total - first_measured,
            "acknowledged_200": len(posts),
            "failed": failed + out.errors,
            "acknowledged_rate": round(len(posts) / ack_window, 1) if ack_window else None,
            "sending_took_s": round(sent_for, 1),
            "ack_latency_ms_from_schedule": summary_ms([p[2] - p[1] for p in posts]),
            "fanout_lag_ms": summary_ms(lag),
            # the same, counted from when the post was due to be sent (its arrival)
            "arrival_to_delivered_ms": summary_ms(
                [lag_s + p[2] - p[1] for lag_s, p in zip(lag, delivered, strict=True)]
            ),
            "never_seen_delivered": len(missing),
            "all_delivered": drained and not missing,
            "cpu_percent_of_one_core": cpu.percent_of_one_core(),
            "load_before": load_before,
            "load_after": load_average(),
            **facts,
        },
        "profiles": profiles,
    }


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--engine", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--pristine", type=Path, default=HERE / "out" / "pristine.sqlite3")
    parser.add_argument("--db", type=Path, default=HERE / "out" / "fanout.sqlite3")
    parser.add_argument("--no-copy", action="store_true", help="post into --db as it is")
    parser.add_argument("--template", default="staffroom_bench_tpl")
    parser.add_argument("--database", default="staffroom_bench_fanout")
    parser.add_argument("--tokens", type=Path, help="posters' tokens (default: beside the data)")
    parser.add_argument("--workers", type=int, default=1, help="staffroom worker processes")
    parser.add_argument("--threads", type=int, default=1, help="threads per worker")
    parser.add_argument("--hashtag", default="edchat", help="in every post ('' for none)")
    parser.add_argument("--rate", type=float, default=200.0, help="posts per second")
    parser.add_argument("--duration", type=float, default=20.0)
    parser.add_argument("--warmup", type=float, default=3.0)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--poll", type=float, default=0.01, help="jobs poll period (s)")
    parser.add_argument("--profile", action="store_true", help="py-spy the server processes")
    parser.add_argument("--profile-idle", action="store_true", help="keep waiting threads")
    parser.add_argument("--max-wait", type=float, default=180.0, help="for deliveries (s)")
    parser.add_argument("--port", type=int, default=8766)
    parser.add_argument("--redis-port", type=int, default=6390)
    parser.add_argument("--out", type=Path, default=HERE / "out" / "fanout")
    args = parser.parse_args()
    args.db = args.db.resolve()
    if args.tokens is None:
        args.tokens = (
            args.db.with_name(args.db.name + ".post_tokens.txt")
            if args.engine == "sqlite"
            else HERE / "out" / "pg10k.sqlite3.post_tokens.txt"
        )
    pin = two_cpus() and args.engine == "sqlite"
    args.server_cpu, args.client_cpu = (0, 1) if pin else (None, None)
    return args


def main() -> None:
    args = parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    record: dict[str, Any] = {"command": " ".join(["python", *sys.argv]), "uptime_before": uptime()}
    print(f"-- {record['uptime_before']}", flush=True)
    if args.engine == "sqlite" and not args.no_copy:
        print(f"-- copying {args.pristine} to {args.db}", flush=True)
        copy_dataset(args.pristine, args.db)  # before reading the token side file
    tokens = args.tokens.read_text().split()
    system = start_system(args, tokens)
    if args.client_cpu is not None:
        os.sched_setaffinity(0, {args.client_cpu})
    try:
        print(f"-- posting at {args.rate}/s for {args.warmup}+{args.duration}s", flush=True)
        run = drive(args, system, tokens)
    finally:
        for proc in system["procs"]:
            proc.stop()
        if system["backends"]:
            system["backends"].close()
    os.sched_setaffinity(0, set(range(os.cpu_count() or 1)))
    posts = run["posts"]
    ids = [p[0] for p in posts]
    first = min((p[1] for p in posts), default=0.0)
    print(f"-- server: {json.dumps(run['result'])}", flush=True)
    if args.engine == "sqlite":
        check = sqlite_check(args.db, ids)
        authors = check.pop("authors")
        replay = [(sid, authors[sid], sched - first) for sid, sched, _ in posts]
        print("-- ceiling: raw sqlite3 fan-out of the same posts", flush=True)
        ceiling = sqlite_replay(str(args.db), replay, batch=WORKER_BATCH, cpu=args.server_cpu)
    else:
        authors, audiences = pg_audiences(system["url"], ids)
        check = redis_check(system["redis"].url, audiences)
        replay = [(sid, authors[sid], sched - first) for sid, sched, _ in posts]
        print("-- ceiling: raw Redis ZADD pipelines for the same posts", flush=True)
        ceiling = redis_replay(system["redis"].url, audiences, replay, batch=WORKER_BATCH, cpu=None)
        system["redis"].stop()
    ceiling["uptime"] = uptime()
    record.update(_verdict(run["result"], ceiling, check))
    record["profiles"] = run["profiles"]
    record["uptime_after"] = uptime()
    print(json.dumps({k: record[k] for k in ("ceiling", "check", "evaluation")}, indent=2))
    stamp = time.strftime("%Y%m%d-%H%M%S")
    path = args.out / f"fanout-{args.engine}-{stamp}.json"
    path.write_text(json.dumps(record, indent=2) + "\n")
    print(f"wrote {path}")


def _verdict(
    server: dict[str, Any], ceiling: dict[str, Any], check: dict[str, Any]
) -> dict[str, Any]:
    p99 = server["fanout_lag_ms"]["p99"]
    raw_p99 = ceiling["lag_ms"]["p99"]
    if p99 != p99:  # NaN: nothing was delivered
        p99 = float("inf")
    complete = (
        server["all_delivered"]
        and not server["failed"]
        and not check.get("posts_with_wrong_rows", check.get("missing", 0))
    )
    return {
        "server": server,
        "ceiling": ceiling,
        "check": check,
        "evaluation": {
            "p99_lag_ms": p99,
            "raw_p99_lag_ms": raw_p99,
            "p99_over_raw_p99": round(p99 / raw_p99, 2) if raw_p99 else None,
            "acknowledged_rate_over_target": round(
                (server["acknowledged_rate"] or 0) / server["target_rate"], 3
            ),
            "target": f"p99 <= {TARGET_P99_S * 1000:.0f} ms at {server['target_rate']:.0f} posts/s",
            "pass": bool(
                p99 <= TARGET_P99_S * 1000
                and complete
                and (server["acknowledged_rate"] or 0) >= 0.98 * server["target_rate"]
            ),
        },
    }


if __name__ == "__main__":
    main()
