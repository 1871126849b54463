"""The deck's column kinds: the one registry of what a column can show.

A :class:`ColumnKind` says what the column is called, whether it takes an argument (a
hashtag, a search, a person) and how to check it, how to load a page of it for a viewer
(through the services, so the visibility policy applies), and which Mastodon stream makes it
live in the browser. Adding a kind (lists, chats...) is one :func:`register` call; the add
form, the deck page, the fragments and the live updates all read :data:`KINDS`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from sqlalchemy import Connection

from staffroom import clock
from staffroom.ids import parse_id
from staffroom.runtime import Runtime
from staffroom.services import chat_room, events, lists, notifications, search, timelines
from staffroom.services.accounts import find_by_username
from staffroom.services.deck import Column
from staffroom.services.login import SessionUser
from staffroom.services.notifications import NotificationView
from staffroom.services.profiles import clean_tag_name
from staffroom.services.status_views import StatusView, load_views
from staffroom.services.timelines import PageRequest
from staffroom.web.i18n import N_

PAGE_SIZE = 20
_USERNAME = re.compile(r"^[A-Za-z0-9_]{1,30}\Z")


class BadArgument(ValueError):
    """A column argument that cannot be used; ``message`` is a page string (``N_``)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(slots=True)
class ColumnPage:
    """One page of a column: posts or notifications, newest first, and where older ones start."""

    statuses: list[StatusView] = field(default_factory=list)
    notifications: list[NotificationView] = field(default_factory=list)
    older: int | None = None
    title: str | None = None  # a heading the column's data gives (a list's title)

    @property
    def newest(self) -> int | None:
        ids = [v.id for v in self.statuses] + [int(n.row.id) for n in self.notifications]
        return max(ids) if ids else None


Loader = Callable[[Connection, Runtime, int, str | None, PageRequest], ColumnPage]


@dataclass(frozen=True, slots=True)
class Argument:
    """What a column's argument is: a hint (``N_``) and its check."""

    hint: str
    check: Callable[[Connection, str], str]  # the normalised argument, or BadArgument
    # For arguments that belong to someone (a list): checked for the viewer instead.
    check_for: Callable[[Connection, int, str], str] | None = None


@dataclass(frozen=True, slots=True)
class ColumnKind:
    """One kind of column (see the module docstring)."""

    slug: str
    label: str  # N_: the kind's name in the add form
    loader: Loader
    stream: Callable[[str | None], dict[str, str]]  # the subscribe message's stream fields
    argument: Argument | None = None
    items: Literal["statuses", "notifications"] = "statuses"
    # The browser refreshes the column only for events whose payload matches (see 30-deck.js):
    # {"type": "mention"} (a notification's type), {"account": arg}, {"text": arg}.
    match: Callable[[str | None], dict[str, str]] = lambda arg: {}
    heading: str | None = None  # N_ with "%(arg)s": a column's heading (default: the label)
    # Where the reader's filters apply to it, as Mastodon's web maps its columns: home (and
    # lists) "home", notifications "notifications", one person "account", the rest "public".
    filter_context: str = "public"


KINDS: dict[str, ColumnKind] = {}


def register(kind: ColumnKind) -> ColumnKind:
    """Make ``kind`` available everywhere (the add form, the deck, the fragments)."""
    KINDS[kind.slug] = kind
    return kind


def unregister(slug: str) -> None:
    KINDS.pop(slug, None)


def check_argument(
    conn: Connection, slug: str, raw: str | None, viewer_id: int | None = None
) -> str | None:
    """The normalised argument for a new column of kind ``slug``; BadArgument if unusable."""
    kind = KINDS.get(slug)
    if kind is None:
        raise BadArgument(N_("Choose a kind of column from the list."))
    if kind.argument is None:
        return None
    text = (raw or "").strip()
    if not text:
        raise BadArgument(N_("This kind of column needs something to show: fill in the box."))
    if len(text) > 200:
        raise BadArgument(N_("That is too long for a column (at most 200 characters)."))
    if kind.argument.check_for is not None:
        if viewer_id is None:
            raise BadArgument(N_("Choose a kind of column from the list."))
        return kind.argument.check_for(conn, viewer_id, text)
    return kind.argument.check(conn, text)


