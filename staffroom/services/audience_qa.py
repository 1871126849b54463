"""An event's audience Q&A: people submit questions, hosts screen them, everyone upvotes.

Writes ``audience_questions`` and ``audience_votes`` (migration 0030). A question starts
``pending``: only hosts see it (and its author, as "waiting for a host"); a host approves
(shown to everyone) or rejects it, and marks an approved one ``answered``. Approved
questions are ordered by votes, then oldest first; the speaker's view shows the top
unanswered ones. One vote per person per question, toggled off by voting again; nobody
upvotes their own question (asking is that vote). Questions carry no author's name on
the shared views: a projector or a speaker's screen shows the question, not who asked.
Changes to what the audience sees answer a :class:`~staffroom.services.wall.WallChange`
with a ``qa`` frame for :func:`staffroom.services.wall.publish`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import Connection, delete, func, insert, select, update

from staffroom import clock
from staffroom.db.tables_events import audience_questions, audience_votes, events
from staffroom.errors import NotFound, RateLimited, ValidationFailed
from staffroom.ids import new_id
from staffroom.messages import N_
from staffroom.services.events import Event, require_event
from staffroom.services.wall import WallChange, require_host

MIN_CHARS, MAX_CHARS = 3, 500
BURST, BURST_WINDOW = 3, timedelta(minutes=1)  # questions per person per minute
MAX_WAITING = 5  # one person's questions waiting for a host at once
SCREEN_ACTIONS = {"approve": "approved", "reject": "rejected", "answer": "answered"}
TOP = 10


@dataclass(frozen=True, slots=True)
class Question:
    id: int
    account_id: int
    text: str
    state: str
    votes: int


def _questions(conn: Connection, event_id: int, states: tuple[str, ...]) -> list[Question]:
    c = audience_questions.c
    rows = conn.execute(
        select(c.id, c.account_id, c.text, c.state, c.votes)
        .where(c.event_id == event_id, c.state.in_(states))
        .order_by(c.votes.desc(), c.id)
    )
    return [Question(r.id, r.account_id, r.text, r.state, r.votes) for r in rows]


def top_questions(conn: Connection, event_id: int, limit: int = TOP) -> list[Question]:
    """Approved, unanswered questions: most votes first, then the oldest."""
    return _questions(conn, event_id, ("approved",))[:limit]


def _qa_frame(event_id: int) -> WallChange:
    return WallChange(event_id, [{"type": "qa"}])


def submit(conn: Connection, account_id: int, event_id: int, text: str) -> int:
    """Ask a question (pending until a host approves it); answers its ID."""
    event = require_event(conn, event_id)
    text = " ".join(text.split())
    if not event.qa_open or event.phase(clock.now()) in ("ended", "cancelled"):
        raise ValidationFailed(N_("Questions are closed for this event"), field="text")
    if len(text) < MIN_CHARS:
        raise ValidationFailed(N_("Write a question of at least 3 characters"), field="text")
    if len(text) > MAX_CHARS:
        raise ValidationFailed(N_("A question can have at most 500 characters"), field="text")
    c = audience_questions.c
    mine = select(func.count()).where(c.event_id == event_id, c.account_id == account_id)
    recent = conn.execute(mine.where(c.created_at >= clock.now() - BURST_WINDOW)).scalar_one()
    if recent >= BURST:
        raise RateLimited(N_("You have asked several questions in the last minute; wait a moment"))
    waiting = conn.execute(mine.where(c.state == "pending")).scalar_one()
    if waiting >= MAX_WAITING:
        raise ValidationFailed(
            N_("Five of your questions are waiting for a host; wait until they are screened"),
            field="text",
        )
    question_id = new_id()
    conn.execute(
        insert(audience_questions).values(
            id=question_id,
            event_id=event_id,
            account_id=account_id,
            text=text,
            state="pending",
            votes=0,
            created_at=clock.now(),
        )
    )
    return question_id


def _require_question(conn: Connection, event_id: int, question_id: int) -> Question:
    c = audience_questions.c
    row = conn.execute(
        select(c.id, c.account_id, c.text, c.state, c.votes).where(
            c.id == question_id, c.event_id == event_id
        )
    ).first()
    if row is None:
        raise NotFound(N_("There is no such question"))
    return Question(row.id, row.account_id, row.text, row.state, row.votes)


def vote(conn: Connection, account_id: int, event_id: int, question_id: int) -> WallChange:
    """Upvote an approved question, or take one's vote back."""
    question = _require_question(conn, event_id, question_id)
    if question.state != "approved":
        raise NotFound(N_("There is no such question"))
    if question.account_id == account_id:
        raise ValidationFailed(N_("You cannot upvote your own question"), field="question")
    v = audience_votes.c
    mine = (v.question_id == question_id) & (v.account_id == account_id)
    if conn.execute(select(v.question_id).where(mine)).first() is not None:
        conn.execute(delete(audience_votes).where(mine))
    else:
        conn.execute(
            insert(audience_votes).values(
                question_id=question_id, account_id=account_id, created_at=clock.now()
            )
        )
    count = select(func.count()).where(v.question_id == question_id).scalar_subquery()
    conn.execute(
        update(audience_questions).where(audience_questions.c.id == question_id).values(votes=count)
    )
    return _qa_frame(event_id)


