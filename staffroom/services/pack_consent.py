"""Who may add whom to a starter pack (``users.pack_policy``, migration 0027): anyone, only
people the person follows, or nobody; never across a block. Also Mastodon 4.6's
``FeatureApproval``, the same policy as an account's entity describes it to one reader."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Row, select, update

from staffroom.db.tables import follows, users
from staffroom.errors import ValidationFailed
from staffroom.messages import N_, T_
from staffroom.services.pack_reads import blocked_either_way

POLICIES = ("anyone", "followed", "nobody")


def pack_policy(conn: Connection, account_id: int) -> str:
    value = conn.execute(
        select(users.c.pack_policy).where(users.c.account_id == account_id)
    ).scalar()
    return str(value or "anyone")


def set_pack_policy(conn: Connection, account_id: int, policy: str) -> None:
    if policy not in POLICIES:
        raise ValidationFailed(N_("Choose anyone, people I follow or nobody"), value=policy)
    conn.execute(update(users).where(users.c.account_id == account_id).values(pack_policy=policy))


def may_add(conn: Connection, owner_id: int, account: Row[Any]) -> str | None:
    """Why ``owner_id`` may not add ``account`` to a pack, in words, or ``None``."""
    if account.id == owner_id:
        return None
    who = f"@{account.username}"
    policy = pack_policy(conn, account.id)
    if policy == "nobody":
        return T_("%(who)s does not want to be added to starter packs", who=who)
    if blocked_either_way(conn, owner_id, [account.id]):
        return T_("%(who)s cannot be added to your starter packs", who=who)
    if policy == "followed":
        follows_owner = conn.execute(
            select(follows.c.id).where(
                follows.c.account_id == account.id, follows.c.target_account_id == owner_id
            )
        ).first()
        if follows_owner is None:
            return T_("%(who)s only lets people they follow add them to starter packs", who=who)
    return None


@dataclass(frozen=True, slots=True)
class FeatureApproval:
    """Mastodon's ``FeatureApproval`` for one account and one reader: who may add the
    account to a pack without asking (``automatic``; Staffroom asks nobody to approve by
    hand) and what that means for the reader (``current_user``)."""

    automatic: tuple[str, ...]
    current_user: str


_AUTOMATIC = {"anyone": ("public",), "followed": ("following",), "nobody": ()}


def feature_approval(conn: Connection, viewer_id: int | None, account: Row[Any]) -> FeatureApproval:
    """The account's pack policy as Mastodon 4.6 describes it to ``viewer_id`` (``None``:
    signed out, ``missing``)."""
    policy = pack_policy(conn, account.id)
    automatic = _AUTOMATIC.get(policy, ())
    if viewer_id is None:
        return FeatureApproval(automatic, "missing")
    refusal = may_add(conn, viewer_id, account)
    return FeatureApproval(automatic, "denied" if refusal else "automatic")
