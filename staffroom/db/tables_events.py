"""Events, chat series, live rooms, walls and audience Q&A (issue 15, migration 0030).

An event is a dated gathering around a hashtag: a weekly hashtag chat, a conference or one
of its sessions. A series (``event_series``) is the recurrence behind a chat: its
occurrences are ``events`` rows made ahead of time (``services.events.materialize``), so
RSVPs, topics, questions and transcripts belong to one dated occurrence. Times are stored
in UTC with the IANA zone they were set in; local wall-clock times are recomputed from the
zone's rules, so a weekly 20:00 chat stays at 20:00 across a daylight-saving change.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from staffroom.db.tables import _account_fk, _created, _id, metadata


def _event_fk() -> Column[int]:
    return Column(
        "event_id", BigInteger, ForeignKey("events.id", ondelete="CASCADE"), primary_key=True
    )


def _account_key(name: str = "account_id") -> Column[int]:
    """An account column that is (part of) the primary key, gone with the account."""
    return Column(name, BigInteger, ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True)


def _status_fk(name: str = "status_id", *, cascade: bool = False) -> Column[int]:
    return Column(
        name,
        BigInteger,
        ForeignKey("statuses.id", ondelete="CASCADE" if cascade else "SET NULL"),
        nullable=not cascade,
    )


event_series = Table(
    "event_series",
    metadata,
    _id(),
    _account_fk(),  # who made it
    Column("title", String(200), nullable=False),
    Column("description", Text, nullable=False, default=""),
    Column("hashtag", String(100), nullable=False),  # without '#', as typed
    Column("time_zone", String(64), nullable=False),  # IANA, e.g. Europe/London
    # the first occurrence's local wall-clock start, "YYYY-MM-DDTHH:MM" in time_zone
    Column("first_start_local", String(16), nullable=False),
    Column("duration_minutes", Integer, nullable=False),
    # weekly | fortnightly | monthly (by weekday: "the 2nd Tuesday"; 5 = the last)
    Column("frequency", String(12), nullable=False),
    Column("until_local", String(10), nullable=True),  # last possible date, "YYYY-MM-DD"
    Column("online_url", String(500), nullable=False, default=""),
    # the latest occurrence already made (services.events.materialize resumes after it)
    Column("materialized_until", DateTime(timezone=True), nullable=True),
    _created(),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Index("ix_event_series_account_id", "account_id"),
)

events = Table(
    "events",
    metadata,
    _id(),
    Column(
        "series_id", BigInteger, ForeignKey("event_series.id", ondelete="CASCADE"), nullable=True
    ),
    _account_fk(),  # who made it
    # chat | conference | session (a session's parent is its conference)
    Column("kind", String(12), nullable=False, default="chat"),
    Column("parent_id", BigInteger, ForeignKey("events.id", ondelete="CASCADE"), nullable=True),
    Column("title", String(200), nullable=False),
    Column("description", Text, nullable=False, default=""),
    Column("hashtag", String(100), nullable=False),  # without '#', as typed
    Column("hashtag_lower", String(100), nullable=False),
    Column("time_zone", String(64), nullable=False),
    Column("starts_at", DateTime(timezone=True), nullable=False),  # UTC
    Column("ends_at", DateTime(timezone=True), nullable=False),  # UTC
    Column("online_url", String(500), nullable=False, default=""),
    # listed in the calendar (false: only people with the link find it)
    Column("discoverable", Boolean, nullable=False, default=True),
    Column("cancelled", Boolean, nullable=False, default=False),
    # the public post that announced it (Mastodon clients see the event through it)
    _status_fk("announce_status_id"),
    # the chat's topic: chosen by the vote, or set by a host
    Column("topic", String(200), nullable=True),
    # the topic call: closed | open (proposals) | voting (a poll) | decided
    Column("topic_state", String(10), nullable=False, default="closed"),
    _status_fk("topic_poll_status_id"),
    # the summary after the chat, edited by hosts and volunteers
    Column("summary", Text, nullable=False, default=""),
    _account_fk("summary_account_id", nullable=True),
    Column("summary_updated_at", DateTime(timezone=True), nullable=True),
    # the live room: seconds between one person's posts (0: off), set by hosts
    Column("slow_mode_seconds", Integer, nullable=False, default=0),
    # the wall: post_then_hide (shown unless hidden) | approve_first (shown once approved)
    Column("wall_mode", String(16), nullable=False, default="post_then_hide"),
    # audience Q&A open for questions
    Column("qa_open", Boolean, nullable=False, default=True),
    _created(),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Index("ix_events_starts_at", "starts_at"),
    Index("ix_events_series_id_starts_at", "series_id", "starts_at"),
    Index("ix_events_hashtag_lower_starts_at", "hashtag_lower", "starts_at"),
    Index("ix_events_parent_id", "parent_id"),
)

event_hosts = Table(
    "event_hosts",
    metadata,
    _event_fk(),
    _account_key(),
    # the speaker of a session sees the audience's top questions
    Column("role", String(10), nullable=False, default="host"),  # host | speaker
    Index("ix_event_hosts_account_id", "account_id"),
)

series_hosts = Table(
    "series_hosts",
    metadata,
    Column(
        "series_id",
        BigInteger,
        ForeignKey("event_series.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    _account_key(),
    Index("ix_series_hosts_account_id", "account_id"),
)

series_follows = Table(
    "series_follows",
    metadata,
    Column(
        "series_id",
        BigInteger,
        ForeignKey("event_series.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    _account_key(),
    _created(),
    Index("ix_series_follows_account_id", "account_id", "series_id"),
)

event_rsvps = Table(
    "event_rsvps",
    metadata,
    _event_fk(),
    _account_key(),
    # not shown in the attendee list (still counted)
    Column("private", Boolean, nullable=False, default=False),
    # a reminder this many minutes before the start (NULL: none)
    Column("remind_minutes", Integer, nullable=True),
    _created(),
    Index("ix_event_rsvps_account_id_event_id", "account_id", "event_id"),
)

# The secret address of one's own calendar feed (everything followed or RSVPed).
calendar_tokens = Table(
    "calendar_tokens",
    metadata,
    _account_key(),
    Column("token", String(64), nullable=False, unique=True),
    _created(),
)

# Topic proposals for an occurrence (a post with the hashtag and "topic:", or a form).
event_topics = Table(
    "event_topics",
    metadata,
    _id(),
    Column("event_id", BigInteger, ForeignKey("events.id", ondelete="CASCADE"), nullable=False),
    _account_fk(),
    _status_fk(cascade=False),
    Column("text", String(200), nullable=False),
    Column("shortlisted", Boolean, nullable=False, default=False),
    _created(),
    Index("ix_event_topics_event_id_id", "event_id", "id"),
    UniqueConstraint("event_id", "status_id"),
)

# A host's numbered questions in the live room: Q1, Q2...
event_questions = Table(
    "event_questions",
    metadata,
    _event_fk(),
    Column("number", SmallInteger, primary_key=True),
    Column("status_id", BigInteger, ForeignKey("statuses.id", ondelete="CASCADE"), nullable=False),
    Index("ix_event_questions_status_id", "status_id"),
)

# Who is in the live room: people who joined (opened it) or posted.
room_presence = Table(
    "room_presence",
    metadata,
    _event_fk(),
    _account_key(),
    Column("joined_at", DateTime(timezone=True), nullable=False),
    Column("last_seen_at", DateTime(timezone=True), nullable=False),
    Column("last_posted_at", DateTime(timezone=True), nullable=True),  # slow mode
)

# A person muted within one room only.
room_mutes = Table(
    "room_mutes",
    metadata,
    _event_fk(),
    _account_key(),
    _account_key("target_account_id"),
    _created(),
)

# The wall's moderation: per post, approved | hidden | pinned.
wall_items = Table(
    "wall_items",
    metadata,
    _event_fk(),
    Column(
        "status_id",
        BigInteger,
        ForeignKey("statuses.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("state", String(10), nullable=False),
    _account_fk("moderator_id", nullable=True),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

# People kept off one event's wall.
wall_blocks = Table(
    "wall_blocks",
    metadata,
    _event_fk(),
    _account_key(),
    _created(),
)

# Audience Q&A: questions people submit, hosts screen, everyone upvotes.
audience_questions = Table(
    "audience_questions",
    metadata,
    _id(),
    Column("event_id", BigInteger, ForeignKey("events.id", ondelete="CASCADE"), nullable=False),
    _account_fk(),
    Column("text", String(500), nullable=False),
    # pending (waiting for a host) | approved (shown) | rejected | answered
    Column("state", String(10), nullable=False, default="pending"),
    Column("votes", Integer, nullable=False, default=0),
    _created(),
    Index("ix_audience_questions_event_id_state", "event_id", "state", "votes"),
)

audience_votes = Table(
    "audience_votes",
    metadata,
    Column(
        "question_id",
        BigInteger,
        ForeignKey("audience_questions.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    _account_key(),
    _created(),
)

# The titles of links shared in chats (the transcript's resource list), fetched by a job.
link_titles = Table(
    "link_titles",
    metadata,
    Column("url_hash", String(64), primary_key=True),  # sha256 of the URL
    Column("url", Text, nullable=False),
    Column("title", String(300), nullable=True),
    # pending | fetched | failed
    Column("state", String(10), nullable=False, default="pending"),
    Column("fetched_at", DateTime(timezone=True), nullable=True),
)
