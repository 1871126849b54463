"""The bounded cache forgets its oldest entries and survives threads evicting at once."""

from __future__ import annotations

import sys
import threading

from staffroom.cache import BoundedCache


def test_oldest_entries_go_first() -> None:
    cache: BoundedCache[int, str] = BoundedCache(10)
    for i in range(10):
        cache.put(i, str(i))
    cache.put(10, "10")
    assert cache.get(0) is None and cache.get(1) == "1" and cache.get(10) == "10"
    assert len(cache) == 10


def test_threads_evicting_together_never_fail() -> None:
    cache: BoundedCache[int, int] = BoundedCache(50)
    errors: list[BaseException] = []

    def fill(start: int) -> None:
        try:
            for i in range(start, start + 20_000):
                cache.put(i, i)
        except BaseException as exc:  # collected for the assertion
            errors.append(exc)

    threads = [threading.Thread(target=fill, args=(n * 1_000_000,)) for n in range(4)]
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads as often as possible
    try:
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        sys.setswitchinterval(interval)
    assert errors == []
    assert len(cache) <= 50
