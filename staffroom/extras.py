"""Optional engines (Redis, PostgreSQL, S3 object storage) and the extras that install their
client libraries.

The embedded default (SQLite, in-process broker and timelines) needs none of them. Code that
uses an engine imports its client only once it is configured, and :func:`check_engines`
tells a person, in one line, which extra to install when the settings ask for one that is
missing.
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass

from staffroom.config import Settings


class StartupProblem(RuntimeError):
    """Something the settings ask for cannot be used; the message says what, in one line."""


class MissingExtra(StartupProblem):
    """A configured engine's client library is not installed."""


class Unreachable(StartupProblem):
    """A configured engine does not answer."""


@dataclass(frozen=True, slots=True)
class Engine:
    name: str
    module: str
    extra: str
    setting: str


REDIS = Engine("Redis", "redis", "redis", "STAFFROOM_REDIS_URL")
POSTGRESQL = Engine("PostgreSQL", "psycopg", "postgresql", "STAFFROOM_DATABASE_URL")
S3 = Engine("S3 object storage", "boto3", "s3", "STAFFROOM_S3_BUCKET")


def missing_message(engine: Engine) -> str:
    """The one-line explanation and fix for ``engine``'s missing client."""
    return (
        f"{engine.setting} asks for {engine.name}, but its client library ({engine.module}) "
        f"is not installed: pip install 'staffroom[{engine.extra}]'"
    )


def require(engine: Engine) -> None:
    """Raise :class:`MissingExtra` unless ``engine``'s client library can be imported."""
    if importlib.util.find_spec(engine.module) is None:
        raise MissingExtra(missing_message(engine))


def engines_for(settings: Settings) -> list[Engine]:
    """The optional engines ``settings`` configure."""
    wanted = []
    if settings.database_url.startswith("postgresql"):
        wanted.append(POSTGRESQL)
    if settings.redis_url:
        wanted.append(REDIS)
    if settings.s3_bucket:
        wanted.append(S3)
    return wanted


def check_engines(settings: Settings) -> None:
    """Raise :class:`MissingExtra` for the first configured engine that is not installed."""
    for engine in engines_for(settings):
        require(engine)


def check_reachable(settings: Settings, timeout: int = 5) -> None:
    """Raise :class:`Unreachable` unless every configured server engine answers now.

    ``staffroom serve`` and ``staffroom worker`` call this before they say they are running,
    so a server that cannot work refuses to start with one line naming the problem."""
    check_engines(settings)
    if settings.database_url.startswith("postgresql"):
        _ping_postgresql(settings.database_url, timeout)
    if settings.redis_url:
        _ping_redis(settings.redis_url, timeout)


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


def _ping_postgresql(url: str, timeout: int) -> None:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    shown = make_url(url).render_as_string(hide_password=True)
    driver_url = make_url(url).set(drivername="postgresql+psycopg")
    engine = create_engine(driver_url, connect_args={"connect_timeout": timeout})
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception as exc:
        cause = getattr(exc, "orig", None) or exc
        raise Unreachable(f"cannot reach PostgreSQL at {shown}: {_first_line(cause)}") from None
    finally:
        engine.dispose()


def _ping_redis(url: str, timeout: int) -> None:
    import redis

    client = redis.Redis.from_url(url, socket_connect_timeout=timeout, socket_timeout=timeout)
    try:
        client.ping()
    except Exception as exc:
        shown = url.split("@")[-1] if "@" in url else url
        raise Unreachable(f"cannot reach Redis at {shown}: {_first_line(exc)}") from None
    finally:
        client.close()
