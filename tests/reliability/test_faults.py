"""Infrastructure faults answer clearly (507, 503 + Retry-After), and everything recovers.

Storage runs out through SQLite's own ``max_page_count`` on the writer's connection; Redis is
a private ``redis-server`` this test starts, stops and starts again; PostgreSQL's connections
are terminated from the server side, as a restart does. No acknowledged post may be lost.
"""

from __future__ import annotations

import errno
import os
import shutil
import socket
import sqlite3
import subprocess
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Connection, create_engine, text
from starlette.testclient import TestClient

from staffroom import faults
from staffroom.app import create_app
from staffroom.config import RateLimits, Settings
from staffroom.db import migrate
from staffroom.runtime import Runtime
from staffroom.services.registration import SignUp, register
from staffroom.services.tokens import issue_token
from tests.e2e.harness import free_port

PG_URL = os.environ.get("STAFFROOM_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test")


def test_faults_are_classified_by_what_went_wrong() -> None:
    full = sqlite3.OperationalError("database or disk is full")
    locked = sqlite3.OperationalError("database is locked")
    nospace = OSError(errno.ENOSPC, "No space left on device")
    redis_down = type("ConnectionError", (Exception,), {"__module__": "redis.exceptions"})()
    pg_down = type("AdminShutdown", (Exception,), {"sqlstate": "57P01"})()
    pg_full = type("DiskFull", (Exception,), {"sqlstate": "53100"})()
    pg_range = type("NumericValueOutOfRange", (Exception,), {"sqlstate": "22003"})()
    wrapped = RuntimeError("wrapper")
    wrapped.__cause__ = full

    assert faults.classify(full) is faults.STORAGE_FULL
    assert faults.classify(nospace) is faults.STORAGE_FULL
    assert faults.classify(pg_full) is faults.STORAGE_FULL
    assert faults.classify(wrapped) is faults.STORAGE_FULL
    assert faults.classify(locked) is faults.BUSY
    assert faults.classify(redis_down) is faults.REDIS_DOWN
    assert faults.classify(pg_down) is faults.DATABASE_DOWN
    assert faults.classify(pg_range) is faults.BAD_VALUE
    assert faults.classify(OverflowError("Python int too large to convert to SQLite INTEGER"))
    assert faults.classify(KeyError("x")) is faults.BUG


def _settings(tmp_path: Path, database_url: str, redis_url: str | None = None) -> Settings:
    return Settings(
        data_dir=tmp_path / "data",
        database_url=database_url,
        base_url="http://testserver",
        secret_key="test-secret-key",
        redis_url=redis_url,
        rate_limits=RateLimits(enabled=redis_url is not None),
        jobs_mode="inline",
    )


def _client_and_token(rt: Runtime, name: str = "alice") -> tuple[TestClient, dict[str, str]]:
    account_id = register(
        rt.db, SignUp(username=name, email=f"{name}@example.org", password="x" * 16)
    )
    raw, _ = rt.db.write(issue_token, app_id=None, account_id=account_id, scopes=["read", "write"])
    client = TestClient(create_app(runtime=rt), raise_server_exceptions=False)
    return client, {"Authorization": f"Bearer {raw}"}


def _post(
    client: TestClient, headers: dict[str, str], n: int
) -> tuple[int, str | None, dict[str, str]]:
    response = client.post("/api/v1/statuses", headers=headers, json={"status": f"post {n}"})
    body = response.json()
    return (
        response.status_code,
        body.get("id") if response.status_code == 200 else body.get("error"),
        dict(response.headers),
    )


def _post_some(client: TestClient, headers: dict[str, str], count: int) -> list[str]:
    """Post ``count`` times, each answered 200; the acknowledged IDs."""
    acknowledged = []
    for n in range(count):
        status, value, _ = _post(client, headers, n)
        assert status == 200, value
        acknowledged.append(str(value))
    return acknowledged


def _all_present(client: TestClient, headers: dict[str, str], ids: list[str]) -> None:
    for status_id in ids:
        found = client.get(f"/api/v1/statuses/{status_id}", headers=headers)
        assert found.status_code == 200, f"acknowledged post {status_id} is gone"


def test_storage_full_answers_507_reads_go_on_and_writes_recover(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'full.sqlite3'}"
    migrate(url)
    rt = Runtime.build(_settings(tmp_path, url))
    client, headers = _client_and_token(rt)
    with client:
        acknowledged = _post_some(client, headers, 5)

        def cap(conn: Connection) -> None:  # the writer's own connection
            pages = conn.exec_driver_sql("PRAGMA page_count").scalar()
            conn.exec_driver_sql(f"PRAGMA max_page_count = {pages}")

        rt.db.write(cap)
        refused = None
        for n in range(5, 2000):
            status, value, _ = _post(client, headers, n)
            if status == 200:
                acknowledged.append(str(value))
                continue
            refused = (status, value)
            break
        assert refused is not None, "the capped database never filled up"
        assert refused[0] == 507, refused
        assert "storage is full" in str(refused[1])

        public = client.get("/api/v1/timelines/public", headers=headers)
        assert public.status_code == 200  # reading still works
        rt.db.write(lambda conn: conn.exec_driver_sql("PRAGMA max_page_count = 1073741823"))
        status, value, _ = _post(client, headers, 9999)
        assert status == 200, value  # no restart needed
        acknowledged.append(str(value))
        _all_present(client, headers, acknowledged)


