"""The follow graph: follow, unfollow, remove a follower, and the followers/following lists.

Writes ``follows``, both accounts' ``followers_count`` / ``following_count`` (same
transaction), home timelines (through the timeline store) and a ``follow`` notification.
Every write is idempotent: following twice changes only the options, unfollowing someone
you do not follow changes nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Row, bindparam, delete, func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from staffroom.db.tables import account_pins, accounts, blocks, follows
from staffroom.db.upsert import insert_ignore
from staffroom.errors import Forbidden
from staffroom.feed import fanout
from staffroom.ids import new_id
from staffroom.messages import N_
from staffroom.services import suggestion_refresh
from staffroom.services.accounts import get_account
from staffroom.services.notify import notify, notify_many
from staffroom.timelines.store import TimelineStore


@dataclass(frozen=True, slots=True)
class RelationPage:
    """One page of a relation list: ``(row id, account row)`` pairs, newest first."""

    items: list[tuple[int, Row[Any]]]
    has_more: bool

    @property
    def accounts(self) -> list[Row[Any]]:
        return [row for _, row in self.items]

    @property
    def oldest(self) -> int | None:
        return min(i for i, _ in self.items) if self.items else None

    @property
    def newest(self) -> int | None:
        return max(i for i, _ in self.items) if self.items else None


def insert_ignoring_conflicts(conn: Connection, table: Any, values: dict[str, Any]) -> bool:
    """``INSERT ... ON CONFLICT DO NOTHING``; True when a row was actually added.

    Uses ``RETURNING``: ``rowcount`` is -1 for this statement on PostgreSQL (psycopg 3).
    """
    insert = sqlite_insert if conn.dialect.name == "sqlite" else pg_insert
    statement = insert(table).values(**values).on_conflict_do_nothing().returning(table.c.id)
    return conn.execute(statement).first() is not None


def either_blocks(conn: Connection, a: int, b: int) -> bool:
    """Does ``a`` block ``b`` or ``b`` block ``a``?"""
    found = conn.execute(
        select(blocks.c.id)
        .where(
            ((blocks.c.account_id == a) & (blocks.c.target_account_id == b))
            | ((blocks.c.account_id == b) & (blocks.c.target_account_id == a))
        )
        .limit(1)
    ).first()
    return found is not None


def _bump(conn: Connection, follower_id: int, target_id: int, delta: int) -> None:
    conn.execute(
        update(accounts)
        .where(accounts.c.id == follower_id)
        .values(following_count=accounts.c.following_count + delta)
    )
    conn.execute(
        update(accounts)
        .where(accounts.c.id == target_id)
        .values(followers_count=accounts.c.followers_count + delta)
    )


def follow(
    conn: Connection,
    timelines: TimelineStore,
    follower_id: int,
    target_id: int,
    *,
    reblogs: bool | None = None,
    notify_posts: bool | None = None,
) -> bool:
    """Make ``follower_id`` follow ``target_id``; True if the follow is new.

    ``reblogs`` / ``notify_posts`` of ``None`` keep the current option (or the default:
    reblogs shown, no post notifications). A new follow notifies the target and copies the
    target's recent posts into the follower's home timeline (``feed.fanout.followed``).
    """
    get_account(conn, target_id)
    if follower_id == target_id:
        raise Forbidden(N_("You cannot follow yourself"))
    if either_blocks(conn, follower_id, target_id):
        raise Forbidden(N_("You cannot follow this account"))
    added = insert_ignoring_conflicts(
        conn,
        follows,
        {
            "id": new_id(),
            "account_id": follower_id,
            "target_account_id": target_id,
            "created_at": datetime.now(UTC),
            "show_reblogs": True if reblogs is None else reblogs,
            "notify": False if notify_posts is None else notify_posts,
        },
    )
    if added:
        _bump(conn, follower_id, target_id, +1)
        suggestion_refresh.network_changed(conn, follower_id)
        suggestion_refresh.edge_changed(conn, follower_id, target_id, +1)
        notify(conn, recipient_id=target_id, actor_id=follower_id, type="follow")
        fanout.followed(conn, timelines, follower_id, target_id)
        return True
    changes: dict[str, bool] = {}
    if reblogs is not None:
        changes["show_reblogs"] = reblogs
    if notify_posts is not None:
        changes["notify"] = notify_posts
    if changes:
        conn.execute(
            update(follows)
            .where(follows.c.account_id == follower_id, follows.c.target_account_id == target_id)
            .values(**changes)
        )
    return False


def follow_many(
    conn: Connection, timelines: TimelineStore, follower_id: int, target_ids: Sequence[int]
) -> list[int]:
    """:func:`follow` for many accounts at once (a follow-all), in a few statements: those
    not yet followed are followed, with the same counters, notifications and timeline
    merge; unknown accounts, oneself and blocks either way are skipped. Returns the newly
    followed, in the order given."""
    wanted = list(dict.fromkeys(t for t in target_ids if t != follower_id))
    if not wanted:
        return []
    known = set(conn.execute(select(accounts.c.id).where(accounts.c.id.in_(wanted))).scalars())
    blocked = {
        r.target_account_id if r.account_id == follower_id else r.account_id
        for r in conn.execute(
            select(blocks.c.account_id, blocks.c.target_account_id).where(
                ((blocks.c.account_id == follower_id) & blocks.c.target_account_id.in_(wanted))
                | ((blocks.c.target_account_id == follower_id) & blocks.c.account_id.in_(wanted))
            )
        )
    }
    already = set(
        conn.execute(
            select(follows.c.target_account_id).where(
                follows.c.account_id == follower_id, follows.c.target_account_id.in_(wanted)
            )
        ).scalars()
    )
    fresh = [t for t in wanted if t in known and t not in blocked and t not in already]
    if not fresh:
        return []
    now = datetime.now(UTC)
    rows = [
        {
            "id": new_id(),
            "account_id": follower_id,
            "target_account_id": t,
            "created_at": now,
            "show_reblogs": True,
            "notify": False,
        }
        for t in fresh
    ]
    conn.execute(insert_ignore(conn, follows), rows)
    ours = set(
        conn.execute(
            select(follows.c.target_account_id).where(follows.c.id.in_([r["id"] for r in rows]))
        ).scalars()
    )
    added = [t for t in fresh if t in ours]  # a concurrent follow of the same one wins
    if not added:
        return []
    conn.execute(
        update(accounts)
        .where(accounts.c.id == follower_id)
        .values(following_count=accounts.c.following_count + len(added))
    )
    conn.execute(
        update(accounts)
        .where(accounts.c.id == bindparam("target"))
        .values(followers_count=accounts.c.followers_count + 1),
        [{"target": t} for t in added],
    )
    suggestion_refresh.network_changed(conn, follower_id)
    suggestion_refresh.edges_changed(conn, follower_id, added, +1)
    notify_many(conn, recipient_ids=added, actor_id=follower_id, type="follow")
    fanout.followed_many(conn, timelines, follower_id, added)
    return added


def remove_follow(
    conn: Connection, timelines: TimelineStore, follower_id: int, target_id: int
) -> bool:
    """Delete the follow (if any), fix both counters and clear the follower's feed of the
    target's entries. True if there was a follow."""
    removed = conn.execute(
        delete(follows)
        .where(follows.c.account_id == follower_id, follows.c.target_account_id == target_id)
        .returning(follows.c.id)
    ).first()
    if removed is None:
        return False
    conn.execute(  # an endorsement goes with the follow (Mastodon's ``remove_endorsements``)
        delete(account_pins).where(
            account_pins.c.account_id == follower_id,
            account_pins.c.target_account_id == target_id,
        )
    )
    _bump(conn, follower_id, target_id, -1)
    suggestion_refresh.network_changed(conn, follower_id)
    suggestion_refresh.edge_changed(conn, follower_id, target_id, -1)
    timelines.remove_author(conn, follower_id, target_id)
    return True


