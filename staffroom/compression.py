"""gzip for responses (pages, and JSON through :class:`GzipJSON`): Intel's ISA-L
(``isal``) where it is installed, else the standard zlib.

Compressing a page is a fixed share of every page's cost: ISA-L's level 1 compresses a 33 KB
home page in ~25 us to 5.5 KB, where zlib takes ~75 us at level 1 for 5.7 KB and ~230 us at
level 4 for 5.3 KB (docs/decisions/0012). Both write a standard gzip stream.
"""

from __future__ import annotations

import zlib
from types import ModuleType

from starlette.types import ASGIApp, Message, Receive, Scope, Send

_fast: ModuleType | None
try:
    from isal import isal_zlib as _fast
except ImportError:  # pragma: no cover - isal is a dependency; kept working without it
    _fast = None

GZIP_FROM = 1024  # smaller bodies gain less than the header and the work cost


def gzip_bytes(body: bytes) -> bytes:
    """``body`` as a gzip stream (no file name, no modification time)."""
    if _fast is not None:
        return bytes(_fast.compress(body, 1, wbits=31))
    return zlib.compress(body, 1, wbits=31)


def accepts_gzip(accept_encoding: str | None) -> bool:
    """Whether an ``Accept-Encoding`` header lets the answer be gzipped."""
    if not accept_encoding:
        return False
    for part in accept_encoding.lower().split(","):
        coding, _, params = part.strip().partition(";")
        if coding.strip() in ("gzip", "*"):
            q = params.strip()
            return not (q.startswith("q=") and q[2:].strip() in ("0", "0.0", "0.00", "0.000"))
    return False


class GzipJSON:
    """ASGI middleware: a JSON answer sent in one piece is gzipped when the client accepts it
    (Mastodon apps do, as browsers do; Mastodon's own nginx compresses JSON the same way).
    Streams (``more_body``: server-sent events, files) and answers already encoded pass as
    they are; pages compress themselves (web/render.py)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not _accepts(scope):
            await self.app(scope, receive, send)
            return
        start: Message | None = None

        async def compressing_send(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                if _is_json(message) and not message.get("trailers"):
                    start = message  # held until the body shows whether it comes in one piece
                    return
                await send(message)
                return
            if start is None or message["type"] != "http.response.body":
                await send(message)
                return
            held, start = start, None
            body: bytes = message.get("body", b"")
            if message.get("more_body") or len(body) < GZIP_FROM:
                await send(held)
                await send(message)
                return
            packed = gzip_bytes(body)
            headers = [(k, v) for k, v in held["headers"] if k.lower() != b"content-length"]
            vary = [v for k, v in headers if k.lower() == b"vary"]
            headers = [(k, v) for k, v in headers if k.lower() != b"vary"]
            varies = b", ".join([*vary, b"Accept-Encoding"]) if vary else b"Accept-Encoding"
            headers += [
                (b"content-encoding", b"gzip"),
                (b"content-length", str(len(packed)).encode()),
                (b"vary", varies),
            ]
            await send({**held, "headers": headers})
            await send({"type": "http.response.body", "body": packed})

        await self.app(scope, receive, compressing_send)


def _accepts(scope: Scope) -> bool:
    for name, value in scope["headers"]:
        if name == b"accept-encoding":
            return accepts_gzip(value.decode("latin-1"))
    return False


def _is_json(start: Message) -> bool:
    encoded = False
    json = False
    for name, value in start["headers"]:
        lowered = name.lower()
        if lowered == b"content-type":
            json = value.split(b";", 1)[0].strip().lower() in (
                b"application/json",
                b"application/activity+json",
                b"application/jrd+json",
            )
        elif lowered == b"content-encoding":
            encoded = True
    return json and not encoded
