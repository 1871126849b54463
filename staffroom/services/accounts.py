"""Reading accounts (by ID, by handle, in batches) and deleting one with everything it owns.

Reads ``accounts`` and ``users``. :func:`delete_account` writes the counters of other
accounts and posts that the deleted account contributed to, then deletes the account row;
the schema's ``ON DELETE CASCADE`` removes its posts, follows, blocks, mutes, favourites,
bookmarks, notifications, tokens, interests and timeline entries in the same transaction.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import Connection, Row, delete, func, select, update

from staffroom.db.tables import accounts, favourites, follows, statuses, users
from staffroom.errors import NotFound
from staffroom.ids import parse_id
from staffroom.services.media_removal import remove_media_of_account
from staffroom.services.tokens import RESOLVED


def parse_account_id(raw: object) -> int:
    """An account ID from a path or query value; anything that is not one is a 404."""
    value = parse_id(raw)
    if value is None:
        raise NotFound()
    return value


MAX_SEVERAL = 40  # Mastodon's DEFAULT_ACCOUNTS_LIMIT for GET /api/v1/accounts?id[]=


def parse_account_ids(raw: Iterable[object], limit: int = 40) -> list[int]:
    """Distinct numeric IDs from ``id[]`` values, in the given order; others are skipped."""
    found: list[int] = []
    for value in raw:
        try:
            account_id = parse_account_id(value)
        except NotFound:
            continue
        if account_id not in found:
            found.append(account_id)
        if len(found) >= limit:
            break
    return found


def find_account(conn: Connection, account_id: int) -> Row[Any] | None:
    return conn.execute(select(accounts).where(accounts.c.id == account_id)).first()


def get_account(conn: Connection, account_id: int) -> Row[Any]:
    """The ``accounts`` row, or :class:`NotFound`."""
    row = find_account(conn, account_id)
    if row is None:
        raise NotFound()
    return row


def get_accounts(conn: Connection, account_ids: Iterable[int]) -> dict[int, Row[Any]]:
    """Rows for the IDs that exist, keyed by ID."""
    wanted = set(account_ids)
    if not wanted:
        return {}
    rows = conn.execute(select(accounts).where(accounts.c.id.in_(wanted))).all()
    return {row.id: row for row in rows}


def get_credentials(conn: Connection, account_id: int) -> tuple[Row[Any], Row[Any]]:
    """The account row and its ``users`` row (for ``CredentialAccount``)."""
    account = get_account(conn, account_id)
    user = conn.execute(select(users).where(users.c.account_id == account_id)).first()
    if user is None:
        raise NotFound()
    return account, user


def local_username(acct: str, domain: str) -> str | None:
    """The username in ``name``, ``@name`` or ``name@<our domain>``; ``None`` if remote."""
    name = acct.strip().removeprefix("@")
    name, at, host = name.partition("@")
    if at and host.lower() != domain.lower():
        return None
    return name or None


def find_by_username(conn: Connection, username: str) -> Row[Any] | None:
    return conn.execute(
        select(accounts).where(accounts.c.username_lower == username.lower())
    ).first()


def lookup_account(conn: Connection, acct: str, domain: str) -> Row[Any]:
    """The local account named by ``acct`` (``name``, ``@name``, ``name@domain``)."""
    username = local_username(acct, domain)
    row = find_by_username(conn, username) if username else None
    if row is None:
        raise NotFound()
    return row


def password_hash_of(conn: Connection, account_id: int) -> str:
    found: str | None = conn.execute(
        select(users.c.password_hash).where(users.c.account_id == account_id)
    ).scalar()
    if found is None:
        raise NotFound()
    return found


def delete_account(conn: Connection, account_id: int) -> str | None:
    """Delete an account and everything hanging off it; returns its avatar path (if any).

    Counters of the others are fixed first: followers/following counts, and the reply,
    reblog and favourite counts of posts the account replied to, reblogged or favourited;
    accounts that reblogged its posts lose those reblogs (and a status each).
    """
    account = get_account(conn, account_id)
    _fix_follow_counters(conn, account_id)
    _fix_status_counters(conn, account_id)
    remove_media_of_account(conn, account_id)
    conn.execute(delete(accounts).where(accounts.c.id == account_id))
    RESOLVED.forget_all()  # its tokens went with it
    avatar: str | None = account.avatar_path
    return avatar


def _fix_follow_counters(conn: Connection, account_id: int) -> None:
    followed = select(follows.c.target_account_id).where(follows.c.account_id == account_id)
    conn.execute(
        update(accounts)
        .where(accounts.c.id.in_(followed), accounts.c.id != account_id)
        .values(followers_count=accounts.c.followers_count - 1)
    )
    followers = select(follows.c.account_id).where(follows.c.target_account_id == account_id)
    conn.execute(
        update(accounts)
        .where(accounts.c.id.in_(followers), accounts.c.id != account_id)
        .values(following_count=accounts.c.following_count - 1)
    )


def _fix_status_counters(conn: Connection, account_id: int) -> None:
    own = statuses.alias("own")
    others = statuses.c.account_id != account_id
    replies = (
        select(func.count())
        .where(own.c.account_id == account_id, own.c.in_reply_to_id == statuses.c.id)
        .scalar_subquery()
    )
    replied = select(own.c.in_reply_to_id).where(
        own.c.account_id == account_id, own.c.in_reply_to_id.is_not(None)
    )
    conn.execute(
        update(statuses)
        .where(statuses.c.id.in_(replied), others)
        .values(replies_count=statuses.c.replies_count - replies)
    )
    reblogs = (
        select(func.count())
        .where(own.c.account_id == account_id, own.c.reblog_of_id == statuses.c.id)
        .scalar_subquery()
    )
    reblogged = select(own.c.reblog_of_id).where(
        own.c.account_id == account_id, own.c.reblog_of_id.is_not(None)
    )
    conn.execute(
        update(statuses)
        .where(statuses.c.id.in_(reblogged), others)
        .values(reblogs_count=statuses.c.reblogs_count - reblogs)
    )
    favourited = select(favourites.c.status_id).where(favourites.c.account_id == account_id)
    conn.execute(
        update(statuses)
        .where(statuses.c.id.in_(favourited), others)
        .values(favourites_count=statuses.c.favourites_count - 1)
    )
    _drop_others_reblogs(conn, account_id)


def _drop_others_reblogs(conn: Connection, account_id: int) -> None:
    """Other accounts' reblogs of this account's posts go with them: fix their counts."""
    original = statuses.alias("original")
    reblog = statuses.alias("reblog")
    of_deleted = (
        select(reblog.c.account_id, func.count().label("n"))
        .join(original, original.c.id == reblog.c.reblog_of_id)
        .where(original.c.account_id == account_id, reblog.c.account_id != account_id)
        .group_by(reblog.c.account_id)
    )
    for reblogger, count in conn.execute(of_deleted).all():
        conn.execute(
            update(accounts)
            .where(accounts.c.id == reblogger)
            .values(statuses_count=accounts.c.statuses_count - count)
        )
