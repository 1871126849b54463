"""Starter packs: Mastodon's collections, with Staffroom's larger limits and reasons.

Writes ``collections``, ``collection_items``, ``collection_tags``, ``collection_lists`` and
``users.pack_policy`` (migration 0027); notifies ``added_to_collection`` when someone is
added and ``collection_update`` to the people in a pack when its name or description
changes (``services.notify``, so blocks, mutes and the notification policy apply).

Consent: a person's ``pack_policy`` says who may add them: ``anyone``, ``followed`` (only
people they follow) or ``nobody``; a refused addition is a 422 in words. A person removes
themselves with :func:`revoke` (Mastodon's revoke): their item stays as ``revoked`` so the
pack cannot add them again. Anyone may open a pack by its link (``discoverable`` only
decides whether it is listed on the owner's profile); the owner and the reader must not
block each other, and items whose person blocks or is blocked by the reader are left out.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Row, delete, func, select, update

from staffroom.db.tables import (
    accounts,
    collection_items,
    collection_lists,
    collection_tags,
    collections,
    lists,
)
from staffroom.db.upsert import insert_ignore
from staffroom.errors import Forbidden, NotFound, ValidationFailed
from staffroom.ids import new_id
from staffroom.messages import N_, T_
from staffroom.services.notify import notify
from staffroom.services.pack_consent import (  # re-exported: pages and the API ask here
    POLICIES,
    FeatureApproval,
    feature_approval,
    may_add,
    pack_policy,
    set_pack_policy,
)
from staffroom.services.pack_reads import (  # re-exported: the API and pages read packs here
    ACCEPTED,
    REVOKED,
    Item,
    Pack,
    _row,
    account_packs,
    get_pack,
    load_packs,
    packs_by_id,
    packs_with,
)
from staffroom.services.profiles import clean_tag_name, tag_ids_for

MAX_ITEMS = 150  # Mastodon: 25
MAX_TAGS = 10
MAX_LISTS = 10
MAX_NAME = 100  # Mastodon: 40
MAX_DESCRIPTION = 500  # Mastodon: 100
MAX_REASON = 200
MAX_PACKS = 100  # per account
__all__ = [  # what callers read from here, though it lives in pack_reads / pack_consent
    "POLICIES",
    "FeatureApproval",
    "Item",
    "Pack",
    "account_packs",
    "feature_approval",
    "get_pack",
    "load_packs",
    "may_add",
    "pack_policy",
    "packs_by_id",
    "packs_with",
    "set_pack_policy",
]


def _now() -> datetime:
    return datetime.now(UTC)


def clean_name(raw: str | None) -> str:
    name = (raw or "").strip()
    if not name:
        raise ValidationFailed(N_("Name can't be blank"))
    if len(name) > MAX_NAME:
        raise ValidationFailed(
            T_("Name is too long (at most %(limit)s characters)", limit=MAX_NAME)
        )
    return name


def clean_description(raw: str | None) -> str:
    text = (raw or "").strip()
    if len(text) > MAX_DESCRIPTION:
        raise ValidationFailed(
            T_("Description is too long (at most %(limit)s characters)", limit=MAX_DESCRIPTION)
        )
    return text


def clean_reason(raw: str | None) -> str:
    reason = " ".join((raw or "").split())
    if len(reason) > MAX_REASON:
        raise ValidationFailed(
            T_("A reason is one line of at most %(limit)s characters", limit=MAX_REASON)
        )
    return reason


def _tag_id(conn: Connection, raw: str | None) -> int | None:
    if raw is None or not raw.strip():
        return None
    name = clean_tag_name(raw)
    if name is None:
        raise ValidationFailed(N_("That is not a valid hashtag"), value=raw)
    return tag_ids_for(conn, [name])[name.lower()]


def _owned(conn: Connection, owner_id: int, pack_id: int) -> Row[Any]:
    row = _row(conn, pack_id)
    if row.account_id != owner_id:
        raise Forbidden(N_("This action is not allowed"))
    return row


def create_pack(
    conn: Connection,
    owner_id: int,
    *,
    name: str | None,
    description: str | None = "",
    language: str | None = None,
    sensitive: bool = False,
    discoverable: bool = True,
    tag_name: str | None = None,
    account_ids: Sequence[int] = (),
) -> Pack:
    count = conn.execute(
        select(func.count()).select_from(collections).where(collections.c.account_id == owner_id)
    ).scalar_one()
    if count >= MAX_PACKS:
        raise ValidationFailed(N_("You have reached the maximum number of starter packs"))
    now = _now()
    pack_id = new_id()
    conn.execute(
        collections.insert().values(
            id=pack_id,
            account_id=owner_id,
            name=clean_name(name),
            description=clean_description(description),
            language=(language or None),
            sensitive=sensitive,
            discoverable=discoverable,
            tag_id=_tag_id(conn, tag_name),
            created_at=now,
            updated_at=now,
        )
    )
    for account_id in dict.fromkeys(account_ids):
        add_item(conn, owner_id, pack_id, account_id)
    return get_pack(conn, owner_id, pack_id)


def update_pack(
    conn: Connection,
    owner_id: int,
    pack_id: int,
    *,
    name: str | None = None,
    description: str | None = None,
    language: str | None = None,
    sensitive: bool | None = None,
    discoverable: bool | None = None,
    tag_name: str | None = None,
) -> Pack:
    """Change what is given (``None`` keeps it); a new name or description tells the
    people in the pack (``collection_update``)."""
    row = _owned(conn, owner_id, pack_id)
    values: dict[str, Any] = {}
    if name is not None:
        values["name"] = clean_name(name)
    if description is not None:
        values["description"] = clean_description(description)
    if language is not None:
        values["language"] = language or None
    if sensitive is not None:
        values["sensitive"] = sensitive
    if discoverable is not None:
        values["discoverable"] = discoverable
    if tag_name is not None:
        values["tag_id"] = _tag_id(conn, tag_name)
    if values:
        now = _now()
        values["updated_at"] = now
        conn.execute(update(collections).where(collections.c.id == pack_id).values(**values))
        if (
            values.get("name", row.name) != row.name
            or values.get("description", row.description) != row.description
        ):
            members = conn.execute(
                select(collection_items.c.account_id).where(
                    collection_items.c.collection_id == pack_id,
                    collection_items.c.state == ACCEPTED,
                )
            ).scalars()
            for member in list(members):
                notify(
                    conn,
                    recipient_id=member,
                    actor_id=owner_id,
                    type="collection_update",
                    collection_id=pack_id,
                    dedupe=str(int(now.timestamp())),
                )
    return get_pack(conn, owner_id, pack_id)


def delete_pack(conn: Connection, owner_id: int, pack_id: int) -> None:
    _owned(conn, owner_id, pack_id)
    conn.execute(delete(collections).where(collections.c.id == pack_id))


def add_item(
    conn: Connection, owner_id: int, pack_id: int, account_id: int, reason: str | None = None
) -> Item:
    """Add a person (or change their reason if already in); notifies them when new."""
    _owned(conn, owner_id, pack_id)
    account = conn.execute(select(accounts).where(accounts.c.id == account_id)).first()
    if account is None:
        raise ValidationFailed(N_("No such account"), value=str(account_id))
    existing = conn.execute(
        select(collection_items).where(
            collection_items.c.collection_id == pack_id,
            collection_items.c.account_id == account_id,
        )
    ).first()
    if existing is not None and existing.state == REVOKED:
        raise ValidationFailed(
            T_("@%(name)s removed themselves from this pack", name=account.username)
        )
    if existing is not None:
        if reason is not None:
            conn.execute(
                update(collection_items)
                .where(collection_items.c.id == existing.id)
                .values(reason=clean_reason(reason))
            )
        return _item(conn, existing.id)
    refusal = may_add(conn, owner_id, account)
    if refusal is not None:
        raise ValidationFailed(refusal)
    count = conn.execute(
        select(func.count())
        .select_from(collection_items)
        .where(collection_items.c.collection_id == pack_id, collection_items.c.state == ACCEPTED)
    ).scalar_one()
    if count >= MAX_ITEMS:
        raise ValidationFailed(T_("A starter pack holds at most %(limit)s people", limit=MAX_ITEMS))
    item_id = new_id()
    conn.execute(
        collection_items.insert().values(
            id=item_id,
            collection_id=pack_id,
            account_id=account_id,
            reason=clean_reason(reason),
            state=ACCEPTED,
            created_at=_now(),
        )
    )
    conn.execute(update(collections).where(collections.c.id == pack_id).values(updated_at=_now()))
    notify(
        conn,
        recipient_id=account_id,
        actor_id=owner_id,
        type="added_to_collection",
        collection_id=pack_id,
    )
    return _item(conn, item_id)


def _item(conn: Connection, item_id: int) -> Item:
    r = conn.execute(select(collection_items).where(collection_items.c.id == item_id)).one()
    return Item(r.id, r.account_id, r.reason, r.state, r.created_at)


def remove_item(conn: Connection, owner_id: int, pack_id: int, item_id: int) -> None:
    """The owner takes a person out (404 for an item not in this pack)."""
    _owned(conn, owner_id, pack_id)
    gone = conn.execute(
        delete(collection_items).where(
            collection_items.c.id == item_id, collection_items.c.collection_id == pack_id
        )
    )
    if not gone.rowcount:
        raise NotFound()


def revoke(conn: Connection, account_id: int, pack_id: int, item_id: int | None = None) -> None:
    """The person in an item removes themselves (``item_id`` ``None``: their own item)."""
    query = select(collection_items).where(collection_items.c.collection_id == pack_id)
    query = query.where(
        collection_items.c.id == item_id
        if item_id is not None
        else collection_items.c.account_id == account_id
    )
    row = conn.execute(query).first()
    if row is None:
        raise NotFound()
    if row.account_id != account_id:
        raise Forbidden(N_("This action is not allowed"))
    conn.execute(
        update(collection_items).where(collection_items.c.id == row.id).values(state=REVOKED)
    )


def set_tags(conn: Connection, owner_id: int, pack_id: int, raw: Sequence[str]) -> None:
    _owned(conn, owner_id, pack_id)
    names: dict[str, str] = {}
    for value in raw:
        name = clean_tag_name(value)
        if name is None:
            raise ValidationFailed(T_("%(tag)s is not a valid hashtag", tag=value.strip()))
        names.setdefault(name.lower(), name)
    if len(names) > MAX_TAGS:
        raise ValidationFailed(
            T_("A starter pack holds at most %(limit)s hashtags", limit=MAX_TAGS)
        )
    ids = tag_ids_for(conn, list(names.values()))
    conn.execute(delete(collection_tags).where(collection_tags.c.collection_id == pack_id))
    if ids:
        conn.execute(
            insert_ignore(conn, collection_tags),
            [{"collection_id": pack_id, "tag_id": t} for t in ids.values()],
        )


def set_lists(conn: Connection, owner_id: int, pack_id: int, list_ids: Sequence[int]) -> None:
    """Offer some of the owner's own lists (anyone else's is not found)."""
    _owned(conn, owner_id, pack_id)
    wanted = list(dict.fromkeys(list_ids))
    if len(wanted) > MAX_LISTS:
        raise ValidationFailed(T_("A starter pack holds at most %(limit)s lists", limit=MAX_LISTS))
    if wanted:
        own = set(
            conn.execute(
                select(lists.c.id).where(lists.c.id.in_(wanted), lists.c.account_id == owner_id)
            ).scalars()
        )
        if own != set(wanted):
            raise NotFound()
    conn.execute(delete(collection_lists).where(collection_lists.c.collection_id == pack_id))
    if wanted:
        conn.execute(
            insert_ignore(conn, collection_lists),
            [{"collection_id": pack_id, "list_id": i} for i in wanted],
        )


def add_item_named(
    conn: Connection, owner_id: int, pack_id: int, username: str, reason: str | None
) -> Item:
    """The web editor's "add a person": by username (``@`` optional)."""
    name = username.strip().lstrip("@").split("@")[0]
    account = conn.execute(
        select(accounts.c.id).where(accounts.c.username_lower == name.lower())
    ).first()
    if not name or account is None:
        raise ValidationFailed(T_("Nobody here is called @%(name)s", name=name))
    return add_item(conn, owner_id, pack_id, int(account.id), reason or "")


def set_reason(conn: Connection, owner_id: int, pack_id: int, item_id: int, reason: str) -> None:
    _owned(conn, owner_id, pack_id)
    changed = conn.execute(
        update(collection_items)
        .where(collection_items.c.id == item_id, collection_items.c.collection_id == pack_id)
        .values(reason=clean_reason(reason))
    )
    if not changed.rowcount:
        raise NotFound()
