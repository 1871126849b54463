"""Trends: recording use, and scoring what trends (tags, links, posts) as Mastodon does.

Writes ``trend_activity`` (the record of use), ``trend_links`` (links by URL) and ``trends``
(the scores the trends API reads). Causes nothing else.

Recording is one insert-or-update per tag or link and one insert-or-ignore per interaction:
- a public original post's hashtags and links, recorded by the ``deliver_status`` job (not in
  the posting request), for its author, in the current hour (``record_post``);
- a favourite or a repost of a post, for the account who gave it (``record_interaction``).
An account counts once per target and hour however many posts it makes, so one account
repeating a tag never makes it trend.

Scoring (``refresh``; the ``refresh_trends`` job every five minutes, a chain of delayed jobs
that reschedules itself in the transaction that completes it) follows Mastodon's
``Trends::Tags``/``Links``/``Statuses``:
- tags and links: ``observed`` distinct discoverable accounts in the last 24 hours against
  ``expected`` (those of the 24 hours before, at least 1); below ``THRESHOLD`` accounts or
  below expectation scores 0, else ``(observed - expected)² / expected``. The peak
  (``max_score``, kept two days) decays with a half-life (tags 4 h, links 8 h); what is under
  ``DECAY_THRESHOLD`` does not trend;
- posts: distinct accounts who favourited or reposted a public, non-reply, non-sensitive post
  without a content warning by a discoverable author; the score decays from the post's own
  time (half-life 2 h).
Whether something may trend (an admin's review) is decided when reading
(``services.trend_views``).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, delete, select

from staffroom import clock
from staffroom.db import fastsql
from staffroom.db.tables import trend_links, trends
from staffroom.db.upsert import insert_ignore
from staffroom.ids import new_id
from staffroom.jobs.registry import Lease, job_handler, periodic
from staffroom.text import extract_urls

if TYPE_CHECKING:
    from staffroom.jobs.queue import Job
    from staffroom.runtime import Runtime

TAG, LINK, STATUS = 0, 1, 2
KIND_NAMES = {"tags": TAG, "links": LINK, "statuses": STATUS}

THRESHOLD = 5  # distinct accounts before anything may trend
DECAY_THRESHOLD = {TAG: 1.0, LINK: 1.0, STATUS: 0.3}
HALF_LIFE = {TAG: timedelta(hours=4), LINK: timedelta(hours=8), STATUS: timedelta(hours=2)}
MAX_SCORE_COOLDOWN = timedelta(days=2)
KEEP_HOURS = 8 * 24  # a week of daily history and a day before it
REFRESH_SECONDS = 300
REFRESH_JOB_ID = 21  # the one periodic refresh job (real IDs are time-based, far larger)
MAX_URL = 2000

_UPSERT_USE = (
    "INSERT INTO trend_activity (kind, target_id, hour, account_id, uses) VALUES (?, ?, ?, ?, 1)"
    " ON CONFLICT (kind, target_id, hour, account_id)"
    " DO UPDATE SET uses = trend_activity.uses + 1"
)
_IGNORE_USE = (
    "INSERT INTO trend_activity (kind, target_id, hour, account_id, uses) VALUES (?, ?, ?, ?, 1)"
    " ON CONFLICT (kind, target_id, hour, account_id) DO NOTHING"
)
# One statement for all of a post's hashtags (the delivery job runs it for every public post).
_TAG_USES = (
    "INSERT INTO trend_activity (kind, target_id, hour, account_id, uses)"
    " SELECT 0, tag_id, ?, ?, 1 FROM status_tags WHERE status_id = ?"
    " ON CONFLICT (kind, target_id, hour, account_id)"
    " DO UPDATE SET uses = trend_activity.uses + 1"
)
# The text only of a post that may hold a link and is neither sensitive nor behind a warning.
_LINKED_POST = (
    "SELECT text FROM statuses WHERE id = ? AND sensitive = ? AND spoiler_text = ''"
    " AND text LIKE ?"  # the pattern is a parameter: '%' is psycopg's placeholder mark
)


def hour_of(moment: datetime) -> int:
    """Hours since the epoch: the bucket a use falls in."""
    return int(moment.timestamp()) // 3600


# --- recording -------------------------------------------------------------------------------


def record_post(conn: Connection, status_id: int, author_id: int) -> None:
    """Count a public original post's hashtags (and, unless it is sensitive or behind a
    content warning, its links) for its author in this hour. Called by delivery."""
    hour = hour_of(clock.now())
    fastsql.run_plain(conn, _TAG_USES, hour, author_id, status_id)
    found = fastsql.run_plain(conn, _LINKED_POST, status_id, False, "%://%")
    if not found:
        return
    for link_id in _link_ids(conn, found[0][0]):
        fastsql.run_plain(conn, _UPSERT_USE, LINK, link_id, hour, author_id)


def record_interaction(conn: Connection, status_id: int, account_id: int) -> None:
    """Count a favourite or repost of ``status_id`` by ``account_id`` (once per hour)."""
    fastsql.run_plain(conn, _IGNORE_USE, STATUS, status_id, hour_of(clock.now()), account_id)


def normalise_url(url: str) -> str | None:
    """The URL a link trends by (``http(s)`` only, without its fragment), or ``None``."""
    url = url.split("#", 1)[0]
    scheme, sep, rest = url.partition("://")
    if not sep or scheme.lower() not in ("http", "https") or not rest or len(url) > MAX_URL:
        return None
    host, slash, path = rest.partition("/")
    return f"{scheme.lower()}://{host.lower()}{slash}{path}"


def url_hash(url: str) -> str:
    return hashlib.sha256(url.encode()).hexdigest()


def _link_ids(conn: Connection, text: str) -> list[int]:
    urls = list(dict.fromkeys(u for u in map(normalise_url, extract_urls(text)) if u))
    if not urls:
        return []
    hashes = {url_hash(u): u for u in urls}
    now = clock.now()
    conn.execute(
        insert_ignore(conn, trend_links),
        [{"id": new_id(), "url": u, "url_hash": h, "created_at": now} for h, u in hashes.items()],
    )
    found = conn.execute(
        select(trend_links.c.id).where(trend_links.c.url_hash.in_(list(hashes)))
    ).scalars()
    return list(found)


# --- scoring ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Peak:
    score: float
    at: datetime


def trend_score(observed: float, expected: float) -> float:
    """Mastodon's score: nothing below the threshold or below expectation."""
    expected = max(expected, 1.0)
    if expected > observed or observed < THRESHOLD:
        return 0.0
    return (observed - expected) ** 2 / expected


