"""The long-lived objects one server process shares: settings, database, stores, broker.

Built once at start-up and stored on ``app.state.runtime``; handlers reach it through
``runtime_of(request)``. ``start``/``close`` run in the app's lifespan (or the worker's).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from starlette.requests import HTTPConnection

from staffroom.config import Settings
from staffroom.db import Database, create_database
from staffroom.events import Broker, create_broker
from staffroom.events.broker import Subscription
from staffroom.extras import check_engines
from staffroom.media.storage import LocalMediaStorage, MediaStorage, PendingUploads
from staffroom.services.directory_fields import instance_fields
from staffroom.services.tokens import RESOLVED, REVOKED_CHANNEL
from staffroom.timelines import SqlTimelineStore, TimelineStore

JOB_MODES = ("thread", "external", "inline")


@dataclass
class Runtime:
    settings: Settings
    db: Database
    broker: Broker
    timelines: TimelineStore
    media: MediaStorage
    pending_uploads: PendingUploads
    extras: dict[str, Any] = field(default_factory=dict)
    worker: Any = None

    @classmethod
    def build(cls, settings: Settings) -> Runtime:
        if settings.jobs_mode not in JOB_MODES:
            raise ValueError(f"STAFFROOM_JOBS must be one of {', '.join(JOB_MODES)}")
        check_engines(settings)
        instance_fields(settings.directory_fields_file)  # a bad fields file stops start-up
        rt = cls(
            settings=settings,
            db=create_database(settings.database_url, pool_size=settings.db_pool_size),
            broker=create_broker(settings.redis_url),
            timelines=None,  # type: ignore[arg-type]  # set just below
            media=LocalMediaStorage(settings.data_dir),
            pending_uploads=PendingUploads(settings.data_dir),
        )
        if settings.s3_bucket:
            rt.media = _s3_storage(settings)
        rt.timelines = SqlTimelineStore(rt.db, active_days=settings.active_days)
        if settings.redis_url:
            from staffroom.timelines.redis_store import RedisTimelineStore

            rt.timelines = RedisTimelineStore(
                settings.redis_url,
                active_days=settings.active_days,
                large_account_followers=settings.large_account_followers,
            )
        from staffroom.jobs.worker import Worker

        rt.worker = Worker(rt)
        if settings.jobs_mode == "inline":
            rt.db.after_commit = lambda ids: rt.worker.run_once(only=ids)
        elif settings.jobs_mode == "thread":
            rt.db.after_commit = lambda ids: rt.worker.wake()
        return rt

    async def start(self, *, run_jobs: bool | None = None) -> None:
        """Connect the broker, listen for tokens revoked in other processes and, in
        ``thread`` mode, start the in-process worker."""
        await self.broker.start()
        revoked = self.broker.subscribe([REVOKED_CHANNEL])
        self.extras["revocations"] = asyncio.create_task(_forget_revoked(revoked, self))
        if run_jobs if run_jobs is not None else self.settings.jobs_mode == "thread":
            self.worker.start_thread()

    async def stop(self) -> None:
        self.worker.stop()
        task = self.extras.pop("revocations", None)
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        await self.broker.close()

    def tokens_revoked(self) -> None:
        """Call once a transaction that revoked or deleted tokens has committed: this
        process and (through the broker) every other one stop trusting tokens they
        resolved before."""
        RESOLVED.forget_all()
        self.broker.publish(REVOKED_CHANNEL, "1")

    def close(self) -> None:
        self.db.dispose()


def _s3_storage(settings: Settings) -> MediaStorage:
    from staffroom.media.s3 import S3MediaStorage

    assert settings.s3_bucket is not None
    public = settings.s3_public_url or (
        f"{(settings.s3_endpoint_url or 'https://s3.amazonaws.com').rstrip('/')}"
        f"/{settings.s3_bucket}"
    )
    return S3MediaStorage(
        settings.s3_bucket,
        public_url=public,
        endpoint_url=settings.s3_endpoint_url,
        region=settings.s3_region,
    )


REVOCATION_LISTENERS = "revocation_listeners"


def on_tokens_revoked(rt: Runtime, listener: Callable[[], None]) -> None:
    """Call ``listener`` (on the event loop) whenever any process revokes tokens."""
    rt.extras.setdefault(REVOCATION_LISTENERS, []).append(listener)


async def _forget_revoked(subscription: Subscription, rt: Runtime) -> None:
    try:
        while await subscription.get() is not None:
            RESOLVED.forget_all()
            for listener in list(rt.extras.get(REVOCATION_LISTENERS, ())):
                try:
                    listener()
                except Exception:
                    logging.getLogger("staffroom").exception("a revocation listener failed")
    finally:
        subscription.close()


def runtime_of(conn: HTTPConnection) -> Runtime:
    runtime: Runtime = conn.app.state.runtime
    return runtime
