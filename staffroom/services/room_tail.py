"""What every live viewer of one room asks for at once, read once per process.

With 200 people in a room and ten posts a second, every viewer's page asks "what is new
since the post I last saw?" after each update. The answer's shared part - the event with its
hosts, the chat's newest post IDs, the host's numbered questions - is the same for all of
them, so one process keeps it: a request checks only the hashtag's newest post ID (one index
seek) and reads the rest again when that moved or the tail is older than ``TTL`` (so an edit
of the event, such as its hosts, shows within that), then reads only what is its own: the
posts as that viewer may see them, and their mutes in this room. Process-local, so several
web processes each keep their own.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

from sqlalchemy import Connection, func, select

from staffroom import clock
from staffroom.db.tables import blocks, custom_filters, mutes, status_tags, statuses, tags
from staffroom.db.tables_events import room_mutes
from staffroom.services import event_posts, viewer_relations
from staffroom.services.events import Event, require_event
from staffroom.services.status_views import StatusView

TTL = 1.0  # seconds
SIZE = 300  # the newest post IDs kept (a viewer further behind reads the database)


@dataclass(frozen=True, slots=True)
class Tail:
    event: Event
    ids: tuple[int, ...]  # the chat's newest post IDs, oldest first
    complete: bool  # ``ids`` is the whole chat (fewer than SIZE posts)
    numbered: dict[int, int]  # status ID -> question number
    read_at: float
    probe: int | None  # the hashtag's newest post ID in the window when read
    authors: dict[int, int]  # post ID -> its author, for the IDs in ``ids``

    def after(self, since_id: int | None) -> list[int] | None:
        """The IDs newer than ``since_id``, or ``None`` when the tail does not reach back
        that far (then the caller reads the database)."""
        if since_id is None:
            return list(self.ids)
        if not self.complete and (not self.ids or since_id < self.ids[0]):
            return None
        return [i for i in self.ids if i > since_id]


_tails: dict[int, Tail] = {}
_lock = threading.Lock()


def tail(conn: Connection, event_id: int) -> Tail:
    """The room's shared tail, read afresh when older than ``TTL`` (404 if no such event)."""
    now = time.monotonic()
    kept = _tails.get(event_id)
    probe = _newest_tagged(conn, kept.event) if kept is not None else None
    if kept is not None and now - kept.read_at < TTL and probe == kept.probe:
        return kept
    event = require_event(conn, event_id)
    if kept is None or event.hashtag.lower() != kept.event.hashtag.lower():
        probe = _newest_tagged(conn, event)
    authors: dict[int, int] = {}
    if kept is not None and kept.ids and kept.event.starts_at == event.starts_at:
        # only what came since (the window's start is unchanged): a few rows, not the chat
        newer = event_posts.chat_status_ids(conn, event, since_id=kept.ids[-1])
        ids = [*kept.ids, *newer]
        complete = kept.complete and len(ids) <= SIZE
        authors.update(kept.authors)
    else:
        ids = event_posts.chat_status_ids(conn, event)
        complete = len(ids) <= SIZE
    ids = ids[-SIZE:]
    unknown = [i for i in ids if i not in authors]
    if unknown:
        rows = conn.execute(
            select(statuses.c.id, statuses.c.account_id).where(statuses.c.id.in_(unknown))
        )
        authors.update({r.id: r.account_id for r in rows})
    authors = {i: authors[i] for i in ids if i in authors}
    fresh = Tail(
        event=event,
        ids=tuple(i for i in ids if i in authors),  # (a post deleted meanwhile is gone)
        complete=complete,
        numbered=event_posts.numbered_questions(conn, event_id),
        read_at=now,
        probe=probe,
        authors=authors,
    )
    with _lock:
        if len(_tails) > 1000:
            _tails.clear()
        _tails[event_id] = fresh
    return fresh


def _newest_tagged(conn: Connection, event: Event) -> int | None:
    """The newest post ID carrying the event's hashtag inside its window (any visibility:
    a change there only makes the tail read again)."""
    start, end = event_posts.window(event)
    found: int | None = conn.execute(
        select(func.max(status_tags.c.status_id))
        .join(tags, tags.c.id == status_tags.c.tag_id)
        .where(tags.c.name_lower == event.hashtag.lower())
        .where(status_tags.c.status_id >= event_posts.id_floor(start))
        .where(status_tags.c.status_id < event_posts.id_floor(end))
    ).scalar()
    return found


def forget(event_id: int) -> None:
    """Drop a room's tail (after a change this process made: a question, an edit)."""
    _tails.pop(event_id, None)


@dataclass(frozen=True, slots=True)
class LiveBatch:
    """What one viewer's live request gets: the shared tail's new IDs and, for a signed-in
    viewer, whom they do not see (blocks either way, mutes, mutes in this room)."""

    event: Event
    ids: list[int] | None  # newer than the viewer's newest; None: further back than the tail
    authors: dict[int, int]
    excluded: frozenset[int]
    filtered: bool  # the viewer has filters: their posts need the exact, per-viewer read
    newest: int | None


def live_batch(
    conn: Connection, viewer_id: int | None, event_id: int, since_id: int | None
) -> LiveBatch:
    """The room's posts after ``since_id`` for one viewer, from the shared tail."""
    shared = tail(conn, event_id)
    excluded, filtered = (
        (frozenset(), False) if viewer_id is None else exclusions(conn, viewer_id, event_id)
    )
    return LiveBatch(
        event=shared.event,
        ids=shared.after(since_id),
        authors=shared.authors,
        excluded=excluded,
        filtered=filtered,
        newest=shared.ids[-1] if shared.ids else None,
    )


def exclusions(conn: Connection, viewer_id: int, event_id: int) -> tuple[frozenset[int], bool]:
    """Whom ``viewer_id`` does not see in this room, and whether they have filters; kept
    a moment per process (``services.viewer_relations``)."""
    kept = viewer_relations.recall(viewer_id, event_id)
    if kept is not None:
        return kept
    clock_now = clock.now()
    people = set(
        conn.execute(
            select(blocks.c.target_account_id).where(blocks.c.account_id == viewer_id)
        ).scalars()
    )
    people |= set(
        conn.execute(
            select(blocks.c.account_id).where(blocks.c.target_account_id == viewer_id)
        ).scalars()
    )
    people |= set(
        conn.execute(
            select(mutes.c.target_account_id).where(
                mutes.c.account_id == viewer_id,
                mutes.c.expires_at.is_(None) | (mutes.c.expires_at > clock_now),
            )
        ).scalars()
    )
    people |= set(
        conn.execute(
            select(room_mutes.c.target_account_id).where(
                room_mutes.c.event_id == event_id, room_mutes.c.account_id == viewer_id
            )
        ).scalars()
    )
    filtered = (
        conn.execute(
            select(custom_filters.c.id).where(custom_filters.c.account_id == viewer_id).limit(1)
        ).first()
        is not None
    )
    found = frozenset(people)
    viewer_relations.keep(viewer_id, event_id, found, filtered)
    return found, filtered


def live_views(
    conn: Connection, viewer_id: int | None, event: Event, own: list[int], shared: list[int]
) -> tuple[list[StatusView], list[StatusView]]:
    """The viewer's own new posts as they see them, and the others as anyone sees them (the
    live room keeps those rendered for every viewer)."""
    mine = event_posts.chat_views(conn, viewer_id, event, own) if own else []
    return mine, event_posts.chat_views(conn, None, event, shared) if shared else []
