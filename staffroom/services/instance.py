"""Facts about this server for the instance, NodeInfo and WebFinger documents.

Read-only: counts users and posts, finds the contact admin, buckets recent activity by week,
looks up local accounts by name and reads a user's posting preferences.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Row, func, or_, select

from staffroom.db.tables import accounts, statuses, users
from staffroom.ids import id_floor

ACTIVE_MONTH = timedelta(days=30)
ACTIVE_HALFYEAR = timedelta(days=180)
WEEK = timedelta(weeks=1)
_WEEK_MS = int(WEEK.total_seconds() * 1000)


@dataclass(frozen=True, slots=True)
class InstanceStats:
    """Counts shown in ``/api/v1/instance``, ``/api/v2/instance`` and NodeInfo."""

    user_count: int
    status_count: int
    domain_count: int
    active_month: int
    active_halfyear: int


@dataclass(frozen=True, slots=True)
class WeekActivity:
    """One week of ``/api/v1/instance/activity``: the week starts at ``week`` (a Monday)."""

    week: datetime
    statuses: int
    logins: int
    registrations: int


def _utc(value: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes; they are stored in UTC."""
    if value is None:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _active_since(conn: Connection, cutoff: datetime) -> int:
    """Users who used the API or posted since ``cutoff``."""
    query = (
        select(func.count())
        .select_from(users.join(accounts, accounts.c.id == users.c.account_id))
        .where(or_(users.c.last_active_at >= cutoff, accounts.c.last_status_at >= cutoff))
    )
    return int(conn.execute(query).scalar_one())


def instance_stats(conn: Connection, *, now: datetime | None = None) -> InstanceStats:
    """User, post and activity counts. Posts are summed from the per-account counters."""
    now = now or datetime.now(UTC)
    user_count = conn.execute(select(func.count()).select_from(users)).scalar_one()
    status_count = conn.execute(
        select(func.coalesce(func.sum(accounts.c.statuses_count), 0)).select_from(
            users.join(accounts, accounts.c.id == users.c.account_id)
        )
    ).scalar_one()
    return InstanceStats(
        user_count=int(user_count),
        status_count=int(status_count),
        domain_count=0,  # no federation yet: no other domains are known
        active_month=_active_since(conn, now - ACTIVE_MONTH),
        active_halfyear=_active_since(conn, now - ACTIVE_HALFYEAR),
    )


def contact_account(conn: Connection) -> Row[Any] | None:
    """The account of the first admin (the server's contact), or ``None``."""
    query = (
        select(accounts)
        .join(users, users.c.account_id == accounts.c.id)
        .where(users.c.admin.is_(True))
        .order_by(accounts.c.id)
        .limit(1)
    )
    return conn.execute(query).first()


def week_start(moment: datetime) -> datetime:
    """Midnight UTC of the Monday that begins ``moment``'s week."""
    moment = moment.astimezone(UTC)
    midnight = moment.replace(hour=0, minute=0, second=0, microsecond=0)
    return midnight - timedelta(days=midnight.weekday())


def weekly_activity(
    conn: Connection, *, weeks: int = 12, now: datetime | None = None
) -> list[WeekActivity]:
    """Posts, active users and sign-ups per week, newest week first (the current one partial).

    Posts are bucketed by ID (IDs encode their creation time). "Logins" counts the distinct
    users who posted in a week or whose last activity falls in it: Staffroom keeps no login
    history, so older weeks undercount users who only read.
    """
    first = week_start(now or datetime.now(UTC)) - WEEK * (weeks - 1)
    first_ms = int(first.timestamp() * 1000)
    floor = id_floor(first_ms)
    bucket = ((statuses.c.id - floor) // id_floor(_WEEK_MS)).label("bucket")
    posts = conn.execute(
        select(bucket, statuses.c.account_id, func.count())
        .where(statuses.c.id >= floor)
        .group_by(bucket, statuses.c.account_id)
    ).all()
    counts = [0] * weeks
    active: defaultdict[int, set[int]] = defaultdict(set)
    for index, account_id, count in posts:
        if 0 <= int(index) < weeks:
            counts[int(index)] += int(count)
            active[int(index)].add(int(account_id))
    signups = [0] * weeks
    rows = conn.execute(
        select(users.c.account_id, users.c.created_at, users.c.last_active_at).where(
            or_(users.c.created_at >= first, users.c.last_active_at >= first)
        )
    ).all()
    for account_id, created_at, last_active_at in rows:
        created, seen = _utc(created_at), _utc(last_active_at)
        if created is not None and created >= first:
            index = (created - first) // WEEK
            if index < weeks:
                signups[index] += 1
        if seen is not None and seen >= first:
            index = (seen - first) // WEEK
            if index < weeks:
                active[index].add(int(account_id))
    return [
        WeekActivity(first + WEEK * i, counts[i], len(active[i]), signups[i])
        for i in reversed(range(weeks))
    ]


def find_local_account(conn: Connection, username: str) -> Row[Any] | None:
    """The local account called ``username`` (any case), or ``None``."""
    if not username or len(username) > 30:
        return None
    query = (
        select(accounts)
        .join(users, users.c.account_id == accounts.c.id)
        .where(accounts.c.username_lower == username.lower())
    )
    return conn.execute(query).first()


def user_settings(conn: Connection, account_id: int) -> Row[Any] | None:
    """The ``users`` row behind a local account (defaults for posting), or ``None``."""
    return conn.execute(select(users).where(users.c.account_id == account_id)).first()


@dataclass(frozen=True, slots=True)
class InstanceFacts:
    """Everything the instance documents read from the database."""

    stats: InstanceStats
    contact: Row[Any] | None


def instance_facts(conn: Connection, *, now: datetime | None = None) -> InstanceFacts:
    """Counts plus the contact admin's account, in one transaction."""
    return InstanceFacts(instance_stats(conn, now=now), contact_account(conn))
