"""The ``Notification`` entity."""

from __future__ import annotations

from typing import Any

from staffroom.serializers.accounts import serialize_account
from staffroom.serializers.collections import serialize_collection
from staffroom.serializers.common import iso
from staffroom.serializers.statuses import serialize_status
from staffroom.services.notifications import NotificationView


def serialize_notification(item: NotificationView, base_url: str) -> dict[str, Any]:
    row = item.row
    entity: dict[str, Any] = {
        "id": str(row.id),
        "type": row.type,
        "created_at": iso(row.created_at),
        "group_key": row.group_key or f"ungrouped-{row.id}",
        "account": serialize_account(item.account, base_url),
    }
    if item.status is not None:
        entity["status"] = serialize_status(item.status, base_url)
    if item.collection is not None:
        entity["collection"] = serialize_collection(item.collection, base_url)
    return entity
