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
from staffroom.services.filter_rules import match_post, rules_of
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


def _relations_query(restrict: bool, with_follows: bool, with_filters: bool = False) -> str:
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
    if with_filters:  # who of the viewers has filters (``filtered`` is per viewer)
        where = " WHERE account_id IN (?)" if restrict else ""
        parts.append("SELECT 'F', account_id, id FROM custom_filters" + where)
    return " UNION ALL ".join(parts)


def allowed_viewers(conn: Connection, event: Event, viewers: set[int]) -> set[int]:
    """The subset of ``viewers`` who may receive ``event`` (one query for all of them)."""
    return audience(conn, event, viewers)[0]


def audience(conn: Connection, event: Event, viewers: set[int]) -> tuple[set[int], set[int]]:
    """:func:`allowed_viewers`, and which of them have filters (for a post or an edit: the
    same statement says so; their payloads get their own ``filtered``)."""
    if event.author_id is None or event.visibility is None or not viewers:
        return set(), set()  # no facts to decide with: fail closed
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
    with_filters = event.name in FILTERED_EVENTS
    if with_filters:
        params += who
    found: dict[str, defaultdict[int, set[int]]] = {k: defaultdict(set) for k in "bBmfF"}
    query = _relations_query(restrict, with_follows, with_filters)
    for kind, viewer, other in fastsql.run(conn, query, *params):
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
    return allowed, {viewer for viewer in found["F"] if viewer in allowed}


FILTERED_EVENTS = frozenset({"update", "status.update"})
_SOURCE = "SELECT text, spoiler_text FROM statuses WHERE id = ?"


def filtered_payloads(conn: Connection, event: Event, viewers: set[int]) -> dict[int, str]:
    """For viewers with filters: the payload with their own ``filtered`` where a filter of
    theirs matches the post (matched on its source text, as the REST answers are)."""
    rules = rules_of(conn, sorted(viewers))
    if not rules:
        return {}
    status = orjson.loads(event.payload)
    proper = status.get("reblog") or status
    ids = list(dict.fromkeys([int(status["id"]), int(proper["id"])]))

    def text_of() -> str:
        row = fastsql.run_plain(conn, _SOURCE, int(proper["id"]))
        text, spoiler = (row[0][0], row[0][1]) if row else ("", proper.get("spoiler_text"))
        parts = [spoiler or "", text or ""]
        poll = proper.get("poll")
        if poll:
            parts.append("\n\n".join(o.get("title", "") for o in poll.get("options", ())))
        media = proper.get("media_attachments") or ()
        if media:
            parts.append("\n\n".join(m.get("description") or "" for m in media))
        return "\n\n".join(parts)

    text_once: list[str] = []

    def cached_text() -> str:
        if not text_once:
            text_once.append(text_of())
        return text_once[0]

    personal: dict[int, str] = {}
    for viewer, theirs in rules.items():
        found = match_post(theirs, cached_text, ids)
        if not found:
            continue
        results = [orjson.loads(m.json()) for m in found]
        status["filtered"] = results
        if status.get("reblog"):
            status["reblog"]["filtered"] = results
        personal[viewer] = orjson.dumps(status).decode()
    return personal


def _may_see_quoted(facts: ViewerFacts, quoted_author_id: int) -> bool:
    """A payload showing a post quoted from ``quoted_author_id`` (public or unlisted, or the
    quoter's own followers-only post) goes to the viewer only if that author does not block
    them and they neither block nor mute that author (their timelines say so instead)."""
    if facts.viewer_id == quoted_author_id:
        return True
    return quoted_author_id not in facts.blocked_by and quoted_author_id not in facts.hidden
