"""Scheduled posts, as Mastodon has them: posted by the job queue at the time asked for.

Writes ``scheduled_statuses`` (and holds its media: ``media_attachments.scheduled_status_id``,
so the clean-up of unattached uploads leaves them) and enqueues a delayed
``publish_scheduled`` job. Publishing is
one transaction: the row is deleted (``DELETE ... RETURNING``, so of two workers only one gets
it) and the post is made from it, and the job completes in the same commit; a worker that dies
before the commit leaves everything as it was and the job runs again. So a scheduled post
appears exactly once. Moving the time enqueues a new job; a job that finds its post not yet
due (moved later) does nothing.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

import orjson
from sqlalchemy import Connection, delete, func, select, update

from staffroom import clock
from staffroom.db.tables import scheduled_statuses
from staffroom.errors import NotFound, ValidationFailed
from staffroom.ids import new_id
from staffroom.jobs import enqueue
from staffroom.jobs.registry import Lease, job_handler
from staffroom.messages import N_
from staffroom.services.media import UNATTACHED_SECONDS, check_media_ids, hold_media
from staffroom.services.media_views import MediaView, media_of_scheduled
from staffroom.services.posting import NewStatus, check_new_status, post_status

if TYPE_CHECKING:
    from staffroom.jobs.queue import Job
    from staffroom.runtime import Runtime

LEAD = timedelta(minutes=5)  # as Mastodon: at least five minutes ahead
MAX_SCHEDULED = 300  # per account, as Mastodon
MAX_PER_DAY = 25  # per account and day, as Mastodon


@dataclass(frozen=True, slots=True)
class Scheduled:
    """A post waiting for its time."""

    id: int
    scheduled_at: datetime
    new: NewStatus
    media: tuple[MediaView, ...] = ()  # the attachments it holds (``media_ids``)


def _params(new: NewStatus) -> str:
    values = asdict(new)
    values.pop("created_at", None)
    return orjson.dumps(values).decode()


def _scheduled(row: Any) -> Scheduled:
    values = orjson.loads(row.params)
    at = row.scheduled_at
    if at.tzinfo is None:  # SQLite gives naive UTC
        at = at.replace(tzinfo=clock.now().tzinfo)
    return Scheduled(row.id, at, NewStatus.from_dict(values))


def check_time(scheduled_at: datetime) -> None:
    """Refuse a time less than five minutes ahead."""
    if scheduled_at < clock.now() + LEAD:
        raise ValidationFailed(
            N_("Scheduled at: the time must be at least 5 minutes in the future")
        )


def schedule(
    conn: Connection, rt: Runtime, account_id: int, new: NewStatus, scheduled_at: datetime
) -> Scheduled:
    """Keep ``new`` to be posted at ``scheduled_at``."""
    check_new_status(rt.settings, new)
    check_time(scheduled_at)
    mine = scheduled_statuses.c.account_id == account_id
    total = conn.execute(select(func.count()).where(mine)).scalar_one()
    if total >= MAX_SCHEDULED:
        raise ValidationFailed(N_("You already have the most scheduled posts allowed (300)."))
    day = scheduled_at.replace(hour=0, minute=0, second=0, microsecond=0)
    same_day = conn.execute(
        select(func.count()).where(
            mine,
            scheduled_statuses.c.scheduled_at >= day,
            scheduled_statuses.c.scheduled_at < day + timedelta(days=1),
        )
    ).scalar_one()
    if same_day >= MAX_PER_DAY:
        raise ValidationFailed(N_("You already have 25 posts scheduled for that day."))
    check_media_ids(conn, account_id, list(new.media_ids))
    scheduled_id = new_id()
    conn.execute(
        scheduled_statuses.insert().values(
            id=scheduled_id,
            account_id=account_id,
            scheduled_at=scheduled_at,
            params=_params(new),
            created_at=clock.now(),
        )
    )
    hold_media(conn, account_id, scheduled_id, list(new.media_ids))
    _enqueue_at(conn, scheduled_id, scheduled_at)
    return get_scheduled(conn, account_id, scheduled_id)


def _enqueue_at(conn: Connection, scheduled_id: int, when: datetime) -> None:
    delay = max(0.0, (when - clock.now()).total_seconds())
    enqueue(conn, "publish_scheduled", {"scheduled_id": scheduled_id}, delay_seconds=delay)


def scheduled_page(
    conn: Connection,
    account_id: int,
    *,
    max_id: int | None = None,
    since_id: int | None = None,
    min_id: int | None = None,
    limit: int = 20,
) -> list[Scheduled]:
    """One's scheduled posts, newest first (Mastodon's paging by ID)."""
    query = select(scheduled_statuses).where(scheduled_statuses.c.account_id == account_id)
    if max_id is not None:
        query = query.where(scheduled_statuses.c.id < max_id)
    if since_id is not None:
        query = query.where(scheduled_statuses.c.id > since_id)
    if min_id is not None:
        rows = conn.execute(
            query.where(scheduled_statuses.c.id > min_id)
            .order_by(scheduled_statuses.c.id)
            .limit(limit)
        ).all()
        return _with_media(conn, [_scheduled(r) for r in reversed(rows)])
    rows = conn.execute(query.order_by(scheduled_statuses.c.id.desc()).limit(limit)).all()
    return _with_media(conn, [_scheduled(r) for r in rows])


def _with_media(conn: Connection, items: list[Scheduled]) -> list[Scheduled]:
    held = media_of_scheduled(conn, [item.id for item in items])
    return [replace(item, media=held.get(item.id, ())) for item in items]


def _own(conn: Connection, account_id: int, scheduled_id: int) -> Any:
    row = conn.execute(
        select(scheduled_statuses).where(
            scheduled_statuses.c.id == scheduled_id,
            scheduled_statuses.c.account_id == account_id,
        )
    ).first()
    if row is None:
        raise NotFound()
    return row


def get_scheduled(conn: Connection, account_id: int, scheduled_id: int) -> Scheduled:
    """One of one's scheduled posts (``NotFound`` for anyone else's)."""
    return _with_media(conn, [_scheduled(_own(conn, account_id, scheduled_id))])[0]


def reschedule(
    conn: Connection, account_id: int, scheduled_id: int, scheduled_at: datetime
) -> Scheduled:
    """Move one's scheduled post to another time (at least five minutes ahead)."""
    _own(conn, account_id, scheduled_id)
    check_time(scheduled_at)
    conn.execute(
        update(scheduled_statuses)
        .where(scheduled_statuses.c.id == scheduled_id)
        .values(scheduled_at=scheduled_at)
    )
    _enqueue_at(conn, scheduled_id, scheduled_at)
    return get_scheduled(conn, account_id, scheduled_id)


