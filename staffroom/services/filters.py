"""A person's filters (Mastodon's v2 filters, and v1 answered from their keywords).

Writes ``custom_filters``, ``custom_filter_keywords`` and ``custom_filter_statuses``
(migration 0021). Every read and write is scoped to the owner: another person's filter,
keyword or post ID is "Record not found" (404), as in Mastodon. Invalid input raises
``ValidationFailed`` with Mastodon's messages (``Title can't be blank``, ``Context None or
invalid context supplied``, ``Action is not included in the list``) and writes nothing.

What a filter does to posts is ``services.filter_rules``; after a change the handler calls
:func:`stream_changed`, which sends Mastodon's ``filters_changed`` on the person's user stream.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, delete, select, update
from sqlalchemy.exc import IntegrityError

from staffroom import clock
from staffroom.db.tables import custom_filter_keywords, custom_filter_statuses, custom_filters
from staffroom.errors import NotFound, ValidationFailed
from staffroom.ids import new_id
from staffroom.services.filter_rules import ACTIONS, CONTEXTS, as_utc
from staffroom.services.status_views import load_view

if TYPE_CHECKING:
    from staffroom.runtime import Runtime

FILTERS_CHANGED = "filters_changed"
MAX_EXPIRES_IN = 10 * 365 * 24 * 3600  # seconds; a filter for longer is one for ever
_UNSET: Any = object()
UNSET: Any = _UNSET  # "leave as it is" in FilterChanges (for the handlers)


@dataclass(frozen=True, slots=True)
class Keyword:
    id: int
    filter_id: int
    keyword: str
    whole_word: bool


@dataclass(frozen=True, slots=True)
class FilteredPost:
    id: int
    filter_id: int
    status_id: int


@dataclass(frozen=True, slots=True)
class Filter:
    id: int
    title: str
    context: tuple[str, ...]
    action: str
    expires_at: datetime | None
    keywords: tuple[Keyword, ...] = ()
    statuses: tuple[FilteredPost, ...] = ()


@dataclass(slots=True)
class KeywordChange:
    """One entry of ``keywords_attributes``: a new keyword (no ``id``), a change, or a
    removal (``destroy``)."""

    id: int | None = None
    keyword: str | None = None
    whole_word: bool | None = None
    destroy: bool = False


@dataclass(slots=True)
class FilterChanges:
    """What a create or update gives; ``_UNSET`` fields are left as they are."""

    title: Any = _UNSET
    context: Any = _UNSET  # list of names
    action: Any = _UNSET  # a name
    expires_in: Any = _UNSET  # seconds, or None for never
    keywords: list[KeywordChange] = field(default_factory=list)


def _filter(
    row: Any, keywords: Sequence[Keyword] = (), statuses: Sequence[FilteredPost] = ()
) -> Filter:
    action = ACTIONS[row.action] if 0 <= row.action < len(ACTIONS) else "warn"
    context = tuple(c for c in row.context.split(",") if c)
    return Filter(
        row.id, row.title, context, action, as_utc(row.expires_at), tuple(keywords), tuple(statuses)
    )


def keyword_of(row: Any) -> Keyword:
    """A ``custom_filter_keywords`` row as a :class:`Keyword`."""
    return Keyword(row.id, row.custom_filter_id, row.keyword, bool(row.whole_word))


def _post(row: Any) -> FilteredPost:
    return FilteredPost(row.id, row.custom_filter_id, row.status_id)


def list_filters(conn: Connection, account_id: int) -> list[Filter]:
    """The account's filters, oldest first, with their keywords and posts."""
    rows = conn.execute(
        select(custom_filters)
        .where(custom_filters.c.account_id == account_id)
        .order_by(custom_filters.c.id)
    ).all()
    return _with_rules(conn, rows)


