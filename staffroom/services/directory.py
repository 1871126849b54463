"""The directory: people who opted in, described by the instance's fields, to browse.

Writes ``directory_entries`` and ``directory_field_values`` (migration 0026), nothing else;
causes nothing. Listing is off by default: a person is in the directory only while they have
an entry *and* their account is ``discoverable`` (turning discoverability off in the profile
hides them without losing what they wrote). Deleted accounts go with their rows.

Browsing (:func:`browse`) is one bounded statement: the entries, intersected with one index
seek on ``(field, value, account_id)`` per filtered field (values of one field are
alternatives, fields are all required), minus, for a signed-in viewer, whoever blocks them,
whom they block and whom they mute (as Mastodon's directory: ``not_excluded_by_account``),
ordered by last post (``active``) or by when they were listed (``new``), ``LIMIT``/``OFFSET``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, delete, insert, select, update

from staffroom import clock
from staffroom.db.tables import (
    accounts,
    blocks,
    directory_entries,
    directory_field_values,
    mutes,
)
from staffroom.errors import ValidationFailed
from staffroom.input import refuse_forbidden_characters
from staffroom.messages import T_
from staffroom.services.accounts import get_accounts
from staffroom.services.blocks import mute_active
from staffroom.services.bulk_follows import BulkFollow, latest_undoable
from staffroom.services.directory_fields import DirectoryField
from staffroom.services.relationships import Relationship, relationships

WHY_FOLLOW_MAX = 160
ORDERS = ("active", "new")
MAX_LIMIT = 80
MAX_OFFSET = 100_000  # deeper pages are refused (422) rather than scanned
MAX_FILTER_VALUES = 20  # per field


@dataclass(frozen=True, slots=True)
class DirectoryEntry:
    """One person's listing: their "why follow me" line and chosen values by field name."""

    account_id: int
    why_follow: str
    listed_at: datetime
    values: dict[str, list[str]] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class DirectoryQuery:
    """What to browse: chosen values by field (checked by :func:`read_query`), the order
    (``active`` or ``new``) and the window."""

    filters: dict[str, list[str]] = field(default_factory=dict)
    order: str = "active"
    offset: int = 0
    limit: int = 40


def read_query(
    fields: Sequence[DirectoryField],
    values: Mapping[str, Sequence[str]],
    *,
    order: str | None = None,
    offset: int | None = None,
    limit: int | None = None,
    default_limit: int = 40,
) -> DirectoryQuery:
    """A checked :class:`DirectoryQuery`: unknown values, orders or windows are refused (422);
    empty values (a form's "any") are ignored."""
    filters: dict[str, list[str]] = {}
    for f in fields:
        chosen = list(dict.fromkeys(v for v in values.get(f.name, ()) if v))
        if len(chosen) > MAX_FILTER_VALUES:
            raise ValidationFailed(
                T_(
                    "Choose at most %(count)s values of %(field)s",
                    count=MAX_FILTER_VALUES,
                    field=f.name,
                )
            )
        for value in chosen:
            if not f.accepts(value):
                raise ValidationFailed(
                    T_("%(field)s has no choice “%(value)s”", field=f.name, value=value[:64])
                )
        if chosen:
            filters[f.name] = chosen
    order = order or "active"
    if order not in ORDERS:
        raise ValidationFailed(T_("order must be active or new"))
    offset = 0 if offset is None else offset
    if not 0 <= offset <= MAX_OFFSET:
        raise ValidationFailed(T_("offset must be from 0 to %(max)s", max=MAX_OFFSET))
    limit = default_limit if limit is None else limit
    limit = max(1, min(limit, MAX_LIMIT))
    return DirectoryQuery(filters, order, offset, limit)


def _excluded_for(viewer_id: int) -> list[Any]:
    blocked = select(blocks.c.target_account_id).where(blocks.c.account_id == viewer_id)
    blocking = select(blocks.c.account_id).where(blocks.c.target_account_id == viewer_id)
    muted = select(mutes.c.target_account_id).where(mutes.c.account_id == viewer_id, mute_active())
    listed = directory_entries.c.account_id
    return [listed.not_in(blocked), listed.not_in(blocking), listed.not_in(muted)]