def revise(
    conn: Connection,
    rt: Runtime,
    account_id: int,
    scheduled_id: int,
    new: NewStatus,
    scheduled_at: datetime,
) -> Scheduled:
    """Change one's scheduled post before it is published: what it says (checked as a new
    post) and when (at least five minutes ahead). Its images and poll stay as they were."""
    row = _own(conn, account_id, scheduled_id)
    values = asdict(_scheduled(row).new)
    values.update(
        text=new.text,
        spoiler_text=new.spoiler_text,
        sensitive=new.sensitive or bool(new.spoiler_text),
        visibility=new.visibility,
    )
    wanted = NewStatus.from_dict(values)
    check_new_status(rt.settings, wanted)
    check_time(scheduled_at)
    conn.execute(
        update(scheduled_statuses)
        .where(scheduled_statuses.c.id == scheduled_id)
        .values(params=_params(wanted), scheduled_at=scheduled_at)
    )
    if _scheduled(row).scheduled_at != scheduled_at:
        _enqueue_at(conn, scheduled_id, scheduled_at)
    return get_scheduled(conn, account_id, scheduled_id)


def cancel(conn: Connection, account_id: int, scheduled_id: int) -> None:
    """Delete one's scheduled post before it is published; the media it held are let go (and
    removed a day later, as any unattached upload)."""
    held = get_scheduled(conn, account_id, scheduled_id).media
    conn.execute(delete(scheduled_statuses).where(scheduled_statuses.c.id == scheduled_id))
    for media in held:
        enqueue(
            conn,
            "remove_unattached_media",
            {"media_id": media.id},
            delay_seconds=UNATTACHED_SECONDS,
        )


def publish_due(conn: Connection, rt: Runtime, scheduled_id: int) -> int | None:
    """Publish the scheduled post if it is due: the ID of the new post, or ``None`` if it is
    gone (published, cancelled) or moved later."""
    row = conn.execute(
        select(scheduled_statuses.c.scheduled_at).where(scheduled_statuses.c.id == scheduled_id)
    ).first()
    if row is None:
        return None
    at = (
        row.scheduled_at
        if row.scheduled_at.tzinfo
        else row.scheduled_at.replace(tzinfo=clock.now().tzinfo)
    )
    if at > clock.now() + timedelta(seconds=1):
        return None  # moved later: the job enqueued then publishes it
    taken = conn.execute(
        delete(scheduled_statuses)
        .where(scheduled_statuses.c.id == scheduled_id)
        .returning(scheduled_statuses.c.account_id, scheduled_statuses.c.params)
    ).first()
    if taken is None:  # another worker took it first
        return None
    new = NewStatus.from_dict(orjson.loads(taken.params))
    return post_status(conn, rt, int(taken.account_id), new)


@job_handler("publish_scheduled")
def publish_scheduled(rt: Runtime, job: Job, lease: Lease) -> None:
    """Post a due scheduled post and complete the job, in one transaction."""
    scheduled_id = int(job.payload["scheduled_id"])

    def publish(conn: Connection) -> None:
        try:
            publish_due(conn, rt, scheduled_id)
        except ValidationFailed:
            # Its text no longer fits the rules (the limit was lowered, the post replied to
            # is gone): nothing can be posted; it is dropped rather than retried forever.
            conn.execute(delete(scheduled_statuses).where(scheduled_statuses.c.id == scheduled_id))
        lease.complete_in(conn)

    rt.db.write(publish)
