"""Pinned posts: a person features up to five of their own posts at the top of their profile.

Writes ``status_pins`` (a pin goes with its post or its account: foreign keys). As in Mastodon,
a public, unlisted or followers-only post may be pinned (a followers-only pin shows only to
those who may see the post: every read goes through ``status_views``), a direct message or a
repost may not.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Connection, delete, func, select
from sqlalchemy.exc import IntegrityError

from staffroom.db.tables import status_pins, statuses
from staffroom.errors import NotFound, ValidationFailed
from staffroom.ids import new_id
from staffroom.messages import N_
from staffroom.policies.visibility import may_pin
from staffroom.services.status_views import StatusView, load_view, load_views

MAX_PINS = 5


def pin(conn: Connection, account_id: int, status_id: int) -> int:
    """Pin one's own post (pinning it again changes nothing); returns its ID."""
    view = load_view(conn, account_id, status_id)
    if view is None:
        raise NotFound()
    _check_pinnable(view, account_id)
    if view.pinned:
        return status_id
    count = conn.execute(
        select(func.count()).select_from(status_pins).where(status_pins.c.account_id == account_id)
    ).scalar_one()
    if count >= MAX_PINS:
        raise ValidationFailed(N_("You have already pinned the maximum number of posts (5)."))
    try:
        with conn.begin_nested():
            conn.execute(
                status_pins.insert().values(
                    id=new_id(),
                    account_id=account_id,
                    status_id=status_id,
                    created_at=datetime.now(UTC),
                )
            )
    except IntegrityError:  # pinned at the same moment by another request: already done
        pass
    return status_id


def unpin(conn: Connection, account_id: int, status_id: int) -> int:
    """Take one's post off one's profile (not pinned: nothing to do); returns its ID."""
    view = load_view(conn, account_id, status_id)
    if view is None:
        raise NotFound()
    conn.execute(
        delete(status_pins).where(
            status_pins.c.account_id == account_id, status_pins.c.status_id == status_id
        )
    )
    return status_id


def _check_pinnable(view: StatusView, account_id: int) -> None:
    if view.row.account_id != account_id:
        raise ValidationFailed(N_("Only your own posts can be pinned."))
    if view.reblog is not None:
        raise ValidationFailed(N_("A repost cannot be pinned; pin the post itself."))
    if not may_pin(visibility=view.row.visibility, author_id=account_id, pinner_id=account_id):
        raise ValidationFailed(N_("A direct message cannot be pinned."))


def pinned_posts(conn: Connection, viewer_id: int | None, account_id: int) -> list[StatusView]:
    """The account's pinned posts that the viewer may see, the newest pin first."""
    ids = list(
        conn.execute(
            select(status_pins.c.status_id)
            .join(statuses, statuses.c.id == status_pins.c.status_id)
            .where(status_pins.c.account_id == account_id)
            .order_by(status_pins.c.id.desc())
            .limit(MAX_PINS)
        ).scalars()
    )
    return load_views(conn, viewer_id, ids)  # ``pinned`` set for the author, as Mastodon
