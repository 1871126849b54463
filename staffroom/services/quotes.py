"""Quote posts, as Mastodon 4.5 has them on one server.

A post may quote one other post (``quoted_status_id`` at posting; an edit never changes it).
Quoting is allowed, and at once accepted, when the quoted post's policy lets the author
quote it (``policies.visibility.quote_approval``: anyone, the author's followers, or only its
author; followers-only posts and direct messages are only their author's, direct messages
never); otherwise posting fails with 422, as Mastodon answers for local posts. Quoting a
followers-only post makes the quote followers-only.

Writes ``quotes`` (one row per quoting post), the quoted post's ``quotes_count`` (accepted
quotes) and ``quote_approval_policy``, and ``quote`` notifications (to the quoted author) and
``quoted_update`` ones (to quoters, from the ``status_edited`` job). The quoted post's author
may revoke a quote: it then reads as ``revoked`` and no longer counts. What each reader is told
of a quote (the quoted post, or only a state) is decided per reader in ``status_views``.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, insert, select, update

from staffroom.db import fastsql
from staffroom.db.tables import quotes, statuses
from staffroom.errors import Forbidden, NotFound, ValidationFailed
from staffroom.messages import N_
from staffroom.policies.visibility import (
    PRIVATE,
    PUBLIC,
    QUOTE_POLICY_CODES,
    UNLISTED,
    quote_policy,
)
from staffroom.services.notify import notify
from staffroom.services.status_views import StatusView, load_view, load_views


def policy_code(name: str | None) -> int | None:
    """A policy's code (``None`` for none given); 422 for an unknown name."""
    if name is None or name == "":
        return None
    code = QUOTE_POLICY_CODES.get(name)
    if code is None:
        raise ValidationFailed(N_("Quote approval policy must be one of public, followers, nobody"))
    return code


# Plain SQL: every post without an explicit policy reads it in the posting transaction
# (a SQLAlchemy ``select`` built per call cost ~0.2 ms of the writer's CPU per post).
_DEFAULT_POLICY = "SELECT default_quote_policy FROM users WHERE account_id = ?"


def default_policy(conn: Connection, account_id: int) -> int:
    """The account's default policy for new posts."""
    found = fastsql.run_plain(conn, _DEFAULT_POLICY, account_id)
    name = found[0][0] if found else None
    return QUOTE_POLICY_CODES.get(str(name or "public"), 0)


def check_quotable(conn: Connection, author_id: int, quoted_id: int, visibility: int) -> int:
    """The post ``author_id`` may quote, and the visibility their quote gets (a quote of a
    followers-only post is followers-only); 404 if they may not see it, 422 if its policy
    does not let them quote it."""
    quoted = load_view(conn, author_id, quoted_id)
    if quoted is None or quoted.reblog is not None:
        raise NotFound(N_("The post you are quoting does not exist or is not visible to you"))
    if quoted.quote_approval != "automatic":
        raise ValidationFailed(N_("You are not allowed to quote this post"))
    if quoted.row.visibility == PRIVATE and visibility in (PUBLIC, UNLISTED):
        return PRIVATE
    return visibility


def stored_policy(policy: int, visibility: int) -> int:
    """What a new post stores: ``nobody`` for followers-only posts and direct messages."""
    return quote_policy(policy=policy, visibility=visibility)


def record_quote(conn: Connection, status_id: int, author_id: int, quoted_id: int) -> None:
    """In the posting transaction: the accepted quote, the quoted post's count, and a
    ``quote`` notification if its author may see the new post."""
    quoted = conn.execute(
        select(statuses.c.account_id).where(statuses.c.id == quoted_id)
    ).scalar_one()
    now = datetime.now(UTC)
    conn.execute(
        insert(quotes).values(
            status_id=status_id,
            account_id=author_id,
            quoted_status_id=quoted_id,
            quoted_account_id=quoted,
            state="accepted",
            created_at=now,
            updated_at=now,
        )
    )
    _count(conn, quoted_id, 1)
    if quoted != author_id and load_view(conn, quoted, status_id) is not None:
        notify(conn, recipient_id=quoted, actor_id=author_id, type="quote", status_id=status_id)


