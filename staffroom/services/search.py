"""Search: accounts (exact handle, then name prefixes), hashtags (prefix) and posts (text).

Read-only. A handle (``@name``, ``name@<our domain>``) or a profile URL of this server
finds that account exactly, whatever the blocks; the prefix matches leave out accounts in a
block with the viewer. Post search is a plain case-insensitive substring match over public
posts plus the viewer's own, minus authors the viewer blocks, mutes or is blocked by.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Row, and_, case, exists, func, or_, select

from staffroom.db.tables import (
    account_interests,
    accounts,
    blocks,
    follows,
    status_tags,
    tags,
)
from staffroom.errors import NotFound, ValidationFailed
from staffroom.ids import id_floor, parse_id
from staffroom.messages import T_
from staffroom.services import status_search
from staffroom.services.accounts import find_account, find_by_username
from staffroom.services.profiles import clean_tag_name
from staffroom.services.status_views import StatusView, load_view, load_views

_USERNAME = re.compile(r"^[A-Za-z0-9_]{1,30}\Z")
_STATUS_PATH = re.compile(r"^/@([A-Za-z0-9_]{1,30})/(\d{1,19})/?\Z")
_ACCOUNT_PATH = re.compile(r"^/(?:@|users/)([A-Za-z0-9_]{1,30})/?\Z")


@dataclass(frozen=True, slots=True)
class Site:
    """This server's addresses, to tell local handles and URLs from remote ones."""

    base_url: str
    domain: str


MAX_QUERY_LENGTH = 500  # far past any name, tag, URL or phrase; SQLite's LIKE stops at 50,000


def check_query(q: str) -> str:
    """``q`` if it is short enough to search for; 422 otherwise, the same on every engine."""
    if len(q) > MAX_QUERY_LENGTH:
        raise ValidationFailed(
            T_("Search terms are too long (at most %(count)s characters)", count=MAX_QUERY_LENGTH)
        )
    return q


def _handle(q: str, site: Site) -> str | None:
    """The username a query names (``@name``, ``name@domain``, profile URL), if local."""
    text = q.strip()
    if text.startswith(site.base_url + "/"):
        match = _ACCOUNT_PATH.match(text[len(site.base_url) :])
        return match.group(1) if match else None
    name, at, host = text.removeprefix("@").partition("@")
    if at and host.lower() != site.domain.lower():
        return None
    return name if _USERNAME.match(name) else None


def _block_between(viewer_id: int, other: Any) -> Any:
    return exists().where(
        or_(
            and_(blocks.c.account_id == viewer_id, blocks.c.target_account_id == other),
            and_(blocks.c.account_id == other, blocks.c.target_account_id == viewer_id),
        )
    )


def _follows(viewer_id: int, other: Any) -> Any:
    return exists().where(follows.c.account_id == viewer_id, follows.c.target_account_id == other)


def search_accounts(
    conn: Connection,
    q: str,
    *,
    site: Site,
    viewer_id: int | None = None,
    following_only: bool = False,
    limit: int = 40,
    offset: int = 0,
) -> list[Row[Any]]:
    """The exact handle match first (on the first page), then name-prefix matches by
    popularity. ``following_only`` keeps accounts the viewer follows."""
    text = q.strip()
    if not text or (following_only and viewer_id is None):
        return []
    username = _handle(text, site)
    exact = find_by_username(conn, username) if username else None
    if exact is not None and following_only and viewer_id is not None:
        followed = conn.execute(select(_follows(viewer_id, exact.id))).scalar()
        exact = exact if followed else None
    remote = "@" in text.removeprefix("@") and username is None
    if remote or text.startswith(("http://", "https://")):
        return [exact] if exact is not None and offset == 0 else []
    prefix = text.removeprefix("@").partition("@")[0].lower()
    found: list[Row[Any]] = []
    if exact is not None:
        if offset == 0:
            found.append(exact)
            limit -= 1
        else:
            offset -= 1
    if not prefix or limit <= 0:
        return found
    name = func.lower(accounts.c.display_name)
    query = select(accounts).where(
        or_(
            accounts.c.username_lower.startswith(prefix, autoescape=True),
            name.startswith(prefix, autoescape=True),
            name.contains(" " + prefix, autoescape=True),
        )
    )
    if exact is not None:
        query = query.where(accounts.c.id != exact.id)
    if viewer_id is not None:
        query = query.where(~_block_between(viewer_id, accounts.c.id))
        if following_only:
            query = query.where(_follows(viewer_id, accounts.c.id))
    query = query.order_by(accounts.c.followers_count.desc(), accounts.c.username_lower)
    found.extend(conn.execute(query.limit(limit).offset(offset)).all())
    return found


# How far back "use" is counted when ordering hashtag search results.
TAG_USE_WINDOW = timedelta(days=7)


