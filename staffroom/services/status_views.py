"""Loading posts for a viewer: rows, authors, mentions, tags and the viewer's own flags.

Every read path (one post, threads, timelines, search, favourites) goes through
:func:`load_views`, which batches its queries, applies the visibility policy and returns
:class:`StatusView` objects for the serialiser. Posts the viewer may not see are dropped.

Rows of posts and accounts come from ``services.status_rows`` (kept per process, checked
against the database on every read, with the viewer's flags in the same statement); the
parts that change only with an edit (mentions, tags, application, media) are kept here.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Row

from staffroom.cache import BoundedCache
from staffroom.db import fastsql
from staffroom.policies.visibility import (
    ViewerFacts,
    belongs_in_timeline,
    may_see,
    quote_approval,
)
from staffroom.services.filter_rules import NO_MATCHES, Match, apply_rules
from staffroom.services.media_views import NO_MEDIA, MediaView, media_of_posts
from staffroom.services.poll_views import PollView, polls_of
from staffroom.services.quote_views import QuoteView, Quoting, quoted_rows
from staffroom.services.status_rows import (
    NO_FLAGS,
    STATUS_ROWS,
    AccountVersion,
    Flags,
)
from staffroom.services.status_rows import (
    account_rows as fetch_account_rows,
)
from staffroom.services.status_rows import (
    status_rows as fetch_status_rows,
)


@dataclass(slots=True)
class StatusView:
    """One post as a viewer sees it (``reblog`` holds the original of a repost)."""

    row: Row[Any]
    account: Row[Any]
    mentions: list[tuple[int, str]] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    app: tuple[str, str | None] | None = None
    reblog: StatusView | None = None
    favourited: bool = False
    reblogged: bool = False
    bookmarked: bool = False
    pinned: bool = False  # on the viewer's own posts only: featured on their profile
    media: tuple[MediaView, ...] = NO_MEDIA
    poll: PollView | None = None  # fresh on every read (counts, the viewer's own votes)
    quote: QuoteView | None = None  # on a quoting post: what this viewer is told of the quote
    quote_approval: str = "unknown"  # may this viewer quote it (``policies.visibility``)
    filtered: tuple[Match, ...] = NO_MATCHES  # the viewer's filters it matches (any context)

    @property
    def id(self) -> int:
        return int(self.row.id)


_RELATIONS = (
    "SELECT 'b', target_account_id FROM blocks WHERE account_id = ?"
    " UNION ALL SELECT 'B', account_id FROM blocks WHERE target_account_id = ?"
    " UNION ALL SELECT 'm', target_account_id FROM mutes WHERE account_id = ?"
    " AND (expires_at IS NULL OR expires_at > ?)"
)
# The same, and whether the viewer has any filter (no statement of its own for the many who
# have none: ``services.filter_rules``).
_RELATIONS_AND_FILTERS = (
    _RELATIONS + " UNION ALL SELECT 'f', id FROM custom_filters WHERE account_id = ?"
)
_FOLLOWING = (
    "SELECT target_account_id FROM follows WHERE account_id = ? AND target_account_id IN (?)"
)


def viewer_facts(
    conn: Connection,
    viewer_id: int | None,
    about: Iterable[int],
    *,
    follow_check: Iterable[int] | None = None,
) -> ViewerFacts:
    """The viewer's blocks and mutes (both ways), and which of ``follow_check`` (default:
    ``about``) the viewer follows.

    Blocks and mutes are few per person, so all of them come in one indexed query with no
    ``IN`` list (much faster than probing per account); follows are checked only where a
    caller needs them (followers-only posts).
    """
    if viewer_id is None:
        return ViewerFacts(viewer_id)
    check = set(about if follow_check is None else follow_check)
    check.discard(viewer_id)
    following: frozenset[int] = frozenset()
    if check:
        following = frozenset(r[0] for r in fastsql.run(conn, _FOLLOWING, viewer_id, list(check)))
    return _relations(conn, viewer_id, following)


def _relations(
    conn: Connection, viewer_id: int, following: frozenset[int], *, filters: bool = False
) -> ViewerFacts:
    now = _now_for(conn)
    found: dict[str, set[int]] = {"b": set(), "B": set(), "m": set(), "f": set()}
    if filters:
        rows = fastsql.run_plain(
            conn, _RELATIONS_AND_FILTERS, viewer_id, viewer_id, viewer_id, now, viewer_id
        )
    else:
        rows = fastsql.run_plain(conn, _RELATIONS, viewer_id, viewer_id, viewer_id, now)
    for kind, account_id in rows:
        found[kind].add(account_id)
    return ViewerFacts(
        viewer_id,
        following=following,
        blocked_by=frozenset(found["B"]),
        blocking=frozenset(found["b"]),
        muting=frozenset(found["m"]),
        has_filters=bool(found["f"]),
    )


_NOW: list[Any] = [0.0, None, None]  # monotonic second, its SQLite text, its datetime


def _now_for(conn: Connection) -> Any:
    """The current time for comparing mute expiries as the driver compares it (SQLite
    stores SQLAlchemy's text form); read from the clock at most once a second (every
    timeline read asks for it, and a mute ends on the second)."""
    second = int(time.monotonic())
    if _NOW[0] != second:
        now = datetime.now(UTC)
        _NOW[:] = [second, now.replace(tzinfo=None).isoformat(sep=" "), now]
    return _NOW[1] if conn.dialect.name == "sqlite" else _NOW[2]


@dataclass(frozen=True, slots=True)
class _Static:
    """The parts of a post that change only with an edit (cached per process, checked
    against the post's ``edited_at``)."""

    mentions: list[tuple[int, str]]
    tags: list[str]
    app: tuple[str, str | None] | None
    mentioned: frozenset[int]
    media: tuple[MediaView, ...]
    edited_at: Any  # of the version these parts belong to: an edit changes mentions and tags


_STATIC: BoundedCache[int, _Static] = BoundedCache(100_000)
_NO_ONE: frozenset[int] = frozenset()


# Plain SQL (``fastsql``): every post new to this process, and so every post just written,
# comes through here.
_MENTIONS = (
    "SELECT m.status_id, a.id, a.username FROM mentions m JOIN accounts a"
    " ON a.id = m.account_id WHERE m.status_id IN (?)"
)
_TAGS = (
    "SELECT st.status_id, t.name FROM status_tags st JOIN tags t ON t.id = st.tag_id"
    " WHERE st.status_id IN (?)"
)
_APPS = "SELECT id, name, website FROM apps WHERE id IN (?)"


def _static_parts(conn: Connection, rows: dict[int, Any]) -> dict[int, _Static]:
    result: dict[int, _Static] = {}
    missing: list[int] = []
    for sid in rows:
        cached = _STATIC.get(sid)
        if cached is None or cached.edited_at != rows[sid].edited_at:  # edited elsewhere
            missing.append(sid)
        else:
            result[sid] = cached
    if not missing:
        return result
    mention_map: dict[int, list[tuple[int, str]]] = {}
    for status_id, account_id, username in fastsql.run_plain(conn, _MENTIONS, missing):
        mention_map.setdefault(status_id, []).append((account_id, username))
    tag_map: dict[int, list[str]] = {}
    for status_id, name in fastsql.run_plain(conn, _TAGS, missing):
        tag_map.setdefault(status_id, []).append(name)
    media_map = media_of_posts(conn, missing)
    app_ids = list({rows[sid].app_id for sid in missing if rows[sid].app_id})
    app_map: dict[int, tuple[str, str | None]] = {}
    if app_ids:
        app_map = {a: (name, site) for a, name, site in fastsql.run_plain(conn, _APPS, app_ids)}
    for sid in missing:
        app_id = rows[sid].app_id
        found = mention_map.get(sid, [])
        mentioned = frozenset([a for a, _ in found]) if found else _NO_ONE
        part = _Static(
            found,
            tag_map.get(sid, []),
            app_map.get(app_id),
            mentioned,
            media_map.get(sid, NO_MEDIA),
            rows[sid].edited_at,
        )
        _STATIC.put(sid, part)
        result[sid] = part
    return result


def forget_status(status_id: int) -> None:
    """Drop cached parts of a post (call when it is deleted or edited)."""
    _STATIC.discard(status_id)
    STATUS_ROWS.discard(status_id)


def load_views(
    conn: Connection,
    viewer_id: int | None,
    ids: Sequence[int],
    *,
    for_timeline: bool = False,
) -> list[StatusView]:
    """Views of ``ids`` in the given order, without posts the viewer may not see.

    ``for_timeline`` also drops posts hidden by the viewer's blocks and mutes.
    """
    all_rows: dict[int, Any] = {}
    flags: dict[int, Flags] = {}
    authors: dict[int, AccountVersion] = {}
    # Originals of reposts this process has seen come in the same statement as the page.
    fetch_status_rows(conn, viewer_id, set(ids), all_rows, flags, authors, originals=True)
    missing = {all_rows[sid].reblog_of_id for sid in ids if sid in all_rows}
    missing.difference_update(all_rows)
    missing.discard(None)
    if missing:
        fetch_status_rows(conn, viewer_id, missing, all_rows, flags, authors)
    stored = quoted_rows(conn, viewer_id, all_rows, flags, authors, fetch_status_rows)
    static = _static_parts(conn, all_rows)
    facts = ViewerFacts(None)
    if viewer_id is not None:
        following = frozenset([all_rows[sid].account_id for sid, f in flags.items() if f[3]])
        facts = _relations(conn, viewer_id, following, filters=True)

    chosen: list[Any] = []
    for sid in ids:
        row = all_rows.get(sid)
        if row is None or not may_see(
            facts,
            author_id=row.account_id,
            visibility=row.visibility,
            mentioned=static[sid].mentioned,
        ):
            continue
        original = None
        if row.reblog_of_id:
            original = all_rows.get(row.reblog_of_id)
            if original is None or not may_see(
                facts,
                author_id=original.account_id,
                visibility=original.visibility,
                mentioned=static[original.id].mentioned,
            ):
                continue
        if for_timeline and not belongs_in_timeline(
            facts,
            author_id=row.account_id,
            mentioned=static[(original or row).id].mentioned,
            reblog_author_id=original.account_id if original is not None else None,
        ):
            continue
        chosen.append((row, original))
    views = _assemble(conn, chosen, static, flags, authors, Quoting(all_rows, stored, facts))
    if viewer_id is not None:
        _mark_pins(conn, viewer_id, views)
    _add_polls(conn, viewer_id, views)
    if facts.has_filters and viewer_id is not None:
        apply_rules(conn, viewer_id, views)
    return views


def _add_polls(conn: Connection, viewer_id: int | None, views: list[StatusView]) -> None:
    """Set ``poll`` on the posts among ``views`` that have one (no read when none has)."""
    with_poll = [
        item
        for view in views
        for item in (view, view.reblog)
        if item is not None and item.row.poll_id is not None
    ]
    if not with_poll:
        return
    found = polls_of(conn, viewer_id, [item.row.poll_id for item in with_poll])
    for item in with_poll:
        item.poll = found.get(item.row.poll_id)


_PINNED_AMONG = "SELECT status_id FROM status_pins WHERE account_id = ? AND status_id IN (?)"


def _mark_pins(conn: Connection, viewer_id: int, views: list[StatusView]) -> None:
    """Set ``pinned`` on the viewer's own posts among ``views`` (one small read, and none
    when the page holds none of their posts)."""
    own = [
        item
        for view in views
        for item in (view, view.reblog)
        if item is not None and item.reblog is None and item.row.account_id == viewer_id
    ]
    if not own:
        return
    pinned = {
        row[0] for row in fastsql.run_plain(conn, _PINNED_AMONG, viewer_id, [v.id for v in own])
    }
    for item in own:
        item.pinned = item.id in pinned


def _assemble(
    conn: Connection,
    chosen: list[tuple[Any, Any]],
    static: dict[int, _Static],
    flags: dict[int, Flags],
    known: dict[int, AccountVersion],
    quoting: Quoting,
) -> list[StatusView]:
    if not chosen:
        return []
    authors = {row.account_id for row, _ in chosen}
    authors.update(original.account_id for _, original in chosen if original is not None)
    shown: dict[int, tuple[str, Any]] = {}
    for row, original in chosen:
        post = original if original is not None else row
        if post.quoted_status_id is not None:
            shown[post.id] = found = quoting.state(post, static)
            if found[1] is not None:
                authors.add(found[1].account_id)
    account_rows = fetch_account_rows(conn, authors, known)
    facts = quoting.facts

    def view(row: Any, account: Any, depth: int = 0) -> StatusView:
        part = static[row.id]
        favourited, bookmarked, reblogged, _ = flags.get(row.id, NO_FLAGS)
        item = StatusView(
            row,
            account,
            part.mentions,
            part.tags,
            part.app,
            None,
            favourited,
            reblogged,
            bookmarked,
            media=part.media,
            quote_approval=quote_approval(
                facts,
                author_id=row.account_id,
                visibility=row.visibility,
                policy=row.quote_approval_policy,
            ),
        )
        if row.quoted_status_id is not None:
            item.quote = _quote(row, depth)
        return item

    def _quote(row: Any, depth: int) -> QuoteView:
        state, quoted = shown.get(row.id) or quoting.state(row, static)
        if depth:  # a quote inside a quote: Mastodon's ShallowQuote
            return QuoteView(state, None, None if quoted is None else quoted.id, True)
        account = None if quoted is None else account_rows.get(quoted.account_id)
        if quoted is None or account is None:
            return QuoteView("deleted" if quoted is not None else state)
        return QuoteView(state, view(quoted, account, 1), quoted.id)

    result = []
    for row, original in chosen:
        account = account_rows.get(row.account_id)
        if account is None:
            continue  # the author was deleted since the posts were read
        if original is None:
            result.append(view(row, account))
            continue
        original_account = account_rows.get(original.account_id)
        if original_account is None:
            continue
        item = view(row, account)
        item.reblog = view(original, original_account)
        result.append(item)
    return result


def load_view(conn: Connection, viewer_id: int | None, status_id: int) -> StatusView | None:
    """One post if the viewer may see it."""
    found = load_views(conn, viewer_id, [status_id])
    return found[0] if found else None
