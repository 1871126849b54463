"""The first-run path of a newcomer: where they are in it, and the hashtags offered in step 1.

Writes ``web_preferences.first_run`` (only that column: the deck shares the row) and, through
``profiles.set_interests``, the account's interests. The steps are ``interests``, ``people``
and ``hello``, then ``done``. The state only moves forward, so going back to an earlier page
and saving it again does not make the person repeat later steps.

A missing row means "not started": the path starts (the row is written) when the person first
opens ``/welcome``, which sign-up leads to. Accounts that never opened it (older accounts,
people who signed up through an app) are not pending, so they are not nagged to finish.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import Connection, func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from staffroom.db.tables import account_interests, status_tags, statuses, tags, web_preferences
from staffroom.services.profiles import ProfileUpdate, check_profile, set_interests

STEPS = ("interests", "people", "hello")
DONE = "done"
_ORDER = {name: position for position, name in enumerate((*STEPS, DONE))}
RECENT_DAYS = 30
_RECENT_TAGGINGS = 5000  # how many of the newest public taggings the "most used" count reads
# Hashtags teachers commonly use; offered when the instance has seen them.
COMMON_TEACHER_TAGS = (
    "ELTChat",
    "edtech",
    "EduTwitter",
    "edchat",
    "teaching",
    "teachers",
    "education",
    "ukedchat",
    "mathschat",
    "scichat",
    "sschat",
    "engchat",
    "edleadership",
    "SEND",
    "EarlyYears",
    "HigherEd",
    "PLN",
)


def id_floor(since: datetime) -> int:
    """The smallest time-ordered ID (``staffroom.ids``) issued at or after ``since``."""
    return int(since.timestamp() * 1000) << 16


def current_step(conn: Connection, account_id: int) -> str:
    """The step the person is at (``interests`` if the path has not started), or ``done``."""
    step = conn.execute(
        select(web_preferences.c.first_run).where(web_preferences.c.account_id == account_id)
    ).scalar()
    return step if step in _ORDER else STEPS[0]


def first_run_pending(conn: Connection, account_id: int) -> bool:
    """Has the person started the first-run path and not finished it?"""
    step = conn.execute(
        select(web_preferences.c.first_run).where(web_preferences.c.account_id == account_id)
    ).scalar()
    return step is not None and step != DONE


def start(conn: Connection, account_id: int) -> str:
    """Record that the path has started (if it had not) and return the current step."""
    insert = sqlite_insert if conn.dialect.name == "sqlite" else pg_insert
    conn.execute(
        insert(web_preferences)
        .values(account_id=account_id, first_run=STEPS[0], updated_at=datetime.now(UTC))
        .on_conflict_do_nothing()
    )
    return current_step(conn, account_id)


def advance(conn: Connection, account_id: int, step: str) -> str:
    """Move the person forward to ``step`` (never back); returns the step they are now at."""
    if step not in _ORDER:
        raise ValueError(f"unknown first-run step {step!r}")
    now = start(conn, account_id)
    if _ORDER[step] > _ORDER[now]:
        conn.execute(
            update(web_preferences)
            .where(web_preferences.c.account_id == account_id)
            .values(first_run=step, updated_at=datetime.now(UTC))
        )
        return step
    return now


def next_step(step: str) -> str:
    """The step after ``step`` (``done`` after the last)."""
    position = _ORDER.get(step, 0)
    return (*STEPS, DONE)[min(position + 1, len(STEPS))]


def save_interests(conn: Connection, account_id: int, names: list[str]) -> None:
    """Make ``names`` the account's interests (422 if invalid) and move on to ``people``."""
    check_profile(ProfileUpdate(interests=names))
    set_interests(conn, account_id, names)
    advance(conn, account_id, "people")


def interest_names(conn: Connection, account_id: int) -> list[str]:
    """The account's interests (tag names), oldest first."""
    return list(
        conn.execute(
            select(tags.c.name)
            .join(account_interests, account_interests.c.tag_id == tags.c.id)
            .where(account_interests.c.account_id == account_id)
            .order_by(account_interests.c.id)
        ).scalars()
    )


def suggested_tags(conn: Connection, *, limit: int = 12) -> list[str]:
    """Hashtags to offer: the most used in recent public posts, then common teachers' tags
    the instance has seen; each once (case-insensitive)."""
    floor = id_floor(datetime.now(UTC) - timedelta(days=RECENT_DAYS))
    recent = (
        select(status_tags.c.tag_id)
        .join(statuses, statuses.c.id == status_tags.c.status_id)
        .where(status_tags.c.status_id >= floor, statuses.c.visibility == 0)
        .order_by(status_tags.c.status_id.desc())
        .limit(_RECENT_TAGGINGS)
        .subquery()
    )
    popular = conn.execute(
        select(tags.c.name)
        .join(recent, recent.c.tag_id == tags.c.id)
        .group_by(tags.c.id, tags.c.name, tags.c.name_lower)
        .order_by(func.count().desc(), tags.c.name_lower)
        .limit(limit)
    ).scalars()
    common = conn.execute(
        select(tags.c.name)
        .where(
            tags.c.name_lower.in_([t.lower() for t in COMMON_TEACHER_TAGS]),
            tags.c.last_status_at.is_not(None),
        )
        .order_by(tags.c.last_status_at.desc())
        .limit(limit)
    ).scalars()
    seen: dict[str, str] = {}
    for name in [*popular, *common]:
        seen.setdefault(name.lower(), name)
    return list(seen.values())
