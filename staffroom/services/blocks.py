"""Blocks and mutes.

Writes ``blocks`` and ``mutes``. A block also ends follows both ways (fixing counters) and
clears each account's entries from the other's home timeline. A mute clears the muted
account's entries from the muter's home timeline and, unless ``notifications=false``, hides
its notifications; a mute may expire (``duration`` seconds). Expired mutes count as absent
everywhere in this module, and a delayed ``mute_expired`` job deletes the row when it is due.
All operations are idempotent.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import ColumnElement, Connection, delete, or_, update

from staffroom import clock
from staffroom.db.tables import blocks, mutes
from staffroom.errors import Forbidden, ValidationFailed
from staffroom.feed import fanout
from staffroom.ids import new_id
from staffroom.jobs import enqueue
from staffroom.jobs.registry import Lease, job_handler
from staffroom.messages import N_
from staffroom.services import viewer_relations
from staffroom.services.accounts import get_account
from staffroom.services.follows import (
    RelationPage,
    insert_ignoring_conflicts,
    page_relation,
    remove_follow,
)
from staffroom.timelines.store import TimelineStore

if TYPE_CHECKING:
    from staffroom.jobs.queue import Job
    from staffroom.runtime import Runtime

MAX_MUTE_SECONDS = 10 * 365 * 24 * 3600


def mute_active(now: datetime | None = None) -> ColumnElement[bool]:
    """SQL condition: the ``mutes`` row has not expired."""
    return or_(mutes.c.expires_at.is_(None), mutes.c.expires_at > (now or clock.now()))


def block(conn: Connection, timelines: TimelineStore, blocker_id: int, target_id: int) -> None:
    """Block ``target_id``: no follows either way, no entries in each other's feeds."""
    get_account(conn, target_id)
    if blocker_id == target_id:
        raise Forbidden(N_("You cannot block yourself"))
    insert_ignoring_conflicts(
        conn,
        blocks,
        {
            "id": new_id(),
            "account_id": blocker_id,
            "target_account_id": target_id,
            "created_at": clock.now(),
        },
    )
    remove_follow(conn, timelines, blocker_id, target_id)
    remove_follow(conn, timelines, target_id, blocker_id)
    fanout.forget_author(conn, timelines, blocker_id, target_id)
    fanout.forget_author(conn, timelines, target_id, blocker_id)
    viewer_relations.forget(blocker_id, target_id)  # the live room's kept exclusions


def unblock(conn: Connection, blocker_id: int, target_id: int) -> None:
    get_account(conn, target_id)
    conn.execute(
        delete(blocks).where(
            blocks.c.account_id == blocker_id, blocks.c.target_account_id == target_id
        )
    )
    viewer_relations.forget(blocker_id, target_id)


def mute(
    conn: Connection,
    timelines: TimelineStore,
    muter_id: int,
    target_id: int,
    *,
    notifications: bool = True,
    duration_seconds: int = 0,
) -> None:
    """Mute ``target_id`` (again: replace the options). ``duration_seconds`` 0 = forever."""
    get_account(conn, target_id)
    if muter_id == target_id:
        raise Forbidden(N_("You cannot mute yourself"))
    if duration_seconds < 0 or duration_seconds > MAX_MUTE_SECONDS:
        raise ValidationFailed(
            "Duration must be between 0 and 315360000 seconds",
            details={"duration": [{"error": "ERR_INVALID", "description": "is out of range"}]},
        )
    now = clock.now()
    expires = now + timedelta(seconds=duration_seconds) if duration_seconds else None
    added = insert_ignoring_conflicts(
        conn,
        mutes,
        {
            "id": new_id(),
            "account_id": muter_id,
            "target_account_id": target_id,
            "created_at": now,
            "hide_notifications": notifications,
            "expires_at": expires,
        },
    )
    if not added:
        conn.execute(
            update(mutes)
            .where(mutes.c.account_id == muter_id, mutes.c.target_account_id == target_id)
            .values(hide_notifications=notifications, expires_at=expires)
        )
    if expires is not None:
        payload = {"account_id": muter_id, "target_account_id": target_id}
        enqueue(conn, "mute_expired", payload, delay_seconds=duration_seconds)
    fanout.forget_author(conn, timelines, muter_id, target_id)
    viewer_relations.forget(muter_id)


def delete_expired_mute(conn: Connection, muter_id: int, target_id: int) -> bool:
    """Delete the mute if it has expired (a renewed or endless one stays); True if deleted."""
    done = conn.execute(
        delete(mutes).where(
            mutes.c.account_id == muter_id,
            mutes.c.target_account_id == target_id,
            mutes.c.expires_at.is_not(None),
            mutes.c.expires_at <= clock.now(),
        )
    )
    return bool(done.rowcount)


@job_handler("mute_expired")
def mute_expired(rt: Runtime, job: Job, lease: Lease) -> None:
    """Delete a mute whose time is up and complete the job, in one transaction."""
    muter_id = int(job.payload["account_id"])
    target_id = int(job.payload["target_account_id"])

    def run(conn: Connection) -> None:
        delete_expired_mute(conn, muter_id, target_id)
        lease.complete_in(conn)

    rt.db.write(run)


def unmute(conn: Connection, muter_id: int, target_id: int) -> None:
    get_account(conn, target_id)
    conn.execute(
        delete(mutes).where(mutes.c.account_id == muter_id, mutes.c.target_account_id == target_id)
    )
    viewer_relations.forget(muter_id)


def blocks_page(
    conn: Connection,
    account_id: int,
    *,
    max_id: int | None = None,
    since_id: int | None = None,
    min_id: int | None = None,
    limit: int = 40,
) -> RelationPage:
    """Accounts ``account_id`` blocks, most recently blocked first."""
    return page_relation(
        conn,
        blocks,
        owner_column=blocks.c.account_id,
        owner_id=account_id,
        other_column=blocks.c.target_account_id,
        max_id=max_id,
        since_id=since_id,
        min_id=min_id,
        limit=limit,
    )


def mutes_page(
    conn: Connection,
    account_id: int,
    *,
    max_id: int | None = None,
    since_id: int | None = None,
    min_id: int | None = None,
    limit: int = 40,
) -> RelationPage:
    """Accounts ``account_id`` mutes (unexpired), most recently muted first; each row has
    the mute's ``mute_expires_at`` (``None``: for ever)."""
    return page_relation(
        conn,
        mutes,
        owner_column=mutes.c.account_id,
        owner_id=account_id,
        other_column=mutes.c.target_account_id,
        max_id=max_id,
        since_id=since_id,
        min_id=min_id,
        limit=limit,
        extra=mute_active(),
        columns=(mutes.c.expires_at.label("mute_expires_at"),),
    )
