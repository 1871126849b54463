"""Full-text search of posts for one signed-in viewer (Mastodon's ``StatusesSearchService``).

Which posts are searchable, as Mastodon: public posts of people who allow it
(``accounts.indexable``) and the viewer's *library*: posts they wrote, were mentioned in,
favourited, bookmarked, reposted or voted in (``in:library`` keeps only those, ``in:public``
only the others). Staffroom is stricter: the statement also narrows to what the visibility
policy would let the viewer open (so a page is full), without the authors they block, who
block them or whom they mute; then ``status_views.load_views`` applies the policy itself
(``policies.visibility``), the one owner of "may this viewer see this post". Every condition
is an index probe per candidate, and candidates come newest first from the index, so a page
stops early instead of scanning (decision 0018).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Connection,
    DateTime,
    and_,
    bindparam,
    exists,
    false,
    not_,
    or_,
    select,
    true,
    union,
)

from staffroom.db.tables import (
    accounts,
    blocks,
    bookmarks,
    favourites,
    follows,
    media_attachments,
    mentions,
    mutes,
    poll_votes,
    polls,
    status_tags,
    statuses,
    tags,
)
from staffroom.ids import id_floor
from staffroom.policies.visibility import PRIVATE, PUBLIC, UNLISTED
from staffroom.services.accounts import find_by_username
from staffroom.services.search_index import (
    TextSearch,
    fts_contains,
    fts_expression,
    fts_window,
    fts_window_floor,
    text_search,
)
from staffroom.services.search_query import Filter, ParsedQuery, TextPart, parse

_USERNAME = re.compile(r"^[A-Za-z0-9_]{1,30}\Z")
_MEDIA_KINDS = {"image": ("image",), "video": ("video", "gifv"), "audio": ("audio",)}


def _ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


def _author_id(conn: Connection, value: str, viewer_id: int, domain: str | None) -> int:
    """``from:`` as an account ID: ``me``, a local name; -1 (finds nothing) otherwise."""
    if value.lower() == "me":
        return viewer_id
    name, _, host = value.partition("@")
    if host and (domain is None or host.lower() != domain.lower()):
        return -1
    row = find_by_username(conn, name) if _USERNAME.match(name) else None
    return int(row.id) if row is not None else -1


_VIEWER = bindparam("search_viewer", type_=BigInteger)
_NOW = bindparam("search_now", type_=DateTime(timezone=True))


def _library(viewer_id: Any) -> Any:
    """Posts the viewer wrote or took part in (Mastodon's ``searchable_by``)."""
    sid = statuses.c.id
    reposts = statuses.alias("reposts")
    return or_(
        statuses.c.account_id == viewer_id,
        exists().where(mentions.c.status_id == sid, mentions.c.account_id == viewer_id),
        exists().where(favourites.c.account_id == viewer_id, favourites.c.status_id == sid),
        exists().where(bookmarks.c.account_id == viewer_id, bookmarks.c.status_id == sid),
        exists().where(reposts.c.reblog_of_id == sid, reposts.c.account_id == viewer_id),
        and_(
            statuses.c.poll_id.is_not(None),
            exists().where(
                poll_votes.c.poll_id == statuses.c.poll_id, poll_votes.c.account_id == viewer_id
            ),
        ),
    )


def _public_index() -> Any:
    """Public posts of people who let search find them (Mastodon's public index)."""
    return and_(
        statuses.c.visibility == PUBLIC,
        exists().where(accounts.c.id == statuses.c.account_id, accounts.c.indexable.is_(True)),
    )


def _visible_to(viewer_id: Any) -> Any:
    """What ``policies.visibility.may_see`` allows, and the viewer's blocks and mutes (as
    Mastodon's ``StatusFilter``), as SQL: it narrows the statement; the policy decides."""
    author = statuses.c.account_id
    may_open = or_(
        statuses.c.visibility.in_((PUBLIC, UNLISTED)),
        exists().where(mentions.c.status_id == statuses.c.id, mentions.c.account_id == viewer_id),
        and_(
            statuses.c.visibility == PRIVATE,
            exists().where(
                follows.c.account_id == viewer_id, follows.c.target_account_id == author
            ),
        ),
    )
    blocked = exists().where(
        or_(
            and_(blocks.c.account_id == viewer_id, blocks.c.target_account_id == author),
            and_(blocks.c.account_id == author, blocks.c.target_account_id == viewer_id),
        )
    )
    muted = exists().where(
        mutes.c.account_id == viewer_id,
        mutes.c.target_account_id == author,
        or_(mutes.c.expires_at.is_(None), mutes.c.expires_at > _NOW),  # as blocks.mute_active
    )
    return or_(author == viewer_id, and_(may_open, ~blocked, ~muted))


# The rule for a viewer, built once: the statement takes the viewer and the time as
# parameters (building these conditions anew cost more than running them).
_SCOPES = {
    "all": and_(or_(_public_index(), _library(_VIEWER)), _visible_to(_VIEWER)),
    "library": and_(_library(_VIEWER), _visible_to(_VIEWER)),
    "public": and_(_public_index(), _visible_to(_VIEWER)),
}


def _tag(name: str) -> Any:
    return exists().where(
        status_tags.c.status_id == statuses.c.id,
        status_tags.c.tag_id == tags.c.id,
        tags.c.name_lower == name.lower(),
    )


def _filter(conn: Connection, item: Filter, viewer: int, domain: str | None) -> Any:
    value = item.value
    if item.name == "from":
        return statuses.c.account_id == _author_id(conn, str(value), viewer, domain)
    if item.name == "language":
        code = str(value)
        return or_(statuses.c.language == code, statuses.c.language.startswith(code + "-"))
    if item.name == "is":
        if value == "reply":
            return statuses.c.in_reply_to_id.is_not(None)
        return or_(statuses.c.sensitive.is_(True), statuses.c.spoiler_text != "")
    if item.name == "has":
        return _has(str(value))
    assert isinstance(value, tuple)
    start: datetime = value[0]
    end: datetime = value[1]
    low, high = _date_bounds(item.name, start, end)
    sid = statuses.c.id
    return and_(
        sid > low if low is not None else true(), sid < high if high is not None else true()
    )


def _date_bounds(name: str, start: datetime, end: datetime) -> tuple[int | None, int | None]:
    """Exclusive ID bounds of ``before:``/``after:``/``during:`` (IDs are time-ordered)."""
    if name == "before":
        return None, id_floor(_ms(start))
    after = id_floor(_ms(end) + (0 if end != start else 1)) - 1
    if name == "after":
        return after, None
    return id_floor(_ms(start)) - 1, id_floor(_ms(end))


def _has(value: str) -> Any:
    if value == "poll":
        return statuses.c.poll_id.is_not(None)
    if value == "link":  # Staffroom has no preview cards: a link in the text
        text = statuses.c.text
        return or_(text.contains("http://"), text.contains("https://"))
    if value == "embed":  # a video preview card in Mastodon; Staffroom makes none
        return false()
    media = exists().where(
        media_attachments.c.status_id == statuses.c.id, media_attachments.c.position >= 0
    )
    if value in _MEDIA_KINDS:
        media = media.where(media_attachments.c.kind.in_(_MEDIA_KINDS[value]))
    return media


# FTS5 matches read per window: a page of a common word ends in the first (finding its
# floor costs FTS5 a walk of that many matches, phrases and prefixes most); a rarer
# combination of words and operators moves to a driver (below) or to windows 8 times larger,
# up to WINDOW.
FIRST_WINDOW = 40  # at least twice the page
WINDOW = 4000


def _bounds(
    parsed: ParsedQuery, min_id: int | None, max_id: int | None
) -> tuple[int | None, int | None, list[Filter]]:
    """Exclusive ID bounds from ``min_id``/``max_id`` and the positive date operators, and
    the filters left to apply as conditions."""
    low, high, rest = min_id, max_id, []
    for item in parsed.filters:
        if item.name in ("before", "after", "during") and not item.negated:
            assert isinstance(item.value, tuple)
            a, b = _date_bounds(item.name, item.value[0], item.value[1])
            low = a if low is None or (a is not None and a > low) else low
            high = b if high is None or (b is not None and b < high) else high
        else:
            rest.append(item)
    return low, high, rest


def _driver(
    conn: Connection, parsed: ParsedQuery, viewer_id: int, rest: list[Filter], domain: str | None
) -> TextSearch | None:
    """A narrow set of posts to read newest first by an index when the words are common and
    the operators rare: one author's posts (``from:``), one's library (``in:library``) or
    posts with a poll; each is then probed in the FTS5 index."""
    for item in rest:
        if item.name == "from" and not item.negated:
            author = _filter(conn, item, viewer_id, domain)
            return TextSearch(statuses, [author], statuses.c.id)
    if parsed.scope == "library":
        ids = _library_ids(_VIEWER).subquery("library")
        source = ids.join(statuses, statuses.c.id == ids.c.id)
        return TextSearch(source, [], ids.c.id)
    if any(i.name == "has" and i.value == "poll" and not i.negated for i in rest):
        return TextSearch(
            polls.join(statuses, statuses.c.id == polls.c.status_id), [], polls.c.status_id
        )
    return None


def _library_ids(viewer_id: Any) -> Any:
    """IDs of the posts in the viewer's library, as one set (each part by an index)."""
    reposts = statuses.alias("reposts")
    return union(
        select(statuses.c.id.label("id")).where(statuses.c.account_id == viewer_id),
        select(mentions.c.status_id).where(mentions.c.account_id == viewer_id),
        select(favourites.c.status_id).where(favourites.c.account_id == viewer_id),
        select(bookmarks.c.status_id).where(bookmarks.c.account_id == viewer_id),
        select(reposts.c.reblog_of_id).where(
            reposts.c.account_id == viewer_id, reposts.c.reblog_of_id.is_not(None)
        ),
        select(polls.c.status_id)
        .join(poll_votes, poll_votes.c.poll_id == polls.c.id)
        .where(poll_votes.c.account_id == viewer_id),
    )


def search_status_ids(
    conn: Connection,
    viewer_id: int | None,
    q: str | ParsedQuery,
    limit: int,
    offset: int = 0,
    *,
    account_id: int | None = None,
    min_id: int | None = None,
    max_id: int | None = None,
    domain: str | None = None,
) -> list[int]:
    """IDs of posts matching ``q`` that the viewer may find, newest first. Nothing for an
    anonymous reader (as Mastodon) or a query with nothing to search for."""
    parsed = parse(q) if isinstance(q, str) else q
    if viewer_id is None or parsed.empty or limit <= 0:
        return []
    low, high, rest = _bounds(parsed, min_id, max_id)
    where = [_SCOPES[parsed.scope]]
    where += [_tag(name) for name in parsed.tags]
    where += [not_(_tag(name)) for name in parsed.tags_not]
    for item in rest:
        condition = _filter(conn, item, viewer_id, domain)
        where.append(not_(condition) if item.negated else condition)
    if account_id is not None:
        where.append(statuses.c.account_id == account_id)
    need = offset + limit
    values = {"search_viewer": viewer_id, "search_now": datetime.now(UTC)}
    # A hashtag is also a word of the post's text: the index narrows by it too.
    words = [*parsed.must, *(TextPart(name, "term") for name in parsed.tags)]
    expression = fts_expression(words, parsed.must_not)
    if conn.dialect.name != "sqlite" or expression is None:
        found = text_search(conn.dialect.name, words, parsed.must_not)
        return _page(conn, values, found, [*where, *_between(statuses.c.id, low, high)], need)[
            offset:
        ]
    ids: list[int] = []
    below, size = high, min(max(FIRST_WINDOW, 2 * need), WINDOW)
    while len(ids) < need:
        floor = fts_window_floor(conn, expression, low, below, size)
        ids += _page(
            conn, values, fts_window(expression, low, below, floor), where, need - len(ids)
        )
        if len(ids) >= need or floor is None:
            break
        driver = _driver(conn, parsed, viewer_id, rest, domain)
        if driver is not None:  # the rest: read from the narrow set, probed in FTS5
            probe = [fts_contains(expression), *_between(driver.order_id, low, floor)]
            narrow = TextSearch(driver.source, [*driver.where, *probe], driver.order_id)
            ids += _page(conn, values, narrow, where, need - len(ids))
            break
        below, size = floor, min(size * 8, WINDOW)
    return ids[offset:need]


def _between(column: Any, low: int | None, high: int | None) -> list[Any]:
    return [
        c
        for c in (
            column > low if low is not None else None,
            column < high if high is not None else None,
        )
        if c is not None
    ]


def _page(
    conn: Connection, values: dict[str, Any], found: TextSearch, where: list[Any], size: int
) -> list[int]:
    query = (
        select(statuses.c.id)
        .select_from(found.source)
        .where(*found.where, *where)
        .order_by(found.order_id.desc())
        .limit(size)
    )
    return list(conn.execute(query, values).scalars())
