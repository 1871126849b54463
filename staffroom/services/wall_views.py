"""What the wall's pages and its live stream read: one call each.

``wall_page`` (the projector view and its fragment), ``live_facts`` (what a process's wall
stream keeps in memory to judge new posts without the database: the window as post IDs, the
hashtag's channel, the mode and the people kept off).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Connection

from staffroom import clock
from staffroom.services.audience_qa import Question, top_questions
from staffroom.services.event_posts import id_floor, window
from staffroom.services.events import Event, require_event
from staffroom.services.wall import WallPosts, wall_posts, wall_state


@dataclass(frozen=True, slots=True)
class WallPage:
    event: Event
    phase: str
    posts: WallPosts
    questions: list[Question]


def wall_page(
    conn: Connection,
    viewer_id: int | None,
    event_id: int,
    *,
    only: Sequence[int] | None = None,
    since_id: int | None = None,
) -> WallPage:
    """The wall for ``viewer_id`` (``None``: signed out), with the top approved questions."""
    event = require_event(conn, event_id)
    posts = wall_posts(conn, viewer_id, event, only=only, since_id=since_id)
    return WallPage(event, event.phase(clock.now()), posts, top_questions(conn, event_id, 5))


@dataclass(frozen=True, slots=True)
class LiveFacts:
    event_id: int
    tag_channel: str  # where delivery publishes the hashtag's public posts
    low_id: int  # chat posts have IDs in [low_id, high_id)
    high_id: int
    mode: str
    blocked: frozenset[int]


def live_facts(conn: Connection, event_id: int) -> LiveFacts:
    """Read once when a process opens an event's wall stream."""
    event = require_event(conn, event_id)
    start, end = window(event)
    state = wall_state(conn, event)
    return LiveFacts(
        event_id,
        f"timeline:hashtag:{event.hashtag.lower()}",
        id_floor(start),
        id_floor(end),
        state.mode,
        state.blocked,
    )
