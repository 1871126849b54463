"""An event's backchannel wall: which chat posts it shows, and its hosts' moderation.

The wall shows the event's hashtag chat (``services.event_posts``: PUBLIC original posts
with the hashtag in the event's window; replies that left the hashtag out stay in the room,
not on the projector). ``events.wall_mode`` decides what enters: ``post_then_hide`` shows
every post until a host hides it, ``approve_first`` only posts a host approved. Pinned posts
come first; people in ``wall_blocks`` never show. Moderation writes ``wall_items`` (one row
per post: ``approved``, ``hidden`` or ``pinned``) and ``wall_blocks``; each change answers a
:class:`WallChange` that :func:`publish` sends, after the commit, on the channel
``staffroom:wall:<event_id>``, where every process's wall streams (``streaming.walls``) pick
it up: the frames for viewers and the state they keep to judge new posts without the
database.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import orjson
from sqlalchemy import Connection, delete, insert, select, update

from staffroom import clock
from staffroom.db.tables import statuses
from staffroom.db.tables_events import events, wall_blocks, wall_items
from staffroom.errors import Forbidden, NotFound, ValidationFailed
from staffroom.messages import N_
from staffroom.runtime import Runtime
from staffroom.services.event_posts import chat_status_ids
from staffroom.services.events import WALL_MODES, Event, require_event
from staffroom.services.status_views import StatusView, load_views

ACTIONS = ("approve", "hide", "show", "pin", "unpin")
SHOWN, HIDDEN, PINNED, APPROVED = "shown", "hidden", "pinned", "approved"
NEWEST = 30  # posts on the projector at once (plus the pinned ones)


def wall_channel(event_id: int) -> str:
    return f"staffroom:wall:{event_id}"


@dataclass(frozen=True, slots=True)
class WallChange:
    """What one moderation step tells the wall streams: frames for viewers (``post``,
    ``hide``, ``pin``, ``unpin``, ``qa``) and the new mode or blocked people, if changed."""

    event_id: int
    frames: list[dict[str, str]] = field(default_factory=list)
    mode: str | None = None
    blocked: list[int] = field(default_factory=list)
    unblocked: list[int] = field(default_factory=list)

    def message(self) -> str:
        body: dict[str, Any] = {"frames": self.frames}
        if self.mode:
            body["mode"] = self.mode
        if self.blocked:
            body["blocked"] = self.blocked
        if self.unblocked:
            body["unblocked"] = self.unblocked
        return orjson.dumps(body).decode()


def publish(rt: Runtime, change: WallChange | None) -> None:
    """Send a change to the wall's streams (call after the commit)."""
    if change is not None and (change.frames or change.mode or change.blocked or change.unblocked):
        rt.broker.publish(wall_channel(change.event_id), change.message())


@dataclass(frozen=True, slots=True)
class WallState:
    """The wall's moderation as stored: post states and the people kept off."""

    mode: str
    items: dict[int, str]
    blocked: frozenset[int]


def wall_state(conn: Connection, event: Event) -> WallState:
    rows = conn.execute(
        select(wall_items.c.status_id, wall_items.c.state).where(wall_items.c.event_id == event.id)
    )
    blocked = conn.execute(
        select(wall_blocks.c.account_id).where(wall_blocks.c.event_id == event.id)
    ).scalars()
    return WallState(event.wall_mode, {r.status_id: r.state for r in rows}, frozenset(blocked))


def _authors(conn: Connection, ids: Sequence[int]) -> dict[int, int]:
    found: dict[int, int] = {}
    for start in range(0, len(ids), 900):
        chunk = ids[start : start + 900]
        rows = conn.execute(
            select(statuses.c.id, statuses.c.account_id).where(statuses.c.id.in_(chunk))
        )
        found.update({r.id: r.account_id for r in rows})
    return found


def on_wall(state: WallState, status_id: int) -> bool:
    """Whether a chat post by a person not kept off shows, by its state and the mode."""
    item = state.items.get(status_id)
    if item == HIDDEN:
        return False
    return state.mode == "post_then_hide" or item in (APPROVED, PINNED)


