"""One mapping from infrastructure faults to answers a person understands.

Handlers and services raise whatever the database driver or Redis client raises; this module
decides what the client is told: storage full → 507, the database or Redis not answering →
503 with ``Retry-After``, a value the database cannot hold (a check missed upstream) → 422.
Anything else is a bug: 500, logged with its traceback.
"""

from __future__ import annotations

import errno
from collections.abc import Iterator
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Fault:
    status: int
    message: str
    retry_after: int | None = None


STORAGE_FULL = Fault(
    507,
    "The server's storage is full, so nothing can be saved right now. Reading still works; "
    "the administrator has been told. Please try again later.",
)
DATABASE_DOWN = Fault(
    503, "The database is not answering right now. Please try again in a few seconds.", 5
)
REDIS_DOWN = Fault(
    503, "A service the server needs (Redis) is not answering. Please try again shortly.", 5
)
BUSY = Fault(503, "The server is busy. Please try again in a few seconds.", 2)
BAD_VALUE = Fault(422, "Validation failed: a value in the request is too long or not allowed")
BUG = Fault(500, "Something went wrong on our side; please try again")

# PostgreSQL SQLSTATEs: class 53 is "insufficient resources" (53100 disk full), class 08
# "connection exception", 57P01-57P03 shutdowns and start-up, class 22 "data exception".
_PG_DISK_FULL = {"53100"}
_PG_DOWN_PREFIXES = ("08", "57P")


def _chain(exc: BaseException) -> Iterator[BaseException]:
    """``exc``, what it wraps (SQLAlchemy's ``orig``), and its causes."""
    seen: set[int] = set()
    todo: list[BaseException | None] = [exc]
    while todo:
        item = todo.pop()
        if item is None or id(item) in seen:
            continue
        seen.add(id(item))
        yield item
        todo.extend([getattr(item, "orig", None), item.__cause__, item.__context__])


def classify(exc: BaseException) -> Fault:
    """The answer for an exception nothing else handled."""
    for item in _chain(exc):
        found = _classify_one(item)
        if found is not None:
            return found
    return BUG


def _classify_one(exc: BaseException) -> Fault | None:
    module = type(exc).__module__ or ""
    name = type(exc).__name__
    text = str(exc).lower()
    if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return STORAGE_FULL
    if module.startswith("redis"):
        return (
            REDIS_DOWN if name in ("ConnectionError", "TimeoutError", "BusyLoadingError") else None
        )
    sqlstate = getattr(exc, "sqlstate", None)
    if isinstance(sqlstate, str):
        if sqlstate in _PG_DISK_FULL or "no space left on device" in text:
            return STORAGE_FULL
        if sqlstate.startswith(_PG_DOWN_PREFIXES):
            return DATABASE_DOWN
        if sqlstate.startswith("22"):
            return BAD_VALUE
    if module.startswith("psycopg") and name in ("OperationalError", "InterfaceError"):
        return DATABASE_DOWN
    if module == "sqlite3":
        if "disk is full" in text or "disk i/o error" in text:
            return STORAGE_FULL
        if "database is locked" in text or "unable to open" in text:
            return BUSY if "locked" in text else DATABASE_DOWN
        if name == "DataError" or "too big" in text or "pattern too complex" in text:
            return BAD_VALUE
    if module.startswith("sqlalchemy") and name == "TimeoutError":
        return BUSY  # no pooled connection came free in time
    if isinstance(exc, OverflowError) and "int" in text:
        return BAD_VALUE  # sqlite3 cannot bind an integer past 64 bits
    return None