def _statuses(result: timelines.TimelinePage) -> ColumnPage:
    return ColumnPage(statuses=result.views, older=result.next_max_id)


def _home(
    conn: Connection, rt: Runtime, viewer: int, arg: str | None, page: PageRequest
) -> ColumnPage:
    return _statuses(timelines.home(conn, rt, viewer, page))


def _notifications_of(*types: str) -> Loader:
    def load(
        conn: Connection, rt: Runtime, viewer: int, arg: str | None, page: PageRequest
    ) -> ColumnPage:
        found = notifications.list_notifications(conn, viewer, page, types=types)
        return ColumnPage(notifications=found.items, older=found.next_max_id)

    return load


def _hashtag(
    conn: Connection, rt: Runtime, viewer: int, arg: str | None, page: PageRequest
) -> ColumnPage:
    return _statuses(timelines.hashtag(conn, viewer, arg or "", page))


def _check_tag(conn: Connection, raw: str) -> str:
    name = clean_tag_name(raw.lstrip("#"))
    if not name:
        raise BadArgument(N_("A hashtag is letters, digits and underscores, like #EdChat."))
    return name


def _list(
    conn: Connection, rt: Runtime, viewer: int, arg: str | None, page: PageRequest
) -> ColumnPage:
    list_id = parse_id(arg)
    if list_id is None or not lists.owns(conn, viewer, list_id):
        return ColumnPage()  # a deleted list's column stays empty until removed
    found = _statuses(timelines.list_timeline(conn, rt, viewer, list_id, page))
    found.title = lists.get_list(conn, viewer, list_id).title
    return found


def _check_list(conn: Connection, viewer: int, raw: str) -> str:
    """One of the viewer's lists, by ID or title."""
    for item in lists.own_lists(conn, viewer):
        if str(item.id) == raw or item.title.casefold() == raw.casefold():
            return str(item.id)
    raise BadArgument(N_("You have no list with that name."))


def _person(
    conn: Connection, rt: Runtime, viewer: int, arg: str | None, page: PageRequest
) -> ColumnPage:
    row = find_by_username(conn, arg or "")
    if row is None:
        return ColumnPage()
    return _statuses(timelines.account_statuses(conn, viewer, int(row.id), page))


def _check_person(conn: Connection, raw: str) -> str:
    name = raw.removeprefix("@").partition("@")[0]
    row = find_by_username(conn, name) if _USERNAME.match(name) else None
    if row is None:
        raise BadArgument(N_("There is nobody with that username here."))
    return str(row.username)


def _search(
    conn: Connection, rt: Runtime, viewer: int, arg: str | None, page: PageRequest
) -> ColumnPage:
    # A page is the newest matches older than max_id (or newer than since_id), one more
    # than asked to know whether there are older ones.
    floor = page.since_id or page.min_id
    query = search.check_query(arg or "")
    ids = search.search_status_ids(
        conn, viewer, query, page.limit + 1, min_id=floor, max_id=page.max_id
    )
    chosen = ids[: page.limit]
    more = len(ids) > page.limit
    views = load_views(conn, viewer, chosen, for_timeline=True)
    return ColumnPage(statuses=views, older=chosen[-1] if more else None)


def _check_search(conn: Connection, raw: str) -> str:
    try:
        return search.check_query(raw)
    except Exception:
        raise BadArgument(N_("That is too long for a column (at most 200 characters).")) from None


def _arg_stream(name: str, param: str) -> Callable[[str | None], dict[str, str]]:
    return lambda arg: {"stream": name, param: arg or ""}


def _fixed(name: str) -> Callable[[str | None], dict[str, str]]:
    return lambda arg: {"stream": name}


