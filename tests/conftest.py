"""Shared fixtures: a fresh migrated database per test (SQLite or PostgreSQL), the app, users.

The database engine comes from ``STAFFROOM_TEST_DATABASE_URL``: unset means SQLite files in a
temporary directory; a ``postgresql://`` URL means a private schema in that database, created
for this test session and dropped at its end. PostgreSQL being unreachable is an error, never
a skip.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from starlette.testclient import TestClient

from staffroom import clock
from staffroom.app import create_app
from staffroom.config import RateLimits, Settings
from staffroom.db import migrate
from staffroom.db.tables import metadata
from staffroom.runtime import Runtime
from staffroom.services.registration import SignUp, register
from staffroom.services.tokens import issue_token

TEST_DB = os.environ.get("STAFFROOM_TEST_DATABASE_URL", "").strip()
BASE_URL = "http://testserver"
SHARED = Path(__file__).resolve().parents[1].parent / "shared"


def _pg_url(schema: str) -> str:
    base = TEST_DB.replace("postgresql://", "postgresql+psycopg://", 1)
    sep = "&" if "?" in base else "?"
    return f"{base}{sep}options=-csearch_path%3D{schema}"


class DatabaseFactory:
    """Hands out fresh, migrated databases: copies of a template (SQLite) or schemas (PG)."""

    def __init__(self, tmp: Path) -> None:
        self.tmp = tmp
        self.schemas: list[str] = []
        self.template: Path | None = None
        self.pg = TEST_DB.startswith("postgresql")
        if self.pg:
            self.admin = create_engine(TEST_DB.replace("postgresql://", "postgresql+psycopg://", 1))
            try:
                with self.admin.connect() as conn:
                    conn.execute(text("select 1"))
            except Exception as exc:  # pragma: no cover - environment problem
                raise RuntimeError(f"PostgreSQL test database unreachable: {exc}") from exc
        else:
            self.template = tmp / "template.sqlite3"
            migrate(f"sqlite:///{self.template}")

    def new_schema_url(self) -> str:
        schema = f"t_{uuid.uuid4().hex[:12]}"
        with self.admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        self.schemas.append(schema)
        url = _pg_url(schema)
        migrate(url)
        return url

    def fresh(self) -> str:
        """A URL to a brand-new migrated database."""
        if self.pg:
            return self.new_schema_url()
        assert self.template is not None
        path = self.tmp / f"db-{uuid.uuid4().hex[:12]}.sqlite3"
        shutil.copyfile(self.template, path)
        return f"sqlite:///{path}"

    def close(self) -> None:
        if self.pg:
            with self.admin.begin() as conn:
                for schema in self.schemas:
                    conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
            self.admin.dispose()


@pytest.fixture(scope="session")
def database_factory(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DatabaseFactory]:
    factory = DatabaseFactory(tmp_path_factory.mktemp("databases"))
    yield factory
    factory.close()


@pytest.fixture(scope="session")
def _pg_shared_url(database_factory: DatabaseFactory) -> str | None:
    return database_factory.new_schema_url() if database_factory.pg else None


@pytest.fixture
def database_url(database_factory: DatabaseFactory, _pg_shared_url: str | None) -> str:
    """A clean database for one test (PG: one session schema, emptied before each test)."""
    if _pg_shared_url is None:
        return database_factory.fresh()
    engine = create_engine(_pg_shared_url)
    names = ", ".join(f'"{t.name}"' for t in metadata.sorted_tables)
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {names} CASCADE"))
    engine.dispose()
    return _pg_shared_url


@pytest.fixture
def fresh_database_url(database_factory: DatabaseFactory) -> Callable[[], str]:
    """Factory of independent migrated databases (e.g. for a server subprocess)."""
    return database_factory.fresh


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return Settings(
        data_dir=tmp_path / "data",
        database_url=database_url,
        base_url=BASE_URL,
        secret_key="test-secret-key",
        rate_limits=RateLimits(enabled=False),
        jobs_mode="inline",
    )


@pytest.fixture
def runtime(settings: Settings) -> Iterator[Runtime]:
    rt = Runtime.build(settings)
    yield rt
    rt.close()


@pytest.fixture
def client(runtime: Runtime) -> Iterator[TestClient]:
    app = create_app(runtime=runtime)
    with TestClient(app, base_url=BASE_URL, raise_server_exceptions=False) as c:
        yield c


@dataclass
class User:
    """A registered account with a full-scope token."""

    id: int
    username: str
    email: str
    password: str
    token: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


@pytest.fixture
def make_user(runtime: Runtime) -> Callable[..., User]:
    """``make_user("alice")`` registers alice and gives her a read/write/follow/push token."""

    def make(
        username: str,
        *,
        password: str = "correct horse battery",
        scopes: str = "read write follow push",
    ) -> User:
        email = f"{username.lower()}@example.org"
        account_id = register(runtime.db, SignUp(username=username, email=email, password=password))
        raw, _ = runtime.db.write(
            issue_token, app_id=None, account_id=account_id, scopes=scopes.split()
        )
        return User(account_id, username, email, password, raw)

    return make


CLOCK_START = datetime(2026, 12, 10, 17, 0, tzinfo=UTC)


class ServerClock:
    """The time as the server sees it: starts at ``CLOCK_START``, moves only when told."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.now = CLOCK_START
        monkeypatch.setattr(clock, "now", lambda: self.now)

    def advance(self, **delta: float) -> None:
        """Move the server's time forward by ``timedelta(**delta)``."""
        self.now += timedelta(**delta)


@pytest.fixture
def server_clock(monkeypatch: pytest.MonkeyPatch) -> ServerClock:
    """Freeze the server's clock at ``CLOCK_START`` for this test."""
    return ServerClock(monkeypatch)
