"""Mastodon's v1 filters, answered from v2 as Mastodon does: one v1 ``Filter`` per keyword,
with its filter's settings; a v1 change to the settings of a filter with several keywords is
refused (422) with Mastodon's words."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection

from staffroom.errors import StaffroomError
from staffroom.services import filters
from staffroom.services.filters import UNSET

MULTIPLE_KEYWORDS = (  # Mastodon's words when v1 would change a filter of several keywords
    "These parameters cannot be changed from this application because they apply to more"
    " than one filter keyword. Use a more recent application or the web interface."
)


class V1Refused(StaffroomError):
    """422 with a bare message (Mastodon's ``Mastodon::ValidationError``)."""

    status = 422


@dataclass(frozen=True, slots=True)
class V1Filter:
    """Mastodon's v1 ``Filter``: a keyword seen with its filter's settings."""

    keyword: filters.Keyword
    filter: filters.Filter


def list_v1(conn: Connection, account_id: int) -> list[V1Filter]:
    return [V1Filter(k, f) for f in filters.list_filters(conn, account_id) for k in f.keywords]


def get_v1(conn: Connection, account_id: int, keyword_id: int) -> V1Filter:
    row = filters.owned_keyword_row(conn, account_id, keyword_id)
    return V1Filter(
        filters.keyword_of(row), filters.get_filter(conn, account_id, row.custom_filter_id)
    )


def create_v1(
    conn: Connection,
    account_id: int,
    changes: filters.FilterChanges,
    phrase: str | None,
    whole_word: bool,
) -> V1Filter:
    """A v1 filter: a new filter titled with the phrase, holding that one keyword."""
    changes.title = phrase if phrase is not None else ""
    changes.keywords = []
    made = filters.create_filter(conn, account_id, changes)
    keyword = filters.add_keyword(conn, account_id, made.id, phrase, whole_word)
    return get_v1(conn, account_id, keyword.id)


def update_v1(
    conn: Connection,
    account_id: int,
    keyword_id: int,
    changes: filters.FilterChanges,
    phrase: str | None,
    whole_word: bool | None,
) -> V1Filter:
    """Change a v1 filter: its keyword, and its filter's settings unless that filter has
    other keywords too (then 422, as Mastodon)."""
    row = filters.owned_keyword_row(conn, account_id, keyword_id)
    filters.update_keyword(conn, account_id, keyword_id, phrase, whole_word)
    current = filters.get_filter(conn, account_id, row.custom_filter_id)
    changes.keywords = []
    if phrase is not None:
        changes.title = phrase
    if _changes_filter(current, changes) and len(current.keywords) > 1:
        raise V1Refused(MULTIPLE_KEYWORDS)
    filters.update_filter(conn, account_id, current.id, changes)
    return get_v1(conn, account_id, keyword_id)


def _changes_filter(current: filters.Filter, changes: filters.FilterChanges) -> bool:
    if changes.title is not UNSET and changes.title != current.title:
        return True
    if changes.context is not UNSET and tuple(changes.context) != current.context:
        return True
    if changes.action is not UNSET and changes.action != current.action:
        return True
    return changes.expires_in is not UNSET


def delete_v1(conn: Connection, account_id: int, keyword_id: int) -> None:
    """Remove a v1 filter: its keyword (the filter stays, as in Mastodon)."""
    filters.delete_keyword(conn, account_id, keyword_id)
