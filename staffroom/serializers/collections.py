"""``Collection``, ``CollectionItem`` and ``CollectionWithAccounts`` (Mastodon 4.6), for
starter packs. Staffroom adds ``reason`` (the owner's one line) to each item."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Row

from staffroom.serializers.accounts import serialize_account
from staffroom.serializers.common import iso
from staffroom.services.collections import Item, Pack
from staffroom.urls import tag_url


def pack_url(base_url: str, pack_id: int) -> str:
    return f"{base_url}/packs/{pack_id}"


def serialize_item(item: Item) -> dict[str, Any]:
    return {
        "id": str(item.id),
        "account_id": str(item.account_id),
        "state": item.state,
        "created_at": iso(item.created_at),
        "reason": item.reason,
    }


def serialize_collection(pack: Pack, base_url: str) -> dict[str, Any]:
    row = pack.row
    url = pack_url(base_url, pack.id)
    return {
        "id": str(pack.id),
        "uri": url,
        "url": url,
        "name": row.name,
        "description": row.description,
        "language": row.language,
        "account_id": str(row.account_id),
        "local": True,
        "sensitive": bool(row.sensitive),
        "discoverable": bool(row.discoverable),
        "item_count": len(pack.items),
        "created_at": iso(row.created_at),
        "updated_at": iso(row.updated_at),
        "tag": (
            {"name": pack.tag_name, "url": tag_url(base_url, pack.tag_name)}
            if pack.tag_name
            else None
        ),
        "items": [serialize_item(i) for i in pack.items],
    }


def serialize_with_accounts(
    pack: Pack, accounts: dict[int, Row[Any]], base_url: str
) -> dict[str, Any]:
    """The pack plus its owner's and every item's ``Account`` (owner first)."""
    order = [pack.account_id, *(i.account_id for i in pack.items)]
    return {
        "accounts": [
            serialize_account(accounts[a], base_url) for a in dict.fromkeys(order) if a in accounts
        ],
        "collection": serialize_collection(pack, base_url),
    }
