"""Notification policies: what a person wants done with notifications from strangers.

Writes ``notification_policies`` (migration 0023): Mastodon's NotificationPolicy v2, each of
``for_not_following``, ``for_not_followers``, ``for_new_accounts``, ``for_private_mentions``
and ``for_limited_accounts`` one of ``accept``, ``filter`` (kept, held back in a request) or
``drop`` (never stored). No row means Mastodon's defaults. :func:`decide` is what
``services.notify`` asks before it records a notification.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import Connection, exists, func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from staffroom.db.tables import (
    accounts,
    follows,
    mentions,
    notification_permissions,
    notification_policies,
    notification_requests,
    statuses,
)
from staffroom.errors import ValidationFailed
from staffroom.policies.visibility import DIRECT

ACCEPT, FILTER, DROP = "accept", "filter", "drop"
CHOICES = (ACCEPT, FILTER, DROP)
FIELDS = (
    "for_not_following",
    "for_not_followers",
    "for_new_accounts",
    "for_private_mentions",
    "for_limited_accounts",
)
# Mastodon 4.3's defaults (a stranger's private mention and limited accounts are filtered).
DEFAULTS: Mapping[str, str] = {
    "for_not_following": ACCEPT,
    "for_not_followers": ACCEPT,
    "for_new_accounts": ACCEPT,
    "for_private_mentions": FILTER,
    "for_limited_accounts": FILTER,
}
# Types a policy may hold back (Mastodon's ``filterable``); the rest always go through.
FILTERABLE = frozenset(
    {"mention", "reblog", "follow", "follow_request", "favourite", "quote", "added_to_collection"}
)
NEW_ACCOUNT_AGE = timedelta(days=30)
NEW_FOLLOWER_AGE = timedelta(days=3)  # a follower of less than 3 days is not one yet
SUMMARY_CAP = 100  # Mastodon caps pending_requests_count here


@dataclass(frozen=True, slots=True)
class Policy:
    values: dict[str, str]
    pending_requests: int
    pending_notifications: int


def _values(conn: Connection, account_id: int) -> dict[str, str]:
    row = conn.execute(
        select(notification_policies).where(notification_policies.c.account_id == account_id)
    ).first()
    if row is None:
        return dict(DEFAULTS)
    return {field: getattr(row, field) for field in FIELDS}


def get_policy(conn: Connection, account_id: int) -> Policy:
    """The account's policy with the summary of what waits in requests."""
    counts = (
        select(notification_requests.c.notifications_count)
        .where(notification_requests.c.account_id == account_id)
        .limit(SUMMARY_CAP)
        .subquery()
    )
    pending = conn.execute(
        select(func.count(), func.coalesce(func.sum(counts.c.notifications_count), 0))
    ).one()
    return Policy(_values(conn, account_id), int(pending[0]), int(pending[1]))


def update_policy(conn: Connection, account_id: int, changes: Mapping[str, str]) -> Policy:
    """Change some fields (the others keep their values); 422 on an unknown value."""
    values = _values(conn, account_id)
    for field, value in changes.items():
        if field not in FIELDS:
            continue
        if value not in CHOICES:
            raise ValidationFailed(
                f"Validation failed: {field.replace('_', ' ').capitalize()} must be one of"
                " accept, filter or drop"
            )
        values[field] = value
    row = {"account_id": account_id, **values, "updated_at": datetime.now(UTC)}
    insert = sqlite_insert if conn.dialect.name == "sqlite" else pg_insert
    statement = insert(notification_policies).values(**row)
    conn.execute(
        statement.on_conflict_do_update(
            index_elements=["account_id"],
            set_={k: statement.excluded[k] for k in row if k != "account_id"},
        )
    )
    return get_policy(conn, account_id)


def _follows(
    conn: Connection, follower: int, followed: int, *, older_than: datetime | None = None
) -> bool:
    query = select(follows.c.created_at).where(
        follows.c.account_id == follower, follows.c.target_account_id == followed
    )
    found = conn.execute(query).first()
    if found is None:
        return False
    if older_than is None:
        return True
    created = found.created_at if found.created_at.tzinfo else found.created_at.replace(tzinfo=UTC)
    return bool(created <= older_than)


def _private_mention_not_in_reply(
    conn: Connection, recipient_id: int, status_id: int | None
) -> bool:
    """A direct post that does not answer one of the recipient's posts that mentioned the
    sender (Mastodon looks up the thread; one step is what Staffroom's replies carry)."""
    if status_id is None:
        return False
    row = conn.execute(
        select(statuses.c.visibility, statuses.c.in_reply_to_id, statuses.c.account_id).where(
            statuses.c.id == status_id
        )
    ).first()
    if row is None or row.visibility != DIRECT:
        return False
    if row.in_reply_to_id is None:
        return True
    parent = statuses.alias("parent")
    answered = conn.execute(
        select(
            exists().where(
                parent.c.id == row.in_reply_to_id,
                parent.c.account_id == recipient_id,
                exists().where(
                    mentions.c.status_id == parent.c.id, mentions.c.account_id == row.account_id
                ),
            )
        )
    ).scalar()
    return not answered


def decide(
    conn: Connection, recipient_id: int, actor_id: int, type: str, status_id: int | None
) -> str:
    """``accept``, ``filter`` or ``drop`` for this notification, as Mastodon's NotifyService:
    the strictest answer among the policy's fields that apply to the sender."""
    if type not in FILTERABLE:
        return ACCEPT
    values = _values(conn, recipient_id)
    if all(v == ACCEPT for k, v in values.items() if k != "for_limited_accounts"):
        return ACCEPT
    permitted = conn.execute(
        select(
            exists().where(
                notification_permissions.c.account_id == recipient_id,
                notification_permissions.c.from_account_id == actor_id,
            )
        )
    ).scalar()
    if permitted:
        return ACCEPT
    now = datetime.now(UTC)
    following = _follows(conn, recipient_id, actor_id)
    applies: list[str] = []
    if not following:
        applies.append(values["for_not_following"])
    if values["for_not_followers"] != ACCEPT and not _follows(
        conn, actor_id, recipient_id, older_than=now - NEW_FOLLOWER_AGE
    ):
        applies.append(values["for_not_followers"])
    if values["for_new_accounts"] != ACCEPT:
        created = conn.execute(
            select(accounts.c.created_at).where(accounts.c.id == actor_id)
        ).scalar()
        if created is not None:
            created = created if created.tzinfo else created.replace(tzinfo=UTC)
            if created > now - NEW_ACCOUNT_AGE:
                applies.append(values["for_new_accounts"])
    if (
        values["for_private_mentions"] != ACCEPT
        and type == "mention"
        and not following
        and _private_mention_not_in_reply(conn, recipient_id, status_id)
    ):
        applies.append(values["for_private_mentions"])
    if DROP in applies:
        return DROP
    return FILTER if FILTER in applies else ACCEPT