def screen(
    conn: Connection, actor_id: int, event_id: int, question_id: int, action: str
) -> WallChange:
    """A host approves, rejects or marks answered a question."""
    state = SCREEN_ACTIONS.get(action)
    if state is None:
        raise ValidationFailed(N_("Choose approve, reject or answered"), field="action")
    require_host(conn, actor_id, event_id)
    question = _require_question(conn, event_id, question_id)
    if action == "answer" and question.state != "approved":
        raise ValidationFailed(N_("Only an approved question can be answered"), field="action")
    conn.execute(
        update(audience_questions).where(audience_questions.c.id == question_id).values(state=state)
    )
    return _qa_frame(event_id)


def set_open(conn: Connection, actor_id: int, event_id: int, is_open: bool) -> WallChange:
    """A host opens or closes the Q&A for new questions."""
    require_host(conn, actor_id, event_id)
    conn.execute(
        update(events)
        .where(events.c.id == event_id)
        .values(qa_open=is_open, updated_at=clock.now())
    )
    return _qa_frame(event_id)


@dataclass(frozen=True, slots=True)
class QAView:
    """The Q&A as one person sees it."""

    event: Event
    phase: str
    approved: list[Question]
    answered: list[Question]
    pending: list[Question]  # every pending one for hosts; one's own otherwise
    voted: frozenset[int]
    is_host: bool
    is_speaker: bool


def qa_view(conn: Connection, viewer_id: int | None, event_id: int) -> QAView:
    """The Q&A page's data: approved and answered questions, pending ones for hosts (and
    each person's own), and which the viewer upvoted."""
    event = require_event(conn, event_id)
    is_host = event.is_host(viewer_id)
    approved = _questions(conn, event_id, ("approved",))
    answered = _questions(conn, event_id, ("answered",))
    pending = _questions(conn, event_id, ("pending",)) if viewer_id is not None else []
    if not is_host:
        pending = [q for q in pending if q.account_id == viewer_id]
    pending.sort(key=lambda q: q.id)
    voted: frozenset[int] = frozenset()
    if viewer_id is not None and approved:
        voted = frozenset(
            conn.execute(
                select(audience_votes.c.question_id).where(
                    audience_votes.c.account_id == viewer_id,
                    audience_votes.c.question_id.in_([q.id for q in approved]),
                )
            ).scalars()
        )
    return QAView(
        event,
        event.phase(clock.now()),
        approved,
        answered,
        pending,
        voted,
        is_host,
        viewer_id is not None and viewer_id in event.speaker_ids,
    )
