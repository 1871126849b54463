"""Whole-string validation of usernames, hashtags and URLs."""

from __future__ import annotations

import pytest

from staffroom.text import is_valid_hashtag, is_valid_url, is_valid_username


@pytest.mark.parametrize("name", ["alice", "Alice_2", "_", "0", "a" * 30])
def test_valid_usernames(name: str) -> None:
    assert is_valid_username(name)


@pytest.mark.parametrize(
    "name", ["", "a" * 31, "al-ice", "al.ice", "ålice", "@alice", "alice@example.com", "a b"]
)
def test_invalid_usernames(name: str) -> None:
    assert not is_valid_username(name)


@pytest.mark.parametrize("tag", ["café", "1st", "日本語", "il·lusió", "a_b", "ශ්\u200dරී"])
def test_valid_hashtags(tag: str) -> None:
    assert is_valid_hashtag(tag)


@pytest.mark.parametrize("tag", ["", "123", "#tag", "tag!", "a b", "_", "〃"])
def test_invalid_hashtags(tag: str) -> None:
    assert not is_valid_hashtag(tag)


@pytest.mark.parametrize(
    "url",
    [
        "https://example.com",
        "HTTP://EXAMPLE.COM/",
        "http://example.com:8080/x?y=1#z",
        "https://☃.net/",
        "http://192.168.0.1/",
        "https://example.com/Русские_слова",
    ],
)
def test_valid_urls(url: str) -> None:
    assert is_valid_url(url)


@pytest.mark.parametrize(
    "url",
    [
        "",
        "example.com",  # a scheme is required unless asked otherwise
        "javascript:alert(1)",
        "ftp://example.com/",
        "https://exa mple.com/",
        "https://example.com/<script>",
        "https://-example.com/",
        "https://example.com:123456/",
    ],
)
def test_invalid_urls(url: str) -> None:
    assert not is_valid_url(url)


def test_url_without_protocol() -> None:
    assert is_valid_url("example.com/path?q=1", require_protocol=False)
    assert is_valid_url("https://example.com", require_protocol=False)
    assert not is_valid_url("ftp://example.com", require_protocol=False)
    assert not is_valid_url("javascript:alert(1)", require_protocol=False)
