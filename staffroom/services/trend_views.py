"""Reading trends, tag and link history, and an admin's review of what may trend.

Reads ``trends`` (the scores the ``refresh_trends`` job keeps), ``trend_activity`` (daily
history), ``trend_reviews`` and the instance setting ``trends_require_review``. Writes only
an admin's review (``review``) and that setting (``set_require_review``).

What may trend: something an admin rejected never trends; when the instance requires review
(Mastodon's default, ``trendable_by_default`` off) only what an admin approved trends;
otherwise everything not rejected does. Trending posts are loaded through
``status_views.load_views`` for the viewer, so nobody is shown a post they may not see.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, and_, delete, or_, select

from staffroom import clock
from staffroom.db import fastsql
from staffroom.db.tables import (
    instance_settings,
    statuses,
    tags,
    trend_links,
    trend_reviews,
    trends,
    users,
)
from staffroom.db.upsert import insert_ignore
from staffroom.errors import Forbidden, NotFound
from staffroom.services.search import tag_with_featuring
from staffroom.services.status_views import StatusView, load_views
from staffroom.services.timelines import PageRequest, TimelinePage, hashtag
from staffroom.services.trends import LINK, STATUS, TAG, hour_of

REQUIRE_REVIEW_KEY = "trends_require_review"
HISTORY_DAYS = 7
STATES = ("approved", "rejected")


@dataclass(frozen=True, slots=True)
class Day:
    day: int  # unix seconds at midnight UTC
    uses: int
    accounts: int


@dataclass(frozen=True, slots=True)
class TrendingTag:
    id: int
    name: str
    history: list[Day]
    score: float = 0.0
    review: str | None = None  # "approved", "rejected" or None (not reviewed)


@dataclass(frozen=True, slots=True)
class TrendingLink:
    id: int
    url: str
    history: list[Day]
    score: float = 0.0
    review: str | None = None


# --- the review setting ----------------------------------------------------------------------


def require_review(conn: Connection) -> bool:
    """Whether only approved tags, links and posts trend (off unless an admin turns it on)."""
    value = conn.execute(
        select(instance_settings.c.value).where(instance_settings.c.key == REQUIRE_REVIEW_KEY)
    ).scalar()
    return bool(value)


def set_require_review(conn: Connection, on: bool) -> None:
    conn.execute(delete(instance_settings).where(instance_settings.c.key == REQUIRE_REVIEW_KEY))
    conn.execute(instance_settings.insert().values(key=REQUIRE_REVIEW_KEY, value=on))


def check_admin(conn: Connection, account_id: int) -> None:
    """403 unless the account is an administrator (Mastodon: "This action is not allowed")."""
    admin = conn.execute(select(users.c.admin).where(users.c.account_id == account_id)).scalar()
    if not admin:
        raise Forbidden("This action is not allowed")


def review(conn: Connection, kind: int, target_id: int, state: str) -> None:
    """Record an admin's approval or rejection (the caller checked ``check_admin``)."""
    assert state in STATES
    _check_target(conn, kind, target_id)
    conn.execute(
        delete(trend_reviews).where(
            trend_reviews.c.kind == kind, trend_reviews.c.target_id == target_id
        )
    )
    conn.execute(
        insert_ignore(conn, trend_reviews),
        {"kind": kind, "target_id": target_id, "state": state, "reviewed_at": clock.now()},
    )


def _check_target(conn: Connection, kind: int, target_id: int) -> None:
    table = {TAG: tags, LINK: trend_links, STATUS: statuses}[kind]
    if conn.execute(select(table.c.id).where(table.c.id == target_id)).first() is None:
        raise NotFound()


# --- history ---------------------------------------------------------------------------------


def _midnight(moment: datetime) -> int:
    return int(moment.replace(hour=0, minute=0, second=0, microsecond=0).timestamp())


