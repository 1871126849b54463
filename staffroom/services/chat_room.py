"""The live room of an event's chat: joining, posting into it, and what a viewer sees.

A post written in the room is an ordinary PUBLIC post (through ``posting.post_status``) with
the event's hashtag added when the text lacks it, so every Mastodon client sees the chat as a
hashtag timeline. A host may post "the next question": the room numbers it ("Q3 ...") in
``event_questions`` (one number per question, the primary key guarding against two at once);
answering question n prefixes "A{n} ". Slow mode holds non-hosts to one post per
``slow_mode_seconds`` (``room_presence.last_posted_at``). What a viewer reads is
``event_posts.chat_views`` (public chat posts minus blocks, mutes, deleted posts) minus the
people they muted in this room (``room_mutes``), grouped by ``chat_threads.group``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import Connection, delete, func, or_, select, update
from sqlalchemy.exc import IntegrityError

from staffroom import clock
from staffroom.db.tables import accounts, blocks, statuses
from staffroom.db.tables_events import event_questions, events, room_mutes, room_presence
from staffroom.db.upsert import insert_ignore
from staffroom.errors import Forbidden, RateLimited, ValidationFailed
from staffroom.messages import N_, T_
from staffroom.runtime import Runtime
from staffroom.services import chat_threads, event_posts, room_tail, viewer_relations
from staffroom.services.events import Event, require_event
from staffroom.services.posting import NewStatus, post_status
from staffroom.services.status_views import StatusView
from staffroom.text import extract_hashtags, weighted_length

MAX_SLOW_MODE = 600  # seconds
ROOM_PAGE = 300  # the newest posts a room page shows (the transcript has them all)
_QUESTION_TRIES = 3


@dataclass(frozen=True, slots=True)
class Person:
    """Someone in the room: joined (opened it) or posted."""

    account_id: int
    username: str
    display_name: str
    is_host: bool
    last_active: datetime


@dataclass(slots=True)
class RoomView:
    """The room as one viewer sees it."""

    event: Event
    views: list[StatusView]  # oldest first
    sections: list[chat_threads.Section]
    by_id: dict[int, StatusView]
    questions: list[tuple[int, int]]  # (number, status ID) in number order
    room_muted: set[int] = field(default_factory=set)

    @property
    def newest(self) -> int | None:
        return self.views[-1].id if self.views else None

    @property
    def next_question(self) -> int:
        return max((n for n, _ in self.questions), default=0) + 1


def has_tag(text: str, hashtag: str) -> bool:
    """Does ``text`` carry ``#hashtag`` (any letter case)?"""
    wanted = hashtag.lower()
    return any(t.lower() == wanted for t in extract_hashtags(text))


def with_tag(text: str, hashtag: str) -> str:
    """``text`` with " #Tag" appended unless it already has the hashtag."""
    text = text.strip()
    return text if has_tag(text, hashtag) else f"{text} #{hashtag}"


def join(conn: Connection, event: Event, account_id: int) -> None:
    """Record that ``account_id`` opened the room (or is still in it)."""
    _touch(conn, event.id, account_id, posted=False)


def _touch(conn: Connection, event_id: int, account_id: int, *, posted: bool) -> None:
    now = clock.now()
    values: dict[str, object] = {"last_seen_at": now}
    if posted:
        values["last_posted_at"] = now
    changed = conn.execute(
        update(room_presence)
        .where(room_presence.c.event_id == event_id, room_presence.c.account_id == account_id)
        .values(**values)
    ).rowcount
    if not changed:
        conn.execute(
            insert_ignore(conn, room_presence),
            {
                "event_id": event_id,
                "account_id": account_id,
                "joined_at": now,
                "last_seen_at": now,
                "last_posted_at": now if posted else None,
            },
        )


