"""Formatting shared by the entity serialisers."""

from __future__ import annotations

from datetime import UTC, datetime


def as_utc(value: datetime | str) -> datetime:
    """A stored timestamp as an aware UTC datetime.

    SQLite gives naive datetimes (always UTC) or, from driver-level queries, their text form.
    """
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def iso(value: datetime | str | None) -> str | None:
    """Mastodon's timestamp format: ``2026-11-21T09:30:00.123Z``."""
    if value is None:
        return None
    value = as_utc(value)
    return value.strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}Z"


def iso_day(value: datetime | str | None) -> str | None:
    """Midnight of the day, as Mastodon reports account creation."""
    if value is None:
        return None
    return as_utc(value).strftime("%Y-%m-%dT00:00:00.000Z")


def date_only(value: datetime | str | None) -> str | None:
    if value is None:
        return None
    return as_utc(value).strftime("%Y-%m-%d")
