"""The long-lived objects one server process shares: settings, database, caches.

Built once at start-up and stored on ``app.state.runtime``; handlers reach it through
``runtime_of(request)``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from starlette.requests import HTTPConnection

from staffroom.config import Settings
from staffroom.db import Database, create_database
from staffroom.timelines import SqlTimelineStore, TimelineStore


@dataclass
class Runtime:
    settings: Settings
    db: Database
    timelines: TimelineStore = field(default_factory=SqlTimelineStore)
    extras: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def build(cls, settings: Settings) -> Runtime:
        return cls(settings=settings, db=create_database(settings.database_url))

    def close(self) -> None:
        self.db.dispose()


def runtime_of(conn: HTTPConnection) -> Runtime:
    runtime: Runtime = conn.app.state.runtime
    return runtime
