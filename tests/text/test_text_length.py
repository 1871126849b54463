"""weighted_length: Mastodon's way of counting a post against the character limit."""

from __future__ import annotations

import pytest

from staffroom.text import weighted_length

LONG_URL = "https://example.com/" + "a" * 200


@pytest.mark.parametrize(
    ("text", "length"),
    [
        ("", 0),
        ("hello", 5),
        ("x" * 116 + " " + LONG_URL, 140),  # a 220-character URL counts 23
        ("x" * 117 + " " + LONG_URL, 141),
        ("http://t.co", 23),  # short URLs count 23 too
        (LONG_URL + " " + LONG_URL, 47),
        ("see example.com", 15),  # without a scheme a URL counts as typed, like Mastodon
        ("@alice hi", 9),
        ("@alice@mastodon.example.net hi", 9),  # a remote handle counts as @alice
        ("@alice@mastodon.example.net @alice", 13),
        ("e\u0301", 1),  # NFC: e + combining acute is one character
        ("🐱", 1),
        ("👨\u200d👩\u200d👧", 5),  # code points, not graphemes
        ("日本語", 3),
    ],
)
def test_weighted_length(text: str, length: int) -> None:
    assert weighted_length(text) == length


def test_140_limit_with_urls() -> None:
    text = "Staffroom: " + "z" * 80 + " https://example.org/some/long/path/that/goes/on"
    assert weighted_length(text) == 11 + 80 + 1 + 23 == 115
    text += " https://example.net/" + "q" * 50  # +1 space, +23
    assert weighted_length(text) == 139 <= 140
    assert weighted_length(text + "!!") == 141 > 140


def test_url_length_parameter() -> None:
    assert weighted_length("see https://example.com/abc", url_length=10) == 14
    assert weighted_length("see https://example.com/abc", url_length=0) == 4
