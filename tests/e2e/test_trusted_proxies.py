"""X-Forwarded-For chooses the rate-limit bucket only when it comes from a trusted proxy.

A real ``staffroom serve`` process with Mastodon's rate limits on: by default no proxy is
trusted, so a client cannot spread its requests over invented addresses; with
``STAFFROOM_TRUSTED_PROXIES=127.0.0.1`` (nginx on the same host) each forwarded client has
its own bucket.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.conftest import DatabaseFactory
from tests.e2e.harness import free_port


def _serve(
    database_url: str, workdir: Path, trusted: str | None
) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    env = {
        **os.environ,
        "STAFFROOM_DATABASE_URL": database_url,
        "STAFFROOM_DATA_DIR": str(workdir / "data"),
        "STAFFROOM_RATE_LIMITS": "1",
        "STAFFROOM_SECRET_KEY": "test",
    }
    env.pop("STAFFROOM_BASE_URL", None)
    env.pop("STAFFROOM_TRUSTED_PROXIES", None)
    env.pop("FORWARDED_ALLOW_IPS", None)
    if trusted is not None:
        env["STAFFROOM_TRUSTED_PROXIES"] = trusted
    workdir.mkdir(parents=True, exist_ok=True)
    log = (workdir / "server.log").open("wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "staffroom", "serve", "--no-migrate", "--port", str(port)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        cwd=workdir,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 20
    while True:
        assert process.poll() is None, (workdir / "server.log").read_text()
        try:
            httpx.get(f"{url}/api/v1/streaming/health", timeout=2)
            return process, url
        except httpx.TransportError:
            assert time.monotonic() < deadline, "the server did not start"
            time.sleep(0.1)


@pytest.fixture
def start(database_factory: DatabaseFactory, tmp_path: Path) -> Iterator[object]:
    started: list[subprocess.Popen[bytes]] = []

    def run(trusted: str | None) -> str:
        process, url = _serve(database_factory.fresh(), tmp_path / str(len(started)), trusted)
        started.append(process)
        return url

    yield run
    for process in started:
        process.terminate()
        process.wait(timeout=10)


def _remaining(url: str, forwarded_for: str) -> int:
    response = httpx.get(
        f"{url}/api/v1/instance", headers={"X-Forwarded-For": forwarded_for}, timeout=10
    )
    assert response.status_code == 200
    return int(response.headers["x-ratelimit-remaining"])


def test_forged_forwarded_for_is_ignored_by_default(start: object) -> None:
    url = start(None)  # type: ignore[operator]
    first = _remaining(url, "198.51.100.1")
    second = _remaining(url, "198.51.100.2")
    assert second == first - 1  # one bucket: the real peer's


def test_a_trusted_proxy_forwards_each_clients_address(start: object) -> None:
    url = start("127.0.0.1")  # type: ignore[operator]
    first = _remaining(url, "198.51.100.1")
    second = _remaining(url, "198.51.100.2")
    again = _remaining(url, "198.51.100.1")
    assert second == first  # a bucket of its own
    assert again == first - 1
