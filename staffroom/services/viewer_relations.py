"""Per-process memory of whom a viewer does not see, for the live room's requests
(``services.room_tail``), forgotten at once when that viewer blocks, mutes or unmutes in
this process (``services.blocks``, ``services.chat_room``); other processes forget within
``TTL`` seconds. Depends on nothing, so any service may call :func:`forget`.
"""

from __future__ import annotations

import threading
import time

TTL = 10.0  # seconds (a change made in this process is forgotten at once)

_kept: dict[tuple[int, int], tuple[float, frozenset[int], bool]] = {}
_lock = threading.Lock()


def recall(viewer_id: int, event_id: int) -> tuple[frozenset[int], bool] | None:
    """What was kept for the viewer in this room, if younger than ``TTL``."""
    found = _kept.get((viewer_id, event_id))
    if found is None or time.monotonic() - found[0] >= TTL:
        return None
    return found[1], found[2]


def keep(viewer_id: int, event_id: int, excluded: frozenset[int], filtered: bool) -> None:
    with _lock:
        if len(_kept) > 20000:
            _kept.clear()
        _kept[(viewer_id, event_id)] = (time.monotonic(), excluded, filtered)


def forget(*viewer_ids: int) -> None:
    """Drop what is kept of these viewers (after a block, mute or unmute of theirs)."""
    wanted = set(viewer_ids)
    for key in [k for k in _kept if k[0] in wanted]:
        _kept.pop(key, None)
