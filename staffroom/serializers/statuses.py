"""The ``Status`` entity, as a dict (:func:`serialize_status`) or as JSON bytes
(:func:`statuses_json`, for lists: the same bytes ``orjson.dumps`` gives for the dicts)."""

from __future__ import annotations

from typing import Any

import orjson

from staffroom.cache import BoundedCache
from staffroom.policies.visibility import (
    QUOTE_FOLLOWERS,
    QUOTE_PUBLIC,
    VISIBILITY_NAMES,
    quote_policy,
)
from staffroom.serializers.accounts import account_json, serialize_account
from staffroom.serializers.common import iso
from staffroom.serializers.media import serialize_media
from staffroom.serializers.polls import poll_json, serialize_poll
from staffroom.services.quote_views import QuoteView
from staffroom.services.status_views import StatusView
from staffroom.urls import tag_url


def status_url(base_url: str, username: str, status_id: int) -> str:
    return f"{base_url}/@{username}/{status_id}"


# Rendered viewer-independent parts, keyed by the ID and every column that can change after
# posting (counters, edits): a changed post is a different key, so no entry is ever stale.
# (A key of the whole row would hash its text on every request.)
_RENDERED: BoundedCache[tuple[Any, ...], dict[str, Any]] = BoundedCache(50_000)
# The same parts as JSON up to the account's value, by status ID, with the objects they were
# rendered from: status_views hands out the same (immutable) row and parts objects while a
# post is unchanged, so identity checks validate an entry without building a key.
_HEADS: BoundedCache[int, tuple[Any, Any, Any, Any, str, str, Any, bytes]] = BoundedCache(50_000)


def _render(view: StatusView, base_url: str) -> dict[str, Any]:
    row, account = view.row, view.account
    return {
        "id": str(row.id),
        "created_at": iso(row.created_at),
        "in_reply_to_id": str(row.in_reply_to_id) if row.in_reply_to_id else None,
        "in_reply_to_account_id": (
            str(row.in_reply_to_account_id) if row.in_reply_to_account_id else None
        ),
        "sensitive": bool(row.sensitive),
        "spoiler_text": row.spoiler_text,
        "visibility": VISIBILITY_NAMES[row.visibility],
        "language": row.language,
        "uri": f"{base_url}/users/{account.username}/statuses/{row.id}",
        "url": status_url(base_url, account.username, row.id),
        "replies_count": row.replies_count,
        "reblogs_count": row.reblogs_count,
        "favourites_count": row.favourites_count,
        "quotes_count": row.quotes_count,
        "edited_at": iso(row.edited_at),
        "content": row.content_html,
        "application": (
            {"name": view.app[0], "website": view.app[1]} if view.app is not None else None
        ),
        "media_attachments": [serialize_media(media, base_url) for media in view.media],
        "mentions": [
            {
                "id": str(account_id),
                "username": username,
                "url": f"{base_url}/@{username}",
                "acct": username,
            }
            for account_id, username in view.mentions
        ],
        "tags": [{"name": name, "url": tag_url(base_url, name)} for name in view.tags],
        "emojis": [],
        "card": None,
    }


def _viewer_independent(view: StatusView, base_url: str) -> dict[str, Any]:
    row, account = view.row, view.account
    key = (
        base_url,
        row.id,
        row.replies_count,
        row.reblogs_count,
        row.favourites_count,
        row.quotes_count,
        row.edited_at,
        row.sensitive,
        account.id,
        account.username,
        view.media,
    )
    cached = _RENDERED.get(key)
    if cached is None:
        cached = _render(view, base_url)
        _RENDERED.put(key, cached)
    return cached


_AUTOMATIC = {QUOTE_PUBLIC: ["public"], QUOTE_FOLLOWERS: ["followers"]}


def _quote_approval(view: StatusView) -> dict[str, Any]:
    """Mastodon's ``QuoteApproval``: who is approved automatically (no one is reviewed by
    hand on this server) and what that means for this viewer."""
    row = view.row
    policy = quote_policy(policy=row.quote_approval_policy, visibility=row.visibility)
    return {
        "automatic": _AUTOMATIC.get(policy, []),
        "manual": [],
        "current_user": view.quote_approval,
    }


def _quote(quote: QuoteView | None, base_url: str) -> dict[str, Any] | None:
    """A ``Quote`` (with the quoted post) or, one level down, a ``ShallowQuote``."""
    if quote is None:
        return None
    if quote.shallow:
        quoted_id = quote.quoted_id
        return {"state": quote.state, "quoted_status_id": str(quoted_id) if quoted_id else None}
    quoted = quote.status
    return {
        "state": quote.state,
        "quoted_status": None if quoted is None else serialize_status(quoted, base_url),
    }


