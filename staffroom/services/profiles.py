"""Editing one's profile: display name, bio, flags, posting defaults, avatar, interests.

Writes ``accounts`` (profile columns), ``users`` (posting defaults) and, for interests,
``tags`` / ``account_interests``. The bio is stored raw in ``note`` and as safe HTML
(mentions and hashtags linked) in ``note_html``. Validation happens before anything is
written, so a bad request changes nothing.

Interests are hashtags on a profile; the API shows them as Mastodon *featured tags*
(``FeaturedTag``: the interest's row ID, the tag, and how often the account used it in
public/unlisted posts). Avatars are stored under ``<data_dir>/media/avatars``.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, delete, func, insert, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from staffroom.db.tables import account_interests, accounts, status_tags, statuses, tags, users
from staffroom.errors import NotFound, ValidationFailed
from staffroom.ids import new_id
from staffroom.media import images
from staffroom.policies.visibility import QUOTE_POLICY_CODES
from staffroom.services.accounts import get_account
from staffroom.text import extract_mentions, is_valid_hashtag, render_plain_bio
from staffroom.urls import tag_url

MAX_DISPLAY_NAME = 30
MAX_NOTE = 500
MAX_AVATAR_BYTES = 2 * 1024 * 1024
PRIVACY_CHOICES = ("public", "unlisted", "private")
_LANGUAGE = re.compile(r"^[a-z]{2,3}\Z")
_IMAGE_SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"\xff\xd8\xff", "jpg"),
    (b"GIF87a", "gif"),
    (b"GIF89a", "gif"),
)
MAX_FEATURED = 10
MAX_TAG_LENGTH = 100
_TAG_SEPARATORS = re.compile(r"[\s,]+")


@dataclass(frozen=True, slots=True)
class ProfileUpdate:
    """Requested changes; ``None`` means "leave as it is"."""

    display_name: str | None = None
    note: str | None = None
    locked: bool | None = None
    bot: bool | None = None
    discoverable: bool | None = None
    indexable: bool | None = None  # may search find my public posts
    privacy: str | None = None
    sensitive: bool | None = None
    language: str | None = None
    interests: list[str] | None = None
    quote_policy: str | None = None  # public, followers or nobody: new posts' default


def _problem(field: str, code: str, description: str) -> tuple[str, dict[str, str]]:
    return field, {"error": code, "description": description}


def check_profile(change: ProfileUpdate) -> None:
    """Raise 422 (Mastodon ``details`` per field) if any requested change is invalid."""
    problems: list[tuple[str, dict[str, str]]] = []
    if change.display_name is not None and len(change.display_name) > MAX_DISPLAY_NAME:
        problems.append(
            _problem(
                "display_name",
                "ERR_TOO_LONG",
                f"Display name is too long (maximum is {MAX_DISPLAY_NAME} characters)",
            )
        )
    if change.note is not None and len(change.note) > MAX_NOTE:
        problems.append(
            _problem("note", "ERR_TOO_LONG", f"Note is too long (maximum is {MAX_NOTE} characters)")
        )
    if change.privacy is not None and change.privacy not in PRIVACY_CHOICES:
        problems.append(
            _problem(
                "source.privacy",
                "ERR_INCLUSION",
                "Default privacy must be one of public, unlisted, private",
            )
        )
    if change.quote_policy is not None and change.quote_policy not in QUOTE_POLICY_CODES:
        problems.append(
            _problem(
                "source.quote_policy",
                "ERR_INCLUSION",
                "Default quote policy must be one of public, followers, nobody",
            )
        )
    if change.language and not _LANGUAGE.match(change.language):
        problems.append(
            _problem(
                "source.language",
                "ERR_INVALID",
                "Default language is not a valid ISO 639 language code",
            )
        )
    if change.interests is not None:
        if len(change.interests) > MAX_FEATURED:
            problems.append(
                _problem(
                    "interests", "ERR_TOO_LONG", f"Interests are limited to {MAX_FEATURED} hashtags"
                )
            )
        bad = [name for name in change.interests if clean_tag_name(name) is None]
        if bad:
            problems.append(
                _problem("interests", "ERR_INVALID", f"Interest {bad[0]!r} is not a valid hashtag")
            )
    if problems:
        details: dict[str, list[dict[str, str]]] = {}
        for field, problem in problems:
            details.setdefault(field, []).append(problem)
        raise ValidationFailed(", ".join(p["description"] for _, p in problems), details=details)


def render_note(conn: Connection, note: str, base_url: str, domain: str) -> str:
    """The bio as safe HTML: local mentions and hashtags become links."""
    wanted = set()
    for handle in extract_mentions(note):
        name, _, host = handle.partition("@")
        if not host or host.lower() == domain.lower():
            wanted.add(name.lower())
    known: dict[str, str] = {}
    if wanted:
        rows = conn.execute(
            select(accounts.c.username_lower, accounts.c.username).where(
                accounts.c.username_lower.in_(wanted)
            )
        )
        known = {row.username_lower: row.username for row in rows}

    def mention_href(handle: str) -> str | None:
        name, _, host = handle.partition("@")
        if host and host.lower() != domain.lower():
            return None
        username = known.get(name.lower())
        return f"{base_url}/@{username}" if username else None

    return render_plain_bio(
        note, mention_href=mention_href, hashtag_href=lambda tag: tag_url(base_url, tag)
    )


def update_profile(
    conn: Connection, account_id: int, change: ProfileUpdate, *, base_url: str, domain: str
) -> None:
    """Apply ``change`` to the account (validated first; all or nothing)."""
    check_profile(change)
    get_account(conn, account_id)
    now = datetime.now(UTC)
    values: dict[str, Any] = {"updated_at": now}
    if change.display_name is not None:
        values["display_name"] = change.display_name.strip()
    if change.note is not None:
        values["note"] = change.note
        values["note_html"] = (
            render_note(conn, change.note, base_url, domain) if change.note else ""
        )
    for flag in ("locked", "bot", "discoverable", "indexable"):
        if getattr(change, flag) is not None:
            values[flag] = getattr(change, flag)
    conn.execute(update(accounts).where(accounts.c.id == account_id).values(**values))
    defaults: dict[str, Any] = {}
    if change.privacy is not None:
        defaults["default_visibility"] = change.privacy
    if change.sensitive is not None:
        defaults["default_sensitive"] = change.sensitive
    if change.language is not None:
        defaults["default_language"] = change.language or None
    if change.quote_policy is not None:
        defaults["default_quote_policy"] = change.quote_policy
    if defaults:
        conn.execute(update(users).where(users.c.account_id == account_id).values(**defaults))
    if change.interests is not None:
        set_interests(conn, account_id, change.interests)


# --- interests (featured tags) -------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FeaturedTag:
    id: int
    name: str
    statuses_count: int
    last_status_at: datetime | None


def clean_tag_name(raw: str) -> str | None:
    """``#ELTChat`` / ``ELTChat`` -> ``ELTChat``; ``None`` if it is not a valid hashtag."""
    name = raw.strip().removeprefix("#").removeprefix("\uff03")
    if not name or len(name) > MAX_TAG_LENGTH or not is_valid_hashtag(name):
        return None
    return name


