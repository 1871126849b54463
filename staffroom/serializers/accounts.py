"""Account entities: ``Account`` and ``CredentialAccount``."""

from __future__ import annotations

from typing import Any

import orjson
from sqlalchemy import Row

from staffroom.cache import BoundedCache
from staffroom.serializers.common import date_only, iso, iso_day

DEFAULT_AVATAR = "/avatars/original/missing.png"
DEFAULT_HEADER = "/headers/original/missing.png"


def account_url(base_url: str, username: str) -> str:
    return f"{base_url}/@{username}"


_RENDERED: BoundedCache[tuple[Any, ...], dict[str, Any]] = BoundedCache(20_000)
# The entity as JSON by account ID, with the row object it was rendered from: status_views
# hands out the same (immutable) row object while a row is unchanged, so an identity check
# validates an entry without building a key.
_JSON: BoundedCache[int, tuple[Any, str, bytes]] = BoundedCache(20_000)


def serialize_account(row: Row[Any] | Any, base_url: str) -> dict[str, Any]:
    """The public ``Account`` entity for an ``accounts`` row (a fresh dict each call)."""
    # Everything that can change bumps updated_at or a counter (username never changes).
    key = (
        base_url,
        row.id,
        row.updated_at,
        row.followers_count,
        row.following_count,
        row.statuses_count,
        row.last_status_at,
    )
    cached = _RENDERED.get(key)
    if cached is None:
        cached = _render_account(row, base_url)
        _RENDERED.put(key, cached)
    return dict(cached)


def serialize_muted_account(row: Row[Any] | Any, base_url: str) -> dict[str, Any]:
    """Mastodon's ``Account`` as ``GET /api/v1/mutes`` lists it: with ``mute_expires_at``
    (``row.mute_expires_at``; ``None`` for a mute without end)."""
    entity = serialize_account(row, base_url)
    entity["mute_expires_at"] = iso(row.mute_expires_at)
    return entity


def account_json(row: Row[Any] | Any, base_url: str) -> bytes:
    """``orjson.dumps(serialize_account(row, base_url))`` (cached for the same row object)."""
    entry = _JSON.get(row.id)
    if entry is None or entry[0] is not row or entry[1] != base_url:
        entry = (row, base_url, orjson.dumps(_render_account(row, base_url)))
        _JSON.put(row.id, entry)
    return entry[2]


def _render_account(row: Row[Any] | Any, base_url: str) -> dict[str, Any]:
    avatar = f"{base_url}{row.avatar_path}" if row.avatar_path else base_url + DEFAULT_AVATAR
    header_path = getattr(row, "header_path", None)  # rows from narrower selects lack it
    header = f"{base_url}{header_path}" if header_path else base_url + DEFAULT_HEADER
    return {
        "id": str(row.id),
        "username": row.username,
        "acct": row.username,
        "display_name": row.display_name,
        "locked": bool(row.locked),
        "bot": bool(row.bot),
        "discoverable": bool(row.discoverable),
        "indexable": bool(row.indexable),
        "group": False,
        "created_at": iso_day(row.created_at),
        "note": row.note_html,
        "url": account_url(base_url, row.username),
        "uri": f"{base_url}/users/{row.username}",
        "avatar": avatar,
        "avatar_static": avatar,
        "header": header,
        "header_static": header,
        "followers_count": row.followers_count,
        "following_count": row.following_count,
        "statuses_count": row.statuses_count,
        "last_status_at": date_only(row.last_status_at),
        "hide_collections": False,
        "noindex": False,
        "emojis": [],
        "roles": [],
        "fields": [],
    }


def serialize_credential_account(
    row: Row[Any] | Any, user: Row[Any] | Any, base_url: str
) -> dict[str, Any]:
    """``CredentialAccount``: the account plus ``source`` and ``role`` (verify_credentials)."""
    entity = serialize_account(row, base_url)
    entity["source"] = {
        "privacy": user.default_visibility,
        "sensitive": user.default_sensitive,
        "language": user.default_language or "",
        "quote_policy": user.default_quote_policy,
        "note": row.note,
        "fields": [],
        "follow_requests_count": 0,
        "hide_collections": False,
        "discoverable": bool(row.discoverable),
        "indexable": bool(row.indexable),
        "attribution_domains": [],
    }
    entity["role"] = {
        "id": "-99" if not user.admin else "3",
        "name": "" if not user.admin else "Owner",
        "color": "",
        "permissions": "0" if not user.admin else "1",
        "highlighted": bool(user.admin),
    }
    return entity


def serialize_feature_approval(automatic: tuple[str, ...], current_user: str) -> dict[str, Any]:
    """Mastodon 4.6's ``FeatureApproval`` (an account's ``feature_approval``): Staffroom asks
    nobody to approve by hand, so ``manual`` is always empty."""
    return {"automatic": list(automatic), "manual": [], "current_user": current_user}
