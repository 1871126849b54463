"""Time-ordered 64-bit IDs in Mastodon's layout: ``unix_ms << 16 | sequence``.

The low 16 bits are ``process_slot (5 bits) << 11 | counter (11 bits)``. Sibling worker
processes get consecutive PIDs, so ``pid % 32`` keeps their IDs apart; each process issues up
to 2,048 IDs per millisecond and waits for the next millisecond beyond that. IDs are strictly
increasing within a process, so they double as pagination cursors and timeline scores.
"""

from __future__ import annotations

import os
import threading
import time

_COUNTER_BITS = 11
_COUNTER_MAX = (1 << _COUNTER_BITS) - 1


class IdGenerator:
    """Thread-safe generator of time-ordered IDs."""

    def __init__(self, slot: int | None = None) -> None:
        self._slot = (os.getpid() if slot is None else slot) % 32
        self._lock = threading.Lock()
        self._last_ms = 0
        self._counter = 0

    def next_id(self) -> int:
        with self._lock:
            now = int(time.time() * 1000)
            if now < self._last_ms:
                now = self._last_ms  # clock went backwards: stay monotonic
            if now == self._last_ms:
                self._counter += 1
                if self._counter > _COUNTER_MAX:
                    while now <= self._last_ms:
                        time.sleep(0.0001)
                        now = int(time.time() * 1000)
                    self._counter = 0
            else:
                self._counter = 0
            self._last_ms = now
            return now << 16 | self._slot << _COUNTER_BITS | self._counter


_default = IdGenerator()


def new_id() -> int:
    """Return a fresh ID from the process-wide generator."""
    if _default._slot != os.getpid() % 32:  # forked: take this process's slot
        _reset_after_fork()
    return _default.next_id()


def _reset_after_fork() -> None:
    global _default
    _default = IdGenerator()


_backdated = 0


def id_at(moment_ms: int) -> int:
    """An ID for something that happened at ``moment_ms`` (imports, demo data).

    Unique within a process for up to 2,048 IDs per millisecond of ``moment_ms``.
    """
    global _backdated
    _backdated = (_backdated + 1) & ((1 << 11) - 1)
    return moment_ms << 16 | (os.getpid() % 32) << 11 | _backdated


def id_floor(unix_ms: int) -> int:
    """Smallest ID that could have been issued at ``unix_ms`` (for time-based cursors)."""
    return unix_ms << 16


def id_timestamp_ms(snowflake: int) -> int:
    return snowflake >> 16


MAX_ID = (1 << 63) - 1


def parse_id(raw: object) -> int | None:
    """An ID from a path, query or body value: ASCII digits only, 0..2^63-1; else ``None``.

    The one parser for every identifier the API accepts, so a Unicode digit (``²``) or a
    number past the 64-bit columns never reaches ``int()`` or the database.
    """
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        return raw if 0 <= raw <= MAX_ID else None
    if not isinstance(raw, str):
        return None
    text = raw.strip()
    if not (0 < len(text) <= 19 and text.isascii() and text.isdigit()):
        return None
    value = int(text)
    return value if value <= MAX_ID else None