def split_interests(values: list[str]) -> list[str]:
    """Hashtags from ``interests[]`` values or one string like ``"#ELTChat, #edtech"``,
    without repeats (case-insensitive), in the order given."""
    seen: dict[str, str] = {}
    for value in values:
        for part in _TAG_SEPARATORS.split(value):
            if part.strip():
                seen.setdefault(part.strip().lstrip("#\uff03").lower(), part.strip())
    return list(seen.values())


def tag_ids_for(conn: Connection, names: list[str]) -> dict[str, int]:
    """IDs of the tags named (created if new), keyed by lower-case name."""
    by_lower = {name.lower(): name for name in names}
    if not by_lower:
        return {}
    insert_ignore = sqlite_insert if conn.dialect.name == "sqlite" else pg_insert
    now = datetime.now(UTC)
    rows = [
        {"id": new_id(), "name": name, "name_lower": lower, "created_at": now}
        for lower, name in by_lower.items()
    ]
    conn.execute(insert_ignore(tags).on_conflict_do_nothing(), rows)
    found = conn.execute(
        select(tags.c.name_lower, tags.c.id).where(tags.c.name_lower.in_(by_lower))
    )
    return {row.name_lower: row.id for row in found}


def set_interests(conn: Connection, account_id: int, names: list[str]) -> None:
    """Make the account's interests exactly ``names`` (already validated)."""
    cleaned = [n for n in (clean_tag_name(x) for x in names) if n]
    ids = tag_ids_for(conn, cleaned)
    ordered = list(dict.fromkeys(ids[name.lower()] for name in cleaned))
    current = set(
        conn.execute(
            select(account_interests.c.tag_id).where(account_interests.c.account_id == account_id)
        ).scalars()
    )
    keep = set(ordered)
    if current - keep:
        conn.execute(
            delete(account_interests).where(
                account_interests.c.account_id == account_id,
                account_interests.c.tag_id.in_(current - keep),
            )
        )
    now = datetime.now(UTC)
    new = [
        {"id": new_id(), "account_id": account_id, "tag_id": tag_id, "created_at": now}
        for tag_id in ordered
        if tag_id not in current
    ]
    if new:
        conn.execute(insert(account_interests), new)