def who_is_here(conn: Connection, event: Event, viewer_id: int | None = None) -> list[Person]:
    """People who joined the room or posted in the chat, newest activity first, hosts marked;
    without people the viewer blocks or who block them."""
    latest: dict[int, datetime] = {}

    def seen(account_id: int, moment: datetime | None) -> None:
        if moment is None:
            return
        moment = _aware(moment)
        if account_id not in latest or latest[account_id] < moment:
            latest[account_id] = moment

    for here in conn.execute(
        select(
            room_presence.c.account_id,
            room_presence.c.last_seen_at,
            room_presence.c.last_posted_at,
        ).where(room_presence.c.event_id == event.id)
    ):
        seen(here.account_id, here.last_seen_at)
        seen(here.account_id, here.last_posted_at)
    ids = event_posts.chat_status_ids(conn, event, with_replies=False)
    for start in range(0, len(ids), 500):
        for row in conn.execute(
            select(statuses.c.account_id, func.max(statuses.c.created_at).label("at"))
            .where(statuses.c.id.in_(ids[start : start + 500]))
            .group_by(statuses.c.account_id)
        ):
            seen(row.account_id, row.at)
    if viewer_id is not None:
        for pair in conn.execute(
            select(blocks.c.account_id, blocks.c.target_account_id).where(
                or_(blocks.c.account_id == viewer_id, blocks.c.target_account_id == viewer_id)
            )
        ):
            other = pair.target_account_id if pair.account_id == viewer_id else pair.account_id
            latest.pop(other, None)
    if not latest:
        return []
    rows = conn.execute(
        select(accounts.c.id, accounts.c.username, accounts.c.display_name).where(
            accounts.c.id.in_(list(latest))
        )
    )
    people = [
        Person(r.id, r.username, r.display_name, event.is_host(r.id), latest[r.id]) for r in rows
    ]
    return sorted(people, key=lambda p: (p.last_active, p.account_id), reverse=True)


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def check_open(event: Event, now: datetime) -> None:
    """422 unless the room takes posts now (from the window's start to its end)."""
    start, end = event_posts.window(event)
    if event.cancelled:
        raise ValidationFailed(N_("This event was cancelled, so its room takes no posts."))
    if now >= end:
        raise ValidationFailed(N_("This chat has ended, so its room takes no more posts."))
    if now < start:
        raise ValidationFailed(
            N_("The room opens 15 minutes before the start; come back then to post.")
        )


def _slow_mode(conn: Connection, event: Event, account_id: int, now: datetime) -> None:
    if event.slow_mode_seconds <= 0 or event.is_host(account_id):
        return
    last = conn.execute(
        select(room_presence.c.last_posted_at).where(
            room_presence.c.event_id == event.id, room_presence.c.account_id == account_id
        )
    ).scalar()
    if last is None:
        return
    left = event.slow_mode_seconds - int((now - _aware(last)).total_seconds())
    if left > 0:
        raise RateLimited(
            T_(
                "Slow mode is on: one post every %(every)s seconds. You can post again in "
                "%(left)s seconds.",
                every=event.slow_mode_seconds,
                left=left,
            )
        )


def _question_status(conn: Connection, event_id: int, number: int) -> int | None:
    return conn.execute(
        select(event_questions.c.status_id).where(
            event_questions.c.event_id == event_id, event_questions.c.number == number
        )
    ).scalar()


def post_in_room(
    conn: Connection,
    rt: Runtime,
    account_id: int,
    event_id: int,
    text: str,
    *,
    as_question: bool = False,
    answering: int | None = None,
    in_reply_to_id: int | None = None,
) -> int:
    """Post ``text`` into the room (public, with the hashtag); answers the post's ID.

    A host's ``as_question`` becomes "Q{next} ..."; ``answering`` n becomes "A{n} ...".
    422 in words when the room is closed, the text is empty or too long (counting what the
    room adds); 429 when slow mode holds the poster back; 403 for a non-host's question."""
    event = require_event(conn, event_id)
    now = clock.now()
    check_open(event, now)
    body = text.strip()
    if not body:
        raise ValidationFailed(N_("Write something before posting."))
    if as_question and not event.is_host(account_id):
        raise Forbidden(N_("Only the chat's hosts can post numbered questions."))
    _slow_mode(conn, event, account_id, now)
    if answering is not None and not as_question:
        if _question_status(conn, event.id, answering) is None:
            raise ValidationFailed(N_("There is no question with that number in this chat."))
        if chat_threads.answer_number(body) != answering:
            body = f"A{answering} {body}"
    if as_question:
        # Hosts post one at a time per event: the row lock (PostgreSQL) makes the next
        # number certain; the primary key catches anything else, and we try again.
        conn.execute(select(events.c.id).where(events.c.id == event.id).with_for_update())
        for attempt in range(_QUESTION_TRIES):
            number = (
                conn.execute(
                    select(func.max(event_questions.c.number)).where(
                        event_questions.c.event_id == event.id
                    )
                ).scalar()
                or 0
            ) + 1
            try:
                with conn.begin_nested():
                    status_id = _post(conn, rt, account_id, event, f"Q{number} {body}", None)
                    conn.execute(
                        event_questions.insert().values(
                            event_id=event.id, number=number, status_id=status_id
                        )
                    )
            except IntegrityError:
                if attempt == _QUESTION_TRIES - 1:
                    raise
                continue
            break
    else:
        status_id = _post(conn, rt, account_id, event, body, in_reply_to_id)
    _touch(conn, event.id, account_id, posted=True)
    return status_id


def _post(
    conn: Connection,
    rt: Runtime,
    account_id: int,
    event: Event,
    body: str,
    in_reply_to_id: int | None,
) -> int:
    final = with_tag(body, event.hashtag)
    settings = rt.settings
    length = weighted_length(final, settings.url_length)
    if length > settings.max_status_chars:
        raise ValidationFailed(
            T_(
                "This message is too long: with the room's #%(tag)s it has %(length)s "
                "characters, and a post may have at most %(limit)s.",
                tag=event.hashtag,
                length=length,
                limit=settings.max_status_chars,
            )
        )
    new = NewStatus(text=final, visibility="public", in_reply_to_id=in_reply_to_id)
    return post_status(conn, rt, account_id, new)