def _with_rules(conn: Connection, rows: Sequence[Any]) -> list[Filter]:
    ids = [row.id for row in rows]
    if not ids:
        return []
    words: dict[int, list[Keyword]] = {}
    for row in conn.execute(
        select(custom_filter_keywords)
        .where(custom_filter_keywords.c.custom_filter_id.in_(ids))
        .order_by(custom_filter_keywords.c.id)
    ):
        words.setdefault(row.custom_filter_id, []).append(keyword_of(row))
    posts: dict[int, list[FilteredPost]] = {}
    for row in conn.execute(
        select(custom_filter_statuses)
        .where(custom_filter_statuses.c.custom_filter_id.in_(ids))
        .order_by(custom_filter_statuses.c.id)
    ):
        posts.setdefault(row.custom_filter_id, []).append(_post(row))
    return [_filter(row, words.get(row.id, ()), posts.get(row.id, ())) for row in rows]


def _owned_row(conn: Connection, account_id: int, filter_id: int) -> Any:
    row = conn.execute(
        select(custom_filters).where(
            custom_filters.c.id == filter_id, custom_filters.c.account_id == account_id
        )
    ).first()
    if row is None:
        raise NotFound()
    return row


def get_filter(conn: Connection, account_id: int, filter_id: int) -> Filter:
    """One of the account's filters (404 for anyone else's)."""
    return _with_rules(conn, [_owned_row(conn, account_id, filter_id)])[0]


def _validated(changes: FilterChanges, current: Any | None) -> dict[str, Any]:
    """Column values from ``changes`` (all of them for a new filter), or ValidationFailed
    with every problem, in Mastodon's order."""
    values: dict[str, Any] = {}
    errors: list[str] = []
    if changes.action is not _UNSET:
        if changes.action not in ACTIONS:
            errors.append("Action is not included in the list")
        else:
            values["action"] = ACTIONS.index(changes.action)
    elif current is None:
        values["action"] = 0
    if changes.title is not _UNSET or current is None:
        title = changes.title if isinstance(changes.title, str) else ""
        if not title.strip():
            errors.append("Title can't be blank")
        values["title"] = title
    if changes.context is not _UNSET or current is None:
        given = changes.context if isinstance(changes.context, list) else []
        context = [c.strip() for c in given if isinstance(c, str) and c.strip()]
        if not context:
            errors.append("Context can't be blank")
        if not context or any(c not in CONTEXTS for c in context):
            errors.append("Context None or invalid context supplied")
        values["context"] = ",".join(dict.fromkeys(context))
    if changes.expires_in is not _UNSET:
        seconds = changes.expires_in
        if seconds is not None and seconds > MAX_EXPIRES_IN:
            errors.append("Expires in must be at most 315360000 seconds (ten years)")
            seconds = None
        values["expires_at"] = None if seconds is None else clock.now() + timedelta(seconds=seconds)
    for change in changes.keywords:
        if change.destroy or (change.id is not None and change.keyword is None):
            continue
        if change.keyword is None or not change.keyword.strip():
            if change.id is None and change.whole_word is None and change.keyword is None:
                continue  # Rails' reject_if: :all_blank
            errors.append("Keywords keyword can't be blank")
    if errors:
        raise ValidationFailed(", ".join(dict.fromkeys(errors)))
    return values


def check_changes(changes: FilterChanges, *, new: bool) -> None:
    """Raise ``ValidationFailed`` (Mastodon's messages) if ``changes`` would be refused by
    :func:`create_filter` (``new``) or :func:`update_filter`; writes nothing."""
    _validated(changes, None if new else True)


def create_filter(conn: Connection, account_id: int, changes: FilterChanges) -> Filter:
    """A new filter with its ``keywords`` (``keywords_attributes`` without IDs)."""
    values = _validated(changes, None)
    now = clock.now()
    filter_id = new_id()
    conn.execute(
        custom_filters.insert().values(
            id=filter_id,
            account_id=account_id,
            expires_at=values.pop("expires_at", None),
            created_at=now,
            updated_at=now,
            **values,
        )
    )
    _apply_keywords(conn, filter_id, changes.keywords)
    return get_filter(conn, account_id, filter_id)