def decayed(score: float, since: datetime, now: datetime, half_life: timedelta) -> float:
    """``score`` halved for every ``half_life`` elapsed since ``since``."""
    elapsed = max(0.0, (now - since).total_seconds())
    return float(score * 0.5 ** (elapsed / half_life.total_seconds()))


_DISTINCT_ACCOUNTS = (
    "SELECT a.target_id, COUNT(DISTINCT a.account_id) FROM trend_activity a"
    " JOIN accounts p ON p.id = a.account_id"
    " WHERE a.kind = ? AND a.hour > ? AND a.hour <= ? AND p.discoverable = ?"
    " GROUP BY a.target_id"
)


def _counts(conn: Connection, kind: int, first: int, last: int) -> dict[int, int]:
    """Distinct discoverable accounts per target in hours ``first+1 .. last``."""
    rows = fastsql.run_plain(conn, _DISTINCT_ACCOUNTS, kind, first, last, True)
    return {int(target): int(count) for target, count in rows}


def _peaks(conn: Connection, kind: int) -> dict[int, Peak]:
    rows = conn.execute(
        select(trends.c.target_id, trends.c.max_score, trends.c.max_score_at).where(
            trends.c.kind == kind
        )
    )
    return {r.target_id: Peak(r.max_score, _aware(r.max_score_at)) for r in rows}


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def _score_by_accounts(conn: Connection, kind: int, now: datetime) -> dict[int, tuple[float, Peak]]:
    """Tags or links: each candidate's decayed score and peak."""
    hour = hour_of(now)
    observed = _counts(conn, kind, hour - 24, hour)
    expected = _counts(conn, kind, hour - 48, hour - 24)
    peaks = _peaks(conn, kind)
    scored: dict[int, tuple[float, Peak]] = {}
    for target in set(observed) | set(peaks):
        peak = peaks.get(target)
        if peak is None or peak.at < now - MAX_SCORE_COOLDOWN:
            peak = Peak(0.0, now)
        score = trend_score(observed.get(target, 0), expected.get(target, 0))
        if score > peak.score:
            peak = Peak(score, now)
        scored[target] = (decayed(peak.score, peak.at, now, HALF_LIFE[kind]), peak)
    return scored


