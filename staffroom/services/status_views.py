"""Loading posts for a viewer: rows, authors, mentions, tags and the viewer's own flags.

Every read path (one post, threads, timelines, search, favourites) goes through
:func:`load_views`, which batches its queries, applies the visibility policy and returns
:class:`StatusView` objects for the serialiser. Posts the viewer may not see are dropped.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, Row, and_, or_, select

from staffroom.db.tables import (
    accounts,
    apps,
    blocks,
    bookmarks,
    favourites,
    follows,
    mentions,
    mutes,
    status_tags,
    statuses,
    tags,
)
from staffroom.policies.visibility import ViewerFacts, belongs_in_timeline, may_see


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

    @property
    def id(self) -> int:
        return int(self.row.id)


def viewer_facts(conn: Connection, viewer_id: int | None, about: Iterable[int]) -> ViewerFacts:
    """Follows, blocks and mutes between the viewer and the accounts in ``about``."""
    ids = set(about)
    if viewer_id is None or not ids:
        return ViewerFacts(viewer_id)
    ids.discard(viewer_id)
    following = conn.execute(
        select(follows.c.target_account_id).where(
            follows.c.account_id == viewer_id, follows.c.target_account_id.in_(ids)
        )
    ).scalars()
    block_rows = conn.execute(
        select(blocks.c.account_id, blocks.c.target_account_id).where(
            or_(
                and_(blocks.c.account_id == viewer_id, blocks.c.target_account_id.in_(ids)),
                and_(blocks.c.target_account_id == viewer_id, blocks.c.account_id.in_(ids)),
            )
        )
    ).all()
    muting = conn.execute(
        select(mutes.c.target_account_id).where(
            mutes.c.account_id == viewer_id, mutes.c.target_account_id.in_(ids)
        )
    ).scalars()
    return ViewerFacts(
        viewer_id,
        following=frozenset(following),
        blocked_by=frozenset(a for a, t in block_rows if t == viewer_id),
        blocking=frozenset(t for a, t in block_rows if a == viewer_id),
        muting=frozenset(muting),
    )


def _rows_by_id(conn: Connection, table: Any, ids: set[int]) -> dict[int, Row[Any]]:
    if not ids:
        return {}
    return {r.id: r for r in conn.execute(select(table).where(table.c.id.in_(ids)))}


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
    rows = _rows_by_id(conn, statuses, set(ids))
    originals = _rows_by_id(
        conn, statuses, {r.reblog_of_id for r in rows.values() if r.reblog_of_id} - set(rows)
    )
    originals.update({k: v for k, v in rows.items()})
    all_rows = originals
    status_ids = set(all_rows)
    account_ids = {r.account_id for r in all_rows.values()}

    mention_map: dict[int, list[tuple[int, str]]] = {}
    if status_ids:
        for status_id, account_id, username in conn.execute(
            select(mentions.c.status_id, accounts.c.id, accounts.c.username)
            .join(accounts, accounts.c.id == mentions.c.account_id)
            .where(mentions.c.status_id.in_(status_ids))
        ):
            mention_map.setdefault(status_id, []).append((account_id, username))
    facts = viewer_facts(
        conn, viewer_id, account_ids | {a for m in mention_map.values() for a, _ in m}
    )

    def visible(row: Row[Any]) -> bool:
        mentioned = {a for a, _ in mention_map.get(row.id, ())}
        return may_see(
            facts, author_id=row.account_id, visibility=row.visibility, mentioned=mentioned
        )

    chosen: list[Row[Any]] = []
    for sid in ids:
        row = rows.get(sid)
        if row is None or not visible(row):
            continue
        original = all_rows.get(row.reblog_of_id) if row.reblog_of_id else None
        if row.reblog_of_id and (original is None or not visible(original)):
            continue
        if for_timeline:
            target = original or row
            if not belongs_in_timeline(
                facts,
                author_id=row.account_id,
                mentioned={a for a, _ in mention_map.get(target.id, ())},
                reblog_author_id=original.account_id if original is not None else None,
            ):
                continue
        chosen.append(row)
    return _assemble(conn, viewer_id, chosen, all_rows, mention_map)


def _assemble(
    conn: Connection,
    viewer_id: int | None,
    chosen: list[Row[Any]],
    all_rows: dict[int, Row[Any]],
    mention_map: dict[int, list[tuple[int, str]]],
) -> list[StatusView]:
    needed = {r.id for r in chosen} | {r.reblog_of_id for r in chosen if r.reblog_of_id}
    if not needed:
        return []
    used = [all_rows[i] for i in needed]
    account_rows = _rows_by_id(conn, accounts, {r.account_id for r in used})
    tag_map: dict[int, list[str]] = {}
    for status_id, name in conn.execute(
        select(status_tags.c.status_id, tags.c.name)
        .join(tags, tags.c.id == status_tags.c.tag_id)
        .where(status_tags.c.status_id.in_(needed))
    ):
        tag_map.setdefault(status_id, []).append(name)
    app_ids = {r.app_id for r in used if r.app_id}
    app_map = (
        {
            a.id: (a.name, a.website)
            for a in conn.execute(
                select(apps.c.id, apps.c.name, apps.c.website).where(apps.c.id.in_(app_ids))
            )
        }
        if app_ids
        else {}
    )
    faved: set[int] = set()
    marked: set[int] = set()
    reblogged: set[int] = set()
    if viewer_id is not None:
        faved = set(
            conn.execute(
                select(favourites.c.status_id).where(
                    favourites.c.account_id == viewer_id, favourites.c.status_id.in_(needed)
                )
            ).scalars()
        )
        marked = set(
            conn.execute(
                select(bookmarks.c.status_id).where(
                    bookmarks.c.account_id == viewer_id, bookmarks.c.status_id.in_(needed)
                )
            ).scalars()
        )
        reblogged = set(
            conn.execute(
                select(statuses.c.reblog_of_id).where(
                    statuses.c.account_id == viewer_id, statuses.c.reblog_of_id.in_(needed)
                )
            ).scalars()
        )

    def view(row: Row[Any]) -> StatusView:
        return StatusView(
            row=row,
            account=account_rows[row.account_id],
            mentions=mention_map.get(row.id, []),
            tags=tag_map.get(row.id, []),
            app=app_map.get(row.app_id) if row.app_id else None,
            favourited=row.id in faved,
            reblogged=row.id in reblogged,
            bookmarked=row.id in marked,
        )

    result = []
    for row in chosen:
        item = view(row)
        if row.reblog_of_id:
            item.reblog = view(all_rows[row.reblog_of_id])
        result.append(item)
    return result


def load_view(conn: Connection, viewer_id: int | None, status_id: int) -> StatusView | None:
    """One post if the viewer may see it."""
    found = load_views(conn, viewer_id, [status_id])
    return found[0] if found else None