def update_filter(
    conn: Connection, account_id: int, filter_id: int, changes: FilterChanges
) -> Filter:
    """Change a filter: the given fields, and keywords added, changed (``id``) or removed
    (``id`` with ``_destroy``); a keyword ID of another filter is 404."""
    current = _owned_row(conn, account_id, filter_id)
    values = _validated(changes, current)
    values["updated_at"] = clock.now()
    conn.execute(update(custom_filters).where(custom_filters.c.id == filter_id).values(**values))
    _apply_keywords(conn, filter_id, changes.keywords)
    return get_filter(conn, account_id, filter_id)


def _apply_keywords(conn: Connection, filter_id: int, changes: Sequence[KeywordChange]) -> None:
    for change in changes:
        if change.id is None:
            if change.destroy or change.keyword is None:
                continue
            conn.execute(
                custom_filter_keywords.insert().values(
                    id=new_id(),
                    custom_filter_id=filter_id,
                    keyword=change.keyword,
                    whole_word=True if change.whole_word is None else change.whole_word,
                    created_at=clock.now(),
                )
            )
            continue
        where = (
            custom_filter_keywords.c.id == change.id,
            custom_filter_keywords.c.custom_filter_id == filter_id,
        )
        if conn.execute(select(custom_filter_keywords.c.id).where(*where)).first() is None:
            raise NotFound()
        if change.destroy:
            conn.execute(delete(custom_filter_keywords).where(*where))
            continue
        values: dict[str, Any] = {}
        if change.keyword is not None:
            values["keyword"] = change.keyword
        if change.whole_word is not None:
            values["whole_word"] = change.whole_word
        if values:
            conn.execute(update(custom_filter_keywords).where(*where).values(**values))


def delete_filter(conn: Connection, account_id: int, filter_id: int) -> None:
    """Remove a filter with its keywords and posts."""
    _owned_row(conn, account_id, filter_id)
    conn.execute(
        delete(custom_filter_keywords).where(custom_filter_keywords.c.custom_filter_id == filter_id)
    )
    conn.execute(
        delete(custom_filter_statuses).where(custom_filter_statuses.c.custom_filter_id == filter_id)
    )
    conn.execute(delete(custom_filters).where(custom_filters.c.id == filter_id))


def _touch(conn: Connection, filter_id: int) -> None:
    conn.execute(
        update(custom_filters)
        .where(custom_filters.c.id == filter_id)
        .values(updated_at=clock.now())
    )


# Keywords -------------------------------------------------------------------------------


def owned_keyword_row(conn: Connection, account_id: int, keyword_id: int) -> Any:
    """The keyword's row if it belongs to one of ``account_id``'s filters (``NotFound``)."""
    row = conn.execute(
        select(custom_filter_keywords)
        .join(custom_filters, custom_filters.c.id == custom_filter_keywords.c.custom_filter_id)
        .where(custom_filter_keywords.c.id == keyword_id, custom_filters.c.account_id == account_id)
    ).first()
    if row is None:
        raise NotFound()
    return row


def get_keyword(conn: Connection, account_id: int, keyword_id: int) -> Keyword:
    return keyword_of(owned_keyword_row(conn, account_id, keyword_id))


def add_keyword(
    conn: Connection, account_id: int, filter_id: int, keyword: str | None, whole_word: bool
) -> Keyword:
    """A keyword added to one of the account's filters."""
    _owned_row(conn, account_id, filter_id)
    if keyword is None or not keyword.strip():
        raise ValidationFailed("Keyword can't be blank")
    keyword_id = new_id()
    conn.execute(
        custom_filter_keywords.insert().values(
            id=keyword_id,
            custom_filter_id=filter_id,
            keyword=keyword,
            whole_word=whole_word,
            created_at=clock.now(),
        )
    )
    _touch(conn, filter_id)
    return Keyword(keyword_id, filter_id, keyword, whole_word)


def update_keyword(
    conn: Connection,
    account_id: int,
    keyword_id: int,
    keyword: str | None,
    whole_word: bool | None,
) -> Keyword:
    row = owned_keyword_row(conn, account_id, keyword_id)
    values: dict[str, Any] = {}
    if keyword is not None:
        if not keyword.strip():
            raise ValidationFailed("Keyword can't be blank")
        values["keyword"] = keyword
    if whole_word is not None:
        values["whole_word"] = whole_word
    if values:
        conn.execute(
            update(custom_filter_keywords)
            .where(custom_filter_keywords.c.id == keyword_id)
            .values(**values)
        )
        _touch(conn, row.custom_filter_id)
    return get_keyword(conn, account_id, keyword_id)


