"""Loading posts for a viewer: rows, authors, mentions, tags and the viewer's own flags.

Every read path (one post, threads, timelines, search, favourites) goes through
:func:`load_views`, which batches its queries, applies the visibility policy and returns
:class:`StatusView` objects for the serialiser. Posts the viewer may not see are dropped.

Rows of posts and accounts are kept per process and checked against the database on every
read: a post's columns other than its counters change only with ``edited_at``, an
account's other than its counters and ``last_status_at`` only with ``updated_at``. So a
warm read fetches just those columns (the counters are always fresh) and a row is read
whole only when it is new to this process or was edited. The viewer's flags (favourited,
bookmarked, reposted; following, for followers-only posts) come with the posts' columns in
the same statement.
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
    PRIVATE,
    QUOTE_FOLLOWERS,
    ViewerFacts,
    belongs_in_timeline,
    may_see,
    quote_approval,
)
from staffroom.services.media_views import NO_MEDIA, MediaView, media_of_posts
from staffroom.services.poll_views import PollView, polls_of
from staffroom.services.quote_views import QuoteView, Quoting, quoted_rows


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

    @property
    def id(self) -> int:
        return int(self.row.id)


_RELATIONS = (
    "SELECT 'b', target_account_id FROM blocks WHERE account_id = ?"
    " UNION ALL SELECT 'B', account_id FROM blocks WHERE target_account_id = ?"
    " UNION ALL SELECT 'm', target_account_id FROM mutes WHERE account_id = ?"
    " AND (expires_at IS NULL OR expires_at > ?)"
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


def _relations(conn: Connection, viewer_id: int, following: frozenset[int]) -> ViewerFacts:
    now = _now_for(conn)
    found: dict[str, set[int]] = {"b": set(), "B": set(), "m": set()}
    for kind, account_id in fastsql.run_plain(
        conn, _RELATIONS, viewer_id, viewer_id, viewer_id, now
    ):
        found[kind].add(account_id)
    return ViewerFacts(
        viewer_id,
        following=following,
        blocked_by=frozenset(found["B"]),
        blocking=frozenset(found["b"]),
        muting=frozenset(found["m"]),
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


# The viewer's flags on a post: favourited, bookmarked, reposted, and whether the viewer
# follows the author of a followers-only post or of one only followers may quote (others
# need no follow check).
# A post nobody favourited or reposted (most of them) skips that lookup: the counters are
# kept in the same transactions as the rows they count.
_FLAGS = (
    "CASE WHEN s.favourites_count > 0 THEN EXISTS (SELECT 1 FROM favourites f"
    " WHERE f.account_id = ? AND f.status_id = s.id) ELSE FALSE END,"
    " EXISTS (SELECT 1 FROM bookmarks b WHERE b.account_id = ? AND b.status_id = s.id),"
    " CASE WHEN s.reblogs_count > 0 THEN EXISTS (SELECT 1 FROM statuses r"
    " WHERE r.reblog_of_id = s.id AND r.account_id = ?) ELSE FALSE END,"
    f" CASE WHEN s.visibility = {PRIVATE} OR s.quote_approval_policy = {QUOTE_FOLLOWERS}"
    " THEN EXISTS (SELECT 1 FROM follows w"
    " WHERE w.account_id = ? AND w.target_account_id = s.account_id) ELSE FALSE END"
)
_NO_FLAGS = "FALSE, FALSE, FALSE, FALSE"
_N_FLAGS = 4
# A cached row is checked against these columns (and its author's, joined). On SQLite they
# come from covering indexes (migration 0006), named because the planner, without
# statistics, would pick the primary key's index and then read the wide rows.
_STATUS_CURRENT = (
    "SELECT s.id, s.replies_count, s.reblogs_count, s.favourites_count, s.edited_at,"
    " s.quote_approval_policy, s.quotes_count, {flags},"
    " a.id, a.updated_at, a.followers_count, a.following_count, a.statuses_count,"
    " a.last_status_at FROM statuses s{by_status} JOIN accounts a{by_account}"
    " ON a.id = s.account_id WHERE s.id IN (?)"
)
_STATUS_WHOLE = "SELECT {flags}, s.* FROM statuses s WHERE s.id IN (?)"
_SQLITE_HINTS = {
    "by_status": " INDEXED BY ix_statuses_current",
    "by_account": " INDEXED BY ix_accounts_current",
}
_NO_HINTS = {"by_status": "", "by_account": ""}
_STATUS_SQL = {
    # (SQLite?, viewer?, whole rows?) -> statement
    (sqlite, viewer, whole): (_STATUS_WHOLE if whole else _STATUS_CURRENT).format(
        flags=_FLAGS if viewer else _NO_FLAGS, **(_SQLITE_HINTS if sqlite else _NO_HINTS)
    )
    for sqlite in (True, False)
    for viewer in (True, False)
    for whole in (True, False)
}
_ACCOUNT_CURRENT = (
    "SELECT id, updated_at, followers_count, following_count, statuses_count, last_status_at"
    " FROM accounts{by_account} WHERE id IN (?)"
)
_ACCOUNT_CURRENT_SQL = {
    True: _ACCOUNT_CURRENT.format(**_SQLITE_HINTS),
    False: _ACCOUNT_CURRENT.format(**_NO_HINTS),
}
_ACCOUNT_WHOLE = "SELECT * FROM accounts WHERE id IN (?)"

Flags = tuple[bool, bool, bool, bool]
_NONE: Flags = (False, False, False, False)
# An account's (updated_at, followers_count, following_count, statuses_count, last_status_at)
AccountVersion = tuple[Any, Any, Any, Any, Any]

_STATUS_ROWS: BoundedCache[int, Any] = BoundedCache(50_000)
_ACCOUNT_ROWS: BoundedCache[int, Any] = BoundedCache(20_000)


def _status_rows(
    conn: Connection,
    viewer_id: int | None,
    ids: Iterable[int],
    rows: dict[int, Any],
    flags: dict[int, Flags],
    authors: dict[int, AccountVersion],
    *,
    originals: bool = False,
) -> None:
    """Current rows of posts ``ids`` and the viewer's flags on them into ``rows`` and
    ``flags``: cached rows are checked with one narrow statement (which also gives their
    authors' current columns, into ``authors``), others are read whole. ``originals``:
    also the originals of cached reposts among ``ids``."""
    cached: dict[int, Any] = {}
    unknown: list[int] = []
    for sid in ids:
        row = _STATUS_ROWS.get(sid)
        if row is None:
            unknown.append(sid)
        else:
            cached[sid] = row
    if originals:
        for row in list(cached.values()):
            original = row.reblog_of_id
            if original and original not in cached and original not in unknown:
                found = _STATUS_ROWS.get(original)
                if found is None:
                    unknown.append(original)
                else:
                    cached[original] = found
    viewer = viewer_id is not None
    sqlite = conn.dialect.name == "sqlite"
    head = (viewer_id,) * _N_FLAGS if viewer else ()
    if cached:
        statement = _STATUS_SQL[sqlite, viewer, False]
        for current in fastsql.run_plain(conn, statement, *head, list(cached)):
            sid = current[0]
            row = cached[sid]
            if row.edited_at != current[4]:
                unknown.append(sid)
                continue
            if (
                row.replies_count != current[1]
                or row.reblogs_count != current[2]
                or row.favourites_count != current[3]
                or row.quote_approval_policy != current[5]
                or row.quotes_count != current[6]
            ):
                row = row._replace(
                    replies_count=current[1],
                    reblogs_count=current[2],
                    favourites_count=current[3],
                    quote_approval_policy=current[5],
                    quotes_count=current[6],
                )
                _STATUS_ROWS.put(sid, row)
            rows[sid] = row
            flags[sid] = (bool(current[7]), bool(current[8]), bool(current[9]), bool(current[10]))
            authors[current[11]] = current[12:]
    if unknown:
        statement = _STATUS_SQL[sqlite, viewer, True]
        names, found = fastsql.run_plain_named(conn, statement, *head, unknown)
        make = fastsql.row_type(names[_N_FLAGS:])._make
        for values in found:
            row = make(values[_N_FLAGS:])
            _STATUS_ROWS.put(row.id, row)
            rows[row.id] = row
            flags[row.id] = (bool(values[0]), bool(values[1]), bool(values[2]), bool(values[3]))


def _account_rows(
    conn: Connection, ids: Iterable[int], known: dict[int, AccountVersion]
) -> dict[int, Any]:
    """Current ``accounts`` rows: cached ones checked against ``known`` current columns, or
    else one narrow statement; others read whole."""
    result: dict[int, Any] = {}
    unchecked: dict[int, Any] = {}
    unknown: list[int] = []
    for aid in ids:
        row = _ACCOUNT_ROWS.get(aid)
        if row is None:
            unknown.append(aid)
        elif aid in known:
            _check_account(aid, row, known[aid], result, unknown)
        else:
            unchecked[aid] = row
    if unchecked:
        statement = _ACCOUNT_CURRENT_SQL[conn.dialect.name == "sqlite"]
        for current in fastsql.run_plain(conn, statement, list(unchecked)):
            aid = current[0]
            _check_account(aid, unchecked[aid], current[1:], result, unknown)
    if unknown:
        for row in fastsql.run(conn, _ACCOUNT_WHOLE, unknown):
            _ACCOUNT_ROWS.put(row.id, row)
            result[row.id] = row
    return result


def _check_account(
    aid: int, row: Any, current: Any, result: dict[int, Any], stale: list[int]
) -> None:
    """``row`` brought up to date from ``current`` into ``result``, or ``aid`` into ``stale``
    if the account was edited since ``row`` was read."""
    updated, followers, following, count, last = current
    if row.updated_at != updated:
        stale.append(aid)
        return
    if (
        row.followers_count != followers
        or row.following_count != following
        or row.statuses_count != count
        or row.last_status_at != last
    ):
        row = row._replace(
            followers_count=followers,
            following_count=following,
            statuses_count=count,
            last_status_at=last,
        )
        _ACCOUNT_ROWS.put(aid, row)
    result[aid] = row


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
    _STATUS_ROWS.discard(status_id)


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
    _status_rows(conn, viewer_id, set(ids), all_rows, flags, authors, originals=True)
    missing = {all_rows[sid].reblog_of_id for sid in ids if sid in all_rows}
    missing.difference_update(all_rows)
    missing.discard(None)
    if missing:
        _status_rows(conn, viewer_id, missing, all_rows, flags, authors)
    stored = quoted_rows(conn, viewer_id, all_rows, flags, authors, _status_rows)
    static = _static_parts(conn, all_rows)
    facts = ViewerFacts(None)
    if viewer_id is not None:
        following = frozenset([all_rows[sid].account_id for sid, f in flags.items() if f[3]])
        facts = _relations(conn, viewer_id, following)

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
    account_rows = _account_rows(conn, authors, known)
    facts = quoting.facts

    def view(row: Any, account: Any, depth: int = 0) -> StatusView:
        part = static[row.id]
        favourited, bookmarked, reblogged, _ = flags.get(row.id, _NONE)
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