def featured_tags(conn: Connection, account_id: int) -> list[FeaturedTag]:
    """The account's interests, oldest first, with public usage counts."""
    rows = conn.execute(
        select(account_interests.c.id, account_interests.c.tag_id, tags.c.name)
        .join(tags, tags.c.id == account_interests.c.tag_id)
        .where(account_interests.c.account_id == account_id)
        .order_by(account_interests.c.id)
    ).all()
    if not rows:
        return []
    usage = {
        tag_id: (count, last)
        for tag_id, count, last in conn.execute(
            select(status_tags.c.tag_id, func.count(), func.max(statuses.c.created_at))
            .join(statuses, statuses.c.id == status_tags.c.status_id)
            .where(
                statuses.c.account_id == account_id,
                statuses.c.visibility <= 1,
                status_tags.c.tag_id.in_([row.tag_id for row in rows]),
            )
            .group_by(status_tags.c.tag_id)
        )
    }
    return [FeaturedTag(row.id, row.name, *usage.get(row.tag_id, (0, None))) for row in rows]


def feature_tag(conn: Connection, account_id: int, raw_name: str) -> FeaturedTag:
    """Add one interest (``POST /api/v1/featured_tags``); adding it again returns it."""
    name = clean_tag_name(raw_name)
    if name is None:
        raise ValidationFailed(
            "Name is not a valid hashtag",
            details={"name": [{"error": "ERR_INVALID", "description": "is invalid"}]},
        )
    current = featured_tags(conn, account_id)
    existing = next((t for t in current if t.name.lower() == name.lower()), None)
    if existing is not None:
        return existing
    if len(current) >= MAX_FEATURED:
        raise ValidationFailed(
            f"You can feature at most {MAX_FEATURED} hashtags",
            details={"name": [{"error": "ERR_TOO_LONG", "description": "limit reached"}]},
        )
    set_interests(conn, account_id, [*(t.name for t in current), name])
    return next(t for t in featured_tags(conn, account_id) if t.name.lower() == name.lower())


def unfeature_tag(conn: Connection, account_id: int, featured_id: int) -> None:
    """Remove one interest by its featured-tag ID (404 if it is not the account's)."""
    removed = conn.execute(
        delete(account_interests)
        .where(account_interests.c.id == featured_id, account_interests.c.account_id == account_id)
        .returning(account_interests.c.id)
    ).first()
    if removed is None:
        raise NotFound()


