"""Creating notifications (the one place that decides whether someone is notified).

Writes ``notifications``. Idempotent: one row per (recipient, type, actor, status), so a
replayed event adds nothing. Nobody is notified of their own actions, nor by an account they
block or mute (with notifications hidden).
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Connection, exists, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from staffroom.db.tables import blocks, mutes, notifications
from staffroom.ids import new_id
from staffroom.jobs.queue import enqueue

TYPES = (
    "mention",
    "status",
    "reblog",
    "follow",
    "follow_request",
    "favourite",
    "poll",
    "update",
    "quote",
    "quoted_update",
)


def _silenced(conn: Connection, recipient_id: int, actor_id: int) -> bool:
    blocked = exists().where(
        ((blocks.c.account_id == recipient_id) & (blocks.c.target_account_id == actor_id))
        | ((blocks.c.account_id == actor_id) & (blocks.c.target_account_id == recipient_id))
    )
    muted = exists().where(
        (mutes.c.account_id == recipient_id)
        & (mutes.c.target_account_id == actor_id)
        & mutes.c.hide_notifications.is_(True)
        & (mutes.c.expires_at.is_(None) | (mutes.c.expires_at > datetime.now(UTC)))
    )
    return bool(conn.execute(select(blocked | muted)).scalar())


def notify(
    conn: Connection,
    *,
    recipient_id: int,
    actor_id: int,
    type: str,
    status_id: int | None = None,
    dedupe: str = "",
) -> int | None:
    """Record a notification; returns its ID, or ``None`` if it was not (or already) made.
    ``dedupe`` tells apart notifications of one kind about one post (each edit's ``update``,
    each end of a poll)."""
    if type not in TYPES:
        raise ValueError(f"unknown notification type {type!r}")
    # A poll's end is the one thing its author is told of their own post.
    if (recipient_id == actor_id and type != "poll") or _silenced(conn, recipient_id, actor_id):
        return None
    notification_id = new_id()
    insert = sqlite_insert if conn.dialect.name == "sqlite" else pg_insert
    result = conn.execute(
        insert(notifications)
        .values(
            id=notification_id,
            account_id=recipient_id,
            from_account_id=actor_id,
            type=type,
            status_id=status_id,
            dedupe_key=f"{type}:{actor_id}:{status_id or 0}" + (f":{dedupe}" if dedupe else ""),
            created_at=datetime.now(UTC),
        )
        .on_conflict_do_nothing()
        .returning(notifications.c.id)
    )
    if result.first() is None:  # already notified (rowcount is unreliable here on psycopg)
        return None
    enqueue(conn, "publish_notification", {"notification_id": notification_id}, max_attempts=3)
    return notification_id