_POST_INTERACTIONS = (
    "SELECT s.id, COUNT(DISTINCT a.account_id) FROM trend_activity a"
    " JOIN statuses s ON s.id = a.target_id"
    " JOIN accounts p ON p.id = s.account_id"
    " WHERE a.kind = ? AND s.visibility = 0 AND s.reblog_of_id IS NULL"
    " AND s.in_reply_to_id IS NULL AND s.sensitive = ? AND s.spoiler_text = ''"
    " AND p.discoverable = ? AND s.id >= ?"
    " GROUP BY s.id"
)


def _score_posts(conn: Connection, now: datetime) -> dict[int, tuple[float, Peak]]:
    """Posts of the last two days: interactions by distinct accounts, decayed by age."""
    oldest = (int((now - MAX_SCORE_COOLDOWN).timestamp() * 1000)) << 16
    rows = fastsql.run_plain(conn, _POST_INTERACTIONS, STATUS, False, True, oldest)
    scored: dict[int, tuple[float, Peak]] = {}
    for status_id, count in rows:
        created = datetime.fromtimestamp((int(status_id) >> 16) / 1000, UTC)  # IDs hold the time
        score = trend_score(float(count), 1.0)
        now_score = decayed(score, created, now, HALF_LIFE[STATUS])
        scored[int(status_id)] = (now_score, Peak(score, created))
    return scored


def refresh(conn: Connection, now: datetime | None = None) -> dict[int, int]:
    """Score every candidate and replace the ``trends`` rows; prune old activity.
    Returns how many of each kind trend now (before any review)."""
    now = now or clock.now()
    trending: dict[int, int] = {}
    for kind in (TAG, LINK, STATUS):
        scored = _score_posts(conn, now) if kind == STATUS else _score_by_accounts(conn, kind, now)
        conn.execute(delete(trends).where(trends.c.kind == kind))
        rows: list[dict[str, Any]] = []
        for target, (score, peak) in scored.items():
            keep_peak = kind != STATUS and peak.score > 0 and peak.at >= now - MAX_SCORE_COOLDOWN
            if score >= DECAY_THRESHOLD[kind] or keep_peak:
                rows.append(
                    {
                        "kind": kind,
                        "target_id": target,
                        "score": score if score >= DECAY_THRESHOLD[kind] else 0.0,
                        "max_score": peak.score,
                        "max_score_at": peak.at,
                        "updated_at": now,
                    }
                )
        if rows:
            conn.execute(trends.insert(), rows)
        trending[kind] = sum(1 for r in rows if r["score"] > 0)
    fastsql.run_plain(conn, "DELETE FROM trend_activity WHERE hour < ?", hour_of(now) - KEEP_HOURS)
    return trending


# --- the periodic job ------------------------------------------------------------------------


_SCHEDULE = (
    "INSERT INTO jobs (id, kind, payload, run_at, attempts, max_attempts, created_at)"
    " VALUES (?, 'refresh_trends', '{}', ?, 0, 1000000, ?) ON CONFLICT (id) DO NOTHING"
)


@periodic
def ensure_scheduled(conn: Connection) -> None:
    """Make sure the refresh job exists (one row, a fixed ID, so processes never double it)."""
    schedule_refresh(conn, 0)


def schedule_refresh(conn: Connection, delay_seconds: float) -> None:
    now = clock.now()
    run_at = now + timedelta(seconds=delay_seconds)
    fastsql.run_plain(
        conn,
        _SCHEDULE,
        REFRESH_JOB_ID,
        fastsql.timestamp(conn, run_at),
        fastsql.timestamp(conn, now),
    )


@job_handler("refresh_trends")
def refresh_trends(rt: Runtime, job: Job, lease: Lease) -> None:
    """Refresh the scores, then schedule the next refresh in the same transaction."""

    def run(conn: Connection) -> None:
        refresh(conn)
        lease.complete_in(conn)
        schedule_refresh(conn, REFRESH_SECONDS)

    rt.db.write(run)
