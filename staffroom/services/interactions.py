"""Reposts, favourites, bookmarks and deletion of posts.

Each function checks that the actor may see the post (else ``NotFound``, as Mastodon hides
what you may not see), is idempotent (a second favourite changes nothing), keeps the
denormalised counters in step in the same transaction, and says what it notifies.
A favourite or repost of someone else's public post is counted for trends
(``services.trends.record_interaction``).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Table, delete, insert, select, update

from staffroom.db.tables import accounts, bookmarks, favourites, statuses
from staffroom.errors import Forbidden, NotFound
from staffroom.ids import id_at, new_id
from staffroom.jobs.queue import enqueue
from staffroom.messages import N_
from staffroom.policies.visibility import DIRECT, PUBLIC, may_reblog
from staffroom.services import event_topic_posts, quotes, trends
from staffroom.services.conversations import forget_direct
from staffroom.services.delivery import deleted_payload
from staffroom.services.media_removal import remove_media_of_post
from staffroom.services.notify import notify
from staffroom.services.status_views import StatusView, forget_status, load_view
from staffroom.timelines.store import FeedEntry

if TYPE_CHECKING:
    from staffroom.runtime import Runtime


def _target(conn: Connection, account_id: int, status_id: int) -> StatusView:
    """The post itself (a repost's original) if visible to ``account_id``."""
    view = load_view(conn, account_id, status_id)
    if view is None:
        raise NotFound()
    return view.reblog or view


def _bump(conn: Connection, status_id: int, column: str, delta: int) -> None:
    col = statuses.c[column]
    conn.execute(update(statuses).where(statuses.c.id == status_id).values({col: col + delta}))


def _count_for_trends(conn: Connection, target: StatusView, account_id: int) -> None:
    """Someone else's favourite or repost of a public post counts towards its trending."""
    if target.row.visibility == PUBLIC and target.row.account_id != account_id:
        trends.record_interaction(conn, target.id, account_id)


def reblog(
    conn: Connection,
    rt: Runtime,
    account_id: int,
    status_id: int,
    visibility: int = 0,
    *,
    at: datetime | None = None,
) -> int:
    """Repost; returns the repost's own ID (the existing one if already reposted).

    Writes a ``statuses`` row with ``reblog_of_id``, fans it out, bumps ``reblogs_count``,
    notifies the author (``reblog``).
    """
    original = _target(conn, account_id, status_id)
    if not may_reblog(
        visibility=original.row.visibility,
        author_id=original.row.account_id,
        reblogger_id=account_id,
    ):
        raise Forbidden(N_("This post cannot be reposted"))
    existing = conn.execute(
        select(statuses.c.id).where(
            statuses.c.account_id == account_id, statuses.c.reblog_of_id == original.id
        )
    ).scalar()
    if existing is not None:
        return int(existing)
    now = at or datetime.now(UTC)
    reblog_id = id_at(int(now.timestamp() * 1000)) if at else new_id()
    conn.execute(
        insert(statuses).values(
            id=reblog_id,
            account_id=account_id,
            text="",
            content_html="",
            spoiler_text="",
            sensitive=False,
            visibility=max(visibility, original.row.visibility),
            reblog_of_id=original.id,
            replies_count=0,
            reblogs_count=0,
            favourites_count=0,
            created_at=now,
        )
    )
    _bump(conn, original.id, "reblogs_count", 1)
    _count_for_trends(conn, original, account_id)
    conn.execute(
        update(accounts)
        .where(accounts.c.id == account_id)
        .values(statuses_count=accounts.c.statuses_count + 1, last_status_at=now)
    )
    rt.timelines.add(conn, [account_id], FeedEntry(reblog_id, account_id, original.id))
    enqueue(conn, "deliver_status", {"status_id": reblog_id})
    notify(
        conn,
        recipient_id=original.row.account_id,
        actor_id=account_id,
        type="reblog",
        status_id=original.id,
    )
    return reblog_id


def unreblog(conn: Connection, rt: Runtime, account_id: int, status_id: int) -> int:
    """Undo a repost; returns the original's ID."""
    original = _target(conn, account_id, status_id)
    mine = conn.execute(
        select(statuses.c.id).where(
            statuses.c.account_id == account_id, statuses.c.reblog_of_id == original.id
        )
    ).scalar()
    if mine is not None:
        _delete_row(conn, rt, int(mine), account_id)
    return original.id


def _toggle(table: Table, conn: Connection, account_id: int, status_id: int, on: bool) -> bool:
    """Add or remove an (account, status) flag row; True if something changed."""
    exists = conn.execute(
        select(table.c.id).where(table.c.account_id == account_id, table.c.status_id == status_id)
    ).first()
    if on and exists is None:
        conn.execute(
            insert(table).values(
                id=new_id(),
                account_id=account_id,
                status_id=status_id,
                created_at=datetime.now(UTC),
            )
        )
        return True
    if not on and exists is not None:
        conn.execute(delete(table).where(table.c.id == exists.id))
        return True
    return False


def favourite(
    conn: Connection, rt: Runtime, account_id: int, status_id: int, on: bool = True
) -> int:
    """Favourite (``on``) or unfavourite; bumps ``favourites_count``, notifies the author."""
    target = _target(conn, account_id, status_id)
    if _toggle(favourites, conn, account_id, target.id, on):
        _bump(conn, target.id, "favourites_count", 1 if on else -1)
        if on:
            _count_for_trends(conn, target, account_id)
            notify(
                conn,
                recipient_id=target.row.account_id,
                actor_id=account_id,
                type="favourite",
                status_id=target.id,
            )
    return target.id


def bookmark(
    conn: Connection, rt: Runtime, account_id: int, status_id: int, on: bool = True
) -> int:
    """Bookmark (``on``) or remove the bookmark; private to the account."""
    target = _target(conn, account_id, status_id)
    _toggle(bookmarks, conn, account_id, target.id, on)
    return target.id


def _delete_row(conn: Connection, rt: Runtime, status_id: int, author_id: int) -> None:
    row = conn.execute(select(statuses).where(statuses.c.id == status_id)).first()
    if row is None:
        return
    # Reposts of this post go with it, keeping their authors' counters right.
    for repost_id, repost_author in conn.execute(
        select(statuses.c.id, statuses.c.account_id).where(statuses.c.reblog_of_id == status_id)
    ).all():
        _delete_row(conn, rt, repost_id, repost_author)
    # The job takes the post out of its audience's timelines; until then readers skip it.
    payload = deleted_payload(conn, row)
    if row.visibility == DIRECT and row.reblog_of_id is None:
        payload["conversations"] = forget_direct(conn, status_id)
    enqueue(conn, "status_deleted", payload)
    if row.reblog_of_id is None:
        remove_media_of_post(conn, status_id)
        quotes.forget_quote(conn, row)
        if row.visibility == PUBLIC and event_topic_posts.has_marker(row.text):
            event_topic_posts.forget_post(conn, status_id)
    conn.execute(delete(statuses).where(statuses.c.id == status_id))
    forget_status(status_id)
    conn.execute(
        update(accounts)
        .where(accounts.c.id == author_id, accounts.c.statuses_count > 0)
        .values(statuses_count=accounts.c.statuses_count - 1)
    )
    if row.reblog_of_id is not None:
        _bump(conn, row.reblog_of_id, "reblogs_count", -1)
    elif row.in_reply_to_id is not None:
        conn.execute(
            update(statuses)
            .where(statuses.c.id == row.in_reply_to_id, statuses.c.replies_count > 0)
            .values(replies_count=statuses.c.replies_count - 1)
        )


def delete_status(conn: Connection, rt: Runtime, account_id: int, status_id: int) -> StatusView:
    """Delete one's own post; returns its last view (Mastodon answers with it, plus ``text``).

    Removes it from every timeline; replies stay, as in Mastodon, without their parent.
    """
    view = load_view(conn, account_id, status_id)
    if view is None or view.row.account_id != account_id:
        raise NotFound()
    _delete_row(conn, rt, status_id, account_id)
    return view
