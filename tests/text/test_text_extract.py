"""Entity extraction beyond the conformance suite: Mastodon handles, overlaps, properties."""

from __future__ import annotations

import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from staffroom.text import (
    Entity,
    extract_entities,
    extract_hashtags,
    extract_mentions,
    extract_urls,
)

# Fragments that steer generated text into the interesting corners of the rules.
FRAGMENTS = [
    "@",
    "\uff20",
    "#",
    "\uff03",
    "alice",
    "bob_1",
    "@alice@example.social",
    "@bob@",
    "http://",
    "https://",
    "www.",
    "example.com",
    "t.co/",
    ".",
    "/",
    "?",
    "&",
    "-",
    "_",
    ":",
    "(",
    ")",
    " ",
    "\n",
    "é",
    "日本",
    "\u200d",
    "\ufe0f",
    "1",
    "xn--",
    "RT",
    "$",
]
post_text = st.one_of(
    st.text(),
    st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=3)), max_size=40).map("".join),
)


def test_mastodon_handle_is_one_mention() -> None:
    assert extract_entities("cc @bob@mastodon.social!") == [
        Entity("mention", 3, 23, "bob@mastodon.social")
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("@alice hello", ["alice"]),
        ("@alice@example.com.", ["alice@example.com"]),
        ("(@Alice@Example.COM)", ["Alice@Example.COM"]),
        (
            "@john.doe@pleroma.example @jane-d@misskey.example",
            ["john.doe@pleroma.example", "jane-d@misskey.example"],
        ),
        ("@bob@bücher.example", ["bob@bücher.example"]),
        ("@alice@localhost", []),  # a remote domain needs a dot; "@alice@" is e-mail-like
        ("@a@b.example@c.example", []),
        ("mail bob@example.com", []),
        ("@" + "a" * 31, ["a" * 30]),  # usernames are at most 30 characters
        ("@alice/list-name", []),  # a twitter-style list reference, not a mention
        ("@alice/@bob", ["alice", "bob"]),
        ("@alice's post", ["alice"]),
        ("@alicé", []),
        ("RT@alice", ["alice"]),
    ],
)
def test_mentions(text: str, expected: list[str]) -> None:
    assert extract_mentions(text) == expected


def test_mention_and_hashtag_inside_url_belong_to_the_url() -> None:
    text = "see https://example.com/@alice#intro and #real"
    assert extract_urls(text) == ["https://example.com/@alice#intro"]
    assert extract_mentions(text) == []
    assert extract_hashtags(text) == ["real"]


def test_entities_are_sorted_and_typed() -> None:
    text = "#one @two https://three.example.net/x example.org"
    assert [(e.kind, e.value) for e in extract_entities(text)] == [
        ("hashtag", "one"),
        ("mention", "two"),
        ("url", "https://three.example.net/x"),
        ("url", "example.org"),
    ]


def test_duplicates_are_kept() -> None:
    assert extract_hashtags("#a #b #a") == ["a", "b", "a"]
    assert extract_mentions("@x @x") == ["x", "x"]


def test_indices_are_code_points() -> None:
    text = "🐱🐱 #cats"
    (entity,) = extract_entities(text)
    assert (entity.start, entity.end) == (3, 8)
    assert text[entity.start : entity.end] == "#cats"


def test_protocol_less_url_keeps_path_only_when_domain_is_ascii_to_the_end() -> None:
    assert extract_urls("go to example.com/path?x=1 now") == ["example.com/path?x=1"]
    assert extract_urls("日本.example.com/path") == ["example.com/path"]


@pytest.mark.parametrize(
    "text",
    [
        "a." * 3000,
        "日本." * 2000,
        "@a@" + "b." * 2000,
        "#" * 5000,
        "http://example.com/" + "((a)" * 1000,
        "http://" + "a_" * 2000 + ".com",
    ],
)
def test_hostile_input_stays_fast(text: str) -> None:
    started = time.perf_counter()
    extract_entities(text)
    assert time.perf_counter() - started < 2.0


@settings(max_examples=400, deadline=None)
@given(post_text)
def test_extraction_never_raises_and_indices_slice_back(text: str) -> None:
    entities = extract_entities(text)
    previous_end = 0
    for entity in entities:
        assert previous_end <= entity.start < entity.end <= len(text)
        previous_end = entity.end
        typed = text[entity.start : entity.end]
        assert entity.value in typed
        assert entity.value
        if entity.kind == "mention":
            assert typed[0] in "@\uff20" and typed[1:] == entity.value
        elif entity.kind == "hashtag":
            assert typed[0] in "#\uff03" and typed[1:] == entity.value
        else:
            assert typed == entity.value
    assert extract_mentions(text) == [e.value for e in entities if e.kind == "mention"]
    assert extract_hashtags(text) == [e.value for e in entities if e.kind == "hashtag"]
    assert extract_urls(text) == [e.value for e in entities if e.kind == "url"]
