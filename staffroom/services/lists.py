"""Lists: private columns of chosen people (followed or not, as on Bluesky) and hashtags.

Writes ``lists``, ``list_accounts`` and ``list_tags`` (migration 0025). A list belongs to
one account and no one else ever learns of it: every function takes the owner and answers
:class:`~staffroom.errors.NotFound` for someone else's list. Which posts enter a list, and
what an exclusive list takes out of home, is the feed's (``staffroom.feed``); after each
change of members, hashtags, replies policy or exclusivity the affected timelines are
rebuilt through the store (so removed members' posts leave at once, as in Mastodon).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, delete, func, select, update

from staffroom.db import fastsql
from staffroom.db.tables import accounts, list_accounts, list_tags, lists, tags
from staffroom.db.upsert import insert_ignore
from staffroom.errors import NotFound, ValidationFailed
from staffroom.feed import fanout
from staffroom.feed.rules import LIST, REPLIES_POLICY_CODES
from staffroom.ids import new_id
from staffroom.messages import N_
from staffroom.services.accounts import find_by_username, get_accounts
from staffroom.services.profiles import clean_tag_name, tag_ids_for
from staffroom.timelines.store import TimelineStore

MAX_LISTS = 50  # per account, as Mastodon
MAX_MEMBERS = 500
MAX_TAGS = 50
MAX_TITLE = 200


@dataclass(frozen=True, slots=True)
class ListInfo:
    id: int
    title: str
    replies_policy: int
    exclusive: bool


_OWNS = "SELECT 1 FROM lists WHERE id = ? AND account_id = ?"
_COLUMNS = (lists.c.id, lists.c.title, lists.c.replies_policy, lists.c.exclusive)


def _info(r: Any) -> ListInfo:
    return ListInfo(int(r.id), str(r.title), int(r.replies_policy), bool(r.exclusive))


def clean_title(raw: str | None) -> str:
    title = (raw or "").strip()
    if not title:
        raise ValidationFailed(N_("Validation failed: Title can't be blank"))
    if len(title) > MAX_TITLE:
        raise ValidationFailed(N_("Validation failed: Title is too long"))
    return title


def replies_policy_code(raw: str | None, default: int = LIST) -> int:
    if raw is None or raw == "":
        return default
    code = REPLIES_POLICY_CODES.get(raw)
    if code is None:
        raise ValidationFailed(N_("replies_policy must be one of followed, list, none"), value=raw)
    return code


def own_lists(conn: Connection, owner_id: int) -> list[ListInfo]:
    """The owner's lists, oldest first (as Mastodon orders them)."""
    rows = conn.execute(
        select(*_COLUMNS).where(lists.c.account_id == owner_id).order_by(lists.c.id)
    )
    return [_info(r) for r in rows]


def get_list(conn: Connection, owner_id: int, list_id: int) -> ListInfo:
    """One of the owner's lists; anyone else's is not found."""
    row = conn.execute(
        select(*_COLUMNS).where(lists.c.id == list_id, lists.c.account_id == owner_id)
    ).first()
    if row is None:
        raise NotFound()
    return _info(row)


def owns(conn: Connection, owner_id: int, list_id: int) -> bool:
    """Whether ``list_id`` is ``owner_id``'s (the ``list`` stream's check)."""
    return bool(fastsql.run_plain(conn, _OWNS, list_id, owner_id))


def create_list(
    conn: Connection,
    store: TimelineStore,
    owner_id: int,
    title: str,
    replies_policy: int = LIST,
    exclusive: bool = False,
) -> ListInfo:
    count = conn.execute(
        select(func.count()).select_from(lists).where(lists.c.account_id == owner_id)
    ).scalar_one()
    if count >= MAX_LISTS:
        raise ValidationFailed(N_("You have reached the maximum number of lists"))
    list_id = new_id()
    conn.execute(
        lists.insert().values(
            id=list_id,
            account_id=owner_id,
            title=clean_title(title),
            replies_policy=replies_policy,
            exclusive=exclusive,
            created_at=datetime.now(UTC),
        )
    )
    fanout.new_list(conn, store, list_id)
    return get_list(conn, owner_id, list_id)


