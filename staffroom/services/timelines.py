"""Reading timelines: home, public/local, hashtag, an account's posts, threads, bookmarks.

Each reader fetches one more ID than asked for, so it knows whether an older page exists,
then loads views through :func:`load_views` (visibility, blocks and mutes applied there).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import ColumnElement, Connection, Select, exists, or_, select

from staffroom.db.tables import (
    bookmarks,
    favourites,
    follows,
    media_attachments,
    mentions,
    status_tags,
    statuses,
    tags,
)
from staffroom.errors import NotFound
from staffroom.policies.visibility import PRIVATE, PUBLIC, UNLISTED
from staffroom.services import lists
from staffroom.services.status_views import StatusView, load_view, load_views
from staffroom.timelines.store import HOME, LIST

if TYPE_CHECKING:
    from staffroom.runtime import Runtime

MAX_THREAD = 4096


@dataclass(frozen=True, slots=True)
class PageRequest:
    max_id: int | None = None
    since_id: int | None = None
    min_id: int | None = None
    limit: int = 20


@dataclass(frozen=True, slots=True)
class TimelinePage:
    """Views plus the cursors for the ``Link`` header (``None``: no such page)."""

    views: list[StatusView]
    next_max_id: int | None
    prev_min_id: int | None
    partial: bool = False


def _page_ids(
    conn: Connection, query: Select[Any], column: Any, page: PageRequest
) -> tuple[list[int], bool]:
    """IDs newest first, and whether more (older) exist beyond this page."""
    if page.max_id is not None:
        query = query.where(column < page.max_id)
    if page.since_id is not None:
        query = query.where(column > page.since_id)
    if page.min_id is not None:
        query = query.where(column > page.min_id)
        rows = list(conn.execute(query.order_by(column.asc()).limit(page.limit)).scalars())
        return sorted(rows, reverse=True), True
    rows = list(conn.execute(query.order_by(column.desc()).limit(page.limit + 1)).scalars())
    return rows[: page.limit], len(rows) > page.limit


def _finish(raw: Sequence[int], more: bool, views: list[StatusView]) -> TimelinePage:
    return TimelinePage(
        views,
        next_max_id=min(raw) if raw and more else None,
        prev_min_id=max(raw) if raw else None,
    )


def home(conn: Connection, rt: Runtime, viewer_id: int, page: PageRequest) -> TimelinePage:
    """The viewer's home timeline from the timeline store."""
    return _stored(conn, rt, viewer_id, viewer_id, HOME, page)


def list_timeline(
    conn: Connection, rt: Runtime, viewer_id: int, list_id: int, page: PageRequest
) -> TimelinePage:
    """One of the viewer's lists from the timeline store (anyone else's is not found)."""
    if not lists.owns(conn, viewer_id, list_id):
        raise NotFound()
    return _stored(conn, rt, viewer_id, list_id, LIST, page)


def _stored(
    conn: Connection, rt: Runtime, viewer_id: int, owner_id: int, kind: str, page: PageRequest
) -> TimelinePage:
    feed = rt.timelines.page(
        conn,
        owner_id,
        max_id=page.max_id,
        since_id=page.since_id,
        min_id=page.min_id,
        limit=page.limit + 1 if page.min_id is None else page.limit,
        kind=kind,
    )
    more = len(feed.ids) > page.limit if page.min_id is None else True
    raw = feed.ids[: page.limit]
    result = _finish(raw, more, load_views(conn, viewer_id, raw, for_timeline=True))
    if feed.partial:
        return TimelinePage(result.views, result.next_max_id, result.prev_min_id, partial=True)
    return result


def _with_media() -> ColumnElement[bool]:
    return exists().where(
        media_attachments.c.status_id == statuses.c.id, media_attachments.c.position >= 0
    )


