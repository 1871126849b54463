"""Events and chat series: making them, reading them, and their hosts (issue 15).

Writes ``event_series``, ``events``, ``event_hosts`` and ``series_hosts`` (migration 0030).
An event is announced by a public post from its maker (``announce_status_id``), so Mastodon
clients see it as a post with a link to the event's page; a series announces its first
occurrence. Everything else about events (RSVPs, calendars, topics, rooms, transcripts,
walls) lives in its own module and reads events through :func:`get_event`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import Connection, insert, select, update

from staffroom import clock
from staffroom.db.tables_events import event_hosts, event_series, events, series_hosts
from staffroom.errors import NotFound, ValidationFailed
from staffroom.ids import new_id
from staffroom.messages import N_
from staffroom.runtime import Runtime
from staffroom.services import event_recurrence as recurrence
from staffroom.services.posting import NewStatus, post_status
from staffroom.services.profiles import clean_tag_name
from staffroom.text.validate import is_valid_url, weighted_length

KINDS = ("chat", "conference", "session")
WALL_MODES = ("post_then_hide", "approve_first")
MAX_DURATION = timedelta(days=14)
# How far ahead a series' occurrences exist as rows (RSVPs, topics and calendars need them).
HORIZON = timedelta(days=92)
MIN_AHEAD = 4  # ...and at least this many upcoming ones


@dataclass(frozen=True, slots=True)
class EventDraft:
    """What a person fills in to make (or change) an event or a series."""

    title: str
    hashtag: str
    time_zone: str
    start_local: datetime  # naive, wall-clock time in time_zone
    duration_minutes: int = 60
    description: str = ""
    online_url: str = ""
    kind: str = "chat"
    parent_id: int | None = None
    discoverable: bool = True


@dataclass(frozen=True, slots=True)
class Event:
    """One dated event as stored, with its hosts."""

    id: int
    series_id: int | None
    account_id: int
    kind: str
    parent_id: int | None
    title: str
    description: str
    hashtag: str
    time_zone: str
    starts_at: datetime
    ends_at: datetime
    online_url: str
    discoverable: bool
    cancelled: bool
    announce_status_id: int | None
    topic: str | None
    topic_state: str
    topic_poll_status_id: int | None
    summary: str
    summary_account_id: int | None
    summary_updated_at: datetime | None
    slow_mode_seconds: int
    wall_mode: str
    qa_open: bool
    host_ids: tuple[int, ...]
    speaker_ids: tuple[int, ...]

    @property
    def local_start(self) -> datetime:
        return recurrence.to_local(self.starts_at, self.time_zone)

    @property
    def local_end(self) -> datetime:
        return recurrence.to_local(self.ends_at, self.time_zone)

    def phase(self, now: datetime) -> str:
        """``upcoming``, ``live``, ``ended`` or ``cancelled``."""
        if self.cancelled:
            return "cancelled"
        if now < self.starts_at:
            return "upcoming"
        return "live" if now < self.ends_at else "ended"

    def is_host(self, account_id: int | None) -> bool:
        return account_id is not None and (
            account_id in self.host_ids or account_id == self.account_id
        )


@dataclass(frozen=True, slots=True)
class Series:
    id: int
    account_id: int
    title: str
    description: str
    hashtag: str
    time_zone: str
    first_start_local: datetime
    duration_minutes: int
    frequency: str
    until_local: date | None
    online_url: str
    host_ids: tuple[int, ...]

    def is_host(self, account_id: int | None) -> bool:
        return account_id is not None and (
            account_id in self.host_ids or account_id == self.account_id
        )


def check_draft(draft: EventDraft) -> EventDraft:
    """The draft cleaned (hashtag without '#', trimmed text), or a 422 naming the field."""
    title = draft.title.strip()
    if not title or len(title) > 200:
        raise ValidationFailed(
            N_("Give the event a title of at most 200 characters"), field="title"
        )
    tag = clean_tag_name(draft.hashtag)
    if tag is None:
        raise ValidationFailed(N_("That is not a valid hashtag"), field="hashtag")
    if recurrence.zone(draft.time_zone) is None:
        raise ValidationFailed(N_("That is not a time zone we know"), field="time_zone")
    if not 5 <= draft.duration_minutes <= MAX_DURATION.total_seconds() // 60:
        raise ValidationFailed(
            N_("An event lasts from 5 minutes to 14 days"), field="duration_minutes"
        )
    url = draft.online_url.strip()
    if url and (
        len(url) > 500 or not is_valid_url(url) or not url.startswith(("https://", "http://"))
    ):
        raise ValidationFailed(N_("The online link must be a web address"), field="online_url")
    if draft.kind not in KINDS:
        raise ValidationFailed(N_("Unknown kind of event"), field="kind")
    if len(draft.description) > 5000:
        raise ValidationFailed(N_("The description is too long"), field="description")
    return replace(
        draft, title=title, hashtag=tag, online_url=url, description=draft.description.strip()
    )


def _event_values(
    account_id: int, draft: EventDraft, start: datetime, now: datetime
) -> dict[str, object]:
    return {
        "account_id": account_id,
        "kind": draft.kind,
        "parent_id": draft.parent_id,
        "title": draft.title,
        "description": draft.description,
        "hashtag": draft.hashtag,
        "hashtag_lower": draft.hashtag.lower(),
        "time_zone": draft.time_zone,
        "starts_at": start,
        "ends_at": start + timedelta(minutes=draft.duration_minutes),
        "online_url": draft.online_url,
        "discoverable": draft.discoverable,
        "cancelled": False,
        "topic_state": "closed",
        "summary": "",
        "slow_mode_seconds": 0,
        "wall_mode": "post_then_hide",
        "qa_open": True,
        "created_at": now,
        "updated_at": now,
    }


def event_url(base_url: str, event_id: int) -> str:
    return f"{base_url}/events/{event_id}"


def series_url(base_url: str, series_id: int) -> str:
    return f"{base_url}/series/{series_id}"


def announcement_text(rt: Runtime, title: str, when: datetime, hashtag: str, url: str) -> str:
    """The announcing post: title, local time with its zone, hashtag and link, the title
    shortened to fit the post limit."""
    stamp = when.strftime("%a %d %b %Y %H:%M ") + (when.tzname() or "")
    limit = rt.settings.max_status_chars
    for cut in range(len(title), 0, -1):
        name = title if cut == len(title) else title[: cut - 1].rstrip() + "…"
        text = f"{name}\n{stamp}\n#{hashtag} {url}"
        if weighted_length(text, rt.settings.url_length) <= limit:
            return text
    return f"#{hashtag} {url}"


def _announce(conn: Connection, rt: Runtime, account_id: int, event_id: int, url: str) -> int:
    event = require_event(conn, event_id)
    text = announcement_text(rt, event.title, event.local_start, event.hashtag, url)
    status_id = post_status(conn, rt, account_id, NewStatus(text=text, visibility="public"))
    conn.execute(update(events).where(events.c.id == event_id).values(announce_status_id=status_id))
    return status_id


def _set_hosts(
    conn: Connection, table: object, key: str, owner_id: int, host_ids: Iterable[int]
) -> None:
    rows = [{key: owner_id, "account_id": a} for a in dict.fromkeys(host_ids)]
    if rows:
        conn.execute(insert(table), rows)  # type: ignore[arg-type]


def create_event(
    conn: Connection,
    rt: Runtime,
    account_id: int,
    draft: EventDraft,
    host_ids: Sequence[int] = (),
    *,
    announce: bool = True,
) -> int:
    """Make one event; its maker is a host. Announced by a public post unless not asked."""
    draft = check_draft(draft)
    now = clock.now()
    event_id = new_id()
    start = recurrence.to_utc(draft.start_local, draft.time_zone)
    conn.execute(
        insert(events).values(
            id=event_id, series_id=None, **_event_values(account_id, draft, start, now)
        )
    )
    _set_hosts(conn, event_hosts, "event_id", event_id, [account_id, *host_ids])
    if announce:
        _announce(conn, rt, account_id, event_id, event_url(rt.settings.base_url, event_id))
    return event_id


def create_series(
    conn: Connection,
    rt: Runtime,
    account_id: int,
    draft: EventDraft,
    frequency: str,
    until: date | None = None,
    host_ids: Sequence[int] = (),
    *,
    announce: bool = True,
) -> tuple[int, int]:
    """Make a chat series and its first occurrences; answers (series ID, first event ID)."""
    draft = check_draft(draft)
    if frequency not in recurrence.FREQUENCIES:
        raise ValidationFailed(N_("Choose weekly, fortnightly or monthly"), field="frequency")
    if until is not None and until < draft.start_local.date():
        raise ValidationFailed(N_("The series cannot end before it starts"), field="until")
    now = clock.now()
    series_id = new_id()
    conn.execute(
        insert(event_series).values(
            id=series_id,
            account_id=account_id,
            title=draft.title,
            description=draft.description,
            hashtag=draft.hashtag,
            time_zone=draft.time_zone,
            first_start_local=draft.start_local.strftime(recurrence.LOCAL_FORMAT),
            duration_minutes=draft.duration_minutes,
            frequency=frequency,
            until_local=until.isoformat() if until else None,
            online_url=draft.online_url,
            materialized_until=None,
            created_at=now,
            updated_at=now,
        )
    )
    _set_hosts(conn, series_hosts, "series_id", series_id, [account_id, *host_ids])
    made = materialize(conn, series_id, now)
    if not made:
        raise ValidationFailed(N_("This series has no dates left"), field="until")
    if announce:
        _announce(conn, rt, account_id, made[0], series_url(rt.settings.base_url, series_id))
    return series_id, made[0]


def materialize(conn: Connection, series_id: int, now: datetime) -> list[int]:
    """Make the series' occurrences up to the horizon (at least ``MIN_AHEAD`` upcoming), each
    with the series' hosts; answers the new events' IDs. Idempotent."""
    series = require_series(conn, series_id)
    row = conn.execute(
        select(event_series.c.materialized_until).where(event_series.c.id == series_id)
    ).one()
    done = _aware(row.materialized_until)
    horizon = now + HORIZON
    draft = EventDraft(
        title=series.title,
        hashtag=series.hashtag,
        time_zone=series.time_zone,
        start_local=series.first_start_local,
        duration_minutes=series.duration_minutes,
        description=series.description,
        online_url=series.online_url,
    )
    made: list[int] = []
    upcoming = 0
    for local in recurrence.local_starts(
        series.first_start_local, series.frequency, series.until_local
    ):
        start = recurrence.to_utc(local, series.time_zone)
        if start > now:
            upcoming += 1
        if start > horizon and upcoming > MIN_AHEAD:
            break
        if done is not None and start <= done:
            continue
        if start + timedelta(minutes=series.duration_minutes) < now:
            continue  # a series set up for a chat that already runs starts from today
        event_id = new_id()
        conn.execute(
            insert(events).values(
                id=event_id,
                series_id=series_id,
                **_event_values(series.account_id, draft, start, now),
            )
        )
        _set_hosts(conn, event_hosts, "event_id", event_id, series.host_ids or (series.account_id,))
        made.append(event_id)
        done = start
    if made:
        conn.execute(
            update(event_series)
            .where(event_series.c.id == series_id)
            .values(materialized_until=done)
        )
    return made


def _aware(value: datetime | None) -> datetime | None:
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=UTC)


def _hosts(conn: Connection, event_ids: Sequence[int]) -> dict[int, tuple[list[int], list[int]]]:
    found: dict[int, tuple[list[int], list[int]]] = {i: ([], []) for i in event_ids}
    if event_ids:
        rows = conn.execute(
            select(event_hosts.c.event_id, event_hosts.c.account_id, event_hosts.c.role).where(
                event_hosts.c.event_id.in_(event_ids)
            )
        )
        for r in rows:
            found[r.event_id][1 if r.role == "speaker" else 0].append(r.account_id)
    return found


def events_from_rows(conn: Connection, rows: Sequence[object]) -> list[Event]:
    """``events`` rows (all columns) as :class:`Event` with hosts, in the given order."""
    hosts = _hosts(conn, [r.id for r in rows])  # type: ignore[attr-defined]
    out = []
    for r in rows:
        m = dict(r._mapping)  # type: ignore[attr-defined]
        for k in ("starts_at", "ends_at", "summary_updated_at", "created_at", "updated_at"):
            m[k] = _aware(m[k])
        m.pop("hashtag_lower")
        m.pop("created_at")
        m.pop("updated_at")
        h, s = hosts[m["id"]]
        out.append(Event(**m, host_ids=tuple(sorted(h)), speaker_ids=tuple(sorted(s))))
    return out


def events_by_id(conn: Connection, event_ids: Sequence[int]) -> list[Event]:
    """The events with these IDs that exist (any order)."""
    if not event_ids:
        return []
    rows = conn.execute(select(events).where(events.c.id.in_(list(event_ids)))).all()
    return events_from_rows(conn, rows)


def get_event(conn: Connection, event_id: int) -> Event | None:
    rows = conn.execute(select(events).where(events.c.id == event_id)).all()
    found = events_from_rows(conn, rows)
    return found[0] if found else None


def require_event(conn: Connection, event_id: int) -> Event:
    event = get_event(conn, event_id)
    if event is None:
        raise NotFound(N_("There is no such event"))
    return event


def get_series(conn: Connection, series_id: int) -> Series | None:
    row = conn.execute(select(event_series).where(event_series.c.id == series_id)).first()
    if row is None:
        return None
    hosts = conn.execute(
        select(series_hosts.c.account_id).where(series_hosts.c.series_id == series_id)
    ).scalars()
    first = recurrence.parse_local(row.first_start_local)
    assert first is not None
    return Series(
        id=row.id,
        account_id=row.account_id,
        title=row.title,
        description=row.description,
        hashtag=row.hashtag,
        time_zone=row.time_zone,
        first_start_local=first,
        duration_minutes=row.duration_minutes,
        frequency=row.frequency,
        until_local=date.fromisoformat(row.until_local) if row.until_local else None,
        online_url=row.online_url,
        host_ids=tuple(sorted(hosts)),
    )


def require_series(conn: Connection, series_id: int) -> Series:
    series = get_series(conn, series_id)
    if series is None:
        raise NotFound(N_("There is no such series"))
    return series


def series_events(
    conn: Connection, series_id: int, *, after: datetime | None = None, limit: int = 50
) -> list[Event]:
    """The series' occurrences in time order (from ``after`` if given)."""
    q = select(events).where(events.c.series_id == series_id)
    if after is not None:
        q = q.where(events.c.ends_at > after)
    rows = conn.execute(q.order_by(events.c.starts_at).limit(limit)).all()
    return events_from_rows(conn, rows)


def events_for_tag(conn: Connection, hashtag: str, around: datetime) -> list[Event]:
    """Events with this hashtag running at ``around`` (give or take an hour), not cancelled:
    what a post with the hashtag belongs to."""
    rows = conn.execute(
        select(events)
        .where(events.c.hashtag_lower == hashtag.lower())
        .where(events.c.starts_at <= around + timedelta(hours=1))
        .where(events.c.ends_at >= around - timedelta(hours=1))
        .where(events.c.cancelled.is_(False))
        .order_by(events.c.starts_at)
    ).all()
    return events_from_rows(conn, rows)
