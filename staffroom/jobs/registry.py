"""Job kinds and their handlers.

A handler takes the runtime, the job and a :class:`Lease`, runs its own transactions, and
must be idempotent: it can run again after a crash, or after a retry of a partial run.
Handlers treat "already gone" (a deleted post) as success.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

from sqlalchemy import Connection

if TYPE_CHECKING:
    from staffroom.jobs.queue import Job
    from staffroom.runtime import Runtime


class Lease(Protocol):
    def extend(self) -> None:
        """Call between batches of a long job; raises if the job was taken over."""

    def complete_in(self, conn: Connection) -> None:
        """Delete the job inside the handler's last transaction (saves a commit)."""


Handler = Callable[["Runtime", "Job", Lease], None]
HANDLERS: dict[str, Handler] = {}


def job_handler(kind: str) -> Callable[[Handler], Handler]:
    """Register ``fn`` as the handler for jobs of ``kind``."""

    def register(fn: Handler) -> Handler:
        HANDLERS[kind] = fn
        return fn

    return register


BatchHandler = Callable[["Runtime", "list[Job]", "list[Lease]"], None]
BATCH_HANDLERS: dict[str, BatchHandler] = {}


def job_batch_handler(kind: str) -> Callable[[BatchHandler], BatchHandler]:
    """Register ``fn`` to run several claimed jobs of ``kind`` together (fewer commits).

    It must complete each job (``lease.complete_in``) or leave it to the worker; if it
    raises, the worker runs the jobs one by one with the single-job handler instead.
    """

    def register(fn: BatchHandler) -> BatchHandler:
        BATCH_HANDLERS[kind] = fn
        return fn

    return register


Seeder = Callable[[Connection], None]
PERIODIC: list[Seeder] = []


def periodic(fn: Seeder) -> Seeder:
    """Register ``fn``, which makes sure a self-rescheduling job exists (idempotently): every
    worker runs it once when it starts working, so the chain survives restarts."""
    PERIODIC.append(fn)
    return fn


def load_handlers() -> None:
    """Import the modules that register handlers."""
    import staffroom.services.blocks
    import staffroom.services.chat_resources
    import staffroom.services.delivery
    import staffroom.services.editing
    import staffroom.services.event_editing
    import staffroom.services.event_rsvps
    import staffroom.services.event_topic_vote
    import staffroom.services.media
    import staffroom.services.media_removal
    import staffroom.services.polls
    import staffroom.services.scheduling
    import staffroom.services.suggestion_refresh
    import staffroom.services.trends  # noqa: F401
