"""Run the twitter-text conformance suite (read from shared/ at test time) against staffroom.text.

Every case of every section of extract.yml and validate.yml is collected. A case listed in
``staffroom.text.deviations.DEVIATIONS`` is skipped with its reason; every other case must
pass. A section nobody maps and nobody lists as a deviation fails the run, so a new upstream
section cannot be silently ignored.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from staffroom.text import (
    extract_entities,
    extract_hashtags,
    extract_mentions,
    extract_urls,
    is_valid_hashtag,
    is_valid_url,
    is_valid_username,
    weighted_length,
)
from staffroom.text.deviations import DEVIATIONS, deviation_for

SUITE = Path(__file__).resolve().parents[2].parent / "shared" / "conformance" / "twitter-text"
FILES = ("extract.yml", "validate.yml")

Case = dict[str, Any]
Runner = Callable[[Case], None]


def _load(name: str) -> dict[str, list[Case]]:
    path = SUITE / name
    if not path.is_file():
        pytest.fail(
            f"twitter-text conformance file missing: {path}. The suite lives in the shared/ "
            "directory beside the repository (shared/conformance/twitter-text/).",
            pytrace=False,
        )
    with path.open(encoding="utf-8") as handle:
        tests: dict[str, list[Case]] = yaml.safe_load(handle)["tests"]
    return tests


def _spans(text: str, kind: str) -> list[tuple[str, int, int]]:
    return [(e.value, e.start, e.end) for e in extract_entities(text) if e.kind == kind]


# --- how each section maps onto the staffroom.text API -----------------------------------------


def _mentions(case: Case) -> None:
    assert extract_mentions(case["text"]) == case["expected"]


def _mentions_with_indices(case: Case) -> None:
    expected = [(m["screen_name"], *m["indices"]) for m in case["expected"]]
    assert _spans(case["text"], "mention") == expected


def _mentions_or_lists(case: Case) -> None:
    # Staffroom has no lists: "@user/list" is a list reference, not a mention (as in
    # twitter-text's extractMentionsWithIndices); plain mentions must still be found.
    expected = [(m["screen_name"], *m["indices"]) for m in case["expected"] if not m["list_slug"]]
    assert _spans(case["text"], "mention") == expected


def _replies(case: Case) -> None:
    # A reply is a mention that only whitespace precedes.
    entities = extract_entities(case["text"])
    reply = None
    if entities and entities[0].kind == "mention":
        first = entities[0]
        if case["text"][: first.start].isspace() or first.start == 0:
            reply = first.value
    assert reply == case["expected"]


def _urls(case: Case) -> None:
    assert extract_urls(case["text"]) == case["expected"]


def _urls_with_indices(case: Case) -> None:
    expected = [(u["url"], *u["indices"]) for u in case["expected"]]
    assert _spans(case["text"], "url") == expected


def _hashtags(case: Case) -> None:
    assert extract_hashtags(case["text"]) == case["expected"]


def _hashtags_with_indices(case: Case) -> None:
    expected = [(h["hashtag"], *h["indices"]) for h in case["expected"]]
    assert _spans(case["text"], "hashtag") == expected


def _valid_tweet(case: Case) -> None:
    # The 2017 rules: 140 code points, every URL counting 23.
    length = weighted_length(case["text"])
    assert (0 < length <= 140) is case["expected"], f"weighted_length={length}"


def _valid_username(case: Case) -> None:
    text: str = case["text"]
    assert text.startswith("@")
    assert is_valid_username(text[1:]) is case["expected"]


def _valid_hashtag(case: Case) -> None:
    text: str = case["text"]
    assert text.startswith("#")
    assert is_valid_hashtag(text[1:]) is case["expected"]


def _valid_url(case: Case) -> None:
    assert is_valid_url(case["text"]) is case["expected"]


def _valid_url_without_protocol(case: Case) -> None:
    assert is_valid_url(case["text"], require_protocol=False) is case["expected"]


def _weighted(case: Case) -> None:
    assert weighted_length(case["text"]) == case["expected"]["weightedLength"]


RUNNERS: dict[tuple[str, str], Runner] = {
    ("extract.yml", "mentions"): _mentions,
    ("extract.yml", "mentions_with_indices"): _mentions_with_indices,
    ("extract.yml", "mentions_or_lists_with_indices"): _mentions_or_lists,
    ("extract.yml", "replies"): _replies,
    ("extract.yml", "urls"): _urls,
    ("extract.yml", "urls_with_indices"): _urls_with_indices,
    ("extract.yml", "urls_with_directional_markers"): _urls_with_indices,
    ("extract.yml", "tco_urls_with_params"): _urls,
    ("extract.yml", "hashtags"): _hashtags,
    ("extract.yml", "hashtags_from_astral"): _hashtags,
    ("extract.yml", "hashtags_with_indices"): _hashtags_with_indices,
    ("validate.yml", "tweets"): _valid_tweet,
    ("validate.yml", "usernames"): _valid_username,
    ("validate.yml", "hashtags"): _valid_hashtag,
    ("validate.yml", "urls"): _valid_url,
    ("validate.yml", "urls_without_protocol"): _valid_url_without_protocol,
    ("validate.yml", "WeightedTweetsCounterTest"): _weighted,
    ("validate.yml", "WeightedTweetsWithDiscountedEmojiCounterTest"): _weighted,
    ("validate.yml", "UnicodeDirectionalMarkerCounterTest"): _weighted,
}


def _cases() -> Iterator[Any]:
    if not SUITE.is_dir():
        # Collected as one failing test (not a skip) that says what is missing.
        yield pytest.param("missing", "", {}, id="suite-missing")
        return
    for name in FILES:
        for section, cases in _load(name).items():
            for case in cases:
                description = case["description"]
                reason = deviation_for(name, section, description)
                marks = [pytest.mark.skip(reason=f"deviation: {reason}")] if reason else []
                yield pytest.param(
                    name, section, case, id=f"{name}:{section}:{description}", marks=marks
                )


@pytest.mark.parametrize(("file", "section", "case"), list(_cases()))
def test_conformance(file: str, section: str, case: Case) -> None:
    if file == "missing":
        _load(FILES[0])  # fails with the path and what to do
    runner = RUNNERS.get((file, section))
    if runner is None:
        pytest.fail(f"{file} section {section!r} has no runner and no deviation entry")
    runner(case)


def test_deviation_list_is_current() -> None:
    """Every deviation names a case (or section) that exists, so the list cannot go stale."""
    known: dict[tuple[str, str], set[str]] = {}
    for name in FILES:
        for section, cases in _load(name).items():
            known[(name, section)] = {case["description"] for case in cases}
    for deviation in DEVIATIONS:
        descriptions = known.get((deviation.file, deviation.section))
        assert descriptions is not None, f"unknown section in {deviation}"
        assert deviation.description == "*" or deviation.description in descriptions, deviation
        assert deviation.reason.strip(), deviation
