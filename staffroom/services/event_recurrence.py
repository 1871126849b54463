"""Recurrence of a chat series, in local wall-clock time (pure).

A series repeats at the same local time in its zone: a weekly chat at 20:00 in
Europe/London is at 20:00 GMT in winter and 20:00 BST in summer, so its UTC instant moves
by an hour across a daylight-saving change. Occurrences are computed as naive local times
and only then placed in the zone (``to_utc``), which is what keeps them right.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

FREQUENCIES = ("weekly", "fortnightly", "monthly")
LOCAL_FORMAT = "%Y-%m-%dT%H:%M"


def zone(name: str) -> ZoneInfo | None:
    """The IANA zone called ``name``, or ``None`` if there is no such zone."""
    if not name or len(name) > 64 or name.startswith(("/", ".")) or ".." in name:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def zone_names() -> list[str]:
    """Every IANA zone name, sorted (for a form's choices)."""
    return sorted(n for n in available_timezones() if "/" in n and not n.startswith("Etc/"))


def to_utc(local: datetime, zone_name: str) -> datetime:
    """The UTC instant of the naive wall-clock time ``local`` in ``zone_name``.

    A time inside a spring-forward gap (02:30 on the night clocks jump from 02:00 to 03:00)
    is read with the offset before the change, as most calendars do."""
    tz = ZoneInfo(zone_name)
    return local.replace(tzinfo=tz).astimezone(UTC)


def to_local(instant: datetime, zone_name: str) -> datetime:
    """``instant`` (aware) as an aware datetime in ``zone_name``."""
    return instant.astimezone(ZoneInfo(zone_name))


def parse_local(value: str) -> datetime | None:
    """``"2026-03-24T20:00"`` (what a ``datetime-local`` input sends) as a naive datetime."""
    try:
        return datetime.strptime(value.strip()[:16], LOCAL_FORMAT)
    except ValueError:
        return None


def _nth_weekday(year: int, month: int, weekday: int, nth: int) -> date:
    """The ``nth`` (1-4, or 5 for the last) ``weekday`` of the month."""
    days = calendar.monthrange(year, month)[1]
    matching = [d for d in range(1, days + 1) if date(year, month, d).weekday() == weekday]
    return date(year, month, matching[-1] if nth >= 5 else matching[nth - 1])


def week_of_month(day: date) -> int:
    """1-4 for the first to fourth such weekday of its month, 5 when it is the fifth."""
    return (day.day - 1) // 7 + 1


def local_starts(first: datetime, frequency: str, until: date | None = None) -> Iterator[datetime]:
    """Every occurrence's naive local start, from ``first`` on (endless unless ``until``).

    ``monthly`` keeps the weekday and its place in the month ("the 2nd Tuesday"); a first
    date that is the month's fifth such weekday repeats on the last one."""
    if frequency not in FREQUENCIES:
        raise ValueError(f"unknown frequency {frequency!r}")
    step = 0
    nth = week_of_month(first.date())
    while True:
        if frequency == "monthly":
            month0 = first.month - 1 + step
            day = _nth_weekday(first.year + month0 // 12, month0 % 12 + 1, first.weekday(), nth)
            current = datetime.combine(day, first.time())
        else:
            current = first + timedelta(weeks=step * (2 if frequency == "fortnightly" else 1))
        if until is not None and current.date() > until:
            return
        yield current
        step += 1


def describe(frequency: str, first: datetime) -> tuple[str, int, int]:
    """``(frequency, weekday 0-6, nth 1-5)``: the pieces a page words as "every other
    Wednesday" or "the last Tuesday of each month"."""
    return frequency, first.weekday(), week_of_month(first.date())
