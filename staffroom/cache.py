"""A small bounded in-process cache (insertion-order eviction).

Used only for values that are validated against fresh rows or never change (a post's
mentions and tags, an entity rendered from an unchanged row), so several processes can each
keep their own without ever serving stale data.
"""

from __future__ import annotations

from itertools import islice
from typing import TypeVar

K = TypeVar("K")
V = TypeVar("V")


class BoundedCache(dict[K, V]):
    """A dict that forgets its oldest entries beyond ``capacity``. Reads are plain dict
    reads (``get``, ``in``: C calls, no Python frame); write with ``put``."""

    def __init__(self, capacity: int) -> None:
        super().__init__()
        self.capacity = capacity

    def put(self, key: K, value: V) -> None:
        if key not in self and len(self) >= self.capacity:
            # Evict in batches (cheap amortised). Another thread may change the dict between
            # creating the iterator and reading it: then copy the keys (``list(self)`` is one
            # C call). ``pop(k, None)`` lets two threads evict at once without failing.
            count = max(1, self.capacity // 10)
            try:
                oldest = list(islice(self, count))
            except RuntimeError:
                oldest = list(self)[:count]
            for old in oldest:
                self.pop(old, None)
        self[key] = value

    def discard(self, key: K) -> None:
        self.pop(key, None)
