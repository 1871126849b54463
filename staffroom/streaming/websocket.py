"""The multiplexed WebSocket: ``/api/v1/streaming``.

The token is checked at the handshake (a bad one is refused with 401 and nothing is accepted).
``?stream=user`` (with ``tag=``/``list=``) subscribes on connect, as in Mastodon; then the
client sends ``{"type": "subscribe" | "unsubscribe", "stream": "hashtag", "tag": "EdChat"}``.
Frames are ``{"stream": ["hashtag", "EdChat"], "event": "update", "payload": "<JSON>"}``; a
message the server cannot act on gets ``{"error": "...", "status": 400}`` and the socket stays
open. Client messages are handled one at a time, so a frame answering a later message (even an
error) means every earlier subscription is live. Keep-alive pings are the server's
protocol-level pings (uvicorn's ``ws_ping_interval``).
"""

from __future__ import annotations

from collections.abc import Mapping

import orjson
from starlette.requests import HTTPConnection
from starlette.types import Message, Receive, Scope, Send

from staffroom.runtime import runtime_of
from staffroom.streaming.connection import WebSocketConnection
from staffroom.streaming.grants import RawToken, authenticate
from staffroom.streaming.hub import Hub, check_list_owner, hub_for
from staffroom.streaming.streams import StreamError, resolve, subscription_key

MAX_SUBSCRIPTIONS = 100


async def _deny(scope: Scope, send: Send, error: StreamError) -> None:
    """Refuse the handshake with an HTTP status (or a policy close if unsupported)."""
    if "websocket.http.response" in scope.get("extensions", {}):
        body = orjson.dumps({"error": error.message})
        headers = [(b"content-type", b"application/json; charset=utf-8")]
        await send(
            {"type": "websocket.http.response.start", "status": error.status, "headers": headers}
        )
        await send({"type": "websocket.http.response.body", "body": body})
    else:
        await send({"type": "websocket.close", "code": 1008})


def _subprotocol(scope: Scope, token: RawToken) -> str | None:
    """Echo the subprotocol that carried the token (else the first offered, as Mastodon)."""
    if token.via_subprotocol:
        return token.value
    offered: list[str] = scope.get("subprotocols") or []
    return offered[0] if offered else None


def _request(data: Mapping[str, object]) -> tuple[str, dict[str, object]]:
    """The stream name and parameters of a subscribe message (``stream`` may be a list)."""
    stream = data.get("stream")
    params = dict(data)
    if isinstance(stream, list) and stream:
        if len(stream) > 1:
            params.setdefault("list" if stream[0] == "list" else "tag", stream[1])
        stream = stream[0]
    if not isinstance(stream, str) or not stream:
        raise StreamError("Unknown stream type")
    return stream, params


async def _act(
    hub: Hub, conn: WebSocketConnection, kind: object, data: Mapping[str, object]
) -> None:
    if kind not in ("subscribe", "unsubscribe"):
        raise StreamError("Unknown message type")
    name, params = _request(data)
    if kind == "subscribe":
        if len(conn.subs) >= MAX_SUBSCRIPTIONS:
            raise StreamError(f"Too many subscriptions (at most {MAX_SUBSCRIPTIONS})")
        grant = conn.grant
        spec = resolve(name, params, account_id=grant.account_id, scopes=grant.scopes)
        await check_list_owner(hub.runtime, spec, grant.account_id)
        await hub.subscribe(conn, spec)
    else:
        hub.unsubscribe(conn, subscription_key(name, params))


async def _on_message(hub: Hub, conn: WebSocketConnection, message: Message) -> None:
    """Act on one client message; problems become error frames."""
    try:
        text = message.get("text")
        if text is None:
            raise StreamError("Binary messages are not supported")
        try:
            data = orjson.loads(text)
        except orjson.JSONDecodeError:
            raise StreamError("Invalid JSON") from None
        if not isinstance(data, dict):
            raise StreamError("Invalid message")
        await _act(hub, conn, data.get("type"), data)
    except StreamError as exc:
        conn.push(WebSocketConnection.error(exc.message, exc.status))


async def _subscribe_from_query(
    hub: Hub, conn: WebSocketConnection, query: Mapping[str, str]
) -> None:
    """``?stream=...`` (with ``tag``/``list``) subscribes on connect, as in Mastodon."""
    try:
        await _act(hub, conn, "subscribe", query)
    except StreamError as exc:
        conn.push(WebSocketConnection.error(exc.message, exc.status))


async def websocket_endpoint(scope: Scope, receive: Receive, send: Send) -> None:
    """ASGI endpoint for ``/api/v1/streaming`` WebSocket connections."""
    if (await receive())["type"] != "websocket.connect":
        return
    handshake = HTTPConnection(scope)
    try:
        grant, token = await authenticate(handshake)
    except StreamError as exc:
        await _deny(scope, send, exc)
        return
    hub = hub_for(runtime_of(handshake))
    conn = WebSocketConnection(grant, send)
    hub.add(conn)
    try:
        if handshake.query_params.get("stream"):
            await _subscribe_from_query(hub, conn, handshake.query_params)
        await send({"type": "websocket.accept", "subprotocol": _subprotocol(scope, token)})
        conn.open()
        while True:
            message = await receive()
            if message["type"] == "websocket.disconnect":
                break
            if message["type"] == "websocket.receive":
                await _on_message(hub, conn, message)
    finally:
        hub.remove(conn)