def unfollow(conn: Connection, timelines: TimelineStore, follower_id: int, target_id: int) -> None:
    """Stop following ``target_id`` (nothing happens if not following)."""
    get_account(conn, target_id)
    remove_follow(conn, timelines, follower_id, target_id)


def remove_from_followers(
    conn: Connection, timelines: TimelineStore, account_id: int, follower_id: int
) -> None:
    """Make ``follower_id`` stop following ``account_id`` (Mastodon's soft-block)."""
    get_account(conn, follower_id)
    remove_follow(conn, timelines, follower_id, account_id)


FAMILIAR_PER_ACCOUNT = 80  # a bound of Staffroom's: Mastodon lists them all


def familiar_followers(
    conn: Connection, viewer_id: int, account_ids: list[int]
) -> list[tuple[int, list[Row[Any]]]]:
    """For each existing account among ``account_ids`` (in that order, each once): the
    accounts the viewer follows that follow it, most recent follow first, at most
    :data:`FAMILIAR_PER_ACCOUNT`. As Mastodon's ``FamiliarFollowersPresenter``: muted
    accounts are listed; a block ends follows both ways, so no blocked account can be among
    those followed (they are excluded anyway). Two reads whatever the number of accounts.
    """
    wanted = list(dict.fromkeys(account_ids))
    if not wanted:
        return []
    existing = set(conn.execute(select(accounts.c.id).where(accounts.c.id.in_(wanted))).scalars())
    ids = [account_id for account_id in wanted if account_id in existing]
    if not ids:
        return []
    followed = select(follows.c.target_account_id).where(follows.c.account_id == viewer_id)
    blocked = (
        select(blocks.c.target_account_id)
        .where(blocks.c.account_id == viewer_id)
        .union(select(blocks.c.account_id).where(blocks.c.target_account_id == viewer_id))
    )
    ranked = (
        select(
            follows.c.target_account_id.label("familiar_of"),
            follows.c.account_id.label("familiar_id"),
            func.row_number()
            .over(partition_by=follows.c.target_account_id, order_by=follows.c.id.desc())
            .label("rank"),
        )
        .where(
            follows.c.target_account_id.in_(ids),
            follows.c.account_id.in_(followed),
            follows.c.account_id.not_in(blocked),
            follows.c.account_id != viewer_id,
        )
        .subquery()
    )
    rows = conn.execute(
        select(ranked.c.familiar_of, accounts)
        .join(accounts, accounts.c.id == ranked.c.familiar_id)
        .where(ranked.c.rank <= FAMILIAR_PER_ACCOUNT)
        .order_by(ranked.c.familiar_of, ranked.c.rank)
    ).all()
    found: dict[int, list[Row[Any]]] = {account_id: [] for account_id in ids}
    for row in rows:
        found[row.familiar_of].append(row)
    return [(account_id, found[account_id]) for account_id in ids]


