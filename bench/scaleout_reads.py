"""Issue 3 (d): home-timeline reads on PostgreSQL + Redis, one web process against two.

    python bench/scaleout_reads.py --template staffroom_bench_tpl \
        --tokens bench/out/pg10k.sqlite3.home_tokens.txt

Clones the template database (made by ``bench/pg_dataset.py``), starts a private Redis and
two ``staffroom serve`` processes on two ports, has every active user read once (their Redis
timeline is rebuilt and ``last_active_at`` written), then, for ``--rounds`` rounds, measures
``GET /bench/trivial`` and ``GET /api/v1/timelines/home?limit=20`` (rotating tokens) with wrk
against the first process alone, then against both at once (two wrk processes, one per port,
each with half the connections, so the offered concurrency is the same; rates summed). The
second process idles while the first is measured alone.

The trivial endpoint's ratio (two processes / one) is the ceiling: how much a second process
can add on this machine at all, measured in the same run. CPU used during each measured
window is recorded for every server, the PostgreSQL backends of the benchmark database,
Redis, wrk, and the rest of the machine (``others``: work that is not the benchmark's).
Nothing is pinned: the processes share the machine's CPUs as a deployment would.
Writes ``<out>/scaleout-<time>.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from statistics import median
from typing import Any

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
    start_wrk,
    uptime,
    wrk_result,
)

TARGET_RATIO = 1.6


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def prime(url: str, tokens: Path) -> dict[str, Any]:
    """One request per active user, open loop at 100/s (rebuilds their Redis timelines)."""
    users = len(tokens.read_text().split())
    command = [
        sys.executable,
        str(HERE / "openloop.py"),
        "--url",
        url,
        "--rate",
        "100",
        "--duration",
        str(users / 100),
        "--warmup",
        "0",
        "--json",
        "--tokens",
        str(tokens),
    ]
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def measure(
    servers: list[Proc],
    script: str,
    path: str,
    env: dict[str, str],
    args: argparse.Namespace,
    watched: Callable[[], list[tuple[str, int]]],
) -> dict[str, Any]:
    """wrk against every server at once (connections split evenly); rates summed."""
    per_server = max(1, args.connections // len(servers))
    if args.warmup:
        warm = [start_wrk(s.url + path, script, env, per_server, args.warmup) for s in servers]
        for popen in warm:
            wrk_result(popen)
    client_before = children_cpu()
    load_before = load_average()
    with CpuWatch(watched) as cpu:
        runs = [start_wrk(s.url + path, script, env, per_server, args.duration) for s in servers]
        results = [wrk_result(popen) for popen in runs]
    shares = cpu.percent_of_one_core()
    shares["wrk"] = round(100 * (children_cpu() - client_before) / cpu.seconds, 1)
    shares["others"] = round(shares["others"] - shares["wrk"], 1)
    out = {
        "ok_rps": round(sum(float(r["ok_rps"]) for r in results), 1),
        "per_server": [r["ok_rps"] for r in results],
        "p99_ms_per_server": [int(r["latency_us"]["p99"]) / 1000 for r in results],  # type: ignore[index]
        "errors": [r["errors"] for r in results],
        "cpu_percent_of_one_core": shares,
        "load_before": load_before,
        "load_after": load_average(),
    }
    print(
        f"   {script} x{len(servers)}: {out['ok_rps']} req/s {out['per_server']}, "
        f"cpu {shares}, load {load_before}",
        flush=True,
    )
    return out


def watcher(
    servers: list[Proc], redis: PrivateRedis, backends: PostgresBackends
) -> Callable[[], list[tuple[str, int]]]:
    """What to account CPU to: each server, Redis, and PostgreSQL's backends (summed)."""
    assert redis.proc is not None
    fixed = [(s.name, s.pid) for s in servers] + [("redis", redis.proc.pid)]
    fixed.append(("bench", os.getpid()))
    return lambda: fixed + [("postgres", pid) for pid in backends()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--template", default="staffroom_bench_tpl")
    parser.add_argument("--database", default="staffroom_bench_reads")
    parser.add_argument("--tokens", type=Path, default=HERE / "out/pg10k.sqlite3.home_tokens.txt")
    parser.add_argument("--duration", type=float, default=20.0)
    parser.add_argument("--warmup", type=float, default=5.0)
    parser.add_argument("--connections", type=int, default=16, help="total, split per server")
    parser.add_argument("--rounds", type=int, default=3, help="alternate 1 and 2 processes")
    parser.add_argument("--ports", type=int, nargs=2, default=[8771, 8772])
    parser.add_argument("--redis-port", type=int, default=6390)
    parser.add_argument("--out", type=Path, default=HERE / "out" / "scaleout")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    record: dict[str, Any] = {
        "command": " ".join(["python", *sys.argv]),
        "uptime_before": uptime(),
    }
    print(f"-- {record['uptime_before']}", flush=True)
    clone_database(args.template, args.database)
    database_url = f"postgresql://postgres@127.0.0.1/{args.database}"
    redis = PrivateRedis(args.redis_port, args.out).start()
    redis.flush()
    tokens = {"BENCH_TOKENS": str(args.tokens.resolve())}
    home = "/api/v1/timelines/home?limit=20"
    servers: list[Proc] = []
    rounds: list[dict[str, Any]] = []
    backends = PostgresBackends(args.database)
    try:
        for n, port in enumerate(args.ports, start=1):
            env = staffroom_env(
                database_url, f"http://127.0.0.1:{args.ports[0]}", args.out, redis_url=redis.url
            )
            servers.append(start_serve(f"web{n}", env, port, None, args.out))
        print("-- priming: one home request per active user", flush=True)
        record["prime"] = prime(servers[0].url + home, args.tokens)
        watched = watcher(servers, redis, backends)
        # One process, then two, alternately, so that both see the same background noise.
        for r in range(args.rounds):
            print(f"-- round {r + 1}", flush=True)
            result: dict[str, Any] = {}
            for name, script, path, env_ in (
                ("trivial", "trivial.lua", "/bench/trivial", {}),
                ("home", "home.lua", home, tokens),
            ):
                for n in (1, 2):
                    result[f"{name}_{n}"] = measure(servers[:n], script, path, env_, args, watched)
            rounds.append(result)
    finally:
        for server in servers:
            server.stop()
        redis.stop()
        backends.close()
    ratios = [
        {
            "home_two_over_one": round(r["home_2"]["ok_rps"] / r["home_1"]["ok_rps"], 3),
            "trivial_two_over_one": round(r["trivial_2"]["ok_rps"] / r["trivial_1"]["ok_rps"], 3),
        }
        for r in rounds
    ]
    home_ratio = median(x["home_two_over_one"] for x in ratios)
    trivial_ratio = median(x["trivial_two_over_one"] for x in ratios)
    record.update(
        rounds=rounds,
        evaluation={
            "per_round": ratios,
            "home_two_over_one (median)": home_ratio,
            "trivial_two_over_one (median; ceiling)": trivial_ratio,
            "home_ratio_over_ceiling_ratio": round(home_ratio / trivial_ratio, 3),
            "target": f">= {TARGET_RATIO}",
            "pass": home_ratio >= TARGET_RATIO,
        },
        uptime_after=uptime(),
    )
    print(json.dumps(record["evaluation"], indent=2))
    print(f"-- {record['uptime_after']}")
    stamp = time.strftime("%Y%m%d-%H%M%S")
    path = args.out / f"scaleout-{stamp}.json"
    path.write_text(json.dumps(record, indent=2) + "\n")
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
