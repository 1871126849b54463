"""Rows of posts and accounts for reading, kept per process and checked on every read.

A post's columns other than its counters (and its quote policy and count) change only with
``edited_at``, an account's other than its counters and ``last_status_at`` only with
``updated_at``. So a warm read fetches just those columns (the counters are always fresh)
and a row is read whole only when it is new to this process or was edited. The viewer's
flags (favourited, bookmarked, reposted; following, where a follow decides) come with the
posts' columns in the same statement. Rows are immutable: a changed one is a new object,
which ``serializers`` and ``web/articles.py`` rely on to validate what they keep.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import Connection

from staffroom.cache import BoundedCache
from staffroom.db import fastsql
from staffroom.policies.visibility import PRIVATE, QUOTE_FOLLOWERS

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
NO_FLAGS: Flags = (False, False, False, False)
# An account's (updated_at, followers_count, following_count, statuses_count, last_status_at)
AccountVersion = tuple[Any, Any, Any, Any, Any]

STATUS_ROWS: BoundedCache[int, Any] = BoundedCache(50_000)
_ACCOUNT_ROWS: BoundedCache[int, Any] = BoundedCache(20_000)


def status_rows(
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
        row = STATUS_ROWS.get(sid)
        if row is None:
            unknown.append(sid)
        else:
            cached[sid] = row
    if originals:
        for row in list(cached.values()):
            original = row.reblog_of_id
            if original and original not in cached and original not in unknown:
                found = STATUS_ROWS.get(original)
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
                STATUS_ROWS.put(sid, row)
            rows[sid] = row
            flags[sid] = (bool(current[7]), bool(current[8]), bool(current[9]), bool(current[10]))
            authors[current[11]] = current[12:]
    if unknown:
        statement = _STATUS_SQL[sqlite, viewer, True]
        names, found = fastsql.run_plain_named(conn, statement, *head, unknown)
        make = fastsql.row_type(names[_N_FLAGS:])._make
        for values in found:
            row = make(values[_N_FLAGS:])
            STATUS_ROWS.put(row.id, row)
            rows[row.id] = row
            flags[row.id] = (bool(values[0]), bool(values[1]), bool(values[2]), bool(values[3]))


def account_rows(
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