def history(conn: Connection, kind: int, target_ids: list[int]) -> dict[int, list[Day]]:
    """The last seven days (today first) of uses and distinct accounts per target."""
    now = clock.now().astimezone(UTC)
    today = _midnight(now)
    first_hour = (today - (HISTORY_DAYS - 1) * 86400) // 3600
    found: dict[int, dict[int, tuple[int, int]]] = {t: {} for t in target_ids}
    if target_ids:
        marks = ", ".join("?" for _ in target_ids)
        rows = fastsql.run_plain(
            conn,
            "SELECT target_id, hour / 24, SUM(uses), COUNT(DISTINCT account_id)"
            f" FROM trend_activity WHERE kind = ? AND target_id IN ({marks}) AND hour >= ?"
            " AND hour <= ? GROUP BY target_id, hour / 24",
            kind,
            *target_ids,
            first_hour,
            hour_of(now),
        )
        for target, day, uses, accounts in rows:
            found[int(target)][int(day) * 86400] = (int(uses), int(accounts))
    days = [today - i * 86400 for i in range(HISTORY_DAYS)]
    return {t: [Day(d, *by_day.get(d, (0, 0))) for d in days] for t, by_day in found.items()}


# --- trending --------------------------------------------------------------------------------


def _allowed(conn: Connection) -> Any:
    if require_review(conn):
        return trend_reviews.c.state == "approved"
    return or_(trend_reviews.c.state.is_(None), trend_reviews.c.state != "rejected")


def _ranked(
    conn: Connection, kind: int, limit: int, offset: int, *, everything: bool = False
) -> list[Any]:
    """Trend rows of ``kind`` by score; ``everything`` includes what may not trend (admin)."""
    query = (
        select(trends.c.target_id, trends.c.score, trend_reviews.c.state)
        .outerjoin(
            trend_reviews,
            and_(trend_reviews.c.kind == kind, trend_reviews.c.target_id == trends.c.target_id),
        )
        .where(trends.c.kind == kind, trends.c.score > 0)
        .order_by(trends.c.score.desc(), trends.c.target_id.desc())
        .limit(limit)
        .offset(offset)
    )
    if not everything:
        query = query.where(_allowed(conn))
    return list(conn.execute(query))


def trending_tags(
    conn: Connection, limit: int, offset: int = 0, *, everything: bool = False
) -> list[TrendingTag]:
    """Tags trending now, best first, with their history."""
    ranked = _ranked(conn, TAG, limit, offset, everything=everything)
    ids = [r.target_id for r in ranked]
    names = dict(conn.execute(select(tags.c.id, tags.c.name).where(tags.c.id.in_(ids))).all())
    days = history(conn, TAG, ids)
    return [
        TrendingTag(r.target_id, names[r.target_id], days[r.target_id], r.score, r.state)
        for r in ranked
        if r.target_id in names
    ]


def trending_links(
    conn: Connection, limit: int, offset: int = 0, *, everything: bool = False
) -> list[TrendingLink]:
    """Links trending now, best first, with their history."""
    ranked = _ranked(conn, LINK, limit, offset, everything=everything)
    ids = [r.target_id for r in ranked]
    urls = dict(
        conn.execute(
            select(trend_links.c.id, trend_links.c.url).where(trend_links.c.id.in_(ids))
        ).all()
    )
    days = history(conn, LINK, ids)
    return [
        TrendingLink(r.target_id, urls[r.target_id], days[r.target_id], r.score, r.state)
        for r in ranked
        if r.target_id in urls
    ]


def trending_statuses(
    conn: Connection,
    viewer_id: int | None,
    limit: int,
    offset: int = 0,
    *,
    everything: bool = False,
) -> list[StatusView]:
    """Posts trending now that the viewer may see (blocks and mutes respected)."""
    ranked = _ranked(conn, STATUS, limit, offset, everything=everything)
    return load_views(conn, viewer_id, [r.target_id for r in ranked], for_timeline=True)


def status_reviews(conn: Connection, ids: list[int]) -> dict[int, str]:
    """The review state of each post in ``ids`` that has one."""
    rows = conn.execute(
        select(trend_reviews.c.target_id, trend_reviews.c.state).where(
            trend_reviews.c.kind == STATUS, trend_reviews.c.target_id.in_(ids)
        )
    )
    return {r.target_id: r.state for r in rows}


