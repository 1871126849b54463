"""Text analysis stays linear on adversarial input: no regex backtracking blow-ups.

Posts are bounded (``posting.raw_text_limit``) before analysis, so the worst a client can
send is a text of that length built to make the patterns work hardest. Hypothesis builds
such texts from the fragments URLs, hashtags and mentions are made of; each must be
analysed well within a generous bound, and doubling a pathological text must roughly double
the work, not square it.
"""

from __future__ import annotations

import time

from hypothesis import given, settings
from hypothesis import strategies as st

from staffroom.config import Settings
from staffroom.services.posting import raw_text_limit
from staffroom.text.extract import _entities  # uncached, so every call does the work

LIMIT = raw_text_limit(Settings(data_dir=None, database_url="", base_url=""))  # type: ignore[arg-type]
GENEROUS = 0.5  # seconds for one text at the limit; about 40 ms is typical here
FRAGMENTS = st.sampled_from(
    ["http://", "https://", "www.", "a.", "a", ".com", "/", "#", "@", "_", "-", ".", ":",
     "é", "中", "t.co/", "?", "=", "&", "(", ")", " ", "\u200b", "@a@b.", "#a#", "xn--"]
)  # fmt: skip


def _seconds(text: str) -> float:
    best = float("inf")
    for _ in range(3):  # the least of three: the machine is shared and noisy
        began = time.perf_counter()
        _entities(text)
        best = min(best, time.perf_counter() - began)
    return best


@settings(max_examples=60, deadline=None)
@given(st.lists(FRAGMENTS, min_size=1, max_size=40), st.integers(min_value=1, max_value=LIMIT))
def test_any_text_up_to_the_limit_is_analysed_quickly(pattern: list[str], length: int) -> None:
    unit = "".join(pattern)
    text = (unit * (length // len(unit) + 1))[:length]
    assert _seconds(text) < GENEROUS, f"{len(text)} characters of {unit!r}"


def test_pathological_texts_grow_linearly() -> None:
    for unit in ("a.", "http://a.", "#a", "@a@", "www.a.", "a-"):
        short = _seconds((unit * LIMIT)[: LIMIT // 4])
        long = _seconds((unit * LIMIT)[:LIMIT])
        # 4x the text: linear work is ~4x; quadratic would be ~16x. Small texts carry fixed
        # costs, so allow up to 8x before calling it super-linear.
        assert long <= max(8 * short, 0.005), f"{unit!r}: {short:.4f} s -> {long:.4f} s"
