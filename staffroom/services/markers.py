"""Read markers: where a person stopped reading their home timeline and their notifications.

Writes ``markers`` (migration 0020), one row per account and timeline, as Mastodon keeps
them. ``version`` is Mastodon's ``lock_version``: 0 when a marker is made, one more at every
change; a save that gives the same position changes nothing. Each change is a
compare-and-set on the version that was read, so two concurrent writers never lose an update
silently: the one that loses raises :class:`~staffroom.errors.Conflict` (409, as Mastodon's
``StaleObjectError``) and the whole save is undone.

After the commit, :func:`stream_changes` tells the person's open ``user`` and
``user:notification`` streams (a Staffroom extension, ``staffroom.marker``: Mastodon's
streaming API has no marker event and Mastodon clients ignore unknown events).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import orjson
from sqlalchemy import Connection, select, update
from sqlalchemy.exc import IntegrityError

from staffroom.db.tables import markers
from staffroom.errors import Conflict

if TYPE_CHECKING:
    from staffroom.runtime import Runtime

TIMELINES = ("home", "notifications")
MARKER_EVENT = "staffroom.marker"  # streaming.streams.MARKER (services do not import it)
CONFLICT_MESSAGE = "Conflict during update, please try again"  # Mastodon's words


@dataclass(frozen=True, slots=True)
class Marker:
    timeline: str
    last_read_id: int
    version: int
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class Saved:
    """A save's answer: every marker it was given, and those it changed (to stream)."""

    markers: dict[str, Marker]
    changed: dict[str, Marker]


def _marker(row: Any) -> Marker:
    updated = row.updated_at
    if updated.tzinfo is None:  # SQLite gives naive UTC back
        updated = updated.replace(tzinfo=UTC)
    return Marker(row.timeline, row.last_read_id, row.version, updated)


def get_markers(conn: Connection, account_id: int, timelines: Iterable[str]) -> dict[str, Marker]:
    """The account's markers for ``timelines`` (unknown names and missing markers left out)."""
    wanted = [t for t in dict.fromkeys(timelines) if t in TIMELINES]
    if not wanted:
        return {}
    rows = conn.execute(
        select(markers).where(markers.c.account_id == account_id, markers.c.timeline.in_(wanted))
    )
    found = {row.timeline: _marker(row) for row in rows}
    return {t: found[t] for t in wanted if t in found}


def read_for_update(conn: Connection, account_id: int, timeline: str) -> Marker | None:
    """The stored marker a save starts from (tests replace it to force a stale version)."""
    row = conn.execute(
        select(markers).where(markers.c.account_id == account_id, markers.c.timeline == timeline)
    ).first()
    return None if row is None else _marker(row)


def save_markers(conn: Connection, account_id: int, positions: Mapping[str, int]) -> Saved:
    """Set the account's markers to ``positions`` (timeline → last read ID; unknown timelines
    ignored, as Mastodon's permitted parameters ignore them). Raises ``Conflict`` when another
    request changed a marker between its read and its write."""
    now = datetime.now(UTC)
    saved: dict[str, Marker] = {}
    changed: dict[str, Marker] = {}
    for timeline, last_read_id in positions.items():
        if timeline not in TIMELINES:
            continue
        current = read_for_update(conn, account_id, timeline)
        if current is None:
            marker = Marker(timeline, last_read_id, 0, now)
            try:
                with conn.begin_nested():
                    conn.execute(
                        markers.insert().values(
                            account_id=account_id,
                            timeline=timeline,
                            last_read_id=last_read_id,
                            version=0,
                            updated_at=now,
                        )
                    )
            except IntegrityError as exc:  # made meanwhile by another request
                raise Conflict(CONFLICT_MESSAGE) from exc
            saved[timeline] = changed[timeline] = marker
            continue
        if current.last_read_id == last_read_id:
            saved[timeline] = current  # nothing changes, as Rails saves nothing
            continue
        marker = Marker(timeline, last_read_id, current.version + 1, now)
        done = conn.execute(
            update(markers)
            .where(
                markers.c.account_id == account_id,
                markers.c.timeline == timeline,
                markers.c.version == current.version,
            )
            .values(last_read_id=last_read_id, version=marker.version, updated_at=now)
        )
        if done.rowcount != 1:
            raise Conflict(CONFLICT_MESSAGE)
        saved[timeline] = changed[timeline] = marker
    return Saved(saved, changed)


def advance_marker(conn: Connection, account_id: int, timeline: str, last_read_id: int) -> Saved:
    """Move a marker forward only (the web app's reading: a page read in one tab never takes
    back what another tab read further); otherwise as :func:`save_markers`."""
    current = read_for_update(conn, account_id, timeline)
    if current is not None and current.last_read_id >= last_read_id:
        return Saved({timeline: current}, {})
    return save_markers(conn, account_id, {timeline: last_read_id})


def stream_changes(rt: Runtime, account_id: int, changed: Mapping[str, Marker]) -> None:
    """Tell the account's open streams (after the commit) which markers moved: the event
    ``staffroom.marker`` with the Mastodon markers hash as its payload."""
    from staffroom.serializers.markers import serialize_markers
    from staffroom.services.delivery import event

    channel = f"timeline:{account_id}"
    if not changed or not rt.broker.listened([channel]):
        return
    payload = orjson.dumps(serialize_markers(changed)).decode()
    meta: dict[str, Any] = {"author_id": None, "reblog_author_id": None, "mentioned": []}
    rt.broker.publish(channel, event(MARKER_EVENT, payload, meta))
