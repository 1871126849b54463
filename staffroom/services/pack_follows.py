"""Using a starter pack: follow all or some of its people, follow its hashtags, subscribe
to its lists, add its people to one of one's own lists.

Following goes through ``services.bulk_follows`` (source ``pack:<id>``, linked by
``bulk_follows.collection_id``), so "Undo" unfollows exactly the people the pack added,
within 30 days. Subscribing to someone else's list copies it: a new list of one's own with
the same title, its people (those who let the reader see them and have not opted out of
packs) and its hashtags; Staffroom lists are private, so a copy is the only way to keep
one, and it stays the reader's to change. Nothing here sees a person the reader blocks or
is blocked by.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Connection, select

from staffroom.db.tables import (
    collection_lists,
    follows,
    list_accounts,
    list_tags,
    lists,
    tags,
    users,
)
from staffroom.errors import NotFound
from staffroom.services import bulk_follows, tag_follows
from staffroom.services import lists as list_service
from staffroom.services.pack_reads import blocked_either_way, get_pack
from staffroom.timelines.store import TimelineStore


def source_of(pack_id: int) -> str:
    return f"pack:{pack_id}"


def follow_people(
    conn: Connection,
    store: TimelineStore,
    viewer_id: int,
    pack_id: int,
    account_ids: Sequence[int] | None = None,
) -> bulk_follows.BulkFollow | None:
    """Follow the pack's people (``None``: all of them; otherwise those of ``account_ids``
    that are in it), recorded for undo. ``None`` back when nobody new was followed."""
    pack = get_pack(conn, viewer_id, pack_id)
    members = [i.account_id for i in pack.items]
    if account_ids is not None:
        chosen = set(account_ids)
        members = [m for m in members if m in chosen]
    return bulk_follows.follow_all(
        conn, store, viewer_id, members, source=source_of(pack_id), collection_id=pack_id
    )


def latest_follow(conn: Connection, viewer_id: int, pack_id: int) -> bulk_follows.BulkFollow | None:
    """The reader's newest follow-all from this pack that can still be undone."""
    return bulk_follows.latest_undoable(conn, viewer_id, source_of(pack_id))


def undo(conn: Connection, store: TimelineStore, viewer_id: int, bulk_id: int) -> int:
    return bulk_follows.undo_follow_all(conn, store, viewer_id, bulk_id)


def follow_tags(conn: Connection, store: TimelineStore, viewer_id: int, pack_id: int) -> int:
    """Follow every hashtag of the pack; how many."""
    pack = get_pack(conn, viewer_id, pack_id, full=True)
    for name in pack.tags:
        tag_follows.follow_tag(conn, store, viewer_id, name)
    return len(pack.tags)


def _pack_list(conn: Connection, pack_id: int, list_id: int) -> tuple[str, int]:
    row = conn.execute(
        select(lists.c.title, lists.c.account_id)
        .join(collection_lists, collection_lists.c.list_id == lists.c.id)
        .where(collection_lists.c.collection_id == pack_id, lists.c.id == list_id)
    ).first()
    if row is None:
        raise NotFound()
    return str(row.title), int(row.account_id)


def shown_list_members(
    conn: Connection, viewer_id: int | None, owner_id: int, list_id: int
) -> list[int]:
    """A pack's list's people that a reader may be shown: not opted out of packs (or
    allowing only people they follow, when they do not follow the list's owner), and no
    block either way with the reader."""
    rows = conn.execute(
        select(list_accounts.c.account_id, users.c.pack_policy)
        .outerjoin(users, users.c.account_id == list_accounts.c.account_id)
        .where(list_accounts.c.list_id == list_id)
        .order_by(list_accounts.c.account_id)
    ).all()
    following_owner = set(
        conn.execute(
            select(follows.c.account_id).where(
                follows.c.target_account_id == owner_id,
                follows.c.account_id.in_([r.account_id for r in rows]),
            )
        ).scalars()
    )
    hidden = blocked_either_way(conn, viewer_id, [r.account_id for r in rows])
    shown = []
    for r in rows:
        policy = r.pack_policy or "anyone"
        if r.account_id in hidden or policy == "nobody":
            continue
        if (
            policy == "followed"
            and r.account_id not in following_owner
            and r.account_id != owner_id
        ):
            continue
        shown.append(int(r.account_id))
    return shown


@dataclass(frozen=True, slots=True)
class ListCopy:
    list_id: int
    title: str
    members: int


def subscribe_list(
    conn: Connection, store: TimelineStore, viewer_id: int, pack_id: int, list_id: int
) -> ListCopy:
    """Copy one of the pack's lists into a new list of the reader's (see the module)."""
    get_pack(conn, viewer_id, pack_id)
    title, owner_id = _pack_list(conn, pack_id, list_id)
    members = shown_list_members(conn, viewer_id, owner_id, list_id)
    names = list(
        conn.execute(
            select(tags.c.name)
            .join(list_tags, list_tags.c.tag_id == tags.c.id)
            .where(list_tags.c.list_id == list_id)
        ).scalars()
    )
    made = list_service.create_list(conn, store, viewer_id, title)
    members = [m for m in members if m != viewer_id][: list_service.MAX_MEMBERS]
    if members:
        list_service.add_members(conn, store, viewer_id, made.id, members)
    if names:
        list_service.add_tags(conn, store, viewer_id, made.id, names)
    return ListCopy(made.id, made.title, len(members))


def add_all_to_list(
    conn: Connection, store: TimelineStore, viewer_id: int, pack_id: int, list_id: int
) -> int:
    """Put the pack's people in one of the reader's lists; how many it holds from the pack."""
    pack = get_pack(conn, viewer_id, pack_id)
    list_service.get_list(conn, viewer_id, list_id)
    people = [i.account_id for i in pack.items if i.account_id != viewer_id]
    if people:
        list_service.add_members(conn, store, viewer_id, list_id, people)
    return len(people)