def _count(conn: Connection, status_id: int, by: int) -> None:
    conn.execute(
        update(statuses)
        .where(statuses.c.id == status_id, statuses.c.quotes_count + by >= 0)
        .values(quotes_count=statuses.c.quotes_count + by)
    )


def forget_quote(conn: Connection, row: Any) -> None:
    """Before a quoting post is deleted: its quote no longer counts."""
    if row.quoted_status_id is None:
        return
    state = conn.execute(select(quotes.c.state).where(quotes.c.status_id == row.id)).scalar()
    if state == "accepted":
        _count(conn, row.quoted_status_id, -1)


def _own(conn: Connection, account_id: int, status_id: int) -> StatusView:
    view = load_view(conn, account_id, status_id)
    if view is None or view.reblog is not None:
        raise NotFound()
    if view.row.account_id != account_id:
        raise Forbidden(N_("This action is not allowed"))
    return view


def revoke(conn: Connection, account_id: int, status_id: int, quoting_id: int) -> StatusView:
    """The author of ``status_id`` withdraws the quote ``quoting_id`` made of it; returns the
    quoting post as the author now sees it (``revoked``)."""
    _own(conn, account_id, status_id)
    state = conn.execute(
        select(quotes.c.state).where(
            quotes.c.status_id == quoting_id, quotes.c.quoted_status_id == status_id
        )
    ).scalar()
    if state is None:
        raise NotFound()
    if state == "accepted":
        now = datetime.now(UTC)
        conn.execute(
            update(quotes)
            .where(quotes.c.status_id == quoting_id)
            .values(state="revoked", updated_at=now)
        )
        _count(conn, status_id, -1)
    found = load_views(conn, account_id, [quoting_id])
    if not found:  # the quoting post is not one the author may see: nothing more to show
        raise NotFound()
    return found[0]


def set_policy(conn: Connection, account_id: int, status_id: int, name: str | None) -> StatusView:
    """Change who may quote one's own post (past quotes stay); followers-only posts and
    direct messages stay ``nobody``'s."""
    view = _own(conn, account_id, status_id)
    code = policy_code(name)
    if code is None:
        code = default_policy(conn, account_id)
    code = stored_policy(code, view.row.visibility)
    if code != view.row.quote_approval_policy:
        conn.execute(
            update(statuses).where(statuses.c.id == status_id).values(quote_approval_policy=code)
        )
    return _own(conn, account_id, status_id)


def list_quotes(
    conn: Connection,
    account_id: int,
    status_id: int,
    *,
    max_id: int | None = None,
    since_id: int | None = None,
    limit: int = 20,
) -> list[StatusView]:
    """Accepted quotes of one's own post, newest first, those the author may see."""
    _own(conn, account_id, status_id)
    query = select(quotes.c.status_id).where(
        quotes.c.quoted_status_id == status_id, quotes.c.state == "accepted"
    )
    if max_id is not None:
        query = query.where(quotes.c.status_id < max_id)
    if since_id is not None:
        query = query.where(quotes.c.status_id > since_id)
    ids = conn.execute(query.order_by(quotes.c.status_id.desc()).limit(limit)).scalars().all()
    return load_views(conn, account_id, list(ids))


def notify_quoters(conn: Connection, status_id: int, author_id: int, edited_at: str) -> None:
    """After an edit of ``status_id``: ``quoted_update`` to the authors of its accepted quotes
    (with their quote as the notification's post)."""
    for quoting_id, quoter in conn.execute(
        select(quotes.c.status_id, quotes.c.account_id).where(
            quotes.c.quoted_status_id == status_id, quotes.c.state == "accepted"
        )
    ).all():
        notify(
            conn,
            recipient_id=quoter,
            actor_id=author_id,
            type="quoted_update",
            status_id=quoting_id,
            dedupe=edited_at,
        )
