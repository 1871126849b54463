"""Processes the issue-3 benchmarks start and watch: Staffroom servers and workers, a private
Redis, the machine's load, and per-process CPU time.

Every process is started with its own log file under the output directory, optionally pinned
to one CPU (``taskset``), and stopped by its own PID (never by name).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
PG_ADMIN_URL = "postgresql://postgres@127.0.0.1/postgres"
TICKS = os.sysconf("SC_CLK_TCK")

BENCH_SECRET_KEY = "bench-secret-key"  # what benchmarked servers sign cookies with


def two_cpus() -> bool:
    """Whether there are two CPUs to pin the server and the load generator apart."""
    return (os.cpu_count() or 1) >= 2 and shutil.which("taskset") is not None


def pinned(cpu: int | None, command: list[str]) -> list[str]:
    return ["taskset", "-c", str(cpu), *command] if cpu is not None else command


def load_average() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def uptime() -> str:
    """``uptime``'s line, recorded beside every figure."""
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds a process (all its threads) has used so far; 0 if gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError):
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime, stime


def machine_busy_seconds() -> float:
    """CPU seconds all CPUs have spent busy since boot (``/proc/stat``: all but idle, iowait)."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)
    return (sum(fields[:8]) - idle) / TICKS


def percentile(sorted_values: list[float], pct: float) -> float:
    """Nearest-rank percentile of an already sorted list (NaN when empty)."""
    if not sorted_values:
        return float("nan")
    index = min(len(sorted_values) - 1, max(0, round(pct / 100 * len(sorted_values)) - 1))
    return sorted_values[index]


def summary_ms(values_seconds: list[float]) -> dict[str, float]:
    """p50/p90/p99/max (and count) of durations given in seconds, in milliseconds."""
    ordered = sorted(values_seconds)
    out = {
        name: round(percentile(ordered, pct) * 1000, 2)
        for name, pct in (("p50", 50), ("p90", 90), ("p99", 99), ("max", 100))
    }
    out["count"] = len(ordered)
    return out


@dataclass
class Proc:
    """A process started by a benchmark, with its log."""

    name: str
    popen: subprocess.Popen[bytes]
    log_path: Path
    url: str = ""

    @property
    def pid(self) -> int:
        return self.popen.pid

    def alive(self) -> bool:
        return self.popen.poll() is None

    def log_tail(self, chars: int = 3000) -> str:
        text = self.log_path.read_text(errors="replace") if self.log_path.exists() else ""
        return text[-chars:]

    def stop(self, grace: float = 15.0) -> None:
        if self.alive():
            self.popen.terminate()
            try:
                self.popen.wait(timeout=grace)
            except subprocess.TimeoutExpired:
                self.popen.kill()
                self.popen.wait(timeout=10)


def spawn(name: str, command: list[str], env: dict[str, str], out: Path) -> Proc:
    out.mkdir(parents=True, exist_ok=True)
    log_path = out / f"{name}.log"
    with log_path.open("wb") as log:
        popen = subprocess.Popen(command, env=env, cwd=REPO, stdout=log, stderr=subprocess.STDOUT)
    return Proc(name, popen, log_path)


def staffroom_env(
    database_url: str,
    base_url: str,
    out: Path,
    *,
    redis_url: str | None = None,
    jobs: str = "thread",
    **extra: str,
) -> dict[str, str]:
    """The environment of a benchmarked Staffroom process (nothing inherited STAFFROOM_*)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("STAFFROOM_")}
    env.update(
        STAFFROOM_DATABASE_URL=database_url,
        STAFFROOM_BASE_URL=base_url,
        STAFFROOM_RATE_LIMITS="0",
        STAFFROOM_BENCH_ROUTES="1",
        STAFFROOM_SECRET_KEY=BENCH_SECRET_KEY,
        STAFFROOM_DATA_DIR=str(out / "data"),
        STAFFROOM_JOBS=jobs,
        PYTHONUNBUFFERED="1",
    )
    if redis_url:
        env["STAFFROOM_REDIS_URL"] = redis_url
    env.update(extra)
    return env


