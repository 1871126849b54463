"""Direct conversations: each participant's list of direct threads, as Mastodon keeps them.

Writes ``account_conversations`` and ``conversation_statuses``. A row is one account's view
of one thread with one set of other participants (Mastodon's ``AccountConversation``):
:func:`record_direct` (run by the ``deliver_status`` job for a direct post) adds the post to
the author's row and to the row of every mentioned account who may see it, marks the row
unread for everyone but the author, and answers whose rows changed (the job streams a
``conversation`` event to them). :func:`forget_direct` (deleting a post) moves each row back
to its previous post, or removes it when none is left. Removing a conversation deletes the
row; the thread's next post makes a new one. Reading goes through ``status_views``, so a
post the viewer may no longer see shows as no last post.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import orjson
from sqlalchemy import Connection, Row, and_, delete, func, select, update
from sqlalchemy.exc import IntegrityError

from staffroom.db import fastsql
from staffroom.db.tables import account_conversations as ac
from staffroom.db.tables import conversation_statuses as cs
from staffroom.db.upsert import insert_ignore
from staffroom.errors import NotFound
from staffroom.ids import new_id
from staffroom.policies.visibility import DIRECT, belongs_in_timeline, may_see
from staffroom.services.accounts import get_accounts
from staffroom.services.status_views import StatusView, load_views, viewer_facts

if TYPE_CHECKING:
    from staffroom.runtime import Runtime


@dataclass(frozen=True, slots=True)
class ConversationView:
    """One conversation as its owner sees it (``accounts``: the other participants, or the
    owner alone for notes to oneself, as Mastodon)."""

    id: int
    unread: bool
    accounts: tuple[Row[Any], ...]
    last_status: StatusView | None
    last_status_id: int  # the page cursor


_POST = "SELECT account_id, visibility, in_reply_to_id, reblog_of_id FROM statuses WHERE id = ?"
_KEY_OF = (
    "SELECT a.conversation_key FROM conversation_statuses c JOIN account_conversations a"
    " ON a.id = c.conversation_id WHERE c.status_id = ? LIMIT 1"
)
# The first post of a thread (bounded: a thread deeper than this is keyed where it stops).
_ROOT = (
    "WITH RECURSIVE up(id, parent, depth) AS ("
    " SELECT id, in_reply_to_id, 0 FROM statuses WHERE id = ?"
    " UNION ALL SELECT s.id, s.in_reply_to_id, up.depth + 1 FROM statuses s"
    " JOIN up ON s.id = up.parent WHERE up.depth < 200)"
    " SELECT id FROM up ORDER BY depth DESC LIMIT 1"
)


def _key(conn: Connection, status_id: int, parent_id: int | None) -> int:
    """The thread key: the replied-to direct post's key, else the thread's first post."""
    if parent_id is None:
        return status_id
    found = fastsql.run_plain(conn, _KEY_OF, parent_id)
    if found:
        return int(found[0][0])
    root = fastsql.run_plain(conn, _ROOT, parent_id)
    return int(root[0][0]) if root else parent_id


def _recipients(conn: Connection, author_id: int, mentioned: list[int]) -> list[int]:
    """The author, and each mentioned account that may see the post and does not block or
    mute its author (the visibility policy decides)."""
    chosen = [author_id]
    seen = frozenset(mentioned)
    for account_id in dict.fromkeys(mentioned):
        if account_id == author_id:
            continue
        facts = viewer_facts(conn, account_id, [author_id])
        if may_see(
            facts, author_id=author_id, visibility=DIRECT, mentioned=seen
        ) and belongs_in_timeline(facts, author_id=author_id, mentioned=seen):
            chosen.append(account_id)
    return chosen


def record_direct(conn: Connection, status_id: int, mentioned: list[int]) -> list[int]:
    """Add a delivered direct post to its participants' conversations (idempotent); returns
    the accounts whose conversation changed."""
    found = fastsql.run_plain(conn, _POST, status_id)
    if not found:
        return []
    author_id, visibility, parent_id, reblog_of_id = found[0]
    if visibility != DIRECT or reblog_of_id is not None:
        return []
    key = _key(conn, status_id, parent_id)
    everyone = {author_id, *mentioned}
    changed = []
    for account_id in _recipients(conn, author_id, mentioned):
        participants = ",".join(str(a) for a in sorted(everyone - {account_id}))
        if _add(conn, account_id, key, participants, status_id, account_id != author_id):
            changed.append(account_id)
    return changed


def _add(
    conn: Connection, account_id: int, key: int, participants: str, status_id: int, unread: bool
) -> bool:
    where = and_(
        ac.c.account_id == account_id,
        ac.c.conversation_key == key,
        ac.c.participant_ids == participants,
    )
    row = conn.execute(select(ac.c.id, ac.c.last_status_id).where(where)).first()
    if row is None:
        conversation_id = new_id()
        try:
            with conn.begin_nested():
                conn.execute(
                    ac.insert().values(
                        id=conversation_id,
                        account_id=account_id,
                        conversation_key=key,
                        participant_ids=participants,
                        last_status_id=status_id,
                        unread=unread,
                        created_at=datetime.now(UTC),
                    )
                )
        except IntegrityError:  # made at the same moment by another delivery
            return _add(conn, account_id, key, participants, status_id, unread)
    else:
        conversation_id = row.id
        already = conn.execute(
            select(cs.c.status_id).where(
                cs.c.conversation_id == conversation_id, cs.c.status_id == status_id
            )
        ).first()
        if already is not None:
            return False  # delivered before (a repeated job)
        if status_id > row.last_status_id:
            conn.execute(
                update(ac)
                .where(ac.c.id == conversation_id)
                .values(last_status_id=status_id, unread=unread)
            )
    conn.execute(
        insert_ignore(conn, cs),
        [{"conversation_id": conversation_id, "status_id": status_id}],
    )
    return True


def forget_direct(conn: Connection, status_id: int) -> list[tuple[int, int]]:
    """Before a direct post is deleted: each conversation holding it falls back to its
    previous post, or goes when it held no other. Returns the (owner, conversation) pairs
    that stay, for the ``status_deleted`` job to stream."""
    held = conn.execute(
        select(ac.c.id, ac.c.account_id)
        .join(cs, cs.c.conversation_id == ac.c.id)
        .where(cs.c.status_id == status_id)
    ).all()
    conn.execute(delete(cs).where(cs.c.status_id == status_id))
    kept = []
    for conversation_id, owner in held:
        previous = conn.execute(
            select(func.max(cs.c.status_id)).where(cs.c.conversation_id == conversation_id)
        ).scalar()
        if previous is None:
            conn.execute(delete(ac).where(ac.c.id == conversation_id))
        else:
            conn.execute(
                update(ac).where(ac.c.id == conversation_id).values(last_status_id=previous)
            )
            kept.append((int(owner), int(conversation_id)))
    return kept


def conversations_page(
    conn: Connection,
    viewer_id: int,
    *,
    max_id: int | None = None,
    since_id: int | None = None,
    min_id: int | None = None,
    limit: int = 20,
) -> list[ConversationView]:
    """The viewer's conversations, the most recently active first; the cursors are last
    post IDs (Mastodon pages conversations by their last status)."""
    last = ac.c.last_status_id
    query = select(ac).where(ac.c.account_id == viewer_id)
    if max_id is not None:
        query = query.where(last < max_id)
    if since_id is not None:
        query = query.where(last > since_id)
    if min_id is not None:
        ascending = conn.execute(query.where(last > min_id).order_by(last).limit(limit)).all()
        rows = list(reversed(ascending))
    else:
        rows = list(conn.execute(query.order_by(last.desc()).limit(limit)).all())
    return _views(conn, viewer_id, rows)


def _views(conn: Connection, viewer_id: int, rows: list[Row[Any]]) -> list[ConversationView]:
    """Rows as views: the last posts through ``status_views`` (the visibility policy) and
    the participants, one read each for the whole page."""
    posts = {v.id: v for v in load_views(conn, viewer_id, [r.last_status_id for r in rows])}
    wanted = {viewer_id}
    for row in rows:
        wanted.update(_participants(row))
    people = get_accounts(conn, wanted)
    views = []
    for row in rows:
        others = tuple(people[a] for a in _participants(row) if a in people)
        views.append(
            ConversationView(
                id=row.id,
                unread=bool(row.unread),
                accounts=others or ((people[viewer_id],) if viewer_id in people else ()),
                last_status=posts.get(row.last_status_id),
                last_status_id=row.last_status_id,
            )
        )
    return views


def _participants(row: Row[Any]) -> list[int]:
    return [int(a) for a in row.participant_ids.split(",") if a]


def _own(conn: Connection, viewer_id: int, conversation_id: int) -> Row[Any]:
    row = conn.execute(
        select(ac).where(ac.c.id == conversation_id, ac.c.account_id == viewer_id)
    ).first()
    if row is None:
        raise NotFound()
    return row


def get_conversation(conn: Connection, viewer_id: int, conversation_id: int) -> ConversationView:
    """One of the viewer's conversations (``NotFound`` for anyone else's)."""
    return _views(conn, viewer_id, [_own(conn, viewer_id, conversation_id)])[0]


def mark_read(conn: Connection, viewer_id: int, conversation_id: int) -> ConversationView:
    """Mark one of the viewer's conversations read; returns it."""
    _own(conn, viewer_id, conversation_id)
    conn.execute(update(ac).where(ac.c.id == conversation_id).values(unread=False))
    return get_conversation(conn, viewer_id, conversation_id)