def wall_ids(
    conn: Connection,
    event: Event,
    state: WallState | None = None,
    *,
    since_id: int | None = None,
) -> list[int]:
    """The posts on the wall, oldest first, after ``since_id`` if given (whoever reads;
    per-viewer rules come after)."""
    state = state or wall_state(conn, event)
    chat = chat_status_ids(conn, event, since_id=since_id, with_replies=False)
    authors = _authors(conn, chat) if state.blocked else {}
    return [i for i in chat if on_wall(state, i) and authors.get(i) not in state.blocked]


@dataclass(frozen=True, slots=True)
class WallPosts:
    pinned: list[StatusView]
    newest: list[StatusView]  # newest first


def wall_posts(
    conn: Connection,
    viewer_id: int | None,
    event: Event,
    *,
    only: Sequence[int] | None = None,
    since_id: int | None = None,
    limit: int = NEWEST,
) -> WallPosts:
    """The wall as ``viewer_id`` (or a signed-out projector) sees it: pinned posts, then
    the newest ``limit`` (only those of ``only``, or after ``since_id``, if given)."""
    state = wall_state(conn, event)
    if only is not None:  # the live page asks for new posts: read from the oldest asked
        since_id = max(since_id or 0, min(only, default=0) - 1)
    ids = wall_ids(conn, event, state, since_id=since_id)
    if only is not None:
        wanted = set(only)
        ids = [i for i in ids if i in wanted]
    pinned = [i for i in ids if state.items.get(i) == PINNED]
    rest = [i for i in ids if state.items.get(i) != PINNED][-limit:][::-1]
    views = {v.id: v for v in load_views(conn, viewer_id, pinned + rest, for_timeline=True)}
    return WallPosts(
        [views[i] for i in reversed(pinned) if i in views], [views[i] for i in rest if i in views]
    )


def require_host(conn: Connection, account_id: int, event_id: int) -> Event:
    event = require_event(conn, event_id)
    if not event.is_host(account_id):
        raise Forbidden(N_("Only the event's hosts can do that"))
    return event


def _in_chat(conn: Connection, event: Event, status_id: int) -> None:
    found = chat_status_ids(conn, event, since_id=status_id - 1, limit=1, with_replies=False)
    if found != [status_id]:
        raise NotFound(N_("That post is not part of this event's chat"))


def moderate(
    conn: Connection, actor_id: int, event_id: int, status_id: int, action: str
) -> WallChange:
    """A host approves, hides, shows again, pins or unpins one chat post."""
    if action not in ACTIONS:
        raise ValidationFailed(N_("Choose approve, hide, show, pin or unpin"), field="action")
    event = require_host(conn, actor_id, event_id)
    _in_chat(conn, event, status_id)
    before = wall_state(conn, event)
    was_on = on_wall(before, status_id)
    new = {"approve": APPROVED, "hide": HIDDEN, "show": APPROVED, "pin": PINNED}.get(action)
    if action == "unpin":
        new = APPROVED if before.items.get(status_id) == PINNED else before.items.get(status_id)
    where = (wall_items.c.event_id == event_id) & (wall_items.c.status_id == status_id)
    conn.execute(delete(wall_items).where(where))
    if new is not None:
        conn.execute(
            insert(wall_items).values(
                event_id=event_id,
                status_id=status_id,
                state=new,
                moderator_id=actor_id,
                updated_at=clock.now(),
            )
        )
    after = WallState(before.mode, {**before.items, status_id: new or ""}, before.blocked)
    author = _authors(conn, [status_id]).get(status_id)
    is_on = on_wall(after, status_id) and author not in before.blocked
    was_on = was_on and author not in before.blocked
    sid = str(status_id)
    frames: list[dict[str, str]] = []
    if was_on and not is_on:
        frames.append({"type": "hide", "id": sid})
    elif is_on and not was_on:
        frames.append({"type": "post", "id": sid})
    if is_on and action == "pin":
        frames.append({"type": "pin", "id": sid})
    elif is_on and action == "unpin":
        frames.append({"type": "unpin", "id": sid})
    return WallChange(event_id, frames)