register(ColumnKind("home", N_("Home"), _home, _fixed("user"), filter_context="home"))
register(
    ColumnKind(
        "notifications",
        N_("Notifications"),
        _notifications_of(),
        _fixed("user:notification"),
        items="notifications",
        filter_context="notifications",
    )
)
register(
    ColumnKind(
        "mentions",
        N_("Mentions"),
        _notifications_of("mention"),
        _fixed("user:notification"),
        items="notifications",
        match=lambda arg: {"type": "mention"},
        filter_context="notifications",
    )
)
register(
    ColumnKind(
        "hashtag",
        N_("A hashtag"),
        _hashtag,
        _arg_stream("hashtag", "tag"),
        Argument(N_("For example #EdChat"), _check_tag),
        heading=N_("Hashtag #%(arg)s"),
    )
)
register(
    ColumnKind(
        "search",
        N_("A search"),
        _search,
        _fixed("public:local"),
        Argument(N_("Words that posts contain"), _check_search),
        match=lambda arg: {"text": arg or ""},
        heading=N_("Search: %(arg)s"),
    )
)
register(
    ColumnKind(
        "list",
        N_("One of your lists"),
        _list,
        _arg_stream("list", "list"),
        Argument(N_("The list's name"), lambda conn, raw: raw, _check_list),
        heading=N_("List"),
        filter_context="home",  # Mastodon's "home" context covers home and lists
    )
)
register(
    ColumnKind(
        "person",
        N_("One person"),
        _person,
        _fixed("public:local"),
        Argument(N_("For example @alice"), _check_person),
        match=lambda arg: {"account": arg or ""},
        heading=N_("Posts by @%(arg)s"),
        filter_context="account",
    )
)


def _chat(
    conn: Connection, rt: Runtime, viewer: int, arg: str | None, page: PageRequest
) -> ColumnPage:
    """An event's room, newest first (through ``services.chat_room``: its filtering)."""
    event_id = parse_id((arg or "").partition("-")[0])
    event = events.get_event(conn, event_id) if event_id is not None else None
    if event is None:
        return ColumnPage()  # a deleted event's column stays empty until removed
    room = chat_room.room_view(conn, viewer, event, since_id=page.since_id or page.min_id)
    views = [v for v in reversed(room.views) if page.max_id is None or v.id < page.max_id]
    return ColumnPage(statuses=views[: page.limit], title=f"{event.title} #{event.hashtag}")


def _check_chat(conn: Connection, raw: str) -> str:
    """An event by ID, or by hashtag the event with that hashtag running now; kept as
    "{id}-{hashtag}" so the column's stream needs no database."""
    event_id = parse_id(raw.strip().partition("-")[0])
    event = events.get_event(conn, event_id) if event_id is not None else None
    if event is None:
        tag = clean_tag_name(raw.strip().lstrip("#"))
        running = events.events_for_tag(conn, tag, clock.now()) if tag else []
        if not running:
            raise BadArgument(
                N_("There is no event with that number, and no chat with that hashtag now.")
            )
        event = running[0]
    return f"{event.id}-{event.hashtag}"


def _chat_stream(arg: str | None) -> dict[str, str]:
    return {"stream": "hashtag", "tag": (arg or "").partition("-")[2]}


register(
    ColumnKind(
        "chat",
        N_("An event's chat"),
        _chat,
        _chat_stream,
        Argument(N_("The event's number, or the hashtag of a chat on now"), _check_chat),
        heading=N_("Chat"),
    )
)


def describe(kind: ColumnKind, arg: str | None) -> dict[str, Any]:
    """What the page needs to make the column live: its subscribe message and match rules."""
    return {"stream": kind.stream(arg), "match": kind.match(arg)}


@dataclass(slots=True)
class ShownColumn:
    """A column as the page shows it."""

    column: Column
    kind: ColumnKind
    page: ColumnPage
    live: dict[str, Any]


async def load_column(
    rt: Runtime, viewer: SessionUser, column: Column, page: PageRequest
) -> ShownColumn | None:
    """The column's posts for the viewer, or ``None`` if its kind is no longer registered."""
    kind = KINDS.get(column.kind)
    if kind is None or (kind.argument is None) != (column.arg is None):
        return None
    found = await rt.db.aread(kind.loader, rt, viewer.account_id, column.arg, page)
    return ShownColumn(column, kind, found, describe(kind, column.arg))