def serialize_status(
    view: StatusView, base_url: str, *, with_source: bool = False
) -> dict[str, Any]:
    """A Mastodon ``Status`` for ``view`` (``with_source`` adds ``text``, as after deletion)."""
    entity = dict(_viewer_independent(view, base_url))
    entity["account"] = serialize_account(view.account, base_url)
    entity["favourited"] = view.favourited
    entity["reblogged"] = view.reblogged
    entity["muted"] = False
    entity["bookmarked"] = view.bookmarked
    entity["pinned"] = view.pinned
    entity["poll"] = serialize_poll(view.poll) if view.poll is not None else None
    entity["reblog"] = serialize_status(view.reblog, base_url) if view.reblog is not None else None
    entity["quote"] = _quote(view.quote, base_url)
    entity["quote_approval"] = _quote_approval(view)
    entity["filtered"] = [orjson.loads(match.json()) for match in view.filtered]
    if with_source:
        entity["text"] = view.row.text
    return entity


def serialize_statuses(views: list[StatusView], base_url: str) -> list[dict[str, Any]]:
    return [serialize_status(v, base_url) for v in views]


def _flag_bytes(favourited: bool, reblogged: bool, bookmarked: bool, pinned: bool) -> bytes:
    # Everything from "account"'s end to "poll"'s value, as serialize_status orders it.
    rest = orjson.dumps(
        {
            "favourited": favourited,
            "reblogged": reblogged,
            "muted": False,
            "bookmarked": bookmarked,
            "pinned": pinned,
        }
    )
    return b"," + rest[1:-1] + b',"poll":'


_NO_POLL = b'null,"reblog":'
_BOOLS = (False, True)
_FLAGS = {
    (f, r, b, p): _flag_bytes(f, r, b, p)
    for f in _BOOLS
    for r in _BOOLS
    for b in _BOOLS
    for p in _BOOLS
}


def _status_json(view: StatusView, base_url: str, out: list[bytes]) -> None:
    row, account = view.row, view.account
    entry = _HEADS.get(row.id)
    if (
        entry is None
        or entry[0] is not row
        or entry[1] is not view.mentions
        or entry[2] is not view.tags
        or entry[3] is not view.app
        or entry[4] != account.username
        or entry[5] != base_url
        or entry[6] is not view.media
    ):
        head = orjson.dumps(_render(view, base_url))[:-1] + b',"account":'
        entry = (
            row,
            view.mentions,
            view.tags,
            view.app,
            account.username,
            base_url,
            view.media,
            head,
        )
        _HEADS.put(row.id, entry)
    out.append(entry[7])
    out.append(account_json(account, base_url))
    out.append(_FLAGS[view.favourited, view.reblogged, view.bookmarked, view.pinned])
    out.append(_NO_POLL if view.poll is None else poll_json(view.poll) + b',"reblog":')
    if view.reblog is None:
        out.append(b"null")
    else:
        _status_json(view.reblog, base_url, out)
    quote = view.quote
    if quote is None:  # most posts: two cached pieces to the end
        out.append(_tail(view, b',"quote":null,"quote_approval":'))
        out.append(_NOT_FILTERED if not view.filtered else _filtered(view))
        return
    if quote.status is None:  # a ShallowQuote, or a quote showing no post
        out.append(b',"quote":' + orjson.dumps(_quote(quote, base_url)))
    else:
        out.append(b',"quote":{"state":' + orjson.dumps(quote.state) + b',"quoted_status":')
        _status_json(quote.status, base_url, out)
        out.append(b"}")
    out.append(_tail(view, b',"quote_approval":'))
    out.append(_NOT_FILTERED if not view.filtered else _filtered(view))


_NOT_FILTERED = b',"filtered":[]}'


def _filtered(view: StatusView) -> bytes:
    """``"filtered":[...]}``: this viewer's FilterResults (spliced per request, so the cached
    parts of a post stay the same for every viewer)."""
    return b',"filtered":[' + b",".join(m.json() for m in view.filtered) + b"]}"


# ``"quote_approval":{...}`` as bytes, by (prefix, stored policy, visibility, the viewer's
# answer): at most 2 x 3 x 4 x 3 entries, so a page does not build and encode a dict per post.
_TAILS: dict[tuple[bytes, int, int, str], bytes] = {}


def _tail(view: StatusView, prefix: bytes) -> bytes:
    row = view.row
    key = (prefix, row.quote_approval_policy, row.visibility, view.quote_approval)
    found = _TAILS.get(key)
    if found is None:
        found = _TAILS[key] = prefix + orjson.dumps(_quote_approval(view))
    return found


def statuses_json(views: list[StatusView], base_url: str) -> bytes:
    """``orjson.dumps(serialize_statuses(views, base_url))``, from cached pieces."""
    out: list[bytes] = [b"["]
    for n, view in enumerate(views):
        if n:
            out.append(b",")
        _status_json(view, base_url, out)
    out.append(b"]")
    return b"".join(out)