def remove(conn: Connection, viewer_id: int, conversation_id: int) -> None:
    """Take a conversation off the viewer's list (for the others it stays)."""
    _own(conn, viewer_id, conversation_id)
    conn.execute(delete(ac).where(ac.c.id == conversation_id))


def _holding(
    conn: Connection, account_ids: list[int], status_id: int
) -> list[tuple[int, ConversationView]]:
    """Each account's conversation holding the post, as that account sees it."""
    rows = conn.execute(
        select(ac)
        .join(cs, cs.c.conversation_id == ac.c.id)
        .where(cs.c.status_id == status_id, ac.c.account_id.in_(account_ids))
    ).all()
    return [(row.account_id, _views(conn, row.account_id, [row])[0]) for row in rows]


def stream_conversations(rt: Runtime, account_ids: list[int], status_id: int) -> None:
    """After commit: a ``conversation`` event to each of ``account_ids`` listening on their
    ``direct`` stream, with their conversation holding the post (read only if someone
    listens)."""
    if not account_ids:
        return
    listening = rt.broker.listened([f"timeline:direct:{a}" for a in account_ids])
    if not listening:
        return
    wanted = [int(c.rsplit(":", 1)[1]) for c in listening]
    for owner, view in rt.db.read(_holding, wanted, status_id):
        publish_conversation(rt, owner, view)


def stream_conversation(rt: Runtime, account_id: int, conversation_id: int) -> None:
    """After commit: one conversation to its owner's ``direct`` stream, if it is open and
    the conversation still exists."""
    if not rt.broker.listened([f"timeline:direct:{account_id}"]):
        return
    try:
        view = rt.db.read(get_conversation, account_id, conversation_id)
    except NotFound:
        return
    publish_conversation(rt, account_id, view)


def publish_conversation(rt: Runtime, account_id: int, view: ConversationView) -> None:
    """Stream ``view`` to its owner's ``direct`` stream as a ``conversation`` event."""
    from staffroom.serializers.conversations import serialize_conversation
    from staffroom.services.delivery import event

    channel = f"timeline:direct:{account_id}"
    if not rt.broker.listened([channel]):
        return
    payload = orjson.dumps(serialize_conversation(view, rt.settings.base_url)).decode()
    meta: dict[str, Any] = {
        "author_id": None,
        "reblog_author_id": None,
        "mentioned": [],
        "visibility": DIRECT,
    }
    rt.broker.publish(channel, event("conversation", payload, meta))