def tag_history(conn: Connection, tag_id: int) -> list[Day]:
    """A tag's last seven days, today first."""
    return history(conn, TAG, [tag_id])[tag_id]


def trends_now(
    conn: Connection, viewer_id: int | None, limit: int = 10
) -> tuple[list[TrendingTag], list[StatusView], list[TrendingLink]]:
    """What the Explore page shows: tags, posts and links, each at most ``limit``."""
    return (
        trending_tags(conn, limit),
        trending_statuses(conn, viewer_id, limit),
        trending_links(conn, limit),
    )


def admin_overview(conn: Connection, limit: int = 40) -> dict[str, Any]:
    """Everything scoring now, allowed or not, for the admin's review page."""
    posts = trending_statuses(conn, None, limit, everything=True)
    return {
        "require_review": require_review(conn),
        "tags": trending_tags(conn, limit, everything=True),
        "links": trending_links(conn, limit, everything=True),
        "statuses": posts,
        "status_reviews": status_reviews(conn, [v.id for v in posts]),
    }


@dataclass(frozen=True, slots=True)
class TagDetails:
    row: Any  # the tag's row, None for a name never used
    featuring: bool
    history: list[Day]


def tag_details(conn: Connection, viewer_id: int | None, name: str) -> TagDetails:
    """A tag for its page or ``GET /api/v1/tags/:name``: row, featured by the viewer, history."""
    row, featuring = tag_with_featuring(conn, viewer_id, name)
    return TagDetails(row, featuring, tag_history(conn, row.id) if row is not None else [])


def review_and_show(conn: Connection, kind: int, target_id: int, state: str) -> tuple[bool, Any]:
    """Record the review, then the reviewed item as the admin API shows it: a
    ``TrendingTag``/``TrendingLink``, or a post's ``StatusView`` (``None`` if not public)."""
    review(conn, kind, target_id, state)
    if kind == TAG:
        name = conn.execute(select(tags.c.name).where(tags.c.id == target_id)).scalar_one()
        item: Any = TrendingTag(target_id, name, tag_history(conn, target_id), review=state)
    elif kind == LINK:
        url = conn.execute(
            select(trend_links.c.url).where(trend_links.c.id == target_id)
        ).scalar_one()
        item = TrendingLink(target_id, url, history(conn, LINK, [target_id])[target_id], 0, state)
    else:
        views = load_views(conn, None, [target_id])
        item = views[0] if views else None
    return require_review(conn), item


def is_admin(conn: Connection, account_id: int | None) -> bool:
    if account_id is None:
        return False
    found = conn.execute(select(users.c.admin).where(users.c.account_id == account_id)).scalar()
    return bool(found)


@dataclass(frozen=True, slots=True)
class Explore:
    tags: list[TrendingTag]
    statuses: list[StatusView]
    links: list[TrendingLink]
    admin: bool  # the viewer may review trends


def explore(conn: Connection, viewer_id: int | None, limit: int = 10) -> Explore:
    """The Explore page: what trends now (as the viewer may see it)."""
    found_tags, posts, links = trends_now(conn, viewer_id, limit)
    return Explore(found_tags, posts, links, is_admin(conn, viewer_id))


def admin_page(conn: Connection, account_id: int) -> dict[str, Any]:
    """The admin's review page (403 for anyone else)."""
    check_admin(conn, account_id)
    return admin_overview(conn)


def admin_review(conn: Connection, account_id: int, kind: int, target_id: int, state: str) -> None:
    """An admin's approval or rejection from the web page (403 for anyone else)."""
    check_admin(conn, account_id)
    review(conn, kind, target_id, state)


def admin_set_require_review(conn: Connection, account_id: int, on: bool) -> None:
    check_admin(conn, account_id)
    set_require_review(conn, on)


def tag_page(
    conn: Connection, viewer_id: int | None, name: str, page: PageRequest
) -> tuple[TimelinePage, TagDetails]:
    """A hashtag's web page: its public posts for the viewer and its details."""
    return hashtag(conn, viewer_id, name, page), tag_details(conn, viewer_id, name)
