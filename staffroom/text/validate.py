"""Validating usernames, hashtags and URLs, and counting a post's length."""

from __future__ import annotations

import unicodedata

from staffroom.text import patterns as p
from staffroom.text.extract import extract_entities

DEFAULT_URL_LENGTH = 23


def is_valid_username(name: str) -> bool:
    """Whether ``name`` is a valid local username: 1-30 of ``A-Z a-z 0-9 _``."""
    return p.USERNAME.fullmatch(name) is not None


def is_valid_hashtag(tag: str) -> bool:
    """Whether ``tag`` (given without ``#``) is a valid hashtag.

    Letters, marks, decimal digits and a few joiners (``_``, ZWJ, ZWNJ, ``·``...), with at
    least one letter or mark: ``1st`` and ``café`` are valid, ``123`` is not.
    """
    return p.HASHTAG_CHARS.fullmatch(tag) is not None and p.HASHTAG_LETTER.search(tag) is not None


def is_valid_url(url: str, *, require_protocol: bool = True) -> bool:
    """Whether ``url`` is a well-formed http(s) URL (RFC 3986 shape, unicode hosts allowed).

    With ``require_protocol=False`` a bare ``example.com/path`` is accepted too; a scheme, if
    present, must still be ``http`` or ``https``.
    """
    if not url:
        return False
    parts = p.URL_PARTS.fullmatch(url)
    if parts is None:
        return False
    scheme = parts["scheme"]
    if scheme is None:
        if require_protocol:
            return False
    elif p.HTTP_SCHEME.fullmatch(scheme) is None:
        return False
    query, fragment = parts["query"], parts["fragment"]
    return (
        p.URL_PATH.fullmatch(parts["path"]) is not None
        and (query is None or p.URL_QUERY.fullmatch(query) is not None)
        and (fragment is None or p.URL_QUERY.fullmatch(fragment) is not None)
        and p.URL_AUTHORITY.fullmatch(parts["authority"]) is not None
    )


def weighted_length(text: str, url_length: int = DEFAULT_URL_LENGTH) -> int:
    """Count ``text`` the way Mastodon counts a status against its character limit.

    The text is NFC-normalised and counted in code points, except that every URL typed
    with ``http://`` or ``https://`` counts as ``url_length`` whatever its real length, and
    a remote mention ``@user@domain`` counts as ``@user``. URLs typed without a scheme
    (``example.com``) count as typed, as in Mastodon's own counter.
    """
    text = unicodedata.normalize("NFC", text)
    length = len(text)
    for entity in extract_entities(text):
        typed = entity.end - entity.start
        if entity.kind == "url" and p.HTTP_PREFIX.match(entity.value):
            length += url_length - typed
        elif entity.kind == "mention" and "@" in entity.value:
            length += 1 + entity.value.index("@") - typed
    return length
