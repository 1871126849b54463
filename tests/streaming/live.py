"""A real ``python -m staffroom serve`` process for the streaming tests, and its people.

Jobs run in the server's worker thread (``thread`` mode), as in production. The heartbeat
interval is shortened so heartbeat tests are quick. ``STAFFROOM_REDIS_URL``, when set in the
test run's environment, reaches the server (the Redis broker path).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

from staffroom.db import create_database
from staffroom.services.registration import SignUp, register
from staffroom.services.tokens import issue_token

HEARTBEAT_SECONDS = 0.3


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass(frozen=True)
class Person:
    id: int
    username: str
    token: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


@dataclass
class StreamingServer:
    url: str
    database_url: str
    log_path: Path
    process: subprocess.Popen[bytes]

    @property
    def ws_url(self) -> str:
        return "ws" + self.url[len("http") :] + "/api/v1/streaming"

    @classmethod
    def start(cls, database_url: str, workdir: Path, timeout: float = 20.0) -> StreamingServer:
        port = free_port()
        (workdir / "data").mkdir(parents=True, exist_ok=True)
        log_path = workdir / "server.log"
        env = {
            **os.environ,
            "STAFFROOM_DATABASE_URL": database_url,
            "STAFFROOM_DATA_DIR": str(workdir / "data"),
            "STAFFROOM_RATE_LIMITS": "0",
            "STAFFROOM_SECRET_KEY": "test",
            "STAFFROOM_STREAMING_HEARTBEAT": str(HEARTBEAT_SECONDS),
            "PYTHONUNBUFFERED": "1",
        }
        env.pop("STAFFROOM_BASE_URL", None)
        env.pop("STAFFROOM_JOBS", None)
        command = [sys.executable, "-m", "staffroom", "serve", "--port", str(port)]
        with log_path.open("wb") as log:
            process = subprocess.Popen(
                command, env=env, stdout=log, stderr=subprocess.STDOUT, cwd=workdir
            )
        server = cls(f"http://127.0.0.1:{port}", database_url, log_path, process)
        deadline = time.monotonic() + timeout
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"staffroom serve exited:\n{log_path.read_text()}")
            try:
                if httpx.get(f"{server.url}/api/v1/streaming/health", timeout=2).text == "OK":
                    return server
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                server.stop()
                raise RuntimeError(f"staffroom serve did not start:\n{log_path.read_text()}")
            time.sleep(0.1)

    def person(self, username: str, scopes: str = "read write follow") -> Person:
        """Register ``username`` in the server's database and give them a token."""
        db = create_database(self.database_url, pool_size=1)
        try:
            email = f"{username.lower()}@example.org"
            account_id = register(
                db, SignUp(username=username, email=email, password="correct horse battery")
            )
            token, _ = db.write(
                issue_token, app_id=None, account_id=account_id, scopes=scopes.split()
            )
        finally:
            db.dispose()
        return Person(account_id, username, token)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")[-20000:]

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
