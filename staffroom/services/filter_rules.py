"""Which of a viewer's filters a post matches, as Mastodon matches them.

A filter matches a post when one of its keywords is found in the post's searchable text
(content warning, text, poll options, image descriptions; a repost is matched on the
reposted post) or when the post (or the reposted post) is one of its posts. A whole-word
keyword is bounded by word boundaries where it starts or ends with a word character
(Unicode-aware, so ``café`` does not match ``cafés`` and ``#maths`` does not match
``#mathsclass``); every keyword matches case-insensitively. Expired filters match nothing.

Every filter of the viewer applies in every context, as in Mastodon's ``filtered``: each
:class:`Match` carries its filter's contexts and action, and the reader (a client, or the
web app through :func:`outcome`) applies it where the context is one of them.

``status_views.load_views`` learns whether the viewer has any filter in the statement that
reads their blocks and mutes, so a viewer without filters pays no statement here.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import orjson
from sqlalchemy import Connection

from staffroom import clock
from staffroom.db import fastsql

if TYPE_CHECKING:
    from staffroom.services.status_views import StatusView

CONTEXTS = ("home", "notifications", "public", "thread", "account")
ACTIONS = ("warn", "hide", "blur")


@dataclass(frozen=True, slots=True)
class Rules:
    """One active filter of a viewer, ready to match posts."""

    id: int
    title: str
    context: tuple[str, ...]
    action: str
    expires_at: datetime | None
    pattern: re.Pattern[str] | None
    status_ids: frozenset[int]
    entity: bytes  # the Filter entity (without keywords and statuses) as JSON


@dataclass(frozen=True, slots=True)
class Match:
    """A Mastodon ``FilterResult``: the filter and what of it matched the post."""

    rules: Rules
    keyword_matches: tuple[str, ...] | None
    status_matches: tuple[int, ...] | None

    def json(self) -> bytes:
        """The ``FilterResult`` as JSON bytes."""
        keywords = None if self.keyword_matches is None else list(self.keyword_matches)
        statuses = None if self.status_matches is None else [str(s) for s in self.status_matches]
        rest = orjson.dumps({"keyword_matches": keywords, "status_matches": statuses})
        return b'{"filter":' + self.rules.entity + b"," + rest[1:]


NO_MATCHES: tuple[Match, ...] = ()
_WORD_START = re.compile(r"^\w")
_WORD_END = re.compile(r"\w$")


@lru_cache(maxsize=4096)
def keyword_pattern(keyword: str, whole_word: bool) -> str:
    """The regular expression of one keyword (Mastodon's ``CustomFilterKeyword#to_regex``)."""
    escaped = re.escape(keyword)
    if not whole_word:
        return escaped
    start = r"\b" if _WORD_START.search(keyword) else ""
    end = r"\b" if _WORD_END.search(keyword) else ""
    return f"{start}{escaped}{end}"


@lru_cache(maxsize=1024)
def _compile(parts: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in parts), re.IGNORECASE)


_RULES = (
    "SELECT f.account_id, f.id, f.title, f.context, f.action, f.expires_at, k.keyword,"
    " k.whole_word, NULL FROM custom_filters f JOIN custom_filter_keywords k"
    " ON k.custom_filter_id = f.id WHERE f.account_id IN (?)"
    " UNION ALL SELECT f.account_id, f.id, f.title, f.context, f.action, f.expires_at, NULL,"
    " NULL, s.status_id FROM custom_filters f JOIN custom_filter_statuses s"
    " ON s.custom_filter_id = f.id WHERE f.account_id IN (?)"
)


def as_utc(value: Any) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    moment: datetime = value
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def filter_entity(
    filter_id: int, title: str, context: Sequence[str], action: str, expires_at: datetime | None
) -> dict[str, Any]:
    """Mastodon's ``Filter`` without its keywords and statuses (as in a ``FilterResult``)."""
    from staffroom.serializers.common import iso

    return {
        "id": str(filter_id),
        "title": title,
        "context": list(context),
        "expires_at": iso(expires_at),
        "filter_action": action,
    }


def active_rules(conn: Connection, viewer_id: int) -> tuple[Rules, ...]:
    """The viewer's unexpired filters that have at least one keyword or post."""
    return rules_of(conn, [viewer_id]).get(viewer_id, ())


