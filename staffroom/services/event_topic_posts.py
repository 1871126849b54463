"""Topic proposals as stored, and proposals made by posting (issue 15).

A PUBLIC post carrying an event's hashtag and the marker ``topic:`` (any case), written
while the event's topic call is open, proposes the words after the marker (to the line's
end, without the hashtag) for the soonest such event, linked to the post; deleting the post
removes its proposal. Posting calls :func:`propose_from_post` only when :func:`has_marker`
finds the marker in the text, so other posts cost no query. This module reads events by
their columns only (posting imports it; ``services.events`` imports posting). An edit
while the call is open changes the proposal too (:func:`post_edited`).
"""

from __future__ import annotations

import re

from sqlalchemy import Connection, delete, func, insert, select, update

from staffroom import clock
from staffroom.db.tables_events import event_topics, events
from staffroom.errors import ValidationFailed
from staffroom.ids import new_id
from staffroom.messages import T_
from staffroom.text.extract import extract_hashtags

MIN_CHARS = 3
MAX_CHARS = 200
MAX_EACH = 3  # proposals per person per event

_MARKER = re.compile(r"topic:", re.IGNORECASE)
_SPACES = re.compile(r"\s+")


def has_marker(text: str) -> bool:
    """Whether a post's text may propose a topic (a text search, no query)."""
    return _MARKER.search(text) is not None


def add_proposal(
    conn: Connection, event_id: int, account_id: int, text: str, status_id: int | None
) -> tuple[int, bool]:
    """Store a proposal unless the same topic (any case) is there already: (its ID, whether
    it is new). Refuses a person's proposal beyond :data:`MAX_EACH`."""
    same = conn.execute(
        select(event_topics.c.id)
        .where(
            event_topics.c.event_id == event_id,
            func.lower(event_topics.c.text) == text.lower(),
        )
        .order_by(event_topics.c.id)
        .limit(1)
    ).scalar()
    if same is not None:
        return int(same), False
    made = conn.execute(
        select(func.count())
        .select_from(event_topics)
        .where(event_topics.c.event_id == event_id, event_topics.c.account_id == account_id)
    ).scalar()
    if (made or 0) >= MAX_EACH:
        raise ValidationFailed(
            T_("You can propose at most %(most)s topics for one event", most=MAX_EACH)
        )
    topic_id = new_id()
    conn.execute(
        insert(event_topics).values(
            id=topic_id,
            event_id=event_id,
            account_id=account_id,
            status_id=status_id,
            text=text,
            shortlisted=False,
            created_at=clock.now(),
        )
    )
    return topic_id, True


def topic_in_post(text: str, hashtag: str) -> str:
    """The words after the marker up to the line's end, without the event's hashtag."""
    found = _MARKER.search(text)
    rest = text[found.end() :] if found else ""
    line = rest.split("\n", 1)[0]
    line = re.sub(rf"(?<!\w)#{re.escape(hashtag)}\b", " ", line, flags=re.IGNORECASE)
    return _SPACES.sub(" ", line).strip(" \t.,;:-")


def propose_from_post(conn: Connection, status_id: int, author_id: int, text: str) -> int | None:
    """The proposal a public post with the marker makes (see the module), or ``None``.
    Never refuses the post: a proposal that breaks a rule is simply not made."""
    tags = list(dict.fromkeys(t.lower() for t in extract_hashtags(text)))
    if not tags:
        return None
    row = conn.execute(
        select(events.c.id, events.c.hashtag)
        .where(
            events.c.hashtag_lower.in_(tags),
            events.c.topic_state == "open",
            events.c.starts_at > clock.now(),
            events.c.cancelled.is_(False),
        )
        .order_by(events.c.starts_at)
        .limit(1)
    ).first()
    if row is None:
        return None
    words = topic_in_post(text, row.hashtag)
    if not MIN_CHARS <= len(words) <= MAX_CHARS:
        return None
    try:
        topic_id, made = add_proposal(conn, int(row.id), author_id, words, status_id)
    except ValidationFailed:
        return None
    return topic_id if made else None


def post_edited(conn: Connection, status_id: int, author_id: int, text: str) -> None:
    """Follow an edit of a public post that had or now has the marker, while the call is
    open: the proposal takes the new words, goes when the marker or hashtag goes, or is made
    if the post proposes now. Once the call has closed, an edit changes no proposal."""
    found = conn.execute(
        select(event_topics.c.id, events.c.hashtag, events.c.topic_state)
        .join(events, events.c.id == event_topics.c.event_id)
        .where(event_topics.c.status_id == status_id)
    ).first()
    if found is None:
        if has_marker(text):
            propose_from_post(conn, status_id, author_id, text)
        return
    if found.topic_state != "open":
        return
    tags = {t.lower() for t in extract_hashtags(text)}
    words = topic_in_post(text, found.hashtag) if has_marker(text) else ""
    if found.hashtag.lower() in tags and MIN_CHARS <= len(words) <= MAX_CHARS:
        conn.execute(update(event_topics).where(event_topics.c.id == found.id).values(text=words))
    else:
        conn.execute(delete(event_topics).where(event_topics.c.id == found.id))


def forget_post(conn: Connection, status_id: int) -> None:
    """A deleted post takes its proposal with it (called before the post's row goes)."""
    conn.execute(delete(event_topics).where(event_topics.c.status_id == status_id))
