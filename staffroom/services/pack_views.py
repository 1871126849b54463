"""What the web pages of starter packs read, each in one call: a pack's page for a reader
(its people with their reasons, hashtags, lists, whom the reader already follows, the
reader's lists and latest undoable follow-all), the editor, and one's packs."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, Row, select

from staffroom.db.tables import follows, lists
from staffroom.errors import Forbidden
from staffroom.services import bulk_follows, tag_follows
from staffroom.services.accounts import find_by_username, get_accounts
from staffroom.services.collections import (
    Pack,
    account_packs,
    get_pack,
    pack_policy,
    packs_with,
)
from staffroom.services.pack_follows import latest_follow, shown_list_members


@dataclass(slots=True)
class PackPage:
    pack: Pack
    owner: Row[Any]
    people: dict[int, Row[Any]]
    following: set[int] = field(default_factory=set)
    followed_tags: set[str] = field(default_factory=set)
    list_sizes: dict[int, int] = field(default_factory=dict)  # pack list -> people shown
    own_lists: list[tuple[int, str]] = field(default_factory=list)
    bulk: bulk_follows.BulkFollow | None = None


def pack_page(conn: Connection, viewer_id: int | None, pack_id: int) -> PackPage:
    pack = get_pack(conn, viewer_id, pack_id, full=True)
    people = get_accounts(conn, [pack.account_id, *(i.account_id for i in pack.items)])
    page = PackPage(pack, people[pack.account_id], people)
    for list_id, _title in pack.lists:
        page.list_sizes[list_id] = len(
            shown_list_members(conn, viewer_id, pack.account_id, list_id)
        )
    if viewer_id is None:
        return page
    page.following = set(
        conn.execute(
            select(follows.c.target_account_id).where(
                follows.c.account_id == viewer_id,
                follows.c.target_account_id.in_(list(people)),
            )
        ).scalars()
    )
    page.followed_tags = {
        n.lower() for n in pack.tags if tag_follows.follows_name(conn, viewer_id, n)
    }
    page.own_lists = [
        (int(i), str(t))
        for i, t in conn.execute(
            select(lists.c.id, lists.c.title)
            .where(lists.c.account_id == viewer_id)
            .order_by(lists.c.id)
        ).tuples()
    ]
    page.bulk = latest_follow(conn, viewer_id, pack_id)
    return page


def editor(conn: Connection, owner_id: int, pack_id: int) -> PackPage:
    """The owner's editing view (anyone else: 403)."""
    page = pack_page(conn, owner_id, pack_id)
    if page.pack.account_id != owner_id:
        raise Forbidden("This action is not allowed")
    return page


@dataclass(frozen=True, slots=True)
class MyPacks:
    own: list[Pack]
    member_of: list[Pack]
    owners: dict[int, Row[Any]]
    policy: str


def my_packs(conn: Connection, account_id: int) -> MyPacks:
    own = account_packs(conn, account_id, account_id, limit=100)
    member_of = packs_with(conn, account_id, account_id, limit=100)
    owners = get_accounts(conn, {p.account_id for p in member_of})
    return MyPacks(own, member_of, owners, pack_policy(conn, account_id))


def packs_of_username(
    conn: Connection, viewer_id: int | None, username: str
) -> tuple[Row[Any] | None, list[Pack]]:
    account = find_by_username(conn, username)
    if account is None:
        return None, []
    return account, account_packs(conn, viewer_id, account.id, limit=100)
