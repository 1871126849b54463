"""A small bounded in-process cache (insertion-order eviction).

Used only for values that are validated against fresh rows or never change (a post's
mentions and tags, an entity rendered from an unchanged row), so several processes can each
keep their own without ever serving stale data.
"""

from __future__ import annotations

from itertools import islice
from typing import Generic, TypeVar

K = TypeVar("K")
V = TypeVar("V")


class BoundedCache(Generic[K, V]):
    """A dict that forgets its oldest entries beyond ``capacity``."""

    def __init__(self, capacity: int) -> None:
        self.capacity = capacity
        self._data: dict[K, V] = {}

    def get(self, key: K) -> V | None:
        return self._data.get(key)

    def put(self, key: K, value: V) -> None:
        data = self._data
        if key not in data and len(data) >= self.capacity:
            # Evict in batches (cheap amortised). Another thread may change the dict between
            # creating the iterator and reading it: then copy the keys (``list(data)`` is one
            # C call). ``pop(k, None)`` lets two threads evict at once without failing.
            count = max(1, self.capacity // 10)
            try:
                oldest = list(islice(data, count))
            except RuntimeError:
                oldest = list(data)[:count]
            for old in oldest:
                data.pop(old, None)
        data[key] = value

    def discard(self, key: K) -> None:
        self._data.pop(key, None)

    def clear(self) -> None:
        self._data.clear()

    def __len__(self) -> int:
        return len(self._data)