def listed_ids(conn: Connection, viewer_id: int | None, query: DirectoryQuery) -> list[int]:
    """The IDs of one page of listed people for ``viewer_id`` (``None``: signed out)."""
    listed = directory_entries.c.account_id
    stmt = (
        select(listed)
        .join(accounts, accounts.c.id == listed)
        .where(accounts.c.discoverable.is_(True))
    )
    for name, values in query.filters.items():
        stmt = stmt.where(
            listed.in_(
                select(directory_field_values.c.account_id).where(
                    directory_field_values.c.field == name,
                    directory_field_values.c.value.in_(values),
                )
            )
        )
    if viewer_id is not None:
        stmt = stmt.where(*_excluded_for(viewer_id))
    if query.order == "new":
        stmt = stmt.order_by(directory_entries.c.listed_at.desc(), listed.desc())
    else:
        stmt = stmt.order_by(accounts.c.last_status_at.desc().nulls_last(), listed.desc())
    stmt = stmt.limit(query.limit).offset(query.offset)
    return [int(i) for i in conn.execute(stmt).scalars()]


def browse(conn: Connection, viewer_id: int | None, query: DirectoryQuery) -> list[Row[Any]]:
    """One page of listed people (``accounts`` rows), in the query's order."""
    ids = listed_ids(conn, viewer_id, query)
    rows = get_accounts(conn, ids)
    return [rows[i] for i in ids if i in rows]


