"""The time of a post scheduled from a web form: a ``datetime-local`` field (``scheduled_at``,
wall-clock time without a zone) and the zone it is in (``time_zone``, an IANA name that the
page's script fills in from the browser; ``UTC`` without JavaScript, and the form says so).
Converted with the zone's own rules (summer time included) to an aware UTC time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from starlette.datastructures import FormData

from staffroom.errors import ValidationFailed
from staffroom.web.forms import form_text
from staffroom.web.i18n import N_

_ZONES: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class ScheduleField:
    """What the form said, to show it again after a refusal, and the moment it means
    (``None`` when it means none: ``problem`` says why)."""

    local: str  # as typed: 2026-12-10T20:00
    zone: str
    at: datetime | None
    problem: str = N_("Publish at: give a date and a time.")

    def moment(self) -> datetime:
        """The UTC moment asked for; refuses, with the reason, a time that names none."""
        if self.at is None:
            raise ValidationFailed(self.problem)
        return self.at


def _zone(name: str) -> ZoneInfo | None:
    global _ZONES
    if not _ZONES:
        _ZONES = frozenset(available_timezones())
    if name not in _ZONES and name != "UTC":
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def schedule_from_form(form: FormData) -> ScheduleField | None:
    """The scheduled time asked for, or ``None`` when the field was left empty."""
    local = form_text(form.get("scheduled_at")).strip()[:40]
    zone = form_text(form.get("time_zone")).strip()[:64] or "UTC"
    if not local:
        return None
    try:
        wall = datetime.fromisoformat(local)
    except ValueError:
        return ScheduleField(local, zone, None)
    found = _zone(zone)
    if found is None:
        return ScheduleField(local, zone, None, N_("That time zone is not known."))
    if wall.tzinfo is not None:
        return ScheduleField(local, zone, None)
    return ScheduleField(local, zone, wall.replace(tzinfo=found).astimezone(UTC))


def local_value(moment: datetime) -> str:
    """``moment`` (aware) as a ``datetime-local`` value in UTC (the script moves it into the
    reader's zone)."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M")
