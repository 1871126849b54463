"""Endorsements: accounts a person features on their profile (Mastodon's ``account_pins``,
``POST /api/v1/accounts/:id/endorse``, formerly ``pin``).

Writes ``account_pins``. Only someone one follows can be endorsed (422 otherwise, as
Mastodon); unfollowing (and so blocking) removes the endorsement (``follows.remove_follow``).
Listing is paged by the endorsement's row ID, newest first.
"""

from __future__ import annotations

from sqlalchemy import Connection, delete, exists, select

from staffroom import clock
from staffroom.db.tables import account_pins, blocks, follows
from staffroom.db.upsert import insert_ignore
from staffroom.errors import ValidationFailed
from staffroom.ids import new_id
from staffroom.services.accounts import get_account
from staffroom.services.follows import RelationPage, page_relation

MAX_ENDORSEMENTS = 80  # a bound of Staffroom's, so a profile stays readable


def endorse(conn: Connection, account_id: int, target_id: int) -> None:
    """Feature ``target_id`` on ``account_id``'s profile (again: nothing changes)."""
    get_account(conn, target_id)
    following = conn.execute(
        select(follows.c.id).where(
            follows.c.account_id == account_id, follows.c.target_account_id == target_id
        )
    ).first()
    if following is None:
        raise ValidationFailed(
            "Validation failed: You must be already following the person you want to endorse"
        )
    count = conn.execute(
        select(account_pins.c.id)
        .where(account_pins.c.account_id == account_id)
        .limit(MAX_ENDORSEMENTS + 1)
    ).all()
    already = conn.execute(
        select(account_pins.c.id).where(
            account_pins.c.account_id == account_id, account_pins.c.target_account_id == target_id
        )
    ).first()
    if already is not None:
        return
    if len(count) >= MAX_ENDORSEMENTS:
        raise ValidationFailed(f"You can feature at most {MAX_ENDORSEMENTS} people")
    conn.execute(
        insert_ignore(conn, account_pins),
        {
            "id": new_id(),
            "account_id": account_id,
            "target_account_id": target_id,
            "created_at": clock.now(),
        },
    )


def unendorse(conn: Connection, account_id: int, target_id: int) -> None:
    """Stop featuring ``target_id`` (nothing happens if it was not featured)."""
    get_account(conn, target_id)
    remove(conn, account_id, target_id)


def remove(conn: Connection, account_id: int, target_id: int) -> None:
    """Drop the endorsement, if any (an unfollow calls this)."""
    conn.execute(
        delete(account_pins).where(
            account_pins.c.account_id == account_id, account_pins.c.target_account_id == target_id
        )
    )


def endorsed_ids(conn: Connection, account_id: int, target_ids: list[int]) -> set[int]:
    """Which of ``target_ids`` the account endorses."""
    if not target_ids:
        return set()
    rows = conn.execute(
        select(account_pins.c.target_account_id).where(
            account_pins.c.account_id == account_id,
            account_pins.c.target_account_id.in_(target_ids),
        )
    ).scalars()
    return set(rows)


def endorsements_page(
    conn: Connection,
    account_id: int,
    viewer_id: int | None = None,
    *,
    max_id: int | None = None,
    since_id: int | None = None,
    min_id: int | None = None,
    limit: int = 40,
) -> RelationPage:
    """Whom ``account_id`` endorses (empty for a viewer the account blocks)."""
    get_account(conn, account_id)
    if viewer_id is not None and viewer_id != account_id:
        blocked = conn.execute(
            select(
                exists().where(
                    blocks.c.account_id == account_id, blocks.c.target_account_id == viewer_id
                )
            )
        ).scalar()
        if blocked:
            return RelationPage([], False)
    return page_relation(
        conn,
        account_pins,
        owner_column=account_pins.c.account_id,
        owner_id=account_id,
        other_column=account_pins.c.target_account_id,
        max_id=max_id,
        since_id=since_id,
        min_id=min_id,
        limit=limit,
    )