def delete_keyword(conn: Connection, account_id: int, keyword_id: int) -> None:
    row = owned_keyword_row(conn, account_id, keyword_id)
    conn.execute(delete(custom_filter_keywords).where(custom_filter_keywords.c.id == keyword_id))
    _touch(conn, row.custom_filter_id)


# Posts ----------------------------------------------------------------------------------


def _owned_post(conn: Connection, account_id: int, entry_id: int) -> Any:
    row = conn.execute(
        select(custom_filter_statuses)
        .join(custom_filters, custom_filters.c.id == custom_filter_statuses.c.custom_filter_id)
        .where(custom_filter_statuses.c.id == entry_id, custom_filters.c.account_id == account_id)
    ).first()
    if row is None:
        raise NotFound()
    return row


def get_filtered_post(conn: Connection, account_id: int, entry_id: int) -> FilteredPost:
    return _post(_owned_post(conn, account_id, entry_id))


def add_post(
    conn: Connection, account_id: int, filter_id: int, status_id: int | None
) -> FilteredPost:
    """A post added to one of the account's filters: one the account may see, once."""
    _owned_row(conn, account_id, filter_id)
    if status_id is None or load_view(conn, account_id, status_id) is None:
        raise ValidationFailed("Status must exist")
    entry_id = new_id()
    try:
        with conn.begin_nested():
            conn.execute(
                custom_filter_statuses.insert().values(
                    id=entry_id,
                    custom_filter_id=filter_id,
                    status_id=status_id,
                    created_at=clock.now(),
                )
            )
    except IntegrityError:
        raise ValidationFailed("Status has already been taken") from None
    _touch(conn, filter_id)
    return FilteredPost(entry_id, filter_id, status_id)


def filter_post(
    conn: Connection, account_id: int, status_id: int, filter_id: int | None, title: str
) -> Filter:
    """ "Filter this post" (Mastodon's web): the post added to one of the account's filters,
    or to a new one titled ``title`` that warns in every context, as Mastodon's web makes it."""
    if filter_id is None:
        made = create_filter(
            conn, account_id, FilterChanges(title=title, context=list(CONTEXTS), action="warn")
        )
        filter_id = made.id
    add_post(conn, account_id, filter_id, status_id)
    return get_filter(conn, account_id, filter_id)


def filter_titles(conn: Connection, account_id: int) -> list[tuple[int, str]]:
    """The account's filters as (ID, title), oldest first: what a "Filter this post" form
    offers."""
    rows = conn.execute(
        select(custom_filters.c.id, custom_filters.c.title)
        .where(custom_filters.c.account_id == account_id)
        .order_by(custom_filters.c.id)
    ).all()
    return [(int(row.id), str(row.title)) for row in rows]


def delete_post(conn: Connection, account_id: int, entry_id: int) -> None:
    row = _owned_post(conn, account_id, entry_id)
    conn.execute(delete(custom_filter_statuses).where(custom_filter_statuses.c.id == entry_id))
    _touch(conn, row.custom_filter_id)


# v1: one filter per keyword -------------------------------------------------------------


def stream_changed(rt: Runtime, account_id: int) -> None:
    """After a change is committed: Mastodon's ``filters_changed`` on the person's user
    streams (no payload over WebSocket, ``undefined`` over SSE, as Mastodon)."""
    from staffroom.services.delivery import event

    channel = f"timeline:{account_id}"
    if not rt.broker.listened([channel]):
        return
    meta: dict[str, Any] = {"author_id": None, "reblog_author_id": None, "mentioned": []}
    # Over SSE Mastodon's payload reads ``undefined`` (JavaScript's), and clients expect it.
    rt.broker.publish(channel, event(FILTERS_CHANGED, "undefined", meta))
