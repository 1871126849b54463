"""Polls, as Mastodon has them: made with a post, voted on once, ended by the job queue.

Writes ``polls`` (with the post, in posting's transaction, or replaced by an edit),
``poll_votes`` and the poll's counts (in the vote's transaction, after taking the poll's
row, so two votes never count from the same tallies), and ``notifications`` of type
``poll`` when it ends. Ending is a delayed ``poll_ended`` job per poll, due at its end (no
poller scans the polls); the job marks the poll ended and notifies its author and voters in
one transaction, so each is told once, and a job made stale by an edit that moved the end
does nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

import orjson
from sqlalchemy import Connection, delete, func, insert, select, update

from staffroom import clock
from staffroom.db.tables import poll_votes, polls, statuses
from staffroom.errors import NotFound, ValidationFailed
from staffroom.ids import new_id
from staffroom.jobs import enqueue
from staffroom.jobs.registry import Lease, job_handler
from staffroom.messages import N_, T_
from staffroom.services.notify import notify
from staffroom.services.poll_views import PollView, aware, polls_of
from staffroom.services.status_views import load_view

if TYPE_CHECKING:
    from staffroom.jobs.queue import Job
    from staffroom.runtime import Runtime

# As Mastodon's defaults (advertised in /api/v2/instance ``configuration.polls``).
MAX_OPTIONS = 4
MAX_OPTION_CHARS = 50
MIN_EXPIRATION = 300  # seconds
MAX_EXPIRATION = 2_629_746  # a month


@dataclass(frozen=True, slots=True)
class NewPoll:
    """The poll an author asks for (``poll[options][]``, ``expires_in`` seconds, ...)."""

    options: tuple[str, ...]
    expires_in: int
    multiple: bool = False
    hide_totals: bool = False

    @classmethod
    def from_dict(cls, values: dict[str, Any]) -> NewPoll:
        """From what :func:`dataclasses.asdict` gave (a scheduled post's stored params)."""
        return cls(
            tuple(values["options"]),
            int(values["expires_in"]),
            bool(values.get("multiple")),
            bool(values.get("hide_totals")),
        )


def check_poll(poll: NewPoll) -> None:
    """Refuse a poll Mastodon would refuse, with a message a person understands."""
    if len(poll.options) < 2:
        raise ValidationFailed(N_("A poll needs at least 2 options"))
    if len(poll.options) > MAX_OPTIONS:
        raise ValidationFailed(T_("A poll can have at most %(most)s options", most=MAX_OPTIONS))
    for option in poll.options:
        if not option.strip():
            raise ValidationFailed(N_("A poll option can't be blank"))
        if len(option) > MAX_OPTION_CHARS:
            raise ValidationFailed(
                T_("A poll option can have at most %(most)s characters", most=MAX_OPTION_CHARS)
            )
    if len({option.strip() for option in poll.options}) != len(poll.options):
        raise ValidationFailed(N_("Poll options must all be different"))
    if poll.expires_in < MIN_EXPIRATION:
        raise ValidationFailed(N_("A poll must last at least 5 minutes"))
    if poll.expires_in > MAX_EXPIRATION:
        raise ValidationFailed(N_("A poll can last at most a month"))


def create_poll(
    conn: Connection, status_id: int, author_id: int, poll: NewPoll, now: datetime
) -> int:
    """Store the poll of a new post (the caller writes ``statuses.poll_id``); returns its ID."""
    poll_id = new_id()
    expires_at = now + timedelta(seconds=poll.expires_in)
    conn.execute(
        insert(polls).values(
            id=poll_id,
            status_id=status_id,
            account_id=author_id,
            options=orjson.dumps([o.strip() for o in poll.options]).decode(),
            multiple=poll.multiple,
            hide_totals=poll.hide_totals,
            expires_at=expires_at,
            votes_count=0,
            voters_count=0,
            tallies=orjson.dumps([0] * len(poll.options)).decode(),
            ended=False,
            created_at=now,
        )
    )
    _enqueue_end(conn, poll_id, expires_at)
    return poll_id


def _enqueue_end(conn: Connection, poll_id: int, expires_at: datetime) -> None:
    delay = max(0.0, (expires_at - clock.now()).total_seconds())
    enqueue(conn, "poll_ended", {"poll_id": poll_id}, delay_seconds=delay)


def replace_poll(
    conn: Connection, status_id: int, author_id: int, old_id: int | None, poll: NewPoll | None
) -> int | None:
    """An edit's poll: changed options (or single/multiple) start it afresh with no votes, as
    Mastodon does; the same options keep the votes and take the new duration and settings.
    Returns the poll ID the post now has (``None``: the poll was removed)."""
    now = clock.now()
    old = None
    if old_id is not None:
        old = conn.execute(select(polls).where(polls.c.id == old_id)).first()
    if poll is None:
        if old is not None:
            conn.execute(delete(polls).where(polls.c.id == old.id))
        return None
    options = [o.strip() for o in poll.options]
    if old is None or orjson.loads(old.options) != options or bool(old.multiple) != poll.multiple:
        if old is not None:
            conn.execute(delete(polls).where(polls.c.id == old.id))
        return create_poll(conn, status_id, author_id, poll, now)
    expires_at = now + timedelta(seconds=poll.expires_in)
    conn.execute(
        update(polls)
        .where(polls.c.id == old.id)
        .values(hide_totals=poll.hide_totals, expires_at=expires_at, ended=False)
    )
    _enqueue_end(conn, int(old.id), expires_at)
    return int(old.id)


def get_poll(conn: Connection, viewer_id: int | None, poll_id: int) -> PollView:
    """A poll whose post the viewer may see (``NotFound`` otherwise, as for the post)."""
    row = conn.execute(select(polls.c.status_id).where(polls.c.id == poll_id)).first()
    if row is None or load_view(conn, viewer_id, int(row.status_id)) is None:
        raise NotFound()
    return polls_of(conn, viewer_id, [poll_id])[poll_id]


@dataclass(frozen=True, slots=True)
class PollSource:
    """A post's poll as its author set it up (for an editing form)."""

    options: tuple[str, ...]
    multiple: bool
    hide_totals: bool
    expires_at: datetime
    duration_seconds: int  # from its start (or last restart) to its end


def poll_source(conn: Connection, status_id: int) -> PollSource | None:
    """The poll of post ``status_id`` as written, or ``None`` if it has none."""
    row = conn.execute(
        select(
            polls.c.options,
            polls.c.multiple,
            polls.c.hide_totals,
            polls.c.expires_at,
            polls.c.created_at,
        )
        .join(statuses, statuses.c.poll_id == polls.c.id)
        .where(statuses.c.id == status_id)
    ).first()
    if row is None:
        return None
    expires_at, created_at = aware(row.expires_at), aware(row.created_at)
    return PollSource(
        options=tuple(orjson.loads(row.options)),
        multiple=bool(row.multiple),
        hide_totals=bool(row.hide_totals),
        expires_at=expires_at,
        duration_seconds=int((expires_at - created_at).total_seconds()),
    )


def _choices(raw: Sequence[int], options: int, multiple: bool) -> list[int]:
    chosen = sorted(set(raw))
    if not chosen:
        raise ValidationFailed(N_("Choose at least one option"))
    if any(c < 0 or c >= options for c in chosen):
        raise ValidationFailed(N_("That option is not in this poll"))
    if len(chosen) > 1 and not multiple:
        raise ValidationFailed(N_("This poll takes only one choice"))
    return chosen


def vote(conn: Connection, account_id: int, poll_id: int, choices: Sequence[int]) -> PollView:
    """Record ``account_id``'s choices on a poll they may see; returns the poll as they now
    see it. One vote per person (several choices at once on a multiple-choice poll)."""
    row = conn.execute(select(polls).where(polls.c.id == poll_id)).first()
    if row is None or load_view(conn, account_id, int(row.status_id)) is None:
        raise NotFound()
    if aware(row.expires_at) <= clock.now():
        raise ValidationFailed(N_("This poll has ended"))
    if row.account_id == account_id:
        raise ValidationFailed(N_("You can't vote in your own poll"))
    chosen = _choices(choices, len(orjson.loads(row.options)), bool(row.multiple))
    # Taking the poll's row first makes votes on it wait for each other (PostgreSQL; SQLite
    # has one writer): the check below and the recount see every earlier vote.
    conn.execute(
        update(polls)
        .where(polls.c.id == poll_id)
        .values(
            votes_count=polls.c.votes_count + len(chosen),
            voters_count=polls.c.voters_count + 1,
        )
    )
    already = conn.execute(
        select(poll_votes.c.id)
        .where(poll_votes.c.poll_id == poll_id, poll_votes.c.account_id == account_id)
        .limit(1)
    ).first()
    if already is not None:
        raise ValidationFailed(N_("You have already voted in this poll"))
    now = clock.now()
    conn.execute(
        insert(poll_votes),
        [
            {
                "id": new_id(),
                "poll_id": poll_id,
                "account_id": account_id,
                "choice": choice,
                "created_at": now,
            }
            for choice in chosen
        ],
    )
    counts: dict[int, int] = dict(
        conn.execute(
            select(poll_votes.c.choice, func.count())
            .where(poll_votes.c.poll_id == poll_id)
            .group_by(poll_votes.c.choice)
        ).all()
    )
    tallies = [int(counts.get(i, 0)) for i in range(len(orjson.loads(row.options)))]
    conn.execute(
        update(polls).where(polls.c.id == poll_id).values(tallies=orjson.dumps(tallies).decode())
    )
    return polls_of(conn, account_id, [poll_id])[poll_id]


def end_poll(conn: Connection, poll_id: int) -> bool:
    """Mark a poll that has reached its end as ended and notify its author and voters
    (``poll``); ``False`` if it is gone, already ended, or not due (its end was moved)."""
    row = conn.execute(
        select(polls.c.status_id, polls.c.account_id, polls.c.expires_at, polls.c.ended).where(
            polls.c.id == poll_id
        )
    ).first()
    if row is None or row.ended or aware(row.expires_at) > clock.now() + timedelta(seconds=1):
        return False
    taken = conn.execute(
        update(polls).where(polls.c.id == poll_id, polls.c.ended.is_(False)).values(ended=True)
    ).rowcount
    if taken != 1:
        return False
    voters = conn.execute(
        select(poll_votes.c.account_id).where(poll_votes.c.poll_id == poll_id).distinct()
    ).scalars()
    when = aware(row.expires_at).isoformat()
    for recipient in {int(row.account_id), *voters}:
        notify(
            conn,
            recipient_id=recipient,
            actor_id=int(row.account_id),
            type="poll",
            status_id=int(row.status_id),
            dedupe=when,
        )
    return True


@job_handler("poll_ended")
def poll_ended(rt: Runtime, job: Job, lease: Lease) -> None:
    """End a due poll and complete the job, in one transaction."""
    poll_id = int(job.payload["poll_id"])

    def run(conn: Connection) -> None:
        end_poll(conn, poll_id)
        lease.complete_in(conn)

    rt.db.write(run)


def poll_of_status(conn: Connection, status_id: int) -> int | None:
    """The ID of a post's poll, if it has one."""
    found = conn.execute(select(statuses.c.poll_id).where(statuses.c.id == status_id)).scalar()
    return int(found) if found is not None else None
