"""A chat's transcript: its posts grouped by question, its resources, participants and
summary, as one viewer may see them (signed out: the public view).

Posts come from ``event_posts.chat_views`` (public chat posts only; deleted posts, and for
a signed-in viewer posts of people they block, who block them or whom they mute, drop
out) and group through ``chat_threads.group``. The transcript opens when the event starts
(``in_progress`` while it runs); the page and every export (``transcript_exports``) read
this same value. The summary is plain text (paragraphs and links, every character
escaped), edited by the hosts or by "volunteers": anyone with a visible post in the chat.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from markupsafe import Markup
from sqlalchemy import Connection, select, update

from staffroom import clock
from staffroom.db.tables import accounts, statuses
from staffroom.db.tables_events import events
from staffroom.errors import Forbidden, NotFound, ValidationFailed
from staffroom.input import refuse_forbidden_characters
from staffroom.messages import N_
from staffroom.services import chat_resources, event_posts
from staffroom.services.chat_resources import Resource
from staffroom.services.chat_threads import group
from staffroom.services.events import (
    Event,
    Series,
    events_from_rows,
    require_event,
    require_series,
)
from staffroom.services.status_views import StatusView
from staffroom.text.render import render_html

MAX_SUMMARY = 5000
FEED_ENTRIES = 20
TITLES_PER_READING = 100  # new links queued per reading (the rest on later readings)


@dataclass(frozen=True, slots=True)
class TranscriptSection:
    """One question (``number`` None: the talk before the first) with its posts."""

    number: int | None
    question: StatusView | None
    answers: list[StatusView]
    chatter: list[StatusView]

    def posts(self) -> list[StatusView]:
        """The question, then everything else in time order."""
        rest = sorted([*self.answers, *self.chatter], key=lambda v: v.id)
        return ([self.question] if self.question else []) + rest

    def answer_ids(self) -> set[int]:
        return {v.id for v in self.answers}


@dataclass(frozen=True, slots=True)
class Transcript:
    """Everything the transcript page and its exports show."""

    event: Event
    in_progress: bool
    sections: list[TranscriptSection]
    resources: list[Resource]
    participants: list[tuple[Any, int]]  # (account row, posts), most posts first
    hosts: list[Any]  # account rows
    summary_editor: Any | None  # account row
    may_edit_summary: bool
    unfetched: list[str]  # shared URLs without a ``link_titles`` row yet

    @property
    def summary_html(self) -> Markup:
        return render_summary(self.event.summary)

    def posts(self) -> list[StatusView]:
        return [v for s in self.sections for v in s.posts()]


def render_summary(text: str) -> Markup:
    """The summary as safe HTML: paragraphs, line breaks and links; all else escaped."""
    html = render_html(text, mention_href=lambda _handle: None, hashtag_href=_tag_href)
    return Markup(html)  # render_html escapes every character of the text


def _tag_href(tag: str) -> str:
    return f"/tags/{tag}"


def transcript(
    conn: Connection, viewer_id: int | None, event_id: int, now: datetime | None = None
) -> Transcript:
    """The event's transcript for ``viewer_id``; 404 before the event starts or if it was
    cancelled."""
    event = require_event(conn, event_id)
    phase = event.phase(now or clock.now())
    if phase in ("upcoming", "cancelled"):
        raise NotFound(N_("The transcript opens when the chat starts"))
    views = event_posts.chat_views(conn, viewer_id, event)
    by_id = {v.id: v for v in views}
    grouped = group(
        event_posts.chat_posts(views),
        event.host_ids or (event.account_id,),
        event_posts.numbered_questions(conn, event.id),
    )
    sections = [
        TranscriptSection(
            number=s.number,
            question=by_id[s.question.id] if s.question else None,
            answers=[by_id[p.id] for p in s.answers],
            chatter=[by_id[p.id] for p in s.chatter],
        )
        for s in grouped
    ]
    found = chat_resources.resources(conn, views)
    return Transcript(
        event=event,
        in_progress=phase == "live",
        sections=sections,
        resources=found,
        participants=_participants(views),
        hosts=_accounts(conn, event.host_ids or (event.account_id,)),
        summary_editor=(
            _accounts(conn, [event.summary_account_id])[0] if event.summary_account_id else None
        ),
        may_edit_summary=viewer_id is not None
        and (event.is_host(viewer_id) or any(v.row.account_id == viewer_id for v in views)),
        unfetched=chat_resources.unfetched(found, conn)[:TITLES_PER_READING],
    )


def request_titles(conn: Connection, urls: Sequence[str]) -> int:
    """Queue title fetches for a transcript's new links (see ``chat_resources``)."""
    return chat_resources.request_titles(conn, urls)


