"""Which viewers may receive a streamed event.

Delivery publishes each event once per channel with facts for this check (``meta``: author,
reposted author, mentioned accounts, visibility). Before a post or a deletion goes out, the hub
asks :func:`allowed_viewers` about every viewer it serves on the event's channels: ONE query
loads the blocks, mutes (and, for followers-only posts, follows) between those viewers and the
accounts involved, and the visibility policy decides per viewer. Relations may have changed
since delivery fanned the post out, so user streams are checked too, not only public ones.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import orjson
from sqlalchemy import Connection

from staffroom.db import fastsql
from staffroom.policies.visibility import PRIVATE, ViewerFacts, belongs_in_timeline, may_see
from staffroom.streaming.streams import STATUS_EVENTS

# Above this many viewers the query names only the accounts involved (a short list) and the
# viewers are matched in Python, keeping the statement small.
VIEWER_LIST_LIMIT = 1000


@dataclass(frozen=True, slots=True)
class Event:
    """A decoded broker message."""

    name: str
    payload: str
    author_id: int | None
    reblog_author_id: int | None
    mentioned: frozenset[int]
    visibility: int | None
    quoted_author_id: int | None = None  # the author of a quoted post the payload shows

    @property
    def is_status(self) -> bool:
        """A post or deletion: it must be checked against each viewer."""
        return self.name in STATUS_EVENTS


def _int_or_none(value: Any) -> int | None:
    return int(value) if isinstance(value, int | str) and str(value).lstrip("-").isdigit() else None


def decode(message: str) -> Event | None:
    """The event in a broker message, or ``None`` if it is malformed."""
    try:
        data = orjson.loads(message)
        name, payload, meta = data["event"], data["payload"], data.get("meta") or {}
        mentioned = frozenset(int(a) for a in meta.get("mentioned") or ())
    except (orjson.JSONDecodeError, KeyError, TypeError, ValueError, AttributeError):
        return None
    if not isinstance(name, str) or not isinstance(payload, str):
        return None
    return Event(
        name,
        payload,
        _int_or_none(meta.get("author_id")),
        _int_or_none(meta.get("reblog_author_id")),
        mentioned,
        _int_or_none(meta.get("visibility")),
        _int_or_none(meta.get("quoted_author_id")),
    )


def _db_time(conn: Connection, value: datetime) -> Any:
    """A timestamp as the driver compares it (SQLite holds SQLAlchemy's text form)."""
    if conn.dialect.name == "sqlite":
        return value.replace(tzinfo=None).isoformat(sep=" ")
    return value


def _relations_query(restrict: bool, with_follows: bool) -> str:
    viewers = " AND {col} IN (?)" if restrict else ""
    parts = [
        "SELECT 'b', account_id, target_account_id FROM blocks WHERE target_account_id IN (?)"
        + viewers.format(col="account_id"),
        "SELECT 'B', target_account_id, account_id FROM blocks WHERE account_id IN (?)"
        + viewers.format(col="target_account_id"),
        "SELECT 'm', account_id, target_account_id FROM mutes WHERE target_account_id IN (?)"
        " AND (expires_at IS NULL OR expires_at > ?)" + viewers.format(col="account_id"),
    ]
    if with_follows:
        parts.append(
            "SELECT 'f', account_id, target_account_id FROM follows WHERE target_account_id = ?"
            + viewers.format(col="account_id")
        )
    return " UNION ALL ".join(parts)


def allowed_viewers(conn: Connection, event: Event, viewers: set[int]) -> set[int]:
    """The subset of ``viewers`` who may receive ``event`` (one query for all of them)."""
    if event.author_id is None or event.visibility is None or not viewers:
        return set()  # no facts to decide with: fail closed
    quoted = event.quoted_author_id
    authors = [a for a in (event.author_id, event.reblog_author_id, quoted) if a is not None]
    involved = sorted({*authors, *event.mentioned})
    restrict = len(viewers) <= VIEWER_LIST_LIMIT
    with_follows = event.visibility == PRIVATE
    who = [sorted(viewers)] if restrict else []
    params: list[Any] = [involved, *who, authors, *who, authors]
    params += [_db_time(conn, datetime.now(UTC)), *who]
    if with_follows:
        params += [event.author_id, *who]
    found: dict[str, defaultdict[int, set[int]]] = {k: defaultdict(set) for k in "bBmf"}
    for kind, viewer, other in fastsql.run(conn, _relations_query(restrict, with_follows), *params):
        if viewer in viewers:
            found[kind][viewer].add(other)
    allowed: set[int] = set()
    for viewer in viewers:
        facts = ViewerFacts(
            viewer,
            following=frozenset(found["f"].get(viewer, ())),
            blocked_by=frozenset(found["B"].get(viewer, ())),
            blocking=frozenset(found["b"].get(viewer, ())),
            muting=frozenset(found["m"].get(viewer, ())),
        )
        if (
            may_see(
                facts,
                author_id=event.author_id,
                visibility=event.visibility,
                mentioned=event.mentioned,
            )
            and belongs_in_timeline(
                facts,
                author_id=event.author_id,
                mentioned=event.mentioned,
                reblog_author_id=event.reblog_author_id,
            )
            and (quoted is None or _may_see_quoted(facts, quoted))
        ):
            allowed.add(viewer)
    return allowed


def _may_see_quoted(facts: ViewerFacts, quoted_author_id: int) -> bool:
    """A payload showing a post quoted from ``quoted_author_id`` (public or unlisted, or the
    quoter's own followers-only post) goes to the viewer only if that author does not block
    them and they neither block nor mute that author (their timelines say so instead)."""
    if facts.viewer_id == quoted_author_id:
        return True
    return quoted_author_id not in facts.blocked_by and quoted_author_id not in facts.hidden