def search_tags(conn: Connection, q: str, *, limit: int = 40, offset: int = 0) -> list[Row[Any]]:
    """Tags whose name starts with ``q`` (``#`` optional): the exact name first, then the
    most used in the last week (posts, counted through the tag's index from a week's first
    ID), then the most recently used, then by name: a stable order."""
    name = clean_tag_name(q.strip())
    if name is None:
        return []
    lower = name.lower()
    since = id_floor(int((datetime.now(UTC) - TAG_USE_WINDOW).timestamp() * 1000))
    uses = (
        select(func.count())
        .select_from(status_tags)
        .where(status_tags.c.tag_id == tags.c.id, status_tags.c.status_id >= since)
        .scalar_subquery()
    )
    query = (
        select(tags)
        .where(tags.c.name_lower.startswith(lower, autoescape=True))
        .order_by(
            case((tags.c.name_lower == lower, 0), else_=1),
            uses.desc(),
            case((tags.c.last_status_at.is_(None), 1), else_=0),
            tags.c.last_status_at.desc(),
            tags.c.name_lower,
        )
    )
    return list(conn.execute(query.limit(limit).offset(offset)).all())


def get_tag(conn: Connection, name: str) -> Row[Any] | None:
    """The tag called ``name`` (case-insensitive), if it has ever been used."""
    return conn.execute(select(tags).where(tags.c.name_lower == name.lower())).first()


def search_status_ids(
    conn: Connection,
    viewer_id: int | None,
    q: str,
    limit: int,
    offset: int = 0,
    *,
    account_id: int | None = None,
    min_id: int | None = None,
    max_id: int | None = None,
    site: Site | None = None,
) -> list[int]:
    """IDs of posts matching ``q``, newest first, that the viewer may find
    (``services.status_search``: the query language, the index, who may find what).

    A post URL of this server (``<base>/@name/<id>``, given ``site``) finds that post if the
    viewer may see it. A lone ``@name`` or ``name@domain`` looks for people, not posts, as
    Mastodon.
    """
    text = q.strip()
    if not text:
        return []
    if site is not None and text.startswith(site.base_url + "/"):
        match = _STATUS_PATH.match(text[len(site.base_url) :])
        status_id = parse_id(match.group(2)) if match else None
        if match is None or status_id is None or offset:
            return []
        view = load_view(conn, viewer_id, status_id)
        owner_ok = view is not None and view.account.username.lower() == match.group(1).lower()
        return [view.id] if view is not None and owner_ok else []
    if " " not in text and (text.startswith("@") or ("@" in text and ":" not in text)):
        return []
    return status_search.search_status_ids(
        conn,
        viewer_id,
        text,
        limit,
        offset,
        account_id=account_id,
        min_id=min_id,
        max_id=max_id,
        domain=site.domain if site is not None else None,
    )


TYPES = ("accounts", "hashtags", "statuses")


@dataclass(frozen=True, slots=True)
class SearchQuery:
    """One search: the text, the kind wanted (``None``: all three) and the page."""

    q: str
    kind: str | None = None
    limit: int = 20
    offset: int = 0
    following: bool = False  # accounts: only those the viewer follows
    author_id: int | None = None  # posts: only this author's
    min_id: int | None = None  # posts: only newer than this ID
    max_id: int | None = None  # posts: only older than this ID

    def wants(self, kind: str) -> bool:
        return self.kind is None or self.kind == kind


@dataclass(frozen=True, slots=True)
class SearchResults:
    accounts: list[Row[Any]]
    tags: list[Row[Any]]
    featured_tag_ids: set[int]  # which found tags are among the viewer's interests
    statuses: list[StatusView]


def featured_tag_ids(conn: Connection, viewer_id: int | None, tag_ids: list[int]) -> set[int]:
    """Which of ``tag_ids`` the viewer features (has among their interests)."""
    if viewer_id is None or not tag_ids:
        return set()
    return set(
        conn.execute(
            select(account_interests.c.tag_id).where(
                account_interests.c.account_id == viewer_id,
                account_interests.c.tag_id.in_(tag_ids),
            )
        ).scalars()
    )


def run_search(
    conn: Connection, query: SearchQuery, site: Site, viewer_id: int | None
) -> SearchResults:
    """People, hashtags and posts matching ``query`` that the viewer may see."""
    found_accounts: list[Row[Any]] = []
    found_tags: list[Row[Any]] = []
    views: list[StatusView] = []
    if query.wants("accounts"):
        found_accounts = search_accounts(
            conn,
            query.q,
            site=site,
            viewer_id=viewer_id,
            following_only=query.following,
            limit=query.limit,
            offset=query.offset,
        )
    if query.wants("hashtags"):
        found_tags = search_tags(conn, query.q, limit=query.limit, offset=query.offset)
    if query.wants("statuses"):
        if query.author_id is not None and find_account(conn, query.author_id) is None:
            raise NotFound()  # as Mastodon, an unknown ``account_id`` is a 404
        ids = search_status_ids(
            conn,
            viewer_id,
            query.q,
            query.limit,
            query.offset,
            account_id=query.author_id,
            min_id=query.min_id,
            max_id=query.max_id,
            site=site,
        )
        views = load_views(conn, viewer_id, ids, for_timeline=True)
    featured = featured_tag_ids(conn, viewer_id, [row.id for row in found_tags])
    return SearchResults(found_accounts, found_tags, featured, views)


def tag_with_featuring(
    conn: Connection, viewer_id: int | None, name: str
) -> tuple[Row[Any] | None, bool]:
    """The tag called ``name`` (``None`` if never used) and whether the viewer features it."""
    row = get_tag(conn, name)
    return row, row is not None and bool(featured_tag_ids(conn, viewer_id, [row.id]))