def rules_of(conn: Connection, viewer_ids: Sequence[int]) -> dict[int, tuple[Rules, ...]]:
    """:func:`active_rules` of several viewers in one statement (viewers without any left
    out)."""
    now = clock.now()
    found: dict[int, dict[int, tuple[Any, list[str], set[int]]]] = {}
    ids = list(viewer_ids)
    for owner, fid, title, context, action, expires, keyword, whole, status_id in fastsql.run_plain(
        conn, _RULES, ids, ids
    ):
        mine = found.setdefault(owner, {})
        entry = mine.get(fid)
        if entry is None:
            entry = mine[fid] = ((title, context, action, as_utc(expires)), [], set())
        if keyword is not None:
            entry[1].append(keyword_pattern(keyword, bool(whole)))
        elif status_id is not None:
            entry[2].add(int(status_id))
    result: dict[int, tuple[Rules, ...]] = {}
    for owner, mine in found.items():
        rules = []
        for fid in sorted(mine):
            (title, context, action, expires), parts, statuses = mine[fid]
            if expires is not None and expires <= now:
                continue
            contexts = tuple(c for c in context.split(",") if c)
            name = ACTIONS[action] if 0 <= action < len(ACTIONS) else "warn"
            entity = orjson.dumps(filter_entity(fid, title, contexts, name, expires))
            pattern = _compile(tuple(sorted(parts))) if parts else None
            rules.append(
                Rules(fid, title, contexts, name, expires, pattern, frozenset(statuses), entity)
            )
        if rules:
            result[owner] = tuple(rules)
    return result


def searchable_text(view: StatusView) -> str:
    """What keywords are matched against (Mastodon's ``Status#searchable_text``)."""
    row = view.row
    parts = [row.spoiler_text or "", row.text or ""]
    if view.poll is not None:
        parts.append("\n\n".join(view.poll.options))
    if view.media:
        parts.append("\n\n".join(m.description or "" for m in view.media))
    return "\n\n".join(parts)


def matches(rules: Iterable[Rules], view: StatusView) -> tuple[Match, ...]:
    """The ``FilterResult``s of ``view`` (a repost: of the reposted post)."""
    proper = view.reblog if view.reblog is not None else view
    ids = (view.id,) if view.reblog is None else (view.id, proper.id)
    return match_post(rules, lambda: searchable_text(proper), ids)


def match_post(
    rules: Iterable[Rules], text_of: Callable[[], str], ids: Sequence[int]
) -> tuple[Match, ...]:
    """The ``FilterResult``s of a post whose searchable text ``text_of`` gives (read only
    if a rule has keywords) and whose IDs (the post, and a reposted post) are ``ids``."""
    text: str | None = None
    found = []
    for rule in rules:
        keyword_matches: tuple[str, ...] | None = None
        if rule.pattern is not None:
            if text is None:
                text = text_of()
            hit = rule.pattern.search(text)
            if hit is not None:
                keyword_matches = (hit.group(0),)
        status_matches: tuple[int, ...] | None = None
        if rule.status_ids:
            hits = tuple(i for i in ids if i in rule.status_ids)
            status_matches = hits or None
        if keyword_matches is None and status_matches is None:
            continue
        found.append(Match(rule, keyword_matches, status_matches))
    return tuple(found) if found else NO_MATCHES


def apply_rules(conn: Connection, viewer_id: int, views: Sequence[StatusView]) -> None:
    """Set ``filtered`` on ``views`` (and on reposted posts) for the viewer's filters."""
    rules = active_rules(conn, viewer_id)
    if not rules:
        return
    for view in views:
        found = matches(rules, view)
        view.filtered = found
        if view.reblog is not None:
            view.reblog.filtered = found


def outcome(filtered: Iterable[Match], context: str) -> tuple[str, tuple[str, ...]] | None:
    """What a reader does with a post in ``context``: ``("hide", titles)``,
    ``("warn", titles)``, ``("blur", titles)`` or ``None`` (no filter of that context
    matched). Hide beats warn, warn beats blur, as Mastodon's web app decides."""
    hits = [m.rules for m in filtered if context in m.rules.context]
    if not hits:
        return None
    for action in ("hide", "warn", "blur"):
        titles = tuple(r.title for r in hits if r.action == action)
        if titles:
            return action, titles
    return None
