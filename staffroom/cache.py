"""A small bounded in-process cache (insertion-order eviction).

Used only for values that are validated against fresh rows or never change (a post's
mentions and tags, an entity rendered from an unchanged row), so several processes can each
keep their own without ever serving stale data.
"""

from __future__ import annotations

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
            for _ in range(max(1, self.capacity // 10)):  # evict in batches: cheap amortised
                data.pop(next(iter(data)))
        data[key] = value

    def discard(self, key: K) -> None:
        self._data.pop(key, None)

    def clear(self) -> None:
        self._data.clear()

    def __len__(self) -> int:
        return len(self._data)
