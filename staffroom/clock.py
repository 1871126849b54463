"""The time, for what is due at a moment (jobs, scheduled posts): one seam that tests move.

``now()`` is the aware UTC time; tests replace it (``monkeypatch.setattr(clock, "now", ...)``)
to make a scheduled post or a delayed job due without waiting.
"""

from __future__ import annotations

from datetime import UTC, datetime


def now() -> datetime:
    """The current time, timezone-aware, in UTC."""
    return datetime.now(UTC)
