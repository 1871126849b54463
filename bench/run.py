"""Run the benchmark against a dataset made by ``bench/dataset.py``.

    python bench/run.py --db bench/out/bench.sqlite3

Starts ``python -m staffroom serve`` (one worker, rate limits off, bench routes on, pinned to
CPU 0 when there are two or more), drives it with wrk pinned to CPU 1, and measures in order:

1. ``trivial``   GET /bench/trivial: the framework ceiling (peak req/s).
2. ``raw_home``  GET /bench/raw_home: 20 precomputed entries via raw sqlite3 + orjson.
3. ``home``      GET /api/v1/timelines/home?limit=20, authenticated, rotating users (peak).
4. ``home_fixed`` the same at a fixed rate of half of (3)'s peak, open loop (bench/openloop.py):
                 the p99 a user sees when the server is half loaded.
5. ``post``      POST /api/v1/statuses from accounts with ~150 followers (posts/s), then
                 checks that every acknowledged post and its fan-out landed in the database.

Prints a table and writes ``bench/out/result-<time>.json`` (and ``result-latest.json``).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

from profiling import profile_endpoint
from report import evaluate, machine_facts, print_table

from staffroom.db import migrate

HERE = Path(__file__).resolve().parent
LUA = HERE / "lua"
REPO = HERE.parent


def side_file(db: Path, suffix: str) -> Path:
    return db.with_name(db.name + suffix)


def process_counters(pid: int) -> dict[str, float]:
    """Bytes a process has read from and written to storage so far (``/proc/PID/io``) and
    the CPU seconds it has used (``/proc/PID/stat``); empty where those cannot be read."""
    try:
        lines = Path(f"/proc/{pid}/io").read_text().splitlines()
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:  # not Linux, or not ours to read
        return {}
    fields = dict(line.split(": ", 1) for line in lines)
    ticks = stat[stat.rindex(")") + 2 :].split()  # fields 3.. of proc(5): utime, stime = 14, 15
    return {
        "read_bytes": int(fields["read_bytes"]),
        "write_bytes": int(fields["write_bytes"]),
        "cpu_seconds": (int(ticks[11]) + int(ticks[12])) / os.sysconf("SC_CLK_TCK"),
        "at": time.monotonic(),
    }


def usage_since(pid: int, before: dict[str, float]) -> dict[str, float]:
    """MiB the server read and wrote from storage since ``before``, and its CPU use (% of one
    core) over that time."""
    after = process_counters(pid)
    elapsed = after["at"] - before["at"]
    return {
        "read_mib": round((after["read_bytes"] - before["read_bytes"]) / 2**20, 1),
        "write_mib": round((after["write_bytes"] - before["write_bytes"]) / 2**20, 1),
        "cpu_percent": round(100 * (after["cpu_seconds"] - before["cpu_seconds"]) / elapsed, 1),
    }


def warm_page_cache(db: Path) -> float:
    """Read the database file once so that it is in the OS page cache; returns seconds.

    A server whose working set fits in memory has it cached; a freshly copied dataset, or one
    whose pages the host reclaimed while they were idle (this sandbox reclaims page-cache pages
    idle for ~30 s), would otherwise measure the disk instead of the server.
    """
    started = time.monotonic()
    with db.open("rb", buffering=0) as file:
        while file.read(8 << 20):
            pass
    return round(time.monotonic() - started, 1)


def warm(db: Path, args: argparse.Namespace) -> float:
    """``warm_page_cache`` unless ``--cold``; prints what it did."""
    if args.cold:
        return 0.0
    seconds = warm_page_cache(db)
    print(f"-- read {db.name} into the page cache in {seconds}s", flush=True)
    return seconds


def pinned(cpu: int | None, command: list[str]) -> list[str]:
    return ["taskset", "-c", str(cpu), *command] if cpu is not None else command


class Server:
    """The Staffroom server under test, in its own process."""

    def __init__(self, db: Path, port: int, cpu: int | None, log: Path) -> None:
        env = dict(os.environ)
        env.update(
            STAFFROOM_DATABASE_URL=f"sqlite:///{db}",
            STAFFROOM_RATE_LIMITS="0",
            STAFFROOM_BENCH_ROUTES="1",
            STAFFROOM_SECRET_KEY="bench-secret-key",
            STAFFROOM_DATA_DIR=str(log.parent / "data"),
        )
        command = [sys.executable, "-m", "staffroom", "serve", "--port", str(port), "--no-migrate"]
        self.port = port
        self.log = log.open("w")
        self.proc = subprocess.Popen(
            pinned(cpu, command), env=env, cwd=REPO, stdout=self.log, stderr=subprocess.STDOUT
        )

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def wait_ready(self, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit(f"server exited with {self.proc.returncode}; see {self.log.name}")
            try:
                with urllib.request.urlopen(self.base + "/bench/trivial", timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.2)
        raise SystemExit("server did not answer /bench/trivial in time")

    def get(self, path: str, token: str | None = None) -> tuple[int, bytes]:
        request = urllib.request.Request(self.base + path)
        if token:
            request.add_header("Authorization", f"Bearer {token}")
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self.log.close()


def run_wrk(
    url: str, script: str, env: dict[str, str], args: argparse.Namespace, seconds: float
) -> dict[str, Any]:
    command = [
        "wrk", "-t1", f"-c{args.connections}", f"-d{int(seconds)}s", "--latency",
        "-s", str(LUA / script), url,
    ]  # fmt: skip
    full_env = {**os.environ, "BENCH_LUA_DIR": str(LUA), **env}
    done = subprocess.run(
        pinned(args.client_cpu, command), env=full_env, capture_output=True, text=True, check=True
    )
    for line in done.stdout.splitlines():
        if line.startswith("BENCH_JSON "):
            result: dict[str, Any] = json.loads(line[len("BENCH_JSON ") :])
            seconds_run = result["duration_us"] / 1e6
            ok = result["requests"] - result["errors"]["status"]
            result["rps"] = round(result["requests"] / seconds_run, 1)
            result["ok_rps"] = round(ok / seconds_run, 1)
            return result
    raise SystemExit(f"wrk printed no result:\n{done.stdout}\n{done.stderr}")


def measure(
    name: str, url: str, script: str, env: dict[str, str], args: argparse.Namespace
) -> dict[str, Any]:
    print(f"-- {name}: warm-up {args.warmup}s, then {args.duration}s", flush=True)
    if args.warmup:
        run_wrk(url, script, env, args, args.warmup)
    before = process_counters(args.server_pid)
    result = run_wrk(url, script, env, args, args.duration)
    result["usage"] = usage_since(args.server_pid, before) if before else {}
    result["load_average"] = os.getloadavg()
    print(f"   {result['rps']} req/s, p99 {int(result['latency_us']['p99']) / 1000:.2f} ms",
          flush=True)  # fmt: skip
    return result


def open_loop(
    url: str,
    tokens: Path | None,
    rate: float,
    seconds: float,
    warmup: float,
    args: argparse.Namespace,
) -> dict[str, Any]:
    print(f"-- {url}: {rate:.0f} req/s open loop for {warmup:.0f}s + {seconds:.0f}s", flush=True)
    command = [
        sys.executable, str(HERE / "openloop.py"), "--url", url, "--rate", str(rate),
        "--duration", str(seconds), "--warmup", str(warmup), "--json",
        *(["--tokens", str(tokens)] if tokens else []),
    ]  # fmt: skip
    before = process_counters(args.server_pid)
    done = subprocess.run(
        pinned(args.client_cpu, command), capture_output=True, text=True, check=True
    )
    result: dict[str, Any] = json.loads(done.stdout)
    result["usage"] = usage_since(args.server_pid, before) if before else {}
    result["load_average"] = os.getloadavg()
    print(f"   p50 {result['latency_ms']['p50']} ms, p99 {result['latency_ms']['p99']} ms",
          flush=True)  # fmt: skip
    return result


def max_status_id(db: Path) -> int:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return int(conn.execute("SELECT coalesce(max(id), 0) FROM statuses").fetchone()[0])
    finally:
        conn.close()


def post_counts(db: Path, after_id: int) -> dict[str, int]:
    """Posts newer than ``after_id`` and their fan-out, read from the database directly."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        posts, distinct = conn.execute(
            "SELECT count(*), count(DISTINCT text) FROM statuses WHERE id > ?", (after_id,)
        ).fetchone()
        followers = conn.execute(
            "SELECT count(*) FROM statuses AS s JOIN follows AS f "
            "ON f.target_account_id = s.account_id WHERE s.id > ?",
            (after_id,),
        ).fetchone()[0]
        # fan-out writes the post into every kept timeline among the followers and author
        kept = conn.execute(
            "SELECT count(*) FROM statuses AS s JOIN (SELECT target_account_id AS author,"
            " account_id AS owner FROM follows UNION ALL SELECT id, id FROM accounts) AS a"
            " ON a.author = s.account_id JOIN home_timelines AS k ON k.account_id = a.owner"
            " WHERE s.id > ? AND k.kept_until > ?",
            (after_id, int(time.time())),
        ).fetchone()[0]
        feed = conn.execute(
            "SELECT count(*) FROM home_feed WHERE status_id > ?", (after_id,)
        ).fetchone()[0]
    finally:
        conn.close()
    return {"posts": posts, "distinct_texts": distinct, "feed_rows": feed,
            "followers": followers, "expected_feed_rows": kept}  # fmt: skip