def page_relation(
    conn: Connection,
    table: Any,
    *,
    owner_column: Any,
    owner_id: int,
    other_column: Any,
    max_id: int | None,
    since_id: int | None,
    min_id: int | None,
    limit: int,
    extra: Any = None,
    columns: tuple[Any, ...] = (),
) -> RelationPage:
    """One page of accounts linked to ``owner_id`` through ``table``, by the row's ID
    (``columns``: more of the relation's columns on each row)."""
    query = (
        select(table.c.id.label("relation_id"), *columns, accounts)
        .join(accounts, accounts.c.id == other_column)
        .where(owner_column == owner_id)
    )
    if extra is not None:
        query = query.where(extra)
    if max_id is not None:
        query = query.where(table.c.id < max_id)
    if since_id is not None:
        query = query.where(table.c.id > since_id)
    if min_id is not None:
        query = query.where(table.c.id > min_id).order_by(table.c.id.asc())
    else:
        query = query.order_by(table.c.id.desc())
    rows: list[Any] = list(conn.execute(query.limit(limit + 1)).all())
    more = len(rows) > limit
    rows = rows[:limit]
    if min_id is not None:
        rows.reverse()
        more = bool(rows)  # older rows lie below this page
    return RelationPage([(row.relation_id, row) for row in rows], more)


def followers_page(
    conn: Connection,
    account_id: int,
    viewer_id: int | None,
    *,
    max_id: int | None = None,
    since_id: int | None = None,
    min_id: int | None = None,
    limit: int = 40,
) -> RelationPage:
    """Who follows ``account_id``; empty for a viewer the account blocks."""
    get_account(conn, account_id)
    if viewer_id is not None and viewer_id != account_id and _blocks(conn, account_id, viewer_id):
        return RelationPage([], False)
    return page_relation(
        conn,
        follows,
        owner_column=follows.c.target_account_id,
        owner_id=account_id,
        other_column=follows.c.account_id,
        max_id=max_id,
        since_id=since_id,
        min_id=min_id,
        limit=limit,
    )


def following_page(
    conn: Connection,
    account_id: int,
    viewer_id: int | None,
    *,
    max_id: int | None = None,
    since_id: int | None = None,
    min_id: int | None = None,
    limit: int = 40,
) -> RelationPage:
    """Whom ``account_id`` follows; empty for a viewer the account blocks."""
    get_account(conn, account_id)
    if viewer_id is not None and viewer_id != account_id and _blocks(conn, account_id, viewer_id):
        return RelationPage([], False)
    return page_relation(
        conn,
        follows,
        owner_column=follows.c.account_id,
        owner_id=account_id,
        other_column=follows.c.target_account_id,
        max_id=max_id,
        since_id=since_id,
        min_id=min_id,
        limit=limit,
    )


def _blocks(conn: Connection, blocker: int, target: int) -> bool:
    found = conn.execute(
        select(blocks.c.id).where(
            blocks.c.account_id == blocker, blocks.c.target_account_id == target
        )
    ).first()
    return found is not None