def _participants(views: Sequence[StatusView]) -> list[tuple[Any, int]]:
    counts: dict[int, int] = {}
    rows: dict[int, Any] = {}
    for v in views:
        counts[v.account.id] = counts.get(v.account.id, 0) + 1
        rows.setdefault(v.account.id, v.account)
    order = sorted(counts, key=lambda a: (-counts[a], rows[a].username.lower()))
    return [(rows[a], counts[a]) for a in order]


def _accounts(conn: Connection, ids: Sequence[int | None]) -> list[Any]:
    wanted = [i for i in ids if i is not None]
    if not wanted:
        return []
    rows = {
        r.id: r
        for r in conn.execute(
            select(accounts.c.id, accounts.c.username, accounts.c.display_name).where(
                accounts.c.id.in_(wanted)
            )
        )
    }
    return [rows[i] for i in wanted if i in rows]


def may_edit_summary(conn: Connection, event: Event, account_id: int) -> bool:
    """Hosts, and volunteers: people with a public post in the chat (not deleted)."""
    if event.is_host(account_id):
        return True
    ids = event_posts.chat_status_ids(conn, event)
    for start in range(0, len(ids), 500):
        found = conn.execute(
            select(statuses.c.id)
            .where(statuses.c.id.in_(ids[start : start + 500]))
            .where(statuses.c.account_id == account_id)
            .limit(1)
        ).first()
        if found is not None:
            return True
    return False


def edit_summary(conn: Connection, account_id: int, event_id: int, text: str) -> None:
    """Set the event's summary (last editor and time recorded). 403 for someone who is
    neither a host nor took part; 422 past 5,000 characters or before the chat starts."""
    event = require_event(conn, event_id)
    if event.phase(clock.now()) in ("upcoming", "cancelled"):
        raise ValidationFailed(N_("The summary can be written once the chat has started"))
    if not may_edit_summary(conn, event, account_id):
        raise Forbidden(
            N_("Only the hosts and people who took part in the chat can edit its summary")
        )
    text = text.replace("\r\n", "\n").strip()
    refuse_forbidden_characters(text, "summary")
    if len(text) > MAX_SUMMARY:
        raise ValidationFailed(N_("A summary has at most 5,000 characters"), field="summary")
    conn.execute(
        update(events)
        .where(events.c.id == event_id)
        .values(summary=text, summary_account_id=account_id, summary_updated_at=clock.now())
    )


@dataclass(frozen=True, slots=True)
class SeriesFeed:
    series: Series
    events: list[Event]  # ended occurrences, newest first
    updated: datetime


def series_feed(conn: Connection, series_id: int, now: datetime | None = None) -> SeriesFeed:
    """The series' ended (not cancelled) occurrences, newest first, for its Atom feed."""
    series = require_series(conn, series_id)
    moment = now or clock.now()
    rows = conn.execute(
        select(events)
        .where(events.c.series_id == series_id)
        .where(events.c.ends_at <= moment, events.c.cancelled.is_(False))
        .order_by(events.c.starts_at.desc())
        .limit(FEED_ENTRIES)
    ).all()
    chosen = events_from_rows(conn, rows)
    updated = max(
        [e.summary_updated_at or e.ends_at for e in chosen],
        default=moment,
    )
    return SeriesFeed(series, chosen, updated)
