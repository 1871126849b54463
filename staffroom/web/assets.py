"""The web app's CSS and JavaScript: one bundle each, fingerprinted, gzipped, cached a year.

Every file under ``static/css/`` (and ``static/js/``) is joined in name order into one
``app.css`` (``app.js``), so a page costs one request for each however many features add
their own file; features name theirs ``NN-feature.css`` to place it. The bundle's URL holds
a hash of its content (``/static/app.3f2a9c1b7d0e.css``), so it can be cached for a year and
a new release is fetched at once. Each JavaScript file must be a self-contained script that
does nothing on pages without its elements (the bundle runs on every page).
"""

from __future__ import annotations

import gzip
import hashlib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

STATIC_DIR = Path(__file__).with_name("static")
_KINDS = {"css": "text/css; charset=utf-8", "js": "text/javascript; charset=utf-8"}
_YEAR = "public, max-age=31536000, immutable"


@dataclass(frozen=True, slots=True)
class Bundle:
    """One built bundle: its body, gzipped body and content hash."""

    kind: str
    body: bytes
    gzipped: bytes
    digest: str

    @property
    def url(self) -> str:
        return f"/static/app.{self.digest}.{self.kind}"


@cache
def bundle(kind: str) -> Bundle:
    """The ``css`` or ``js`` bundle, built once per process from ``static/<kind>/``."""
    parts = []
    for path in sorted((STATIC_DIR / kind).glob(f"*.{kind}")):
        parts.append(f"/* {path.name} */\n".encode() + path.read_bytes().rstrip() + b"\n")
    body = b"".join(parts)
    digest = hashlib.sha256(body).hexdigest()[:12]
    return Bundle(kind, body, gzip.compress(body, 9, mtime=0), digest)


def asset_url(kind: str) -> str:
    """The fingerprinted URL of the ``css`` or ``js`` bundle (a template global)."""
    return bundle(kind).url


async def serve_bundle(request: Request) -> Response:
    """``/static/app.<hash>.<kind>``: the bundle, gzipped when the browser accepts it.

    An old hash (a page cached from before a release) gets today's bundle, uncached."""
    kind = request.path_params["kind"]
    if kind not in _KINDS:
        return Response("Not found", status_code=404, media_type="text/plain")
    built = bundle(kind)
    headers = {
        "Cache-Control": _YEAR if request.path_params["digest"] == built.digest else "no-cache",
        "Vary": "Accept-Encoding",
        "X-Content-Type-Options": "nosniff",
    }
    body = built.body
    if "gzip" in request.headers.get("accept-encoding", ""):
        body = built.gzipped
        headers["Content-Encoding"] = "gzip"
    return Response(body, media_type=_KINDS[kind], headers=headers)


routes: list[BaseRoute] = [
    Route("/static/app.{digest:str}.{kind:str}", serve_bundle, methods=["GET", "HEAD"]),
]
