"""Following several people at once ("follow all"), recorded so that it can be undone.

Writes ``bulk_follows`` / ``bulk_follow_targets`` and, through ``services.follows``, the
follows themselves (with their counters, timelines and notifications). Only the people the
person did not already follow are recorded as targets. Undo, within ``UNDO_DAYS`` and once,
unfollows a target only while the follow it made still stands: a target unfollowed since is
skipped, and so is one unfollowed and followed again separately (its follow is newer than
the record, whose ID is taken after the follows; IDs are time-ordered).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import Connection, insert, select, update

from staffroom.db.tables import bulk_follow_targets, bulk_follows, follows
from staffroom.ids import new_id
from staffroom.services import follows as follow_service
from staffroom.timelines.store import TimelineStore

UNDO_DAYS = 30
MAX_TARGETS = 150  # a whole starter pack (services.collections.MAX_ITEMS)


@dataclass(frozen=True, slots=True)
class BulkFollow:
    """One recorded follow-all: its ID and how many people it followed."""

    id: int
    count: int
    created_at: datetime


def follow_all(
    conn: Connection,
    timelines: TimelineStore,
    account_id: int,
    target_ids: list[int],
    *,
    source: str,
    collection_id: int | None = None,
) -> BulkFollow | None:
    """Follow every account in ``target_ids`` (at most ``MAX_TARGETS``; unknown accounts,
    oneself and blocks either way are skipped) and record those newly followed.

    ``collection_id`` links the record to the starter pack it came from. Returns the record,
    or ``None`` when nobody new was followed (nothing is recorded)."""
    wanted = list(dict.fromkeys(t for t in target_ids if t != account_id))[:MAX_TARGETS]
    added = follow_service.follow_many(conn, timelines, account_id, wanted)
    if not added:
        return None
    now = datetime.now(UTC)
    record = new_id()  # after the follows: newer follows are someone else's doing
    conn.execute(
        insert(bulk_follows).values(
            id=record,
            account_id=account_id,
            source=source,
            created_at=now,
            collection_id=collection_id,
        )
    )
    conn.execute(
        insert(bulk_follow_targets),
        [{"bulk_follow_id": record, "target_account_id": target} for target in added],
    )
    return BulkFollow(record, len(added), now)


def latest_undoable(conn: Connection, account_id: int, source: str) -> BulkFollow | None:
    """The person's newest follow-all from ``source`` that can still be undone."""
    cutoff = datetime.now(UTC) - timedelta(days=UNDO_DAYS)
    row = conn.execute(
        select(bulk_follows.c.id, bulk_follows.c.created_at)
        .where(
            bulk_follows.c.account_id == account_id,
            bulk_follows.c.source == source,
            bulk_follows.c.undone_at.is_(None),
            bulk_follows.c.created_at >= cutoff,
        )
        .order_by(bulk_follows.c.id.desc())
        .limit(1)
    ).first()
    if row is None:
        return None
    created = row.created_at
    if created.tzinfo is None:  # SQLite gives back naive UTC
        created = created.replace(tzinfo=UTC)
    return BulkFollow(row.id, len(bulk_targets(conn, row.id)), created)


def bulk_targets(conn: Connection, bulk_id: int) -> list[int]:
    """The accounts a follow-all followed (that were not followed before it)."""
    return list(
        conn.execute(
            select(bulk_follow_targets.c.target_account_id).where(
                bulk_follow_targets.c.bulk_follow_id == bulk_id
            )
        ).scalars()
    )


def undo_follow_all(
    conn: Connection, timelines: TimelineStore, account_id: int, bulk_id: int
) -> int:
    """Unfollow the people follow-all ``bulk_id`` followed; returns how many were unfollowed.

    Does nothing (0) for someone else's record, one already undone or one older than
    ``UNDO_DAYS``."""
    now = datetime.now(UTC)
    claimed = conn.execute(
        update(bulk_follows)
        .where(
            bulk_follows.c.id == bulk_id,
            bulk_follows.c.account_id == account_id,
            bulk_follows.c.undone_at.is_(None),
            bulk_follows.c.created_at >= now - timedelta(days=UNDO_DAYS),
        )
        .values(undone_at=now)
        .returning(bulk_follows.c.id)
    ).first()
    if claimed is None:
        return 0
    targets = bulk_targets(conn, bulk_id)
    if not targets:
        return 0
    still_ours = conn.execute(
        select(follows.c.target_account_id).where(
            follows.c.account_id == account_id,
            follows.c.target_account_id.in_(targets),
            follows.c.id < bulk_id,
        )
    ).scalars()
    removed = 0
    for target in list(still_ours):
        if follow_service.remove_follow(conn, timelines, account_id, target):
            removed += 1
    return removed