class PrivateRedis:
    """A redis-server of this test's own, which it can stop and start on the same port."""

    def __init__(self, directory: Path) -> None:
        binary = shutil.which("redis-server")
        if binary is None:
            pytest.fail("redis-server is required for the Redis fault test")
        self.binary = binary
        self.directory = directory
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(self.directory)],
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + 10
        while socket.socket().connect_ex(("127.0.0.1", self.port)) != 0:
            assert time.monotonic() < deadline, "redis-server did not start"
            time.sleep(0.05)

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None


@pytest.fixture
def private_redis(tmp_path: Path) -> Iterator[PrivateRedis]:
    server = PrivateRedis(tmp_path)
    server.start()
    yield server
    server.stop()


def test_redis_stopped_answers_503_then_everything_recovers(
    tmp_path: Path, private_redis: PrivateRedis, database_url: str
) -> None:
    rt = Runtime.build(_settings(tmp_path, database_url, private_redis.url))
    client, headers = _client_and_token(rt)
    with client:
        acknowledged = _post_some(client, headers, 3)
        assert client.get("/api/v1/timelines/home", headers=headers).status_code == 200

        private_redis.stop()
        status, value, response_headers = _post(client, headers, 100)
        home = client.get("/api/v1/timelines/home", headers=headers)
        sign_in = client.post("/oauth/token", data={"grant_type": "password"})
        public = client.get("/api/v1/timelines/public")  # needs no Redis but its rate limit
        assert status == 503, value
        assert response_headers.get("retry-after")
        assert "Redis" in str(value)
        assert home.status_code == 503
        assert sign_in.status_code == 503, sign_in.text  # logins fail closed
        assert sign_in.headers.get("retry-after")
        assert public.status_code == 200  # ordinary requests fail open

        private_redis.start()  # empty, as after a restart: timelines rebuild from the database
        deadline = time.monotonic() + 30
        while True:
            status, value, _ = _post(client, headers, 200)
            if status == 200 or time.monotonic() > deadline:
                break
            time.sleep(0.2)  # the Redis client reconnects on its next command
        assert status == 200, value
        acknowledged.append(str(value))
        home = client.get("/api/v1/timelines/home", headers=headers, params={"limit": 40})
        assert home.status_code == 200
        assert set(acknowledged) <= {s["id"] for s in home.json()}
        _all_present(client, headers, acknowledged)


@pytest.fixture
def pg_schema_url() -> Iterator[str]:
    admin = create_engine(PG_URL.replace("postgresql://", "postgresql+psycopg://", 1))
    schema = f"faults_{uuid.uuid4().hex[:10]}"
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    base = PG_URL.replace("postgresql://", "postgresql+psycopg://", 1)
    options = f"options=-csearch_path%3D{schema}%20-capplication_name%3D{schema}"
    url = f"{base}{'&' if '?' in base else '?'}{options}"
    migrate(url)
    yield url
    with admin.begin() as conn:
        conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


def _terminate_backends(application_name: str) -> int:
    admin = create_engine(PG_URL.replace("postgresql://", "postgresql+psycopg://", 1))
    try:
        with admin.begin() as conn:
            return len(
                conn.execute(
                    text(
                        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                        "WHERE application_name = :name AND pid <> pg_backend_pid()"
                    ),
                    {"name": application_name},
                ).all()
            )
    finally:
        admin.dispose()


def test_postgresql_restart_gives_503_at_most_and_recovers(
    tmp_path: Path, pg_schema_url: str
) -> None:
    rt = Runtime.build(_settings(tmp_path, pg_schema_url))
    application_name = pg_schema_url.rsplit("application_name%3D", 1)[1]
    client, headers = _client_and_token(rt)
    answers: list[int] = []
    with client:
        acknowledged = _post_some(client, headers, 3)
        for round_ in range(3):
            assert _terminate_backends(application_name) > 0
            for n in range(5):
                status, value, response_headers = _post(client, headers, 1000 * round_ + n)
                answers.append(status)
                if status == 200:
                    acknowledged.append(str(value))
                else:
                    assert status == 503, value
                    assert response_headers.get("retry-after")
                    assert "database" in str(value)
        print("answers after each termination:", answers)
        assert answers[-1] == 200  # recovered by itself
        assert answers.count(200) >= len(answers) - 3  # at most the one broken connection
        _all_present(client, headers, acknowledged)
    rt.close()
