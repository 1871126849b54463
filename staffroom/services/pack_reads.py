"""Reading starter packs (``services.collections``) as one reader sees them: the pack
with its accepted people (those the reader blocks or is blocked by left out), an account's
packs, the packs an account is in. Anyone with a pack's link may open it, except across a
block between the reader and its owner."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, func, or_, select

from staffroom.db.tables import (
    blocks,
    collection_items,
    collection_lists,
    collection_tags,
    collections,
    lists,
    tags,
)
from staffroom.errors import NotFound

ACCEPTED, REVOKED = "accepted", "revoked"


def _row(conn: Connection, pack_id: int) -> Row[Any]:
    row = conn.execute(select(collections).where(collections.c.id == pack_id)).first()
    if row is None:
        raise NotFound()
    return row


@dataclass(frozen=True, slots=True)
class Item:
    id: int
    account_id: int
    reason: str
    state: str
    created_at: datetime


@dataclass(slots=True)
class Pack:
    """A pack as one reader sees it: ``items`` are the accepted ones the reader may see."""

    row: Row[Any]
    items: list[Item]
    tag_name: str | None
    tags: list[str] = field(default_factory=list)
    lists: list[tuple[int, str]] = field(default_factory=list)  # (id, title)

    @property
    def id(self) -> int:
        return int(self.row.id)

    @property
    def account_id(self) -> int:
        return int(self.row.account_id)


def blocked_either_way(conn: Connection, viewer_id: int | None, others: Iterable[int]) -> set[int]:
    """Those of ``others`` the viewer blocks or is blocked by."""
    wanted = set(others)
    if viewer_id is None or not wanted:
        return set()
    rows = conn.execute(
        select(blocks.c.account_id, blocks.c.target_account_id).where(
            or_(
                (blocks.c.account_id == viewer_id) & blocks.c.target_account_id.in_(wanted),
                (blocks.c.target_account_id == viewer_id) & blocks.c.account_id.in_(wanted),
            )
        )
    )
    return {r.target_account_id if r.account_id == viewer_id else r.account_id for r in rows}


def load_packs(conn: Connection, viewer_id: int | None, rows: Sequence[Row[Any]]) -> list[Pack]:
    """Packs for these rows as the viewer sees them (three reads for any number)."""
    ids = [r.id for r in rows]
    if not ids:
        return []
    items: dict[int, list[Item]] = {i: [] for i in ids}
    found = conn.execute(
        select(collection_items)
        .where(collection_items.c.collection_id.in_(ids), collection_items.c.state == ACCEPTED)
        .order_by(collection_items.c.id)
    ).all()
    hidden = blocked_either_way(conn, viewer_id, {r.account_id for r in found})
    for r in found:
        if r.account_id not in hidden:
            items[r.collection_id].append(Item(r.id, r.account_id, r.reason, r.state, r.created_at))
    tag_ids = {r.tag_id for r in rows if r.tag_id is not None}
    names: dict[int, str] = {}
    if tag_ids:
        names = dict(
            conn.execute(select(tags.c.id, tags.c.name).where(tags.c.id.in_(tag_ids)))
            .tuples()
            .all()
        )
    return [
        Pack(r, items[r.id], names.get(r.tag_id) if r.tag_id is not None else None) for r in rows
    ]


def get_pack(conn: Connection, viewer_id: int | None, pack_id: int, *, full: bool = False) -> Pack:
    """One pack for the viewer (anyone with the link; 404 across a block). ``full`` adds its
    hashtags and lists."""
    row = _row(conn, pack_id)
    if blocked_either_way(conn, viewer_id, [row.account_id]):
        raise NotFound()
    pack = load_packs(conn, viewer_id, [row])[0]
    if full:
        pack.tags = list(
            conn.execute(
                select(tags.c.name)
                .join(collection_tags, collection_tags.c.tag_id == tags.c.id)
                .where(collection_tags.c.collection_id == pack_id)
                .order_by(tags.c.name_lower)
            ).scalars()
        )
        pack.lists = [
            (int(i), str(t))
            for i, t in conn.execute(
                select(lists.c.id, lists.c.title)
                .join(collection_lists, collection_lists.c.list_id == lists.c.id)
                .where(collection_lists.c.collection_id == pack_id)
                .order_by(lists.c.id)
            ).tuples()
        ]
    return pack


def account_packs(
    conn: Connection, viewer_id: int | None, account_id: int, *, offset: int = 0, limit: int = 40
) -> list[Pack]:
    """An account's packs, newest first: all for the owner, discoverable ones for others."""
    if blocked_either_way(conn, viewer_id, [account_id]):
        return []
    query = select(collections).where(collections.c.account_id == account_id)
    if viewer_id != account_id:
        query = query.where(collections.c.discoverable.is_(True))
    rows = conn.execute(query.order_by(collections.c.id.desc()).offset(offset).limit(limit)).all()
    return load_packs(conn, viewer_id, rows)