def set_slow_mode(conn: Connection, account_id: int, event_id: int, seconds: int) -> None:
    """A host sets slow mode (0 turns it off); 403 for others, 422 outside 0-600 seconds."""
    event = require_event(conn, event_id)
    if not event.is_host(account_id):
        raise Forbidden(N_("Only the chat's hosts can change slow mode."))
    if not 0 <= seconds <= MAX_SLOW_MODE:
        raise ValidationFailed(N_("Slow mode is from 0 (off) to 600 seconds."))
    conn.execute(update(events).where(events.c.id == event_id).values(slow_mode_seconds=seconds))


def mute_in_room(conn: Connection, viewer_id: int, event_id: int, target_id: int) -> None:
    """Hide ``target_id``'s posts from ``viewer_id`` in this room only."""
    require_event(conn, event_id)
    if target_id == viewer_id:
        raise ValidationFailed(N_("You cannot mute yourself."))
    if conn.execute(select(accounts.c.id).where(accounts.c.id == target_id)).scalar() is None:
        raise ValidationFailed(N_("There is nobody like that to mute."))
    conn.execute(
        insert_ignore(conn, room_mutes),
        {
            "event_id": event_id,
            "account_id": viewer_id,
            "target_account_id": target_id,
            "created_at": clock.now(),
        },
    )
    viewer_relations.forget(viewer_id)  # the live room's kept exclusions


def unmute_in_room(conn: Connection, viewer_id: int, event_id: int, target_id: int) -> None:
    """Show ``target_id``'s posts in this room again."""
    conn.execute(
        delete(room_mutes).where(
            room_mutes.c.event_id == event_id,
            room_mutes.c.account_id == viewer_id,
            room_mutes.c.target_account_id == target_id,
        )
    )
    viewer_relations.forget(viewer_id)


def room_mutes_of(conn: Connection, viewer_id: int | None, event_id: int) -> set[int]:
    """Whom ``viewer_id`` muted in this room."""
    if viewer_id is None:
        return set()
    return set(
        conn.execute(
            select(room_mutes.c.target_account_id).where(
                room_mutes.c.event_id == event_id, room_mutes.c.account_id == viewer_id
            )
        ).scalars()
    )


def room_view(
    conn: Connection, viewer_id: int | None, event: Event, since_id: int | None = None
) -> RoomView:
    """The room for ``viewer_id`` (``None``: signed out): chat posts they may see, minus those
    they muted here, with the questions and the grouped sections; after ``since_id`` if
    given (then the sections group only those)."""
    ids = event_posts.chat_status_ids(conn, event, since_id=since_id)
    if since_id is None:
        ids = ids[-ROOM_PAGE:]
    muted = room_mutes_of(conn, viewer_id, event.id)
    views = [
        v
        for v in event_posts.chat_views(conn, viewer_id, event, ids)
        if v.row.account_id not in muted
    ]
    numbered = event_posts.numbered_questions(conn, event.id)
    hosts = {*event.host_ids, event.account_id}
    sections = chat_threads.group(event_posts.chat_posts(views), hosts, numbered)
    questions = sorted((n, s) for s, n in numbered.items())
    return RoomView(
        event=event,
        views=views,
        sections=sections,
        by_id={v.id: v for v in views},
        questions=questions,
        room_muted=muted,
    )


def room_for(
    conn: Connection, viewer_id: int | None, event_id: int
) -> tuple[RoomView, list[Person]]:
    """One read for the room page: the view and who's here (404 if no such event)."""
    event = require_event(conn, event_id)
    return room_view(conn, viewer_id, event), who_is_here(conn, event, viewer_id)


def room_since(
    conn: Connection, viewer_id: int | None, event_id: int, since_id: int | None
) -> RoomView:
    """The room's posts newer than ``since_id`` for the live page (404 if no such event):
    the part every viewer shares comes from ``room_tail`` (read once per process every
    200 ms), so a request reads only the posts as this viewer may see them and their mutes
    here."""
    shared = room_tail.tail(conn, event_id)
    ids = shared.after(since_id)
    if ids is None:  # further behind than the tail reaches
        return room_view(conn, viewer_id, shared.event, since_id)
    event = shared.event
    muted = room_mutes_of(conn, viewer_id, event.id)
    views = [
        v
        for v in event_posts.chat_views(conn, viewer_id, event, ids[-ROOM_PAGE:])
        if v.row.account_id not in muted
    ]
    hosts = {*event.host_ids, event.account_id}
    numbered = shared.numbered
    return RoomView(
        event=event,
        views=views,
        sections=chat_threads.group(event_posts.chat_posts(views), hosts, numbered),
        by_id={v.id: v for v in views},
        questions=sorted((n, s) for s, n in numbered.items()),
        room_muted=muted,
    )
