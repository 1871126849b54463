"""Writing the feed's decisions through the timeline store, for every timeline kind.

Delivery calls :func:`add` / :func:`remove` with the :class:`~staffroom.feed.audience.Targets`
of a post; the list and hashtag services call :func:`rebuild_home` / :func:`rebuild_list`
after a change of rules (the store recomputes the timeline from ``feed.sources``), and
:func:`forget_author` when an owner blocks or mutes someone (home and every list of theirs),
:func:`followed` after a new follow (the author's recent posts, unless listed exclusively).
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Connection

from staffroom.db import fastsql
from staffroom.feed.audience import Targets
from staffroom.timelines.store import HOME, LIST, FeedEntry, TimelineStore

_OWN_LISTS = "SELECT id FROM lists WHERE account_id = ?"
_IN_AN_EXCLUSIVE_LIST = (
    "SELECT 1 FROM list_accounts la JOIN lists l ON l.id = la.list_id"
    " WHERE l.account_id = ? AND la.account_id = ? AND l.exclusive LIMIT 1"
)


def add(
    conn: Connection,
    store: TimelineStore,
    targets: Targets,
    entry: FeedEntry,
    *,
    homes: Iterable[int] | None = None,
) -> None:
    """Write ``entry`` into the home timelines (``homes``, default every one of
    ``targets``) and the list timelines of ``targets``."""
    store.add(conn, targets.home() if homes is None else homes, entry)
    if targets.lists:
        store.add(conn, targets.lists, entry, kind=LIST)


def remove(conn: Connection, store: TimelineStore, targets: Targets, status_id: int) -> None:
    """Take a deleted post out of every timeline it entered."""
    store.remove_status(conn, status_id, targets.home())
    if targets.lists:
        store.remove_status(conn, status_id, targets.lists, kind=LIST)


def rebuild_home(conn: Connection, store: TimelineStore, account_id: int) -> None:
    """Recompute a home timeline (a followed hashtag or an exclusive list changed)."""
    store.rebuild(conn, account_id, kind=HOME)


def rebuild_list(conn: Connection, store: TimelineStore, list_id: int) -> None:
    """Recompute a list's timeline (its members, hashtags or replies policy changed)."""
    store.rebuild(conn, list_id, kind=LIST)


def new_list(conn: Connection, store: TimelineStore, list_id: int) -> None:
    """A new list's timeline is empty, hence complete: keep it from the start."""
    store.keep_new(conn, list_id, kind=LIST)


def drop_list(conn: Connection, store: TimelineStore, list_id: int) -> None:
    """A deleted list's timeline goes with it."""
    store.drop(conn, list_id, kind=LIST)


_IN_EXCLUSIVE_LISTS = (
    "SELECT DISTINCT la.account_id FROM list_accounts la JOIN lists l ON l.id = la.list_id"
    " WHERE l.account_id = ? AND l.exclusive"
)


def followed_many(
    conn: Connection, store: TimelineStore, follower_id: int, author_ids: list[int]
) -> None:
    """:func:`followed` for many new follows at once (a follow-all)."""
    exclusive = {r[0] for r in fastsql.run_plain(conn, _IN_EXCLUSIVE_LISTS, follower_id)}
    store.backfill_authors(conn, follower_id, [a for a in author_ids if a not in exclusive])


def followed(conn: Connection, store: TimelineStore, follower_id: int, author_id: int) -> None:
    """A new follow: the author's recent posts come into the follower's home timeline,
    unless one of the follower's exclusive lists holds the author (they stay in the list)."""
    if fastsql.run_plain(conn, _IN_AN_EXCLUSIVE_LIST, follower_id, author_id):
        return
    store.backfill_author(conn, follower_id, author_id)


def forget_author(conn: Connection, store: TimelineStore, owner_id: int, author_id: int) -> None:
    """Drop ``author_id``'s entries from ``owner_id``'s home timeline and lists (a block or
    a mute)."""
    store.remove_author(conn, owner_id, author_id)
    for (list_id,) in fastsql.run_plain(conn, _OWN_LISTS, owner_id):
        store.remove_author(conn, list_id, author_id, kind=LIST)