def packs_with(
    conn: Connection, viewer_id: int | None, account_id: int, *, offset: int = 0, limit: int = 40
) -> list[Pack]:
    """The packs an account is in (accepted), newest first: every one for the person
    themselves (so they can leave any), discoverable or the viewer's own for others."""
    if blocked_either_way(conn, viewer_id, [account_id]):
        return []
    query = (
        select(collections)
        .join(collection_items, collection_items.c.collection_id == collections.c.id)
        .where(collection_items.c.account_id == account_id, collection_items.c.state == ACCEPTED)
    )
    if viewer_id != account_id:
        query = query.where(
            or_(collections.c.discoverable.is_(True), collections.c.account_id == viewer_id)
        )
    rows = conn.execute(query.order_by(collections.c.id.desc()).offset(offset).limit(limit)).all()
    owners = blocked_either_way(conn, viewer_id, {r.account_id for r in rows})
    return load_packs(conn, viewer_id, [r for r in rows if r.account_id not in owners])


def packs_by_id(conn: Connection, viewer_id: int, pack_ids: Iterable[int]) -> dict[int, Pack]:
    """Packs for notifications (missing ones are simply absent)."""
    wanted = set(pack_ids)
    if not wanted:
        return {}
    rows = conn.execute(select(collections).where(collections.c.id.in_(wanted))).all()
    return {p.id: p for p in load_packs(conn, viewer_id, rows)}


def packs_about(
    conn: Connection, viewer_id: int, tag_names: Sequence[str], *, limit: int = 4
) -> list[Pack]:
    """Discoverable packs whose hashtag (or one of its hashtags) is among ``tag_names``
    (a newcomer's interests), not the viewer's own, those with the most people first."""
    wanted = sorted({name.lower() for name in tag_names})
    if not wanted:
        return []
    tag_ids = select(tags.c.id).where(tags.c.name_lower.in_(wanted))
    matching = (
        select(collections.c.id)
        .where(collections.c.tag_id.in_(tag_ids))
        .union(select(collection_tags.c.collection_id).where(collection_tags.c.tag_id.in_(tag_ids)))
        .limit(200)
        .subquery()
    )
    size = (
        select(func.count())
        .where(
            collection_items.c.collection_id == collections.c.id,
            collection_items.c.state == ACCEPTED,
        )
        .scalar_subquery()
    )
    rows = conn.execute(
        select(collections)
        .where(
            collections.c.id.in_(select(matching.c.id)),
            collections.c.discoverable.is_(True),
            collections.c.account_id != viewer_id,
        )
        .order_by(size.desc(), collections.c.id.desc())
        .limit(limit * 2)
    ).all()
    owners = blocked_either_way(conn, viewer_id, {r.account_id for r in rows})
    packs = load_packs(conn, viewer_id, [r for r in rows if r.account_id not in owners])
    return [p for p in packs if p.items][:limit]
