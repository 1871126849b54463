"""Real Staffroom processes for scale-out tests: web servers and workers on one database.

A :class:`Cluster` shares one PostgreSQL schema, one Redis database (or none: the SQL
timeline store), one secret key and one public URL (``STAFFROOM_BASE_URL``, the address of
the first web process, as a reverse proxy in front of all of them would have) between every
process it starts. Web processes run ``python -m staffroom serve --no-migrate`` with
``STAFFROOM_JOBS=external``; workers run ``python -m staffroom worker``. Each process logs to
its own file; ``close`` stops whatever is still running.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

import httpx

T = TypeVar("T")
SECRET_KEY = "scale-out-test-secret"
READY_TIMEOUT = 30.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def eventually(check: Callable[[], T], timeout: float = 10.0, interval: float = 0.05) -> T:
    """Retry ``check`` until it stops raising ``AssertionError`` (or ``timeout`` passes)."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            return check()
        except AssertionError:
            if time.monotonic() > deadline:
                raise
            time.sleep(interval)


@dataclass
class StaffroomProcess:
    """One running ``staffroom serve`` or ``staffroom worker``."""

    name: str
    process: subprocess.Popen[bytes]
    log_path: Path
    url: str = ""  # web processes only

    @property
    def alive(self) -> bool:
        return self.process.poll() is None

    def log(self, tail: int = 20_000) -> str:
        text = self.log_path.read_text(errors="replace") if self.log_path.exists() else ""
        return text[-tail:]

    def kill(self) -> None:
        """``kill -9``: no clean-up, no goodbye (a crash or a lost host)."""
        if self.alive:
            self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self, grace: float = 5.0) -> None:
        """SIGTERM, then SIGKILL if it has not exited within ``grace`` seconds."""
        if self.alive:
            self.process.terminate()
            try:
                self.process.wait(timeout=grace)
            except subprocess.TimeoutExpired:
                self.kill()


@dataclass
class Cluster:
    """Processes of one Staffroom instance; ``extra_env`` applies to every process started."""

    database_url: str
    redis_url: str | None
    workdir: Path
    extra_env: dict[str, str] = field(default_factory=dict)
    public_port: int = field(default_factory=free_port)
    processes: list[StaffroomProcess] = field(default_factory=list)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.public_port}"

    def env(self, **overrides: str) -> dict[str, str]:
        """The environment of a process: nothing inherited from the caller's STAFFROOM_*."""
        env = {k: v for k, v in os.environ.items() if not k.startswith("STAFFROOM_")}
        env.update(
            STAFFROOM_DATABASE_URL=self.database_url,
            STAFFROOM_DATA_DIR=str(self.workdir / "data"),
            STAFFROOM_SECRET_KEY=SECRET_KEY,
            STAFFROOM_BASE_URL=self.base_url,
            STAFFROOM_RATE_LIMITS="0",
            STAFFROOM_JOBS="external",
            PYTHONUNBUFFERED="1",
        )
        if self.redis_url:
            env["STAFFROOM_REDIS_URL"] = self.redis_url
        env.update(self.extra_env)
        env.update(overrides)
        return env

    def _spawn(self, name: str, args: list[str], env: dict[str, str]) -> StaffroomProcess:
        self.workdir.mkdir(parents=True, exist_ok=True)
        log_path = self.workdir / f"{name}.log"
        with log_path.open("ab") as log:
            process = subprocess.Popen(
                [sys.executable, "-m", "staffroom", *args],
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                cwd=self.workdir,
                start_new_session=True,  # a signal to the test run does not reach it
            )
        started = StaffroomProcess(name, process, log_path)
        self.processes.append(started)
        return started

    def _wait_ready(self, started: StaffroomProcess, ready: Callable[[], bool]) -> None:
        deadline = time.monotonic() + READY_TIMEOUT
        while not ready():
            if not started.alive:
                raise RuntimeError(
                    f"{started.name} exited with {started.process.returncode}:\n{started.log()}"
                )
            if time.monotonic() > deadline:
                started.kill()
                raise RuntimeError(
                    f"{started.name} not ready within {READY_TIMEOUT}s:\n{started.log()}"
                )
            time.sleep(0.05)

    def start_web(self, **env: str) -> StaffroomProcess:
        """A web process; the first one listens on the public port. Waits until it answers."""
        port = self.public_port if not self.webs else free_port()
        name = f"web{len(self.webs) + 1}"
        args = ["serve", "--host", "127.0.0.1", "--port", str(port), "--no-migrate"]
        started = self._spawn(name, args, self.env(**env))
        started.url = f"http://127.0.0.1:{port}"

        def answers() -> bool:
            try:
                return httpx.get(f"{started.url}/api/v1/instance", timeout=2).status_code == 200
            except httpx.TransportError:
                return False

        self._wait_ready(started, answers)
        return started

    def start_worker(self, **env: str) -> StaffroomProcess:
        """A ``staffroom worker`` process; waits until it reports that it is running."""
        name = f"worker{len(self.workers) + 1}"
        started = self._spawn(name, ["worker"], self.env(**env))
        self._wait_ready(started, lambda: "worker running" in started.log())
        return started

    @property
    def webs(self) -> list[StaffroomProcess]:
        return [p for p in self.processes if p.url]

    @property
    def workers(self) -> list[StaffroomProcess]:
        return [p for p in self.processes if not p.url]

    def logs(self) -> list[tuple[str, str]]:
        """(name, log tail) of every process, for failure reports."""
        return [(p.name, p.log()) for p in self.processes]

    def close(self) -> None:
        for started in self.processes:
            started.stop()
