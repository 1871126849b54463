"""The live wall: ``GET /events/{id}/wall/live``, server-sent events for anyone.

One :class:`WallRoom` per event and process holds the event's wall viewers. It listens,
through the streaming hub's one broker subscription, to the hashtag's public channel and to
``staffroom:wall:<event_id>`` (moderation and Q&A changes, ``services.wall.publish``). A new
post is judged ONCE for all the room's viewers, from facts the room keeps in memory (the
window as post IDs, the mode, the people kept off; read once when the room opens and kept
current by the moderation messages), so a post costs no database work per viewer (none at
all). Frames are ``event: wall`` with JSON data: ``{"type": "post"|"hide"|"pin"|"unpin",
"id": "..."}`` or ``{"type": "qa"}``; ``queued`` tells a host's page that a post waits for
approval (approve-first). Heartbeats are ``:thump`` comments. The page then fetches the
posts' HTML from ``/events/{id}/wall/fragment``, which applies the visibility rules again.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import orjson
from starlette.requests import Request
from starlette.types import Receive, Scope, Send

from staffroom.errors import NotFound
from staffroom.ids import parse_id
from staffroom.policies.visibility import PUBLIC
from staffroom.runtime import Runtime, runtime_of
from staffroom.services.wall import wall_channel
from staffroom.services.wall_views import LiveFacts, live_facts
from staffroom.streaming.connection import SSEConnection
from staffroom.streaming.filtering import decode
from staffroom.streaming.grants import Grant
from staffroom.streaming.hub import Hub, hub_for
from staffroom.streaming.sse import HEADERS

log = logging.getLogger("staffroom.streaming")

WALLS_KEY = "streaming.walls"
ANONYMOUS = Grant(account_id=0, token_id=0, scopes=frozenset())


def _frame(data: dict[str, Any]) -> dict[str, Any]:
    return SSEConnection.frame((), "wall", orjson.dumps(data).decode())


class WallRoom:
    """One event's wall viewers in this process, and what judges new posts."""

    def __init__(self, hub: Hub, facts: LiveFacts) -> None:
        self.hub = hub
        self.facts = facts
        self.mode = facts.mode
        self.blocked = set(facts.blocked)
        self.viewers: set[SSEConnection] = set()
        self.channels = (facts.tag_channel, wall_channel(facts.event_id))

    async def open(self) -> None:
        for channel in self.channels:
            await self.hub.listen(channel, self.receive)

    def close(self) -> None:
        for channel in self.channels:
            self.hub.unlisten(channel, self.receive)

    def send(self, frames: list[dict[str, Any]]) -> None:
        encoded = [_frame(f) for f in frames]
        for viewer in list(self.viewers):
            for message in encoded:
                viewer.push(message)

    def receive(self, channel: str, message: str) -> None:
        if channel == self.channels[1]:
            self._moderated(message)
        else:
            self._posted(message)

    def _moderated(self, message: str) -> None:
        try:
            body = orjson.loads(message)
            frames = [f for f in body.get("frames", ()) if isinstance(f, dict)]
        except (orjson.JSONDecodeError, AttributeError):
            return
        if body.get("mode") in ("post_then_hide", "approve_first"):
            self.mode = body["mode"]
        self.blocked |= {int(a) for a in body.get("blocked", ())}
        self.blocked -= {int(a) for a in body.get("unblocked", ())}
        self.send(frames)

    def _posted(self, message: str) -> None:
        event = decode(message)
        if event is None or event.visibility != PUBLIC or event.reblog_author_id is not None:
            return
        if event.name == "delete":
            status_id = parse_id(event.payload.strip())
            if status_id is not None and self._in_window(status_id):
                self.send([{"type": "hide", "id": str(status_id)}])
            return
        if event.name != "update" or event.author_id in self.blocked:
            return
        try:
            status_id = parse_id(str(orjson.loads(event.payload)["id"]))
        except (orjson.JSONDecodeError, KeyError, TypeError):
            return
        if status_id is None or not self._in_window(status_id):
            return
        kind = "post" if self.mode == "post_then_hide" else "queued"
        self.send([{"type": kind, "id": str(status_id)}])

    def _in_window(self, status_id: int) -> bool:
        return self.facts.low_id <= status_id < self.facts.high_id


class Walls:
    """This loop's wall rooms, and the heartbeat that keeps their streams open."""

    def __init__(self, hub: Hub) -> None:
        self.hub = hub
        self.rooms: dict[int, WallRoom] = {}
        self._opening: dict[int, asyncio.Lock] = {}
        self._beat: asyncio.Task[None] | None = None

    async def join(self, runtime: Runtime, event_id: int, viewer: SSEConnection) -> WallRoom:
        lock = self._opening.setdefault(event_id, asyncio.Lock())
        async with lock:
            room = self.rooms.get(event_id)
            if room is None:
                facts = await runtime.db.aread(live_facts, event_id)
                room = WallRoom(self.hub, facts)
                await room.open()
                self.rooms[event_id] = room
            room.viewers.add(viewer)
        if self._beat is None:
            self._beat = asyncio.get_running_loop().create_task(self._keep())
        return room

    def leave(self, room: WallRoom, viewer: SSEConnection) -> None:
        room.viewers.discard(viewer)
        viewer.discard()
        if not room.viewers and self.rooms.get(room.facts.event_id) is room:
            room.close()
            del self.rooms[room.facts.event_id]
            self._opening.pop(room.facts.event_id, None)

    async def _keep(self) -> None:
        try:
            while self.rooms:
                await asyncio.sleep(self.hub.heartbeat_seconds)
                for room in list(self.rooms.values()):
                    for viewer in list(room.viewers):
                        viewer.push(SSEConnection.HEARTBEAT)
        finally:
            self._beat = None


def walls_for(runtime: Runtime) -> Walls:
    hub = hub_for(runtime)
    walls: Walls | None = runtime.extras.get(WALLS_KEY)
    if walls is None or walls.hub is not hub:
        walls = runtime.extras[WALLS_KEY] = Walls(hub)
    return walls


async def wall_stream(scope: Scope, receive: Receive, send: Send) -> None:
    """ASGI endpoint: the wall's frames for anyone who may read the wall."""
    request = Request(scope, receive)
    runtime = runtime_of(request)
    event_id = parse_id(str(request.path_params.get("id", "")))
    if event_id is None:
        raise NotFound()
    walls = walls_for(runtime)
    viewer = SSEConnection(ANONYMOUS, send)
    viewer.push(SSEConnection.comment(")"))
    room = await walls.join(runtime, event_id, viewer)  # NotFound for no such event
    try:
        await send({"type": "http.response.start", "status": 200, "headers": HEADERS})
        viewer.open()
        while (await receive())["type"] != "http.disconnect":
            pass
    finally:
        walls.leave(room, viewer)