def public(
    conn: Connection,
    viewer_id: int | None,
    page: PageRequest,
    *,
    remote_only: bool = False,
    only_media: bool = False,
) -> TimelinePage:
    """Public posts, without reposts and without replies to other people."""
    if remote_only:  # no federation yet: nothing is remote
        return TimelinePage([], None, None)
    query = (
        select(statuses.c.id)
        .where(statuses.c.visibility == PUBLIC)
        .where(statuses.c.reblog_of_id.is_(None))
        .where(
            or_(
                statuses.c.in_reply_to_id.is_(None),
                statuses.c.in_reply_to_account_id == statuses.c.account_id,
            )
        )
    )
    if only_media:
        query = query.where(_with_media())
    raw, more = _page_ids(conn, query, statuses.c.id, page)
    return _finish(raw, more, load_views(conn, viewer_id, raw, for_timeline=True))


def hashtag(
    conn: Connection,
    viewer_id: int | None,
    name: str,
    page: PageRequest,
    *,
    any_of: Sequence[str] = (),
    all_of: Sequence[str] = (),
    none_of: Sequence[str] = (),
) -> TimelinePage:
    """Public posts with the hashtag (case-insensitive), with Mastodon's any/all/none."""

    def tagged(names: Sequence[str]) -> Any:
        lowered = [n.lower().lstrip("#") for n in names]
        return (
            select(status_tags.c.status_id)
            .join(tags, tags.c.id == status_tags.c.tag_id)
            .where(tags.c.name_lower.in_(lowered))
        )

    query = (
        select(statuses.c.id)
        .where(statuses.c.id.in_(tagged([name, *any_of])))
        .where(statuses.c.visibility == PUBLIC)
        .where(statuses.c.reblog_of_id.is_(None))
    )
    for extra in all_of:
        query = query.where(statuses.c.id.in_(tagged([extra])))
    if none_of:
        query = query.where(statuses.c.id.not_in(tagged(none_of)))
    raw, more = _page_ids(conn, query, statuses.c.id, page)
    return _finish(raw, more, load_views(conn, viewer_id, raw, for_timeline=True))


def account_statuses(
    conn: Connection,
    viewer_id: int | None,
    account_id: int,
    page: PageRequest,
    *,
    exclude_replies: bool = False,
    exclude_reblogs: bool = False,
    tagged: str | None = None,
    only_media: bool = False,
) -> TimelinePage:
    """One account's posts that the viewer may see."""
    query = select(statuses.c.id).where(statuses.c.account_id == account_id)
    if viewer_id != account_id:
        visible: list[ColumnElement[bool]] = [statuses.c.visibility.in_((PUBLIC, UNLISTED))]
        if viewer_id is not None:
            follows_author = exists().where(
                follows.c.account_id == viewer_id, follows.c.target_account_id == account_id
            )
            visible.append((statuses.c.visibility == PRIVATE) & follows_author)
            visible.append(
                exists().where(
                    mentions.c.status_id == statuses.c.id, mentions.c.account_id == viewer_id
                )
            )
        query = query.where(or_(*visible))
    if exclude_replies:
        query = query.where(
            or_(
                statuses.c.in_reply_to_id.is_(None),
                statuses.c.in_reply_to_account_id == account_id,
            )
        )
    if exclude_reblogs:
        query = query.where(statuses.c.reblog_of_id.is_(None))
    if tagged:
        query = query.where(
            statuses.c.id.in_(
                select(status_tags.c.status_id)
                .join(tags, tags.c.id == status_tags.c.tag_id)
                .where(tags.c.name_lower == tagged.lower().lstrip("#"))
            )
        )
    if only_media:
        query = query.where(_with_media())
    raw, more = _page_ids(conn, query, statuses.c.id, page)
    return _finish(raw, more, load_views(conn, viewer_id, raw))


MAX_SEVERAL = 20  # Mastodon's DEFAULT_STATUSES_LIMIT for GET /api/v1/statuses?id[]=


def several(conn: Connection, viewer_id: int | None, ids: Sequence[int]) -> list[StatusView]:
    """``GET /api/v1/statuses?id[]=``: the posts among ``ids`` the viewer may see, in the
    given order, each ID once; missing ones left out. As Mastodon's
    ``permitted_statuses_from_ids`` (and the replies of :func:`context`), posts whose author
    the viewer blocks or mutes, or who blocks the viewer, are left out too. One
    :func:`load_views` for them all."""
    return load_views(conn, viewer_id, list(dict.fromkeys(ids)), for_timeline=True)