def block(
    conn: Connection, actor_id: int, event_id: int, account_id: int, *, blocked: bool = True
) -> WallChange:
    """Keep a person off this wall (or let them back): their posts leave (or return)."""
    event = require_host(conn, actor_id, event_id)
    if blocked and event.is_host(account_id):
        raise ValidationFailed(N_("A host cannot be kept off the wall"), field="account_id")
    state = wall_state(conn, event)
    if blocked == (account_id in state.blocked):
        return WallChange(event_id)
    where = (wall_blocks.c.event_id == event_id) & (wall_blocks.c.account_id == account_id)
    if blocked:
        shown = wall_ids(conn, event, state)
        authors = _authors(conn, shown)
        theirs = [i for i in shown if authors.get(i) == account_id]
        conn.execute(
            insert(wall_blocks).values(
                event_id=event_id, account_id=account_id, created_at=clock.now()
            )
        )
        frames = [{"type": "hide", "id": str(i)} for i in theirs]
        return WallChange(event_id, frames, blocked=[account_id])
    conn.execute(delete(wall_blocks).where(where))
    after = WallState(state.mode, state.items, state.blocked - {account_id})
    ids = wall_ids(conn, event, after)
    authors = _authors(conn, ids)
    back = [i for i in ids if authors.get(i) == account_id]
    frames = [{"type": "post", "id": str(i)} for i in back]
    return WallChange(event_id, frames, unblocked=[account_id])


def set_mode(conn: Connection, actor_id: int, event_id: int, mode: str) -> WallChange:
    """Switch between post-then-hide and approve-first; posts leave or enter accordingly."""
    if mode not in WALL_MODES:
        raise ValidationFailed(N_("Choose post then hide or approve first"), field="mode")
    event = require_host(conn, actor_id, event_id)
    before = wall_state(conn, event)
    if before.mode == mode:
        return WallChange(event_id)
    conn.execute(
        update(events).where(events.c.id == event_id).values(wall_mode=mode, updated_at=clock.now())
    )
    old = set(wall_ids(conn, event, before))
    new = wall_ids(conn, event, WallState(mode, before.items, before.blocked))
    frames = [{"type": "hide", "id": str(i)} for i in sorted(old - set(new))]
    frames += [{"type": "post", "id": str(i)} for i in new if i not in old]
    return WallChange(event_id, frames, mode=mode)


@dataclass(frozen=True, slots=True)
class ModerationView:
    """The hosts' page: every chat post with its state, the pending ones, who is kept off."""

    event: Event
    posts: list[tuple[StatusView, str]]  # newest first, with shown | hidden | pinned | pending
    pending: list[StatusView]
    blocked: list[tuple[int, str]]  # account ID, username


def moderation_view(
    conn: Connection, actor_id: int, event_id: int, *, limit: int = 100
) -> ModerationView:
    """What a host moderates (403 for anyone else)."""
    from staffroom.db.tables import accounts

    event = require_host(conn, actor_id, event_id)
    state = wall_state(conn, event)
    chat = chat_status_ids(conn, event, with_replies=False)[-limit:][::-1]
    # as the signed-out projector sees them: a host moderates everything the wall shows,
    # posts of people who block the host included
    views = load_views(conn, None, chat)
    posts: list[tuple[StatusView, str]] = []
    pending: list[StatusView] = []
    for view in views:
        item = state.items.get(view.id)
        if view.row.account_id in state.blocked:
            label = "blocked"
        elif item in (HIDDEN, PINNED):
            label = item
        elif on_wall(state, view.id):
            label = SHOWN
        else:
            label = "pending"
            pending.append(view)
        posts.append((view, label))
    names = (
        conn.execute(
            select(accounts.c.id, accounts.c.username)
            .where(accounts.c.id.in_(sorted(state.blocked)))
            .order_by(accounts.c.username)
        ).all()
        if state.blocked
        else []
    )
    return ModerationView(event, posts, pending, [(r.id, r.username) for r in names])
