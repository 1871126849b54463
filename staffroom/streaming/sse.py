"""Server-sent events: ``GET /api/v1/streaming/<stream>`` (``user``, ``public/local``...).

The stream opens with a ``:)`` comment once it is subscribed (so a client that has read it
will see the next post), carries ``event: <name>`` / ``data: <payload>`` pairs, and a
``:thump`` comment every heartbeat interval. Errors before the stream opens are JSON:
400 for an unknown stream or a bad parameter, 401 for a missing or bad token, 403 for a token
without the stream's scope, 404 for a list that is not the caller's.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.types import Receive, Scope, Send

from staffroom.api.responses import error_response
from staffroom.runtime import runtime_of
from staffroom.streaming.connection import SSEConnection
from staffroom.streaming.grants import authenticate
from staffroom.streaming.hub import check_list_owner, hub_for
from staffroom.streaming.streams import StreamError, resolve, stream_for_path

HEADERS = [
    (b"content-type", b"text/event-stream; charset=utf-8"),
    (b"cache-control", b"no-store"),
    (b"x-accel-buffering", b"no"),  # nginx: do not buffer the stream
]


async def sse_endpoint(scope: Scope, receive: Receive, send: Send) -> None:
    """ASGI endpoint for every SSE stream path."""
    request = Request(scope, receive)
    query = request.query_params
    name = stream_for_path(str(request.path_params.get("name", "")), query.get("only_media"))
    try:
        if name is None:
            raise StreamError("Unknown channel requested")
        grant, _ = await authenticate(request)
        spec = resolve(name, query, account_id=grant.account_id, scopes=grant.scopes)
        await check_list_owner(runtime_of(request), spec, grant.account_id)
    except StreamError as exc:
        await error_response(exc.status, exc.message)(scope, receive, send)
        return
    if request.method == "HEAD":
        await send({"type": "http.response.start", "status": 200, "headers": HEADERS})
        await send({"type": "http.response.body", "body": b"", "more_body": False})
        return
    hub = hub_for(runtime_of(request))
    conn = SSEConnection(grant, send)
    conn.push(SSEConnection.comment(")"))
    hub.add(conn)
    try:
        await hub.subscribe(conn, spec)
        await send({"type": "http.response.start", "status": 200, "headers": HEADERS})
        conn.open()
        while (await receive())["type"] != "http.disconnect":
            pass
    finally:
        hub.remove(conn)
