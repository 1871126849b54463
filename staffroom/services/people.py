"""People as the web pages show them: a profile with its posts, the lists of whom someone
follows and who follows them (each person with the viewer's relationship, so a page can
offer follow buttons), and acting on a person (follow, mute, block and their undo).

Reads go through the same services as the API (``timelines.account_statuses``,
``follows.followers_page``/``following_page``, ``relationships``), so the visibility rules
are the API's: a profile's posts are those the viewer may see, and someone who blocks the
viewer shows neither posts nor lists.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, Row

from staffroom.errors import NotFound
from staffroom.services import blocks, directory, endorsements, follows
from staffroom.services.accounts import find_by_username
from staffroom.services.pins import pinned_posts
from staffroom.services.profiles import FeaturedTag, featured_tags
from staffroom.services.relationships import Relationship, relationship, relationships
from staffroom.services.search import SearchQuery, SearchResults, Site, run_search
from staffroom.services.status_views import StatusView
from staffroom.services.timelines import PageRequest, TimelinePage, account_statuses
from staffroom.timelines.store import TimelineStore

PEOPLE_PAGE_SIZE = 40
ENDORSED_SHOWN = 12


@dataclass(frozen=True, slots=True)
class Profile:
    """One person's page: who they are, what they are to the viewer, and their posts."""

    account: Row[Any]
    interests: list[FeaturedTag]
    relationship: Relationship | None  # None: signed out, or the viewer's own profile
    posts: TimelinePage
    pinned: list[StatusView]  # shown first, on the first page only
    endorsed: list[Row[Any]] = field(default_factory=list)  # people they feature
    directory: directory.DirectoryEntry | None = None  # their listing, if they are listed


@dataclass(frozen=True, slots=True)
class Person:
    """One entry of a list of people, with the viewer's relationship to them."""

    account: Row[Any]
    relationship: Relationship | None


@dataclass(frozen=True, slots=True)
class PeoplePage:
    """Whom ``account`` follows (or who follows them), one page, newest first."""

    account: Row[Any]
    people: list[Person]
    older: int | None  # the ``max_id`` of the next page, if there is one


def _account_named(conn: Connection, username: str) -> Row[Any]:
    row = find_by_username(conn, username)
    if row is None:
        raise NotFound()
    return row


def _relationship_to(
    conn: Connection, viewer_id: int | None, account_id: int
) -> Relationship | None:
    if viewer_id is None or viewer_id == account_id:
        return None
    return relationship(conn, viewer_id, account_id)


def profile(
    conn: Connection,
    viewer_id: int | None,
    username: str,
    page: PageRequest,
    *,
    with_replies: bool = False,
) -> Profile:
    """``@username``'s profile for the viewer (``NotFound`` if there is no such person)."""
    account = _account_named(conn, username)
    rel = _relationship_to(conn, viewer_id, account.id)
    pinned: list[StatusView] = []
    if rel is not None and rel.blocked_by:
        posts = TimelinePage([], None, None)
    else:
        posts = account_statuses(
            conn, viewer_id, account.id, page, exclude_replies=not with_replies
        )
        if page.max_id is None:
            pinned = pinned_posts(conn, viewer_id, account.id)
    endorsed: list[Row[Any]] = []
    if page.max_id is None:
        endorsed = endorsements.endorsements_page(
            conn, account.id, viewer_id, limit=ENDORSED_SHOWN
        ).accounts
    listing = None
    if account.discoverable and not (rel is not None and rel.blocked_by):
        listing = directory.entry_of(conn, account.id)
    return Profile(account, featured_tags(conn, account.id), rel, posts, pinned, endorsed, listing)


def people(
    conn: Connection,
    viewer_id: int | None,
    username: str,
    which: str,
    max_id: int | None = None,
) -> PeoplePage:
    """``which`` is ``"following"`` or ``"followers"`` of ``@username``."""
    account = _account_named(conn, username)
    lister = follows.following_page if which == "following" else follows.followers_page
    found = lister(conn, account.id, viewer_id, max_id=max_id, limit=PEOPLE_PAGE_SIZE)
    rows = found.accounts
    by_id: dict[int, Relationship] = {}
    if viewer_id is not None:
        others = [row.id for row in rows if row.id != viewer_id]
        by_id = {rel.account_id: rel for rel in relationships(conn, viewer_id, others)}
    return PeoplePage(
        account,
        [Person(row, by_id.get(row.id)) for row in rows],
        found.oldest if found.has_more else None,
    )


def _follow(conn: Connection, store: TimelineStore, viewer_id: int, target_id: int) -> None:
    follows.follow(conn, store, viewer_id, target_id)


def _unblock(conn: Connection, _: TimelineStore, viewer_id: int, target_id: int) -> None:
    blocks.unblock(conn, viewer_id, target_id)


def _mute(conn: Connection, store: TimelineStore, viewer_id: int, target_id: int) -> None:
    blocks.mute(conn, store, viewer_id, target_id)


def _unmute(conn: Connection, _: TimelineStore, viewer_id: int, target_id: int) -> None:
    blocks.unmute(conn, viewer_id, target_id)


def _endorse(conn: Connection, _: TimelineStore, viewer_id: int, target_id: int) -> None:
    endorsements.endorse(conn, viewer_id, target_id)


def _unendorse(conn: Connection, _: TimelineStore, viewer_id: int, target_id: int) -> None:
    endorsements.unendorse(conn, viewer_id, target_id)


ACTIONS: dict[str, Callable[[Connection, TimelineStore, int, int], None]] = {
    "endorse": _endorse,
    "unendorse": _unendorse,
    "follow": _follow,
    "unfollow": follows.unfollow,
    "block": blocks.block,
    "unblock": _unblock,
    "mute": _mute,
    "unmute": _unmute,
}


def act_on_person(
    conn: Connection, store: TimelineStore, viewer_id: int, target_id: int, action: str
) -> Relationship:
    """Follow, unfollow, mute, unmute, block, unblock, endorse or unendorse ``target_id``;
    the new relationship."""
    handler = ACTIONS.get(action)
    if handler is None:
        raise NotFound()
    handler(conn, store, viewer_id, target_id)
    return relationship(conn, viewer_id, target_id)


def search_with_relationships(
    conn: Connection, query: SearchQuery, site: Site, viewer_id: int | None
) -> tuple[SearchResults, dict[int, Relationship]]:
    """A search, plus the viewer's relationship to each person found (for follow buttons)."""
    found = run_search(conn, query, site, viewer_id)
    rels: dict[int, Relationship] = {}
    if viewer_id is not None:
        others = [row.id for row in found.accounts if row.id != viewer_id]
        rels = {rel.account_id: rel for rel in relationships(conn, viewer_id, others)}
    return found, rels
