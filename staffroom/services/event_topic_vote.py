"""The vote on an event's topic and its announcement (issue 15).

:func:`start_vote` posts a PUBLIC poll by the host with the event's hashtag, one option per
shortlisted topic (earliest proposed first), closing before the chat starts; the event's
``topic_state`` becomes ``voting``. A delayed ``event_topic_vote`` job, due when the poll
closes, runs :func:`end_vote`: the option with most votes wins (a tie goes to the earliest
proposed), is written to ``events.topic`` (``decided``), announced by a public post from the
host and notified (``event_topic``) to everyone who RSVPed and everyone following the series,
once each. A poll without votes decides nothing: the call goes back to ``closed`` with its
shortlist. Hosts may also set the topic directly (:func:`set_topic`), announced the same way.
Every step is guarded by the event's state, so a job that runs twice changes nothing more.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

import orjson
from sqlalchemy import Connection, select, update

from staffroom import clock
from staffroom.db.tables import polls, statuses
from staffroom.db.tables_events import event_rsvps, events, series_follows
from staffroom.errors import ValidationFailed
from staffroom.jobs import enqueue
from staffroom.jobs.registry import Lease, job_handler
from staffroom.messages import N_
from staffroom.services import event_topics
from staffroom.services.events import Event, event_url, get_event
from staffroom.services.notify import notify
from staffroom.services.poll_views import aware
from staffroom.services.polls import MAX_EXPIRATION, MAX_OPTION_CHARS, MIN_EXPIRATION, NewPoll
from staffroom.services.posting import NewStatus, post_status
from staffroom.text.validate import weighted_length

if TYPE_CHECKING:
    from staffroom.jobs.queue import Job
    from staffroom.runtime import Runtime

DEFAULT_CLOSE = timedelta(hours=1)  # before the chat starts
JOB = "event_topic_vote"


def option_text(topic: str) -> str:
    """A topic as a poll option (cut to the option length, with an ellipsis)."""
    if len(topic) <= MAX_OPTION_CHARS:
        return topic
    return topic[: MAX_OPTION_CHARS - 1].rstrip() + "…"


def _when(event: Event) -> str:
    local = event.local_start
    return local.strftime("%a %d %b %Y %H:%M ") + (local.tzname() or "")


def _fit(rt: Runtime, make: Callable[[str], str], title: str) -> str:
    """The longest text ``make(title)`` within the post limit, shortening the title."""
    limit = rt.settings.max_status_chars
    for cut in range(len(title), 0, -1):
        name = title if cut == len(title) else title[: cut - 1].rstrip() + "…"
        text = make(name)
        if weighted_length(text, rt.settings.url_length) <= limit:
            return text
    return make("")


def _post(conn: Connection, rt: Runtime, author_id: int, text: str, poll: NewPoll | None) -> int:
    return post_status(conn, rt, author_id, NewStatus(text=text, visibility="public", poll=poll))


def start_vote(
    conn: Connection,
    rt: Runtime,
    host_id: int,
    event_id: int,
    closes_at: datetime | None = None,
) -> int:
    """Post the vote among the shortlisted topics (hosts), closing at ``closes_at`` (by
    default an hour before the start); answers the poll post's ID."""
    event = event_topics.host_event(conn, host_id, event_id)
    now = clock.now()
    if event.phase(now) != "upcoming":
        raise ValidationFailed(N_("The vote must take place before the event starts"))
    if event.topic_state in ("voting", "decided"):
        raise ValidationFailed(N_("The topic is already being voted on or decided"))
    shortlist = event_topics.shortlisted(conn, event.id)
    if len(shortlist) < 2:
        raise ValidationFailed(N_("Shortlist at least 2 topics to vote on"))
    closes = closes_at or event.starts_at - DEFAULT_CLOSE
    if closes > event.starts_at:
        raise ValidationFailed(N_("The vote must close before the event starts"), field="closes_at")
    seconds = int((closes - now).total_seconds())
    if seconds < MIN_EXPIRATION:
        raise ValidationFailed(
            N_("The vote must close at least 5 minutes from now"), field="closes_at"
        )
    if seconds > MAX_EXPIRATION:
        raise ValidationFailed(N_("A vote can last at most a month"), field="closes_at")
    options = tuple(option_text(p.text) for p in shortlist)
    if len({o.lower() for o in options}) != len(options):
        raise ValidationFailed(N_("Two shortlisted topics begin with the same words"))
    # The state first: the poll post says "topic:" and must not become a proposal itself.
    conn.execute(update(events).where(events.c.id == event.id).values(topic_state="voting"))
    url = event_url(rt.settings.base_url, event.id)
    text = _fit(
        rt,
        lambda name: f"Vote for the next #{event.hashtag} topic: {name} on {_when(event)}\n{url}",
        event.title,
    )
    status_id = _post(conn, rt, host_id, text, NewPoll(options, expires_in=seconds))
    conn.execute(
        update(events)
        .where(events.c.id == event.id)
        .values(topic_poll_status_id=status_id, updated_at=now)
    )
    enqueue(conn, JOB, {"event_id": event.id, "status_id": status_id}, delay_seconds=seconds)
    return status_id


