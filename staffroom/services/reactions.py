"""Who reposted or favourited a post (``reblogged_by`` / ``favourited_by``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Row, select

from staffroom.db.tables import accounts, favourites, statuses
from staffroom.errors import NotFound
from staffroom.services.status_views import load_view, viewer_facts
from staffroom.services.timelines import PageRequest, _page_ids


@dataclass(frozen=True, slots=True)
class AccountPage:
    accounts: list[Row[Any]]
    next_max_id: int | None
    prev_min_id: int | None


def accounts_who(
    conn: Connection, kind: str, viewer_id: int | None, status_id: int, page: PageRequest
) -> AccountPage:
    """Accounts that reposted (``kind="reblog"``) or favourited a post the viewer may see."""
    view = load_view(conn, viewer_id, status_id)
    if view is None:
        raise NotFound()
    target = view.reblog or view
    if kind == "reblog":
        query = select(statuses.c.id).where(statuses.c.reblog_of_id == target.id)
        ids, more = _page_ids(conn, query, statuses.c.id, page)
        pairs = conn.execute(
            select(statuses.c.id, statuses.c.account_id).where(statuses.c.id.in_(ids))
        ).all()
    else:
        query = select(favourites.c.id).where(favourites.c.status_id == target.id)
        ids, more = _page_ids(conn, query, favourites.c.id, page)
        pairs = conn.execute(
            select(favourites.c.id, favourites.c.account_id).where(favourites.c.id.in_(ids))
        ).all()
    by_row = dict(pairs)
    account_rows = {
        r.id: r for r in conn.execute(select(accounts).where(accounts.c.id.in_(by_row.values())))
    }
    facts = viewer_facts(conn, viewer_id, account_rows)
    ordered = [
        account_rows[by_row[i]]
        for i in ids
        if i in by_row
        and by_row[i] in account_rows
        and by_row[i] not in facts.blocked_by
        and by_row[i] not in facts.blocking
    ]
    return AccountPage(ordered, min(ids) if ids and more else None, max(ids) if ids else None)