def keep_all_followers(db: Path) -> int:
    """Make every follower of the posters active (kept timeline): the worst case for fan-out."""
    from fanout_data import keep_followers_sqlite

    return keep_followers_sqlite(str(db), side_file(db, ".post_tokens.txt").read_text().split())


PERIODIC_JOBS = ("refresh_trends", "refresh_stale_suggestions", "materialize_series")


def pending_jobs(db: Path) -> tuple[int, int]:
    """(pending, failed) background jobs; (0, 0) on a schema without a jobs table. The
    periodic jobs (trends, the suggestions sweep, the series materialiser) are always
    scheduled, so they are not work left to wait for."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        row = conn.execute(
            "SELECT count(*) - count(failed_at), count(failed_at) FROM jobs"
            f" WHERE kind NOT IN ({','.join('?' * len(PERIODIC_JOBS))})",
            PERIODIC_JOBS,
        ).fetchone()
        return int(row[0]), int(row[1])
    except sqlite3.OperationalError:
        return 0, 0
    finally:
        conn.close()


def wait_for_jobs(db: Path, timeout: float = 600.0) -> float:
    """Seconds until the background jobs (fan-out, notifications) are all done."""
    started = time.monotonic()
    while pending_jobs(db)[0] and time.monotonic() - started < timeout:
        time.sleep(0.25)
    return time.monotonic() - started


def measure_posting(server: Server, db: Path, args: argparse.Namespace) -> dict[str, Any]:
    """Peak posts/s, then proof that every acknowledged post and its fan-out landed.

    Fan-out may run as background jobs after the post is acknowledged, so the delivered rate
    counts the time until the job queue is empty again.
    """
    tokens = str(side_file(db, ".post_tokens.txt"))
    url = server.base + "/api/v1/statuses"
    run_id = str(int(time.time()))
    print(f"-- post: warm-up {args.warmup}s, then {args.duration}s", flush=True)
    if args.warmup:
        run_wrk(url, "post.lua", {"BENCH_TOKENS": tokens, "BENCH_RUN": run_id + "w"}, args,
                args.warmup)  # fmt: skip
        wait_for_jobs(db)
    before = max_status_id(db)
    usage_before = process_counters(server.proc.pid)
    result = run_wrk(url, "post.lua", {"BENCH_TOKENS": tokens, "BENCH_RUN": run_id}, args,
                     args.duration)  # fmt: skip
    drain = wait_for_jobs(db)
    result["usage"] = usage_since(server.proc.pid, usage_before) if usage_before else {}
    result["load_average"] = os.getloadavg()
    time.sleep(0.5)  # requests still in flight when wrk stopped waiting
    landed = post_counts(db, before)
    acknowledged = result["requests"] - result["errors"]["status"]
    result["landed"] = landed
    result["acknowledged"] = acknowledged
    result["jobs_drain_seconds"] = round(drain, 2)
    result["failed_jobs"] = pending_jobs(db)[1]
    result["delivered_rps"] = round(landed["posts"] / (args.duration + drain), 1)
    result["all_landed"] = (
        landed["posts"] >= acknowledged
        and landed["distinct_texts"] == landed["posts"]
        and landed["feed_rows"] == landed["expected_feed_rows"]
    )
    fan_out = f"{landed['feed_rows']}/{landed['expected_feed_rows']}"
    print(f"   {result['ok_rps']} posts/s acknowledged, {landed['posts']} landed, "
          f"fan-out {fan_out} rows, jobs drained {drain:.1f}s after", flush=True)  # fmt: skip
    return result


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Staffroom benchmark (see bench/README.md).")
    parser.add_argument("--db", type=Path, default=Path("bench/out/bench.sqlite3"))
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--duration", type=float, default=20.0, help="seconds per measurement")
    parser.add_argument("--warmup", type=float, default=5.0)
    parser.add_argument("--connections", type=int, default=16, help="wrk connections")
    parser.add_argument("--skip-post", action="store_true", help="leave the database unchanged")
    parser.add_argument(
        "--pristine", type=Path,
        help="copy this dataset (and its side files) over --db first; a leftover -wal is removed",
    )  # fmt: skip
    parser.add_argument(
        "--keep-all", action="store_true",
        help="mark every follower of the posters active first (fan-out to all ~150)",
    )  # fmt: skip
    parser.add_argument(
        "--profile", type=float, default=0.0, help="seconds of py-spy on home and post"
    )
    parser.add_argument(
        "--profile-idle", action="store_true", help="profile posting with waiting threads too"
    )
    parser.add_argument(
        "--cold", action="store_true",
        help="do not read the database into the page cache before each group of measurements",
    )  # fmt: skip
    parser.add_argument("--out", type=Path, default=HERE / "out")
    parser.add_argument(
        "--only", default="ceilings,home,post", help="comma-separated: ceilings, home, post"
    )
    args = parser.parse_args()
    args.only = set(args.only.split(","))
    two_cpus = (os.cpu_count() or 1) >= 2 and shutil.which("taskset") is not None
    args.server_cpu = 0 if two_cpus else None
    args.client_cpu = 1 if two_cpus else None
    return args


def measure_ceilings(
    server: Server, db: Path, args: argparse.Namespace, results: dict[str, Any]
) -> None:
    base = server.base
    results["trivial"] = measure("trivial", base + "/bench/trivial", "trivial.lua", {}, args)
    accounts = {"BENCH_ACCOUNTS": str(side_file(db, ".home_accounts.txt"))}
    results["raw_home"] = measure("raw_home", base + "/bench/raw_home", "raw_home.lua",
                                  accounts, args)  # fmt: skip


def measure_home(
    server: Server, db: Path, args: argparse.Namespace, results: dict[str, Any]
) -> None:
    home_tokens = side_file(db, ".home_tokens.txt")
    status, body = server.get("/api/v1/timelines/home?limit=20", home_tokens.read_text().split()[0])
    results["home_probe"] = {"status": status, "entries": _entries(body)}
    if status != 200:
        print(f"!! home timeline answered {status}: skipped ({body[:200]!r})", flush=True)
        return
    tokens = {"BENCH_TOKENS": str(home_tokens)}
    home_url = server.base + "/api/v1/timelines/home?limit=20"
    # One request per user first: a user's first request of the hour records last_active_at
    # (a write). A real user does that once an hour, not once a second.
    users = len(home_tokens.read_text().split())
    print("-- home: one request per active user (first-request writes)", flush=True)
    results["home_prime"] = open_loop(home_url, home_tokens, 100, users / 100, 0, args)
    peak = measure("home", home_url, "home.lua", tokens, args)
    results["home"] = peak
    half = peak["ok_rps"] / 2
    results["home_fixed"] = open_loop(home_url, home_tokens, half, args.duration, 3, args)
    # the floor of that latency: the generator and the server doing nothing at the same rate
    results["trivial_fixed"] = open_loop(
        server.base + "/bench/trivial", None, half, args.duration, 3, args
    )
    if args.profile:
        results["home_profile"] = profile_endpoint(
            server.proc.pid, lambda s: run_wrk(home_url, "home.lua", tokens, args, s),
            args.profile, args.out / "home-profile",
        )  # fmt: skip


def main() -> None:
    args = parse_args()
    db: Path = args.db.resolve()
    if args.pristine:
        # A WAL left beside --db would be replayed onto the copy and corrupt it.
        from fanout_lag import copy_dataset

        print(f"-- copying {args.pristine} to {db}", flush=True)
        copy_dataset(args.pristine.resolve(), db)
    if not db.exists():
        raise SystemExit(f"{db} not found: run bench/dataset.py first")
    args.out.mkdir(parents=True, exist_ok=True)
    manifest = json.loads(side_file(db, ".manifest.json").read_text())
    print(f"-- migrating {db} to the current schema", flush=True)
    migrate(f"sqlite:///{db}")
    if args.keep_all:
        print(f"-- every posters' follower active: {keep_all_followers(db)} kept timelines")
    load_before = os.getloadavg()
    if load_before[0] > 0.7:
        print(f"!! load average {load_before[0]:.2f}: other work on this machine skews the figures")
    server = Server(db, args.port, args.server_cpu, args.out / "server.log")
    results: dict[str, Any] = {}
    args.server_pid = server.proc.pid
    warmed: dict[str, float] = {}
    results["page_cache_warm_seconds"] = warmed
    try:
        server.wait_ready()
        if "ceilings" in args.only:
            warmed["ceilings"] = warm(db, args)
            measure_ceilings(server, db, args, results)
        if "home" in args.only:
            warmed["home"] = warm(db, args)
            measure_home(server, db, args, results)
        if "post" in args.only and not args.skip_post:
            warmed["post"] = warm(db, args)
            results["post"] = measure_posting(server, db, args)
            if args.profile:
                post_env = {"BENCH_TOKENS": str(side_file(db, ".post_tokens.txt")),
                            "BENCH_RUN": f"p{int(time.time())}"}  # fmt: skip
                results["post_profile"] = profile_endpoint(
                    server.proc.pid,
                    lambda s: run_wrk(server.base + "/api/v1/statuses", "post.lua", post_env,
                                      args, s),
                    args.profile, args.out / "post-profile", idle=args.profile_idle,
                )  # fmt: skip
    finally:
        server.stop()
    record = {
        "command": " ".join([Path(sys.executable).name, *sys.argv]),
        "commit": git_commit(),
        "when": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "machine": {**machine_facts(), "load_average_before": load_before},
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "dataset": manifest,
        "settings": {k: str(v) for k, v in vars(args).items()},
        "results": results,
        "evaluation": evaluate(results),
    }
    print_table(record)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    for name in (f"result-{stamp}.json", "result-latest.json"):
        (args.out / name).write_text(json.dumps(record, indent=2) + "\n")
    print(f"\nwrote {args.out / f'result-{stamp}.json'}")


def git_commit() -> str:
    """The checked-out commit, with ``+dirty`` when the work tree has changes."""
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=REPO,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=REPO,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return head + ("+dirty" if dirty.strip() else "")  # fmt: skip


def _entries(body: bytes) -> int | None:
    try:
        data = json.loads(body)
    except ValueError:
        return None
    return len(data) if isinstance(data, list) else None


if __name__ == "__main__":
    main()