def _winner(options: list[str], tallies: list[int], shortlist: list[str]) -> str | None:
    """The option with most votes (a tie: the first, the earliest proposed), as the full
    topic it was cut from; ``None`` without votes."""
    if not tallies or max(tallies) == 0:
        return None
    best = tallies.index(max(tallies))
    full = {option_text(t): t for t in shortlist}
    return full.get(options[best], options[best])


def end_vote(conn: Connection, rt: Runtime, event_id: int, status_id: int) -> str | None:
    """Decide the topic from the closed poll; answers the topic, or ``None`` when nothing
    was decided (no votes, the vote already counted, or the poll's end moved later)."""
    event = get_event(conn, event_id)
    if event is None or event.topic_state != "voting":
        return None
    if event.topic_poll_status_id not in (status_id, None):
        return None  # a later vote took its place
    poll = conn.execute(
        select(polls.c.options, polls.c.tallies, polls.c.expires_at)
        .join(statuses, statuses.c.poll_id == polls.c.id)
        .where(statuses.c.id == status_id)
    ).first()
    if poll is not None and aware(poll.expires_at) > clock.now() + timedelta(seconds=1):
        delay = (aware(poll.expires_at) - clock.now()).total_seconds()
        enqueue(conn, JOB, {"event_id": event.id, "status_id": status_id}, delay_seconds=delay)
        return None
    shortlist = [p.text for p in event_topics.shortlisted(conn, event.id)]
    topic = None
    if poll is not None:
        topic = _winner(orjson.loads(poll.options), orjson.loads(poll.tallies), shortlist)
    if topic is None:  # no votes (or the poll was deleted): back to the shortlist
        conn.execute(
            update(events)
            .where(events.c.id == event.id, events.c.topic_state == "voting")
            .values(topic_state="closed", updated_at=clock.now())
        )
        return None
    author = conn.execute(select(statuses.c.account_id).where(statuses.c.id == status_id)).scalar()
    actor = int(author) if author is not None else event.account_id
    return topic if _decide(conn, rt, event, topic, actor, only_from="voting") else None


def set_topic(conn: Connection, rt: Runtime, host_id: int, event_id: int, text: str) -> int:
    """A host decides the topic at once (a running vote no longer counts); announced as a
    vote's winner would be. Answers the announcing post's ID."""
    event = event_topics.host_event(conn, host_id, event_id)
    if event.phase(clock.now()) in ("ended", "cancelled"):
        raise ValidationFailed(N_("This event is over"))
    announced = _decide(conn, rt, event, event_topics.clean_text(text), host_id)
    assert announced is not None
    return announced


def _decide(
    conn: Connection,
    rt: Runtime,
    event: Event,
    topic: str,
    actor_id: int,
    *,
    only_from: str | None = None,
) -> int | None:
    """Write the topic, announce it and tell the audience; ``None`` if the event had left
    the state ``only_from`` (someone else decided first)."""
    q = update(events).where(events.c.id == event.id)
    if only_from is not None:
        q = q.where(events.c.topic_state == only_from)
    changed = conn.execute(q.values(topic=topic, topic_state="decided", updated_at=clock.now()))
    if changed.rowcount != 1:
        return None
    url = event_url(rt.settings.base_url, event.id)
    text = _fit(
        rt,
        lambda name: f"The topic for {name} on {_when(event)}: {topic} #{event.hashtag} {url}",
        event.title,
    )
    announced = _post(conn, rt, actor_id, text, None)
    for recipient in audience(conn, event):
        notify(
            conn,
            recipient_id=recipient,
            actor_id=actor_id,
            type="event_topic",
            event_id=event.id,
            dedupe=str(announced),
        )
    return announced


def audience(conn: Connection, event: Event) -> list[int]:
    """Everyone told of the topic: who RSVPed, and who follows the series, each once."""
    found = set(
        conn.execute(
            select(event_rsvps.c.account_id).where(event_rsvps.c.event_id == event.id)
        ).scalars()
    )
    if event.series_id is not None:
        found |= set(
            conn.execute(
                select(series_follows.c.account_id).where(
                    series_follows.c.series_id == event.series_id
                )
            ).scalars()
        )
    return sorted(found)


@job_handler(JOB)
def vote_ended(rt: Runtime, job: Job, lease: Lease) -> None:
    """Decide the topic when its poll closes, and complete the job, in one transaction."""
    event_id, status_id = int(job.payload["event_id"]), int(job.payload["status_id"])

    def run(conn: Connection) -> None:
        end_vote(conn, rt, event_id, status_id)
        lease.complete_in(conn)

    rt.db.write(run)
