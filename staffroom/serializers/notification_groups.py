"""``GroupedNotificationsResults`` (``/api/v2/notifications``), ``NotificationPolicy`` (v2)
and ``NotificationRequest``, as Mastodon 4.3-4.5 render them."""

from __future__ import annotations

from typing import Any

from staffroom.serializers.accounts import serialize_account
from staffroom.serializers.collections import serialize_collection
from staffroom.serializers.common import iso
from staffroom.serializers.statuses import serialize_status
from staffroom.services.notification_groups import Group
from staffroom.services.notification_policy import Policy
from staffroom.services.notification_requests import RequestView

# Types whose group names the post (Mastodon's ``status_type?``).
STATUS_TYPES = frozenset(
    {"favourite", "reblog", "status", "mention", "poll", "update", "quote", "quoted_update"}
)
_PARTIAL = ("id", "acct", "locked", "bot", "url", "avatar", "avatar_static")


def serialize_group(group: Group, base_url: str = "") -> dict[str, Any]:
    entity: dict[str, Any] = {
        "group_key": group.key,
        "notifications_count": group.count,
        "type": group.type,
        "most_recent_notification_id": group.most_recent_id,
    }
    if group.page_min_id is not None:
        entity["page_min_id"] = str(group.page_min_id)
        entity["page_max_id"] = str(group.page_max_id)
        entity["latest_page_notification_at"] = iso(group.latest_at)
    entity["sample_account_ids"] = [str(a.id) for a in group.sample]
    if group.type in STATUS_TYPES and group.status is not None:
        entity["status_id"] = str(group.status.id)
    if group.collection is not None:  # as Mastodon 4.6 (NotificationGroupWithCollection)
        entity["collection"] = serialize_collection(group.collection, base_url)
    return entity


def serialize_grouped(groups: list[Group], base_url: str, *, partial: bool) -> dict[str, Any]:
    """The page: accounts and statuses once each, then the groups that refer to them. With
    ``partial`` (``expand_accounts=partial_avatars``) only each group's newest account is
    whole; the others come as ``partial_accounts`` (avatar and name only)."""
    full: dict[int, Any] = {}
    rest: dict[int, Any] = {}
    for group in groups:
        for position, account in enumerate(group.sample):
            if not partial or position == 0:
                full.setdefault(account.id, account)
            else:
                rest.setdefault(account.id, account)
    statuses: dict[int, Any] = {}
    for group in groups:
        if group.status is not None and group.type in STATUS_TYPES:
            statuses.setdefault(group.status.id, group.status)
    body: dict[str, Any] = {
        "accounts": [serialize_account(a, base_url) for a in full.values()],
    }
    if partial:
        body["partial_accounts"] = [
            {k: v for k, v in serialize_account(a, base_url).items() if k in _PARTIAL}
            for i, a in rest.items()
            if i not in full
        ]
    body["statuses"] = [serialize_status(v, base_url) for v in statuses.values()]
    body["notification_groups"] = [serialize_group(g, base_url) for g in groups]
    return body


def serialize_policy(policy: Policy) -> dict[str, Any]:
    return {
        **policy.values,
        "summary": {
            "pending_requests_count": policy.pending_requests,
            "pending_notifications_count": policy.pending_notifications,
        },
    }


def serialize_request(item: RequestView, base_url: str) -> dict[str, Any]:
    row = item.row
    entity: dict[str, Any] = {
        "id": str(row.id),
        "created_at": iso(row.created_at),
        "updated_at": iso(row.updated_at),
        "account": serialize_account(item.account, base_url),
        "notifications_count": str(row.notifications_count),
    }
    if item.last_status is not None:
        entity["last_status"] = serialize_status(item.last_status, base_url)
    return entity
