"""Optional engines (Redis, PostgreSQL) and the extras that install their client libraries.

The embedded default (SQLite, in-process broker and timelines) needs none of them. Code that
uses an engine imports its client only once it is configured, and :func:`check_engines`
tells a person, in one line, which extra to install when the settings ask for one that is
missing.
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass

from staffroom.config import Settings


class MissingExtra(RuntimeError):
    """A configured engine's client library is not installed."""


@dataclass(frozen=True, slots=True)
class Engine:
    name: str
    module: str
    extra: str
    setting: str


REDIS = Engine("Redis", "redis", "redis", "STAFFROOM_REDIS_URL")
POSTGRESQL = Engine("PostgreSQL", "psycopg", "postgresql", "STAFFROOM_DATABASE_URL")


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
    return wanted


def check_engines(settings: Settings) -> None:
    """Raise :class:`MissingExtra` for the first configured engine that is not installed."""
    for engine in engines_for(settings):
        require(engine)
