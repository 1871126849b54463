"""Full-text search of posts for one signed-in viewer (Mastodon's ``StatusesSearchService``).

Which posts are searchable, as Mastodon: public posts of people who allow it
(``accounts.indexable``) and the viewer's *library*: posts they wrote, were mentioned in,
favourited, bookmarked, reposted or voted in (``in:library`` keeps only those, ``in:public``
only the others). Staffroom is stricter: the statement also narrows to what the visibility
policy would let the viewer open (so a page is full), without the authors they block, who
block them or whom they mute; then ``status_views.load_views`` applies the policy itself
(``policies.visibility``), the one owner of "may this viewer see this post". Every condition
is an index probe per candidate, and candidates come newest first from the index, so a page
stops early instead of scanning (decision 0014).
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, and_, exists, false, not_, or_, select

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
    status_tags,
    statuses,
    tags,
)
from staffroom.ids import id_floor
from staffroom.policies.visibility import PRIVATE, PUBLIC, UNLISTED
from staffroom.services.accounts import find_by_username
from staffroom.services.blocks import mute_active
from staffroom.services.search_index import text_search
from staffroom.services.search_query import Filter, ParsedQuery, parse

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


def _library(viewer_id: int) -> Any:
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


def _visible_to(viewer_id: int) -> Any:
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
        mutes.c.account_id == viewer_id, mutes.c.target_account_id == author, mute_active()
    )
    return or_(author == viewer_id, and_(may_open, ~blocked, ~muted))


def _tag(name: str) -> Any:
    return exists().where(
        status_tags.c.status_id == statuses.c.id,
        status_tags.c.tag_id == tags.c.id,
        tags.c.name_lower == name.lower(),
    )


def _filter(conn: Connection, item: Filter, order_id: Any, viewer: int, domain: str | None) -> Any:
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
    if item.name == "before":
        return order_id < id_floor(_ms(start))
    if item.name == "after":
        return order_id >= id_floor(_ms(end) + (0 if end != start else 1))
    return and_(order_id >= id_floor(_ms(start)), order_id < id_floor(_ms(end)))


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
    found = text_search(conn.dialect.name, parsed.must, parsed.must_not)
    order_id = found.order_id
    scope = {"all": or_(_public_index(), _library(viewer_id)), "library": _library(viewer_id)}
    where = [*found.where, scope.get(parsed.scope, _public_index()), _visible_to(viewer_id)]
    where += [_tag(name) for name in parsed.tags]
    where += [not_(_tag(name)) for name in parsed.tags_not]
    for item in parsed.filters:
        condition = _filter(conn, item, order_id, viewer_id, domain)
        where.append(not_(condition) if item.negated else condition)
    if account_id is not None:
        where.append(statuses.c.account_id == account_id)
    if min_id is not None:
        where.append(order_id > min_id)
    if max_id is not None:
        where.append(order_id < max_id)
    query = (
        select(statuses.c.id)
        .select_from(found.source)
        .where(*where)
        .order_by(order_id.desc())
        .limit(limit)
        .offset(offset)
    )
    return list(conn.execute(query).scalars())