def update_list(
    conn: Connection,
    store: TimelineStore,
    owner_id: int,
    list_id: int,
    *,
    title: str | None = None,
    replies_policy: int | None = None,
    exclusive: bool | None = None,
) -> ListInfo:
    """Change what is given; rebuild the list (policy) or home (exclusivity) if needed."""
    current = get_list(conn, owner_id, list_id)
    values: dict[str, object] = {}
    if title is not None:
        values["title"] = clean_title(title)
    if replies_policy is not None and replies_policy != current.replies_policy:
        values["replies_policy"] = replies_policy
    if exclusive is not None and exclusive != current.exclusive:
        values["exclusive"] = exclusive
    if values:
        conn.execute(update(lists).where(lists.c.id == list_id).values(**values))
    if "replies_policy" in values:
        fanout.rebuild_list(conn, store, list_id)
    if "exclusive" in values and _has_members(conn, list_id):
        fanout.rebuild_home(conn, store, owner_id)
    return get_list(conn, owner_id, list_id)


def delete_list(conn: Connection, store: TimelineStore, owner_id: int, list_id: int) -> None:
    current = get_list(conn, owner_id, list_id)
    had_members = _has_members(conn, list_id)
    fanout.drop_list(conn, store, list_id)
    conn.execute(delete(lists).where(lists.c.id == list_id))
    if current.exclusive and had_members:
        fanout.rebuild_home(conn, store, owner_id)  # its members' posts come back


def _has_members(conn: Connection, list_id: int) -> bool:
    found = conn.execute(
        select(list_accounts.c.account_id).where(list_accounts.c.list_id == list_id).limit(1)
    ).first()
    return found is not None


def member_ids(
    conn: Connection,
    owner_id: int,
    list_id: int,
    *,
    max_id: int | None = None,
    since_id: int | None = None,
    limit: int = 0,
) -> list[int]:
    """Members' account IDs, newest account first; ``limit`` 0: all (as Mastodon)."""
    get_list(conn, owner_id, list_id)
    query = select(list_accounts.c.account_id).where(list_accounts.c.list_id == list_id)
    if max_id is not None:
        query = query.where(list_accounts.c.account_id < max_id)
    if since_id is not None:
        query = query.where(list_accounts.c.account_id > since_id)
    query = query.order_by(list_accounts.c.account_id.desc())
    if limit:
        query = query.limit(limit)
    return [int(r) for r in conn.execute(query).scalars()]


def add_members(
    conn: Connection, store: TimelineStore, owner_id: int, list_id: int, account_ids: Sequence[int]
) -> None:
    """Add accounts (anyone, followed or not); unknown accounts are not found."""
    current = get_list(conn, owner_id, list_id)
    wanted = sorted(set(account_ids))
    if not wanted:
        return
    found = set(conn.execute(select(accounts.c.id).where(accounts.c.id.in_(wanted))).scalars())
    if len(found) != len(wanted):
        raise NotFound()
    existing = len(member_ids(conn, owner_id, list_id))
    if existing + len(wanted) > MAX_MEMBERS:
        raise ValidationFailed(N_("A list holds at most 500 people"))
    conn.execute(
        insert_ignore(conn, list_accounts),
        [{"list_id": list_id, "account_id": a} for a in wanted],
    )
    fanout.rebuild_list(conn, store, list_id)
    if current.exclusive:
        fanout.rebuild_home(conn, store, owner_id)


def remove_members(
    conn: Connection, store: TimelineStore, owner_id: int, list_id: int, account_ids: Sequence[int]
) -> None:
    current = get_list(conn, owner_id, list_id)
    if not account_ids:
        return
    conn.execute(
        delete(list_accounts).where(
            list_accounts.c.list_id == list_id, list_accounts.c.account_id.in_(list(account_ids))
        )
    )
    fanout.rebuild_list(conn, store, list_id)
    if current.exclusive:
        fanout.rebuild_home(conn, store, owner_id)