def entries_for(conn: Connection, account_ids: Iterable[int]) -> dict[int, DirectoryEntry]:
    """The listings of those of ``account_ids`` who are listed (by account ID)."""
    ids = list(dict.fromkeys(account_ids))
    if not ids:
        return {}
    values: dict[int, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for row in conn.execute(
        select(directory_field_values)
        .where(directory_field_values.c.account_id.in_(ids))
        .order_by(directory_field_values.c.account_id)
    ):
        values[row.account_id][row.field].append(row.value)
    return {
        row.account_id: DirectoryEntry(
            row.account_id, row.why_follow, row.listed_at, dict(values.get(row.account_id, {}))
        )
        for row in conn.execute(
            select(directory_entries).where(directory_entries.c.account_id.in_(ids))
        )
    }


def entry_of(conn: Connection, account_id: int) -> DirectoryEntry | None:
    """``account_id``'s listing, or ``None`` if they are not listed."""
    return entries_for(conn, [account_id]).get(account_id)


def clean_why_follow(text: str) -> str:
    """The "why follow me" line as stored: one line, trimmed, at most ``WHY_FOLLOW_MAX``."""
    refuse_forbidden_characters(text, "why_follow")
    line = " ".join(text.split())
    if len(line) > WHY_FOLLOW_MAX:
        raise ValidationFailed(
            T_("“Why follow me” is at most %(count)s characters", count=WHY_FOLLOW_MAX),
            field="why_follow",
        )
    return line


def check_values(
    fields: Sequence[DirectoryField], values: Mapping[str, Sequence[str]]
) -> dict[str, list[str]]:
    """The chosen values by field, checked: known choices, at most each field's maximum."""
    checked: dict[str, list[str]] = {}
    for f in fields:
        chosen = list(dict.fromkeys(v for v in values.get(f.name, ()) if v))
        bad = next((v for v in chosen if not f.accepts(v)), None)
        if bad is not None:
            raise ValidationFailed(
                T_("“%(value)s” is not one of the choices", value=bad[:64]), field=f.name
            )
        if len(chosen) > f.max_values:
            raise ValidationFailed(T_("Choose at most %(count)s", count=f.max_values), field=f.name)
        if chosen:
            checked[f.name] = chosen
    return checked


def save_entry(
    conn: Connection,
    fields: Sequence[DirectoryField],
    account_id: int,
    *,
    listed: bool,
    values: Mapping[str, Sequence[str]],
    why_follow: str,
) -> DirectoryEntry | None:
    """List (or re-describe) ``account_id`` with ``values`` and ``why_follow``, or, with
    ``listed=False``, take them out of the directory (their values go too). Checks first:
    nothing is written when a value is refused (422)."""
    if not listed:
        conn.execute(
            delete(directory_field_values).where(directory_field_values.c.account_id == account_id)
        )
        conn.execute(delete(directory_entries).where(directory_entries.c.account_id == account_id))
        return None
    checked = check_values(fields, values)
    line = clean_why_follow(why_follow)
    now = clock.now()
    changed = conn.execute(
        update(directory_entries)
        .where(directory_entries.c.account_id == account_id)
        .values(why_follow=line, updated_at=now)
    ).rowcount
    if not changed:
        conn.execute(
            insert(directory_entries).values(
                account_id=account_id, why_follow=line, listed_at=now, updated_at=now
            )
        )
    conn.execute(
        delete(directory_field_values).where(directory_field_values.c.account_id == account_id)
    )
    rows = [
        {"account_id": account_id, "field": name, "value": value}
        for name, chosen in checked.items()
        for value in chosen
    ]
    if rows:
        conn.execute(insert(directory_field_values), rows)
    return entry_of(conn, account_id)


@dataclass(frozen=True, slots=True)
class ListedPerson:
    """One person on the directory page: account row, listing, the viewer's relationship."""

    account: Row[Any]
    entry: DirectoryEntry | None
    relationship: Relationship | None  # None: signed out, or the viewer themselves


@dataclass(frozen=True, slots=True)
class DirectoryPage:
    """A page of the directory for the web, with the viewer's undoable follow-all, if any."""

    people: list[ListedPerson]
    has_more: bool
    bulk: BulkFollow | None = None


def directory_page(
    conn: Connection, viewer_id: int | None, query: DirectoryQuery, *, bulk_source: str
) -> DirectoryPage:
    """One page of :func:`browse` with each person's listing and relationship, whether there
    is a next page, and the viewer's latest undoable follow-all from ``bulk_source``."""
    wider = DirectoryQuery(query.filters, query.order, query.offset, query.limit + 1)
    rows = browse(conn, viewer_id, wider)
    more = len(rows) > query.limit
    rows = rows[: query.limit]
    ids = [int(row.id) for row in rows]
    listings = entries_for(conn, ids)
    rels: dict[int, Relationship] = {}
    bulk = None
    if viewer_id is not None:
        others = [i for i in ids if i != viewer_id]
        rels = {rel.account_id: rel for rel in relationships(conn, viewer_id, others)}
        bulk = latest_undoable(conn, viewer_id, bulk_source)
    people = [ListedPerson(row, listings.get(int(row.id)), rels.get(int(row.id))) for row in rows]
    return DirectoryPage(people, more, bulk)


def own_listing(conn: Connection, account_id: int) -> tuple[DirectoryEntry | None, bool]:
    """The person's listing (if any) and whether their account is discoverable."""
    discoverable = conn.execute(
        select(accounts.c.discoverable).where(accounts.c.id == account_id)
    ).scalar_one()
    return entry_of(conn, account_id), bool(discoverable)


def subjects_of(conn: Connection, account_id: int, field: str = "subject") -> list[str]:
    """The person's chosen values of ``field`` (listed or not), in stored order."""
    return list(
        conn.execute(
            select(directory_field_values.c.value).where(
                directory_field_values.c.account_id == account_id,
                directory_field_values.c.field == field,
            )
        ).scalars()
    )


def save_subjects(
    conn: Connection,
    fields: Sequence[DirectoryField],
    account_id: int,
    subjects: Sequence[str],
    *,
    list_me: bool,
    field: str = "subject",
) -> None:
    """The first run's "what do you teach": replace the person's values of ``field`` only
    (checked as the settings page checks them). Kept unlisted, they shape suggestions ("in
    the directory under your subject") and the directory's filters no one else sees;
    ``list_me`` lists the person (an existing listing keeps its other fields and line);
    without it, a listed person leaves the directory (their values stay, unseen).
    """
    known = [f for f in fields if f.name == field]
    checked = check_values(known, {field: subjects}).get(field, [])
    conn.execute(
        delete(directory_field_values).where(
            directory_field_values.c.account_id == account_id,
            directory_field_values.c.field == field,
        )
    )
    if checked:
        conn.execute(
            insert(directory_field_values),
            [{"account_id": account_id, "field": field, "value": v} for v in checked],
        )
    listed = entry_of(conn, account_id) is not None
    if list_me and not listed:
        now = clock.now()
        conn.execute(
            insert(directory_entries).values(
                account_id=account_id, why_follow="", listed_at=now, updated_at=now
            )
        )
    elif listed and not list_me:  # unticked: out of the directory, the subjects kept
        conn.execute(delete(directory_entries).where(directory_entries.c.account_id == account_id))
