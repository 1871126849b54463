"""Fixtures for scale-out tests: PostgreSQL and Redis (always, whatever engine the suite runs
on), and a :class:`~tests.scaleout.processes.Cluster` of real processes.

Each test gets a fresh migrated PostgreSQL schema (in ``STAFFROOM_TEST_DATABASE_URL`` when
that is a PostgreSQL URL, else ``STAFFROOM_TEST_PG``, else the default
``postgresql://postgres@127.0.0.1/test``) and Redis database 12, flushed before and after.
Unreachable PostgreSQL or Redis is an error, never a skip. Because Redis pub/sub channels are
shared by all databases of a server and database 12 is flushed, a file lock keeps two test
runs on one machine from running these tests at once.
"""

from __future__ import annotations

import fcntl
import os
import tempfile
import time
import uuid
from collections.abc import Callable, Generator, Iterator
from pathlib import Path

import pytest
import redis
from sqlalchemy import Engine, create_engine, text

from staffroom.db import migrate
from tests.scaleout.processes import Cluster

_DEFAULT_PG = "postgresql://postgres@127.0.0.1/test"
REDIS_URL = "redis://127.0.0.1:6379/12"
LOCK_PATH = Path(tempfile.gettempdir()) / "staffroom-scaleout-tests.lock"
LOCK_TIMEOUT = 600.0


def _psycopg(url: str) -> str:
    return url.replace("postgresql://", "postgresql+psycopg://", 1)


def postgres_url() -> str:
    """The suite's PostgreSQL: its test URL, else ``scripts/test``'s, else the default."""
    for name in ("STAFFROOM_TEST_DATABASE_URL", "STAFFROOM_TEST_PG"):
        configured = os.environ.get(name, "").strip()
        if configured.startswith("postgresql"):
            return configured
    return _DEFAULT_PG


@pytest.fixture(scope="session")
def pg_admin() -> Iterator[Engine]:
    engine = create_engine(_psycopg(postgres_url()))
    try:
        with engine.connect() as conn:
            conn.execute(text("select 1"))
    except Exception as exc:
        raise RuntimeError(f"Scale-out tests need PostgreSQL at {postgres_url()}: {exc}") from exc
    yield engine
    engine.dispose()


@pytest.fixture
def pg_url(pg_admin: Engine) -> Iterator[str]:
    """A brand-new migrated PostgreSQL schema for this test, dropped afterwards."""
    schema = f"scaleout_{uuid.uuid4().hex[:12]}"
    with pg_admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    base = _psycopg(postgres_url())
    url = f"{base}{'&' if '?' in base else '?'}options=-csearch_path%3D{schema}"
    try:
        migrate(url)
        yield url
    finally:
        with pg_admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))


@pytest.fixture
def db(pg_url: str) -> Iterator[Engine]:
    """An engine on the test's schema, for setup and for checking what processes wrote."""
    engine = create_engine(pg_url)
    yield engine
    engine.dispose()


@pytest.fixture
def exclusive() -> Iterator[None]:
    """Hold the machine-wide scale-out lock for the test."""
    with LOCK_PATH.open("a") as handle:
        deadline = time.monotonic() + LOCK_TIMEOUT
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"another test run holds {LOCK_PATH}") from None
                time.sleep(0.2)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@pytest.fixture
def redis_client(exclusive: None) -> Iterator[redis.Redis]:
    """Redis database 12, empty at the start of the test."""
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.RedisError as exc:
        raise RuntimeError(f"Scale-out tests need Redis at {REDIS_URL}: {exc}") from exc
    client.flushdb()
    yield client
    client.flushdb()
    client.close()


@pytest.fixture
def cluster_factory(pg_url: str, tmp_path: Path, exclusive: None) -> Iterator[list[Cluster]]:
    """Clusters made by a test (see ``make_cluster``); all their processes stop at teardown."""
    made: list[Cluster] = []
    yield made
    for cluster in made:
        cluster.close()


@pytest.fixture
def make_cluster(
    cluster_factory: list[Cluster], pg_url: str, tmp_path: Path
) -> Callable[..., Cluster]:
    """``make_cluster(redis=True, STAFFROOM_FANOUT_BATCH="50")``: a cluster with no process yet."""

    def make(*, redis: bool = True, **env: str) -> Cluster:
        cluster = Cluster(
            pg_url, REDIS_URL if redis else None, tmp_path / f"cluster{len(cluster_factory)}", env
        )
        cluster_factory.append(cluster)
        return cluster

    return make


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """Attach every process's log to a failed test's report."""
    report = yield
    if report.failed:
        clusters = getattr(item, "funcargs", {}).get("cluster_factory") or []
        for cluster in clusters:
            for name, log in cluster.logs():
                report.sections.append((f"staffroom {name} log", log or "(empty)"))
    return report