def wait_http(proc: Proc, url: str, timeout: float = 60.0) -> None:
    """Wait until ``url`` answers 200 (raises with the log if the process dies)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not proc.alive():
            raise SystemExit(f"{proc.name} exited:\n{proc.log_tail()}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except (OSError, urllib.error.HTTPError):
            time.sleep(0.2)
    raise SystemExit(f"{proc.name} did not answer {url} in {timeout:.0f}s:\n{proc.log_tail()}")


def start_serve(name: str, env: dict[str, str], port: int, cpu: int | None, out: Path) -> Proc:
    """``python -m staffroom serve --no-migrate`` on ``port``; returns once it answers."""
    command = [sys.executable, "-m", "staffroom", "serve", "--port", str(port), "--no-migrate"]
    proc = spawn(name, pinned(cpu, command), env, out)
    proc.url = f"http://127.0.0.1:{port}"
    wait_http(proc, proc.url + "/api/v1/streaming/health")
    return proc


def start_worker(
    name: str, env: dict[str, str], cpu: int | None, out: Path, threads: int = 1
) -> Proc:
    """``python -m staffroom worker``; returns once it says it is running."""
    command = [sys.executable, "-m", "staffroom", "worker", "--threads", str(threads)]
    proc = spawn(name, pinned(cpu, command), env, out)
    deadline = time.monotonic() + 60
    while "worker running" not in proc.log_tail():
        if not proc.alive() or time.monotonic() > deadline:
            proc.stop()
            raise SystemExit(f"{name} did not start:\n{proc.log_tail()}")
        time.sleep(0.1)
    return proc


@dataclass
class PrivateRedis:
    """A throw-away ``redis-server`` on its own port (no persistence), so that the benchmark
    neither disturbs nor is disturbed by the shared one."""

    port: int
    out: Path
    proc: Proc | None = field(default=None, init=False)

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> PrivateRedis:
        command = [
            "redis-server",
            "--port",
            str(self.port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(self.out),
        ]
        self.proc = spawn(f"redis-{self.port}", command, dict(os.environ), self.out)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            done = subprocess.run(
                ["redis-cli", "-p", str(self.port), "ping"], capture_output=True, text=True
            )
            if done.stdout.strip() == "PONG":
                return self
            time.sleep(0.1)
        raise SystemExit(f"redis-server on {self.port} did not start:\n{self.proc.log_tail()}")

    def flush(self) -> None:
        subprocess.run(
            ["redis-cli", "-p", str(self.port), "flushall"], check=True, capture_output=True
        )

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.stop()


class CpuWatch:
    """CPU seconds used by a set of processes over a window, including short-lived ones.

    ``pids()`` is called every ``interval`` seconds (e.g. to list PostgreSQL backends, which
    come and go with connection pools); a process first seen after the start counts from
    zero, and one that exits counts up to its last sample (a slight undercount).
    """

    def __init__(self, pids: Callable[[], list[tuple[str, int]]], interval: float = 0.25) -> None:
        self._pids = pids
        self._interval = interval
        self._first: dict[tuple[str, int], float] = {}
        self._last: dict[tuple[str, int], float] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._started = 0.0
        self._machine = 0.0
        self.seconds = 0.0
        self.machine = 0.0

    def _sample(self, initial: bool) -> None:
        for name, pid in self._pids():
            used = cpu_seconds(pid)
            key = (name, pid)
            if key not in self._first:
                self._first[key] = used if initial else 0.0
            if used >= self._last.get(key, 0.0):
                self._last[key] = used

    def _run(self) -> None:
        while not self._stop.wait(self._interval):
            self._sample(False)

    def __enter__(self) -> CpuWatch:
        self._sample(True)
        self._machine = machine_busy_seconds()
        self._started = time.monotonic()
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self._sample(False)
        self.seconds = time.monotonic() - self._started
        self.machine = machine_busy_seconds() - self._machine

    def percent_of_one_core(self) -> dict[str, float]:
        """Per name (PIDs of one name summed): CPU used as a share of one core; ``machine``:
        every process on the machine (at most 100 x CPUs); ``others``: the machine less the
        watched processes (other work on the machine, if every process of the benchmark is
        watched)."""
        used: dict[str, float] = {}
        for key, last in self._last.items():
            used[key[0]] = used.get(key[0], 0.0) + last - self._first[key]
        used["machine"] = self.machine
        used["others"] = self.machine - sum(v for k, v in used.items() if k != "machine")
        return {k: round(100 * v / max(self.seconds, 1e-9), 1) for k, v in used.items()}


class PostgresBackends:
    """Lists the PIDs of the PostgreSQL backends connected to one database (one admin
    connection kept open, so that listing them does not start backends of its own)."""

    def __init__(self, database: str) -> None:
        import psycopg

        self.database = database
        self._conn = psycopg.connect(PG_ADMIN_URL, autocommit=True)

    def __call__(self) -> list[int]:
        rows = self._conn.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s", (self.database,)
        ).fetchall()
        return [int(r[0]) for r in rows]

    def close(self) -> None:
        self._conn.close()


def clone_database(template: str, target: str) -> None:
    """``CREATE DATABASE target TEMPLATE template`` (dropping ``target`` first), then apply
    any migration newer than the template."""
    import psycopg

    from staffroom.db import migrate

    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{target}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{target}" TEMPLATE "{template}"')
    migrate(PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{target}")


def start_wrk(
    url: str,
    script: str,
    env: dict[str, str],
    connections: int,
    seconds: float,
    cpu: int | None = None,
) -> subprocess.Popen[str]:
    """Start ``wrk -t1 -c<connections>`` with one of ``bench/lua/*.lua`` (non-blocking)."""
    command = [
        "wrk",
        "-t1",
        f"-c{connections}",
        f"-d{int(seconds)}s",
        "--latency",
        "-s",
        str(HERE / "lua" / script),
        url,
    ]
    full_env = {**os.environ, "BENCH_LUA_DIR": str(HERE / "lua"), **env}
    return subprocess.Popen(
        pinned(cpu, command),
        env=full_env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def wrk_result(popen: subprocess.Popen[str]) -> dict[str, object]:
    """Wait for a ``start_wrk`` process; its summary with ``rps`` and ``ok_rps`` added."""
    import json

    stdout, stderr = popen.communicate()
    for line in stdout.splitlines():
        if line.startswith("BENCH_JSON "):
            result: dict[str, object] = json.loads(line[len("BENCH_JSON ") :])
            seconds = float(result["duration_us"]) / 1e6  # type: ignore[arg-type]
            errors = result["errors"]
            requests = int(result["requests"])  # type: ignore[call-overload]
            ok = requests - int(errors["status"])  # type: ignore[index]
            result["rps"] = round(requests / seconds, 1)
            result["ok_rps"] = round(ok / seconds, 1)
            return result
    raise SystemExit(f"wrk printed no result:\n{stdout}\n{stderr}")