def context(
    conn: Connection, viewer_id: int | None, status_id: int
) -> tuple[list[StatusView], list[StatusView]]:
    """(ancestors oldest first, descendants in thread order) of a visible post."""
    focus = load_view(conn, viewer_id, status_id)
    if focus is None:
        raise NotFound()
    chain: list[int] = []
    parent = focus.row.in_reply_to_id
    while parent is not None and len(chain) < MAX_THREAD:
        row = conn.execute(
            select(statuses.c.id, statuses.c.in_reply_to_id).where(statuses.c.id == parent)
        ).first()
        if row is None:
            break
        chain.append(row.id)
        parent = row.in_reply_to_id
    ancestors = load_views(conn, viewer_id, list(reversed(chain)))

    ordered: list[int] = []
    frontier = [focus.id]
    children: dict[int, list[int]] = {}
    while frontier and len(ordered) < MAX_THREAD:
        rows = conn.execute(
            select(statuses.c.id, statuses.c.in_reply_to_id)
            .where(statuses.c.in_reply_to_id.in_(frontier))
            .order_by(statuses.c.id)
        ).all()
        frontier = []
        for row in rows:
            children.setdefault(row.in_reply_to_id, []).append(row.id)
            frontier.append(row.id)
            ordered.append(row.id)

    def depth_first(node: int) -> list[int]:
        out: list[int] = []
        stack = list(reversed(children.get(node, [])))
        while stack:
            current = stack.pop()
            out.append(current)
            stack.extend(reversed(children.get(current, [])))
        return out

    descendants = load_views(conn, viewer_id, depth_first(focus.id), for_timeline=True)
    return ancestors, descendants


@dataclass(frozen=True, slots=True)
class ThreadReply:
    """A direct reply, the first replies to it, and how many more lie below it."""

    view: StatusView
    replies: list[StatusView]
    more: int


@dataclass(frozen=True, slots=True)
class Thread:
    """A post's page: the posts it answers, the post, and its replies nested one level."""

    focus: StatusView
    ancestors: list[StatusView]
    replies: list[ThreadReply]


SHOWN_SUBREPLIES = 3


def thread(conn: Connection, viewer_id: int | None, status_id: int) -> Thread:
    """The thread around a visible post (``NotFound`` otherwise), for its page."""
    focus = load_view(conn, viewer_id, status_id)
    if focus is None or focus.row.reblog_of_id is not None:
        raise NotFound()
    ancestors, descendants = context(conn, viewer_id, status_id)
    below: dict[int, list[StatusView]] = {}
    for view in descendants:
        below.setdefault(int(view.row.in_reply_to_id), []).append(view)
    replies = []
    for reply in below.get(focus.id, []):
        under = below.get(reply.id, [])
        shown = under[:SHOWN_SUBREPLIES]
        hidden = len(under) - len(shown) + sum(_count_below(below, v.id) for v in under)
        replies.append(ThreadReply(reply, shown, hidden))
    return Thread(focus, ancestors, replies)


def _count_below(below: dict[int, list[StatusView]], status_id: int) -> int:
    """How many replies lie anywhere below ``status_id`` (iteratively: threads run deep)."""
    count, todo = 0, [status_id]
    while todo:
        children = below.get(todo.pop(), [])
        count += len(children)
        todo.extend(v.id for v in children)
    return count


def _flagged(conn: Connection, table: Any, viewer_id: int, page: PageRequest) -> TimelinePage:
    query = select(table.c.id).where(table.c.account_id == viewer_id)
    raw, more = _page_ids(conn, query, table.c.id, page)
    by_flag: dict[int, int] = dict(
        conn.execute(select(table.c.id, table.c.status_id).where(table.c.id.in_(raw))).all()
    )
    views = load_views(conn, viewer_id, [by_flag[i] for i in raw if i in by_flag])
    return _finish(raw, more, views)


def favourited(conn: Connection, viewer_id: int, page: PageRequest) -> TimelinePage:
    """The viewer's favourites, newest favourite first (cursors are favourite IDs)."""
    return _flagged(conn, favourites, viewer_id, page)


def bookmarked(conn: Connection, viewer_id: int, page: PageRequest) -> TimelinePage:
    return _flagged(conn, bookmarks, viewer_id, page)
