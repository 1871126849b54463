"""Posting a status: validate and store it, with its delivery job, in one transaction.

Writes ``statuses``, ``mentions``, ``tags``/``status_tags``, ``idempotency_keys``, the
post's ``media_attachments`` (taken through ``media_ids``) or its poll (``services.polls``),
its quote (``services.quotes``), the
author's counters, the parent's ``replies_count``, the author's own home timeline, and a
``deliver_status`` job (``services.delivery``: followers' timelines, notifications, streams).
Either all of it is written or none of it, so a post exists if and only if its delivery does.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, bindparam, func, insert, or_, select, update

from staffroom import clock
from staffroom.cache import BoundedCache
from staffroom.db import fastsql
from staffroom.db.tables import (
    accounts,
    idempotency_keys,
    mentions,
    statuses,
    tags,
)
from staffroom.db.upsert import insert_ignore
from staffroom.errors import NotFound, ValidationFailed
from staffroom.ids import id_at, new_id
from staffroom.jobs.queue import enqueue
from staffroom.messages import N_, T_
from staffroom.policies.visibility import PUBLIC, VISIBILITY_CODES
from staffroom.services import event_topic_posts, quotes
from staffroom.services.media import attach_media, check_media_ids
from staffroom.services.polls import NewPoll, check_poll, create_poll
from staffroom.services.status_views import StatusView, load_view
from staffroom.text import extract_hashtags, extract_mentions, render_html, weighted_length
from staffroom.text.extract import MAX_URL_LENGTH
from staffroom.timelines.store import FeedEntry
from staffroom.urls import tag_url

if TYPE_CHECKING:
    from staffroom.config import Settings
    from staffroom.runtime import Runtime

MAX_SPOILER = 500


@dataclass(frozen=True, slots=True)
class NewStatus:
    """What an author asks to post."""

    text: str
    visibility: str = "public"
    in_reply_to_id: int | None = None
    spoiler_text: str = ""
    sensitive: bool = False
    language: str | None = None
    idempotency_key: str | None = None
    app_id: int | None = None
    # Attachments (``POST /api/v2/media``), in the order the post shows them.
    media_ids: tuple[int, ...] = ()
    # When it was written, for imported or demo posts (default: now).
    created_at: datetime | None = None
    poll: NewPoll | None = None
    # The post it quotes, and who may quote this one (default: the account's setting).
    quoted_status_id: int | None = None
    quote_approval_policy: str | None = None

    @classmethod
    def from_dict(cls, values: dict[str, Any]) -> NewStatus:
        """From what :func:`dataclasses.asdict` gave (a scheduled post's stored params)."""
        values = dict(values)
        values["media_ids"] = tuple(values.get("media_ids") or ())
        poll = values.get("poll")
        values["poll"] = NewPoll.from_dict(poll) if poll else None
        return cls(**values)


# Statements built once (building a statement costs more than running it here).
_EARLIER = select(idempotency_keys.c.status_id).where(
    idempotency_keys.c.account_id == bindparam("author"), idempotency_keys.c.key == bindparam("key")
)
_MENTIONED = select(accounts.c.id, accounts.c.username, accounts.c.username_lower).where(
    accounts.c.username_lower.in_(bindparam("names", expanding=True))
)
# At most once a minute per tag: a popular chat tag would otherwise make every post wait
# for the same row lock (measured on PostgreSQL, docs/PERFORMANCE.md).
_TAG_TOUCH = (
    update(tags)
    .where(tags.c.name_lower.in_(bindparam("names", expanding=True)))
    .where(or_(tags.c.last_status_at.is_(None), tags.c.last_status_at < bindparam("stale")))
    .values(last_status_at=bindparam("now"))
)
# Plain SQL (``fastsql``) for the statements every post runs: SQLAlchemy's per-statement
# cost was most of the group-commit writer's time (docs/PERFORMANCE.md).
_TAG_IDS = "SELECT name_lower, id FROM tags WHERE name_lower IN (?)"
_INSERT_STATUS = (
    "INSERT INTO statuses (id, account_id, text, content_html, spoiler_text, sensitive,"
    " visibility, language, in_reply_to_id, in_reply_to_account_id, reblog_of_id, app_id,"
    " replies_count, reblogs_count, favourites_count, created_at, quoted_status_id,"
    " quote_approval_policy, quotes_count)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, 0, 0, 0, ?, ?, ?, 0)"
)
_INSERT_MENTIONS = insert(mentions)
_INSERT_STATUS_TAG = "INSERT INTO status_tags (status_id, tag_id) VALUES (?, ?)"
_INSERT_KEY = insert(idempotency_keys)
_COUNT_POST = (
    "UPDATE accounts SET statuses_count = statuses_count + 1, last_status_at = ? WHERE id = ?"
)
_COUNT_REPLY = (
    update(statuses)
    .where(statuses.c.id == bindparam("parent"))
    .values(replies_count=statuses.c.replies_count + 1)
)


class _RecentTags:
    """When this runtime last set each tag's ``last_status_at``: a tag used again within the
    minute needs no update (the stored time is already less than a minute old). Bounded;
    a rolled-back post can leave a tag's time up to a minute older than its last post."""

    def __init__(self, capacity: int = 10_000) -> None:
        self._touched: BoundedCache[str, datetime] = BoundedCache(capacity)

    def stale(self, names: list[str], now: datetime) -> list[str]:
        since = now - TAG_TOUCH_INTERVAL
        return [n for n in names if (t := self._touched.get(n)) is None or t < since]

    def touched(self, names: list[str], now: datetime) -> None:
        for name in names:
            self._touched.put(name, now)


TAG_TOUCH_INTERVAL = timedelta(minutes=1)


def _recent_tags(rt: Runtime) -> _RecentTags:
    """This runtime's (so this database's) record of recently touched tags."""
    found = rt.extras.get("recent_tags")
    if found is None:
        found = rt.extras.setdefault("recent_tags", _RecentTags())
    assert isinstance(found, _RecentTags)
    return found


def _existing(conn: Connection, author_id: int, key: str | None) -> int | None:
    if not key:
        return None
    found: int | None = conn.execute(_EARLIER, {"author": author_id, "key": key}).scalar()
    return found


def raw_text_limit(settings: Settings) -> int:
    """The most characters a post's text may have before it is analysed at all.

    A URL counts 23 whatever its length, so a post within the limit can be longer than it;
    this bound (one URL of the longest kind beside the rest) keeps analysis to a few
    milliseconds whatever a client sends."""
    return max(settings.max_status_chars * 4, settings.max_status_chars + MAX_URL_LENGTH)


def check_new_status(settings: Settings, new: NewStatus) -> int:
    """Validate ``new`` without the database and return its visibility code.

    The API runs this in a worker thread before taking the database writer, so text analysis
    never holds the writer or the event loop; ``post_status`` runs it again, on the analysis
    cached by then."""
    limit = raw_text_limit(settings)
    if len(new.text) > limit:
        raise ValidationFailed(
            T_(
                "Text character limit of %(limit)s exceeded (this post has %(length)s "
                "characters; even with links it may have at most %(most)s)",
                limit=settings.max_status_chars,
                length=len(new.text),
                most=limit,
            )
        )
    if new.visibility not in VISIBILITY_CODES:
        raise ValidationFailed(N_("Visibility must be one of public, unlisted, private, direct"))
    if not new.text.strip() and not new.media_ids:
        raise ValidationFailed(N_("Text can't be blank"))
    length = weighted_length(new.text, settings.url_length) + len(new.spoiler_text)
    if length > settings.max_status_chars:
        raise ValidationFailed(
            T_(
                "Text character limit of %(limit)s exceeded (this post has %(length)s)",
                limit=settings.max_status_chars,
                length=length,
            )
        )
    if len(new.spoiler_text) > MAX_SPOILER:
        raise ValidationFailed(N_("Spoiler text is too long"))
    if new.language is not None and (len(new.language) > 16 or not new.language.isascii()):
        raise ValidationFailed(N_("Language is not a valid language code"))
    if new.poll is not None:
        if new.media_ids:
            raise ValidationFailed(N_("A post can't have both images and a poll"))
        check_poll(new.poll)
    quotes.policy_code(new.quote_approval_policy)
    if new.quoted_status_id is not None and new.media_ids:
        raise ValidationFailed(N_("A quote cannot have media attachments"))
    return VISIBILITY_CODES[new.visibility]


def _resolve_mentions(conn: Connection, rt: Runtime, text: str) -> dict[str, tuple[int, str]]:
    """Local accounts mentioned in ``text``, keyed by lower-case handle."""
    wanted: set[str] = set()
    for handle in extract_mentions(text):
        name, _, domain = handle.partition("@")
        if not domain or domain.lower() == rt.settings.domain.lower():
            wanted.add(name.lower())
    if not wanted:
        return {}
    rows = conn.execute(_MENTIONED, {"names": list(wanted)})
    return {r.username_lower: (r.id, r.username) for r in rows}


def render_text(conn: Connection, rt: Runtime, text: str) -> tuple[str, list[int]]:
    """A post's text as HTML (links, mentions of local accounts, hashtags) and the IDs of the
    accounts it mentions."""
    mentioned = _resolve_mentions(conn, rt, text)
    base = rt.settings.base_url

    def mention_href(handle: str) -> str | None:
        found = mentioned.get(handle.partition("@")[0].lower())
        return f"{base}/@{found[1]}" if found else None

    html = render_html(text, mention_href=mention_href, hashtag_href=lambda t: tag_url(base, t))
    return html, sorted({aid for aid, _ in mentioned.values()})


def tag_ids_for(conn: Connection, rt: Runtime, text: str, now: datetime) -> list[int]:
    """The IDs of the hashtags in ``text`` (created if new)."""
    return _tag_ids(conn, rt, extract_hashtags(text), now)


def _tag_ids(conn: Connection, rt: Runtime, names: list[str], now: datetime) -> list[int]:
    by_lower: dict[str, str] = {}
    for name in names:
        by_lower.setdefault(name.lower(), name)
    if not by_lower:
        return []
    wanted = list(by_lower)
    found = dict(fastsql.run_plain(conn, _TAG_IDS, wanted))
    new = [low for low in wanted if low not in found]
    if new:  # only then: inserting an existing tag waits on whoever updates its row
        rows = [
            {"id": new_id(), "name": by_lower[low], "name_lower": low, "created_at": now}
            for low in new
        ]
        conn.execute(insert_ignore(conn, tags), rows)
        found.update(fastsql.run_plain(conn, _TAG_IDS, new))
    recent = _recent_tags(rt)
    stale = recent.stale(wanted, now)
    if stale:
        conn.execute(_TAG_TOUCH, {"names": stale, "now": now, "stale": now - TAG_TOUCH_INTERVAL})
        recent.touched(stale, now)
    return [found[low] for low in wanted if low in found]


def post_status(conn: Connection, rt: Runtime, author_id: int, new: NewStatus) -> int:
    """Create a post (or return the one made earlier with the same idempotency key)."""
    earlier = _existing(conn, author_id, new.idempotency_key)
    if earlier is not None:
        return earlier
    visibility = check_new_status(rt.settings, new)
    parent = None
    if new.in_reply_to_id is not None:
        parent = load_view(conn, author_id, new.in_reply_to_id)
        if parent is None or parent.row.reblog_of_id is not None:
            raise NotFound(
                N_("The post you are replying to does not exist or is not visible to you")
            )

    check_media_ids(conn, author_id, list(new.media_ids))
    if new.quoted_status_id is not None:
        visibility = quotes.check_quotable(conn, author_id, new.quoted_status_id, visibility)
    policy = quotes.policy_code(new.quote_approval_policy)
    if policy is None:
        policy = quotes.default_policy(conn, author_id)

    now = new.created_at or datetime.now(UTC)
    status_id = id_at(int(now.timestamp() * 1000)) if new.created_at else new_id()
    html, mention_ids = render_text(conn, rt, new.text)
    fastsql.run_plain(
        conn,
        _INSERT_STATUS,
        status_id,
        author_id,
        new.text,
        html,
        new.spoiler_text,
        new.sensitive or bool(new.spoiler_text),
        visibility,
        new.language,
        parent.id if parent else None,
        parent.row.account_id if parent else None,
        new.app_id,
        fastsql.timestamp(conn, now),
        new.quoted_status_id,
        quotes.stored_policy(policy, visibility),
    )
    if mention_ids:
        conn.execute(
            _INSERT_MENTIONS, [{"status_id": status_id, "account_id": a} for a in mention_ids]
        )
    tag_ids = tag_ids_for(conn, rt, new.text, now)
    if tag_ids:
        for tag_id in tag_ids:
            fastsql.run_plain(conn, _INSERT_STATUS_TAG, status_id, tag_id)
        # "#ELTChat topic: ..." proposes a topic (no query for posts without the marker)
        if visibility == PUBLIC and event_topic_posts.has_marker(new.text):
            event_topic_posts.propose_from_post(conn, status_id, author_id, new.text)
    if new.idempotency_key:
        conn.execute(
            _INSERT_KEY,
            {
                "account_id": author_id,
                "key": new.idempotency_key,
                "status_id": status_id,
                "created_at": now,
            },
        )
    if new.media_ids:
        attach_media(conn, author_id, status_id, list(new.media_ids))
    if new.poll is not None:
        poll_id = create_poll(conn, status_id, author_id, new.poll, clock.now())
        conn.execute(update(statuses).where(statuses.c.id == status_id).values(poll_id=poll_id))
    if new.quoted_status_id is not None:
        quotes.record_quote(conn, status_id, author_id, new.quoted_status_id)
    fastsql.run_plain(conn, _COUNT_POST, fastsql.timestamp(conn, now), author_id)
    if parent is not None:
        conn.execute(_COUNT_REPLY, {"parent": parent.id})
    # The author sees the post at once; everyone else through the delivery job.
    rt.timelines.add(conn, [author_id], FeedEntry(status_id, author_id))
    enqueue(conn, "deliver_status", {"status_id": status_id})
    return status_id


def post_and_view(conn: Connection, rt: Runtime, author_id: int, new: NewStatus) -> StatusView:
    """``post_status``, then the post as its author sees it, in the same transaction (one
    connection and round trip fewer than reading it back afterwards)."""
    status_id = post_status(conn, rt, author_id, new)
    view = load_view(conn, author_id, status_id)
    if view is None:  # the author can always see their own post
        raise NotFound()
    return view


def count_statuses(conn: Connection) -> int:
    return int(conn.execute(select(func.count()).select_from(statuses)).scalar_one())
