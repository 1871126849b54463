"""Where staffroom.text deliberately differs from the twitter-text conformance suite.

The single list of skipped conformance cases, each with its reason. It is explained in
``docs/decisions/0002-text-conformance-deviations.md`` and used by
``tests/text/test_conformance.py``; an entry whose description is ``"*"`` covers a whole
section.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Deviation:
    """One skipped conformance case (or section) and why."""

    file: str
    section: str
    description: str
    reason: str


_HANDLE = (
    "Staffroom also accepts Mastodon-style @user@domain handles, so '@test@example.com' is one "
    "mention of 'test@example.com' where twitter-text ignores it as e-mail-like"
)
_CASHTAGS = "Staffroom, like Mastodon, has no cashtags: '$TEST' is plain text"
_LISTS = (
    "Staffroom has no Twitter lists, so there is nothing to validate; '@user/list' is still "
    "kept from being a mention (mentions_or_lists_with_indices runs)"
)
_WEIGHTS = (
    "weighted_length counts every code point as 1, as Mastodon does; twitter-text weighs CJK, "
    "most non-Latin scripts, emoji and some punctuation as 2 (280-point budget)"
)
_WEIGHTED_SECTIONS = ("WeightedTweetsCounterTest", "WeightedTweetsWithDiscountedEmojiCounterTest")
_WEIGHTED_CASES = (
    "160 CJK char, overflow at char index 140",
    "160 emoji char, overflow at char index 140",
    "3 latin char + 160 CJK char, overflow at char index 141",
    "Count a mix of single byte single word, and double word unicode characters",
    "Count unicode emoji chars inside the basic multilingual plane",
    "Count unicode emoji chars outside the basic multilingual plane with skin tone modifiers",
    "Do not allow > 140 CJK characters by virtue of CJK chars greater than 63 punycode encoded"
    " chars in the host",
    "Allow > 140 CJK characters by virtue of CJK chars less than 63 punycode encoded chars in"
    " the host",
)
_EMOJI_CASES = ("140 family emoji", "Unicode 10.0 emoji", "Unicode 9.0 emoji")

DEVIATIONS: tuple[Deviation, ...] = (
    Deviation(
        "extract.yml",
        "mentions",
        "Extract lone metion but not @user@user (too close to an email)",
        _HANDLE,
    ),
    Deviation("extract.yml", "cashtags", "*", _CASHTAGS),
    Deviation("extract.yml", "cashtags_with_indices", "*", _CASHTAGS),
    Deviation("validate.yml", "lists", "*", _LISTS),
    *(
        Deviation("validate.yml", section, case, _WEIGHTS)
        for section in _WEIGHTED_SECTIONS
        for case in _WEIGHTED_CASES
    ),
    *(
        Deviation("validate.yml", "WeightedTweetsWithDiscountedEmojiCounterTest", case, _WEIGHTS)
        for case in _EMOJI_CASES
    ),
    Deviation(
        "validate.yml",
        "UnicodeDirectionalMarkerCounterTest",
        "Handle invalid characters",
        _WEIGHTS + "; U+FFFE/U+FFFF are not rejected either (the text is counted, not judged)",
    ),
    Deviation(
        "validate.yml",
        "UnicodeDirectionalMarkerCounterTest",
        "Tweet text containing directional characters should be considered valid",
        _WEIGHTS + " (here the four directional marks)",
    ),
)


def deviation_for(file: str, section: str, description: str) -> str | None:
    """Return the reason a conformance case is skipped, or ``None`` if it must pass."""
    for deviation in DEVIATIONS:
        if (deviation.file, deviation.section) == (file, section) and deviation.description in (
            "*",
            description,
        ):
            return deviation.reason
    return None
