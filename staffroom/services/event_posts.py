"""Which posts belong to an event's chat (the room, the transcript and the wall share it).

A chat post is a PUBLIC original post (not a repost) carrying the event's hashtag, written
within the event's window (from ``GRACE_BEFORE`` before the start to ``GRACE_AFTER`` after
the end), plus public replies written in the window into the thread of such a post (an
answer that left the hashtag out). Unlisted, followers-only and direct posts never belong,
whoever reads. IDs are time-ordered (``unix_ms << 16``), so the window is an ID range on the
``(tag_id, status_id)`` index. Per-viewer rules (blocks, mutes, deleted posts) are applied
by ``status_views.load_views`` in :func:`chat_views`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import Connection, select

from staffroom.db.tables import status_tags, statuses, tags
from staffroom.db.tables_events import event_questions
from staffroom.policies.visibility import PUBLIC
from staffroom.services.chat_threads import ChatPost
from staffroom.services.events import Event
from staffroom.services.status_views import StatusView, load_views

GRACE_BEFORE = timedelta(minutes=15)
GRACE_AFTER = timedelta(minutes=30)
MAX_POSTS = 5000  # a transcript's bound: a ten-posts-a-second chat of over eight minutes
_REPLY_ROUNDS = 3


def window(event: Event) -> tuple[datetime, datetime]:
    """The instants between which a post counts as said in the chat."""
    return event.starts_at - GRACE_BEFORE, event.ends_at + GRACE_AFTER


def id_floor(moment: datetime) -> int:
    """The smallest post ID made at or after ``moment``."""
    return int(moment.timestamp() * 1000) << 16


def chat_status_ids(
    conn: Connection,
    event: Event,
    *,
    since_id: int | None = None,
    limit: int = MAX_POSTS,
    with_replies: bool = True,
) -> list[int]:
    """The chat's post IDs, oldest first (after ``since_id`` if given), at most ``limit``."""
    start, end = window(event)
    low = max(id_floor(start), (since_id or 0) + 1)
    high = id_floor(end)
    tag_id = conn.execute(
        select(tags.c.id).where(tags.c.name_lower == event.hashtag.lower())
    ).scalar()
    found: list[int] = []
    if tag_id is not None:
        found = list(
            conn.execute(
                select(statuses.c.id)
                .join(status_tags, status_tags.c.status_id == statuses.c.id)
                .where(status_tags.c.tag_id == tag_id)
                .where(status_tags.c.status_id >= low, status_tags.c.status_id < high)
                .where(statuses.c.visibility == PUBLIC, statuses.c.reblog_of_id.is_(None))
                .order_by(status_tags.c.status_id)
                .limit(limit)
            ).scalars()
        )
    if with_replies and found:
        known = set(found)
        frontier = list(found)
        for _ in range(_REPLY_ROUNDS):
            if not frontier or len(known) >= limit:
                break
            replies = [
                i
                for i in conn.execute(
                    select(statuses.c.id)
                    .where(statuses.c.in_reply_to_id.in_(frontier))
                    .where(statuses.c.id >= low, statuses.c.id < high)
                    .where(statuses.c.visibility == PUBLIC, statuses.c.reblog_of_id.is_(None))
                ).scalars()
                if i not in known
            ]
            known.update(replies)
            frontier = replies
        found = sorted(known)[:limit]
    return found


def chat_views(
    conn: Connection, viewer_id: int | None, event: Event, ids: Sequence[int] | None = None
) -> list[StatusView]:
    """The chat's posts as ``viewer_id`` may see them, oldest first: minus deleted posts and
    (for a signed-in viewer) posts of people they block, who block them or whom they mute."""
    chosen = chat_status_ids(conn, event) if ids is None else list(ids)
    return load_views(conn, viewer_id, chosen, for_timeline=True)


def chat_posts(views: Sequence[StatusView]) -> list[ChatPost]:
    """What ``chat_threads.group`` needs of each view."""
    return [
        ChatPost(v.id, v.row.account_id, v.row.text, v.row.in_reply_to_id, v.row.created_at)
        for v in views
    ]


def numbered_questions(conn: Connection, event_id: int) -> dict[int, int]:
    """Status ID -> question number, for questions the room recorded (``event_questions``)."""
    rows = conn.execute(
        select(event_questions.c.status_id, event_questions.c.number).where(
            event_questions.c.event_id == event_id
        )
    )
    return {r.status_id: r.number for r in rows}