# --- avatars -------------------------------------------------------------------------------


def image_extension(data: bytes) -> str | None:
    """``png``/``jpg``/``gif``/``webp`` judged by the file's magic bytes, else ``None``."""
    for signature, extension in _IMAGE_SIGNATURES:
        if data.startswith(signature):
            return extension
    if len(data) >= 12 and data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    return None


def check_avatar(data: bytes) -> str:
    """The extension for an acceptable avatar image, or 422 (the whole image is decoded:
    blocking, run it in a thread)."""
    if len(data) > MAX_AVATAR_BYTES:
        raise ValidationFailed(
            "Avatar file size must be less than 2 MB",
            details={"avatar": [{"error": "ERR_TOO_LARGE", "description": "is too large"}]},
        )
    extension = image_extension(data)
    if extension is None:
        raise ValidationFailed(
            "Avatar must be a PNG, JPEG, GIF or WebP image",
            details={"avatar": [{"error": "ERR_INVALID", "description": "is not an image"}]},
        )
    verify_profile_image("avatar", data)
    return extension


def verify_profile_image(field: str, data: bytes) -> None:
    """422 naming ``field`` unless the whole image decodes (``media.images.verify``)."""
    try:
        images.verify(data)
    except images.ImageRefused as exc:
        raise ValidationFailed(
            f"{field.capitalize()}: {exc.reason}",
            details={field: [{"error": "ERR_INVALID", "description": exc.reason}]},
        ) from None


def media_root(data_dir: Path) -> Path:
    return data_dir / "media"


AVATAR_BOX = (400, 400)


def reencode_profile_image(field: str, data: bytes, box: tuple[int, int]) -> tuple[bytes, str]:
    """``data`` through the media pipeline (``media.images.profile_image``): the bytes to
    store and their extension, or 422 naming ``field``."""
    try:
        variant = images.profile_image(data, box)
    except images.ImageRefused as exc:
        raise ValidationFailed(
            f"{field.capitalize()}: {exc.reason}",
            details={field: [{"error": "ERR_INVALID", "description": exc.reason}]},
        ) from None
    return variant.data, variant.extension


def write_avatar(data_dir: Path, account_id: int, data: bytes) -> str:
    """Re-encode the image, store it (atomically) and return its public path
    ``/system/avatars/<file>``. Blocking: run it in a thread."""
    check_avatar(data)
    data, extension = reencode_profile_image("avatar", data, AVATAR_BOX)
    folder = media_root(data_dir) / "avatars"
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{account_id}.{extension}"
    temporary = folder / f".{name}.{os.getpid()}.tmp"
    temporary.write_bytes(data)
    os.replace(temporary, folder / name)
    return f"/system/avatars/{name}"


def set_avatar_path(conn: Connection, account_id: int, avatar_path: str) -> str | None:
    """Point the account at a stored avatar; returns the previous path."""
    previous: str | None = get_account(conn, account_id).avatar_path
    conn.execute(
        update(accounts)
        .where(accounts.c.id == account_id)
        .values(avatar_path=avatar_path, updated_at=datetime.now(UTC))
    )
    return previous


def media_file(data_dir: Path, public_path: str) -> Path | None:
    """The file behind ``/system/<path>``, or ``None`` if it is missing or outside the root."""
    relative = public_path.removeprefix("/system/")
    if not relative or "\x00" in relative or relative.startswith("/"):
        return None
    root = media_root(data_dir).resolve()
    candidate = (root / relative).resolve()
    if not candidate.is_relative_to(root) or candidate.name.startswith("."):
        return None
    return candidate if candidate.is_file() else None


def remove_media_file(data_dir: Path, public_path: str | None) -> None:
    """Delete a stored file (old avatar, deleted account); a missing file is fine."""
    if not public_path:
        return
    found = media_file(data_dir, public_path)
    if found is not None:
        found.unlink(missing_ok=True)
