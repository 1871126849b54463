"""What the signed-in home page shows besides the timeline: whether the first-run path is
unfinished (a "finish setting up" link) and the composer's default visibility.

Read-only; two primary-key reads beside ``timelines.home``, in the same transaction.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, select

from staffroom.db.tables import users
from staffroom.runtime import Runtime
from staffroom.services.onboarding import first_run_pending
from staffroom.services.timelines import PageRequest, TimelinePage, home


@dataclass(frozen=True, slots=True)
class HomePage:
    timeline: TimelinePage
    first_run_pending: bool
    default_visibility: str


def home_page(conn: Connection, rt: Runtime, viewer_id: int, page: PageRequest) -> HomePage:
    """The viewer's home timeline page with the composer's defaults."""
    visibility = conn.execute(
        select(users.c.default_visibility).where(users.c.account_id == viewer_id)
    ).scalar()
    return HomePage(
        home(conn, rt, viewer_id, page),
        first_run_pending(conn, viewer_id),
        visibility or "public",
    )
