"""Creating notifications (the one place that decides whether someone is notified).

Writes ``notifications`` and, for a private mention the recipient's policy holds back,
``notification_requests``. Idempotent: one row per (recipient, type, actor, status), so a
replayed event adds nothing. Nobody is notified of their own actions, nor by an account they
block or mute (with notifications hidden). The recipient's notification policy
(``services.notification_policy``) may drop a notification (never stored) or filter it
(stored with ``filtered``, not streamed, shown once its request is accepted).

Groupable notifications get Mastodon's ``group_key`` here: ``favourite-<status>-<hour>``,
``reblog-<status>-<hour>``, ``follow-<hour>``, where ``<hour>`` is the hour the group began;
a new notification joins the latest group of its kind if that began less than 12 hours
before and its last member is less than 12 hours old.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from sqlalchemy import Connection, exists, func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from staffroom.db.tables import (
    blocks,
    mutes,
    notification_policies,
    notification_requests,
    notifications,
)
from staffroom.ids import new_id
from staffroom.jobs.queue import enqueue
from staffroom.services.notification_policy import DROP, FILTER, decide

TYPES = (
    "mention",
    "status",
    "reblog",
    "follow",
    "follow_request",
    "favourite",
    "poll",
    "update",
    "quote",
    "quoted_update",
    "added_to_collection",  # starter packs (services.collections)
    "collection_update",
    # Staffroom's own (issue 15): an event's reminder and its announced topic; the Mastodon
    # API leaves them out unless a client names them in ``types[]`` (STAFFROOM_ONLY_TYPES)
    "event_reminder",
    "event_topic",
)
STAFFROOM_ONLY_TYPES = ("event_reminder", "event_topic")


def mastodon_exclusions(types: Sequence[str], exclude_types: Sequence[str]) -> list[str]:
    """``exclude_types`` for a Mastodon client's listing: Staffroom's own types are left out
    unless the client names them in ``types[]`` (apps would not know how to show them)."""
    named = set(types)
    return [*exclude_types, *(t for t in STAFFROOM_ONLY_TYPES if t not in named)]


GROUPABLE = ("favourite", "reblog", "follow")
GROUP_SPAN_HOURS = 12
REQUEST_COUNT_CAP = 100  # Mastodon's MAX_MEANINGFUL_COUNT


def group_prefix(type: str, status_id: int | None) -> str | None:
    """The part of a group key before the hour, or ``None`` for types never grouped."""
    if type not in GROUPABLE:
        return None
    return type if type == "follow" else f"{type}-{status_id}"


def group_key_for(
    conn: Connection, recipient_id: int, type: str, status_id: int | None, now: datetime
) -> str | None:
    """The group a new notification joins (see the module's docstring)."""
    prefix = group_prefix(type, status_id)
    if prefix is None:
        return None
    hour = int(now.timestamp()) // 3600
    candidates = [f"{prefix}-{h}" for h in range(hour - GROUP_SPAN_HOURS + 1, hour + 1)]
    latest = conn.execute(
        select(notifications.c.group_key, notifications.c.created_at)
        .where(
            notifications.c.account_id == recipient_id,
            notifications.c.group_key.in_(candidates),
        )
        .order_by(notifications.c.id.desc())
        .limit(1)
    ).first()
    if latest is not None:
        created = latest.created_at
        if created.tzinfo is None:
            created = created.replace(tzinfo=UTC)
        if (now - created).total_seconds() < GROUP_SPAN_HOURS * 3600:
            return str(latest.group_key)
    return f"{prefix}-{hour}"


def count_filtered(conn: Connection, recipient_id: int, actor_id: int) -> int:
    """How many filtered mentions from ``actor_id`` wait (capped as Mastodon's)."""
    held = (
        select(notifications.c.id)
        .where(
            notifications.c.account_id == recipient_id,
            notifications.c.from_account_id == actor_id,
            notifications.c.type == "mention",
            notifications.c.filtered.is_(True),
        )
        .limit(REQUEST_COUNT_CAP)
        .subquery()
    )
    return int(conn.execute(select(func.count()).select_from(held)).scalar() or 0)


def _hold_in_request(
    conn: Connection, recipient_id: int, actor_id: int, status_id: int | None, now: datetime
) -> None:
    """Make or refresh the sender's request (Mastodon makes them for private mentions)."""
    count = count_filtered(conn, recipient_id, actor_id)
    changed = conn.execute(
        update(notification_requests)
        .where(
            notification_requests.c.account_id == recipient_id,
            notification_requests.c.from_account_id == actor_id,
        )
        .values(last_status_id=status_id, notifications_count=count, updated_at=now)
    )
    if changed.rowcount:
        return
    insert = sqlite_insert if conn.dialect.name == "sqlite" else pg_insert
    conn.execute(
        insert(notification_requests)
        .values(
            id=new_id(),
            account_id=recipient_id,
            from_account_id=actor_id,
            last_status_id=status_id,
            notifications_count=count,
            created_at=now,
            updated_at=now,
        )
        .on_conflict_do_nothing()
    )


def _silenced(conn: Connection, recipient_id: int, actor_id: int) -> bool:
    blocked = exists().where(
        ((blocks.c.account_id == recipient_id) & (blocks.c.target_account_id == actor_id))
        | ((blocks.c.account_id == actor_id) & (blocks.c.target_account_id == recipient_id))
    )
    muted = exists().where(
        (mutes.c.account_id == recipient_id)
        & (mutes.c.target_account_id == actor_id)
        & mutes.c.hide_notifications.is_(True)
        & (mutes.c.expires_at.is_(None) | (mutes.c.expires_at > datetime.now(UTC)))
    )
    return bool(conn.execute(select(blocked | muted)).scalar())


def notify(
    conn: Connection,
    *,
    recipient_id: int,
    actor_id: int,
    type: str,
    status_id: int | None = None,
    dedupe: str = "",
    collection_id: int | None = None,
    event_id: int | None = None,
) -> int | None:
    """Record a notification; returns its ID, or ``None`` if it was not (or already) made.
    ``dedupe`` tells apart notifications of one kind about one post (each edit's ``update``,
    each end of a poll). ``collection_id`` names the starter pack of ``added_to_collection``
    and ``collection_update``; ``event_id`` the event of ``event_reminder`` and
    ``event_topic`` (the actor is then the event's host)."""
    if type not in TYPES:
        raise ValueError(f"unknown notification type {type!r}")
    # A poll's end and an event's reminder are what one is told of one's own doing.
    if (recipient_id == actor_id and type not in ("poll", "event_reminder")) or _silenced(
        conn, recipient_id, actor_id
    ):
        return None
    verdict = decide(conn, recipient_id, actor_id, type, status_id)
    if verdict == DROP:
        return None
    filtered = verdict == FILTER
    now = datetime.now(UTC)
    notification_id = new_id()
    insert = sqlite_insert if conn.dialect.name == "sqlite" else pg_insert
    result = conn.execute(
        insert(notifications)
        .values(
            id=notification_id,
            account_id=recipient_id,
            from_account_id=actor_id,
            type=type,
            status_id=status_id,
            dedupe_key=f"{type}:{actor_id}:{status_id or collection_id or event_id or 0}"
            + (f":{dedupe}" if dedupe else ""),
            collection_id=collection_id,
            event_id=event_id,
            created_at=now,
            group_key=None if filtered else group_key_for(conn, recipient_id, type, status_id, now),
            filtered=filtered,
        )
        .on_conflict_do_nothing()
        .returning(notifications.c.id)
    )
    if result.first() is None:  # already notified (rowcount is unreliable here on psycopg)
        return None
    if filtered:  # held back: never streamed; a private mention waits in a request
        if type == "mention":
            _hold_in_request(conn, recipient_id, actor_id, status_id, now)
        return notification_id
    enqueue(conn, "publish_notification", {"notification_id": notification_id}, max_attempts=3)
    return notification_id


def notify_many(conn: Connection, *, recipient_ids: list[int], actor_id: int, type: str) -> None:
    """:func:`notify` from one actor to many recipients (a follow-all), with the same rules
    in a few statements: blocks and mutes are read at once; a recipient whose policy accepts
    everyone for this type (no stored policy, or one that only holds back private mentions
    and limited accounts) is accepted without further reads; any other recipient goes
    through :func:`notify` one at a time. Not for mentions (whose policy reads the post)."""
    if type not in TYPES or type == "mention":
        raise ValueError(f"notify_many does not take {type!r}")
    wanted = [r for r in dict.fromkeys(recipient_ids) if r != actor_id]
    if not wanted:
        return
    now = datetime.now(UTC)
    silenced = {
        r.target_account_id if r.account_id == actor_id else r.account_id
        for r in conn.execute(
            select(blocks.c.account_id, blocks.c.target_account_id).where(
                ((blocks.c.account_id == actor_id) & blocks.c.target_account_id.in_(wanted))
                | ((blocks.c.target_account_id == actor_id) & blocks.c.account_id.in_(wanted))
            )
        )
    }
    silenced |= set(
        conn.execute(
            select(mutes.c.account_id).where(
                mutes.c.account_id.in_(wanted),
                mutes.c.target_account_id == actor_id,
                mutes.c.hide_notifications.is_(True),
                mutes.c.expires_at.is_(None) | (mutes.c.expires_at > now),
            )
        ).scalars()
    )
    strict = set(
        conn.execute(
            select(notification_policies.c.account_id).where(
                notification_policies.c.account_id.in_(wanted),
                (notification_policies.c.for_not_following != "accept")
                | (notification_policies.c.for_not_followers != "accept")
                | (notification_policies.c.for_new_accounts != "accept"),
            )
        ).scalars()
    )
    easy = [r for r in wanted if r not in silenced and r not in strict]
    for recipient in (r for r in wanted if r in strict and r not in silenced):
        notify(conn, recipient_id=recipient, actor_id=actor_id, type=type)
    if not easy:
        return
    keys = _group_keys(conn, easy, type, now)
    rows = [
        {
            "id": new_id(),
            "account_id": recipient,
            "from_account_id": actor_id,
            "type": type,
            "status_id": None,
            "dedupe_key": f"{type}:{actor_id}:0",
            "created_at": now,
            "group_key": keys.get(recipient),
            "filtered": False,
            "collection_id": None,
        }
        for recipient in easy
    ]
    insert = sqlite_insert if conn.dialect.name == "sqlite" else pg_insert
    conn.execute(insert(notifications).on_conflict_do_nothing(), rows)
    made = conn.execute(
        select(notifications.c.id).where(notifications.c.id.in_([r["id"] for r in rows]))
    ).scalars()
    for notification_id in sorted(made):
        enqueue(conn, "publish_notification", {"notification_id": notification_id}, max_attempts=3)


def _group_keys(
    conn: Connection, recipient_ids: list[int], type: str, now: datetime
) -> dict[int, str | None]:
    """:func:`group_key_for` for many recipients of a type grouped without a post."""
    prefix = group_prefix(type, None)
    if prefix is None:
        return {}
    hour = int(now.timestamp()) // 3600
    candidates = [f"{prefix}-{h}" for h in range(hour - GROUP_SPAN_HOURS + 1, hour + 1)]
    latest: dict[int, tuple[str, datetime]] = {}
    for row in conn.execute(
        select(notifications.c.account_id, notifications.c.group_key, notifications.c.created_at)
        .where(
            notifications.c.account_id.in_(recipient_ids),
            notifications.c.group_key.in_(candidates),
        )
        .order_by(notifications.c.id.desc())
    ):
        latest.setdefault(row.account_id, (row.group_key, row.created_at))
    keys: dict[int, str | None] = {}
    for recipient in recipient_ids:
        found = latest.get(recipient)
        if found is not None:
            created = found[1] if found[1].tzinfo else found[1].replace(tzinfo=UTC)
            if (now - created).total_seconds() < GROUP_SPAN_HOURS * 3600:
                keys[recipient] = str(found[0])
                continue
        keys[recipient] = f"{prefix}-{hour}"
    return keys
