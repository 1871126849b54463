"""gzip for responses: Intel's ISA-L (``isal``) where it is installed, else the standard zlib.

Compressing a page is a fixed share of every page's cost: ISA-L's level 1 compresses a 33 KB
home page in ~25 us to 5.5 KB, where zlib takes ~75 us at level 1 for 5.7 KB and ~230 us at
level 4 for 5.3 KB (docs/decisions/0012). Both write a standard gzip stream.
"""

from __future__ import annotations

import zlib
from types import ModuleType

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
