"""Reading the event forms (issue 15): the new-event and edit forms' fields as the services'
drafts, with refusals in words (422) for a time that names none, an end before the start,
an unknown zone or a bad hashtag (the last two from ``services.events.check_draft``).

Start and end are ``datetime-local`` fields in the zone of the hidden ``time_zone`` field,
which ``static/js/50-schedule.js`` fills with the browser's zone (``UTC`` without it).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from starlette.datastructures import FormData

from staffroom.errors import ValidationFailed
from staffroom.ids import parse_id
from staffroom.services import event_recurrence as recurrence
from staffroom.services.event_editing import EventChange
from staffroom.services.events import EventDraft
from staffroom.web.forms import form_text
from staffroom.web.i18n import N_

REPEATS = (
    ("none", N_("Once")),
    ("weekly", N_("Every week")),
    ("fortnightly", N_("Every other week")),
    ("monthly", N_("Every month, on the same weekday (for example the 2nd Tuesday)")),
)
KIND_LABELS = (
    ("chat", N_("Hashtag chat")),
    ("conference", N_("Conference")),
    ("session", N_("Conference session")),
)


@dataclass(frozen=True, slots=True)
class EventForm:
    """What the form said (to fill it again after a refusal)."""

    title: str = ""
    description: str = ""
    hashtag: str = ""
    starts_at: str = ""
    ends_at: str = ""
    time_zone: str = "UTC"
    online_url: str = ""
    kind: str = "chat"
    parent_id: str = ""
    repeat: str = "none"
    until: str = ""
    cohosts: str = ""
    announce: bool = True
    discoverable: bool = True


def read_event_form(form: FormData) -> EventForm:
    def text(name: str, limit: int = 500) -> str:
        return form_text(form.get(name)).strip()[:limit]

    return EventForm(
        title=text("title", 300),
        description=form_text(form.get("description"))[:6000],
        hashtag=text("hashtag", 120),
        starts_at=text("starts_at", 40),
        ends_at=text("ends_at", 40),
        time_zone=text("time_zone", 64) or "UTC",
        online_url=text("online_url", 600),
        kind=text("kind", 20) or "chat",
        parent_id=text("parent_id", 30),
        repeat=text("repeat", 20) or "none",
        until=text("until", 20),
        cohosts=text("cohosts", 600),
        announce=form_text(form.get("announce")) == "1",
        discoverable=form_text(form.get("discoverable")) == "1",
    )


def _times(f: EventForm) -> tuple[datetime, int]:
    start = recurrence.parse_local(f.starts_at)
    if start is None:
        raise ValidationFailed(N_("Give the start as a date and a time"), field="starts_at")
    end = recurrence.parse_local(f.ends_at)
    if end is None:
        raise ValidationFailed(N_("Give the end as a date and a time"), field="ends_at")
    if end <= start:
        raise ValidationFailed(N_("The event must end after it starts"), field="ends_at")
    return start, int((end - start).total_seconds() // 60)


def cohost_names(f: EventForm) -> list[str]:
    return [n for n in f.cohosts.replace(",", " ").split() if n]


def draft_of(f: EventForm) -> EventDraft:
    """The new event's draft (checked further by ``services.events.check_draft``)."""
    start, minutes = _times(f)
    parent = parse_id(f.parent_id) if f.kind == "session" else None
    if f.kind == "session" and parent is None:
        raise ValidationFailed(N_("Choose the conference this session belongs to"))
    return EventDraft(
        title=f.title,
        hashtag=f.hashtag,
        time_zone=f.time_zone,
        start_local=start,
        duration_minutes=minutes,
        description=f.description,
        online_url=f.online_url,
        kind=f.kind,
        parent_id=parent,
        discoverable=f.discoverable,
    )


def repeat_of(f: EventForm) -> tuple[str | None, date | None]:
    """``(frequency or None for once, last date or None)``."""
    if f.repeat == "none":
        return None, None
    if f.repeat not in recurrence.FREQUENCIES:
        raise ValidationFailed(N_("Choose weekly, fortnightly or monthly"), field="repeat")
    if not f.until:
        return f.repeat, None
    try:
        return f.repeat, date.fromisoformat(f.until)
    except ValueError:
        raise ValidationFailed(N_("Give the last date as a date"), field="until") from None


def change_of(f: EventForm) -> EventChange:
    start, minutes = _times(f)
    return EventChange(
        title=f.title,
        description=f.description,
        time_zone=f.time_zone,
        start_local=start,
        duration_minutes=minutes,
        online_url=f.online_url,
        cohosts=cohost_names(f),
    )