def tag_names(conn: Connection, owner_id: int, list_id: int) -> list[str]:
    """The list's hashtags (as first written), alphabetically."""
    get_list(conn, owner_id, list_id)
    rows = conn.execute(
        select(tags.c.name)
        .join(list_tags, list_tags.c.tag_id == tags.c.id)
        .where(list_tags.c.list_id == list_id)
        .order_by(tags.c.name_lower)
    )
    return [str(r) for r in rows.scalars()]


def clean_tag_names(raw: Sequence[str]) -> list[str]:
    names = []
    for value in raw:
        name = clean_tag_name(value)
        if name is None:
            raise ValidationFailed(N_("That is not a valid hashtag"), value=value)
        names.append(name)
    return names


def add_tags(
    conn: Connection, store: TimelineStore, owner_id: int, list_id: int, names: Sequence[str]
) -> None:
    """Add hashtags (public posts carrying one enter the list)."""
    get_list(conn, owner_id, list_id)
    clean = clean_tag_names(names)
    if not clean:
        return
    if len(set(tag_names(conn, owner_id, list_id)) | set(clean)) > MAX_TAGS:
        raise ValidationFailed(N_("A list holds at most 50 hashtags"))
    ids = tag_ids_for(conn, clean)
    conn.execute(
        insert_ignore(conn, list_tags), [{"list_id": list_id, "tag_id": i} for i in ids.values()]
    )
    fanout.rebuild_list(conn, store, list_id)


def remove_tags(
    conn: Connection, store: TimelineStore, owner_id: int, list_id: int, names: Sequence[str]
) -> None:
    get_list(conn, owner_id, list_id)
    lowered = [n.strip().lstrip("#").lower() for n in names if n.strip()]
    if not lowered:
        return
    conn.execute(
        delete(list_tags).where(
            list_tags.c.list_id == list_id,
            list_tags.c.tag_id.in_(select(tags.c.id).where(tags.c.name_lower.in_(lowered))),
        )
    )
    fanout.rebuild_list(conn, store, list_id)


def lists_with_account(conn: Connection, owner_id: int, account_id: int) -> list[ListInfo]:
    """The owner's lists that hold ``account_id`` (``GET /api/v1/accounts/:id/lists``)."""
    rows = conn.execute(
        select(*_COLUMNS)
        .join(list_accounts, list_accounts.c.list_id == lists.c.id)
        .where(lists.c.account_id == owner_id, list_accounts.c.account_id == account_id)
        .order_by(lists.c.id)
    )
    return [_info(r) for r in rows]


def member_accounts(
    conn: Connection,
    owner_id: int,
    list_id: int,
    *,
    max_id: int | None = None,
    since_id: int | None = None,
    limit: int = 0,
) -> list[Any]:
    """The members' account rows, in :func:`member_ids`' order."""
    ids = member_ids(conn, owner_id, list_id, max_id=max_id, since_id=since_id, limit=limit)
    rows = get_accounts(conn, ids)
    return [rows[i] for i in ids if i in rows]


def add_member_named(
    conn: Connection, store: TimelineStore, owner_id: int, list_id: int, username: str
) -> None:
    """Add the local account called ``username`` (``@`` optional); 422 if there is none."""
    name = username.strip().removeprefix("@").partition("@")[0]
    row = find_by_username(conn, name) if name else None
    if row is None:
        raise ValidationFailed(N_("There is nobody with that username here."))
    add_members(conn, store, owner_id, list_id, [int(row.id)])


@dataclass(frozen=True, slots=True)
class ListOverview:
    """A list with its members and hashtags (the list's settings page)."""

    info: ListInfo
    members: list[Any]
    tags: list[str]


def overview(conn: Connection, owner_id: int, list_id: int) -> ListOverview:
    info = get_list(conn, owner_id, list_id)
    members = member_accounts(conn, owner_id, list_id)
    members.sort(key=lambda r: str(r.username).lower())
    return ListOverview(info, members, tag_names(conn, owner_id, list_id))
