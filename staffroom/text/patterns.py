"""Compiled regular expressions for finding entities, built once at import.

The shapes follow the twitter-text rules (its conformance suite is the reference), written
for Python's ``re``: character classes that twitter-text writes as ``\\p{L}`` and friends
are built from :mod:`unicodedata`, and case-insensitive parts are scoped with ``(?i:...)``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from staffroom.text.tlds import ALL_TLDS

# --- character classes (contents of [...], not whole classes) --------------------------------

SPACES = "\t-\r \x85\xa0\u1680\u180e\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
INVALID = "\ufffe\ufeff\uffff"
DIRECTIONAL = "\u202a-\u202e\u061c\u200e\u200f\u2066-\u2069"
LATIN_ACCENTS = (
    "\xc0-\xd6\xd8-\xf6\xf8-\xff\u0100-\u024f\u0253\u0254\u0256\u0257\u0259\u025b\u0263"
    "\u0268\u026f\u0272\u0289\u028b\u02bb\u0300-\u036f\u1e00-\u1eff"
)
CYRILLIC = "\u0400-\u04ff"
AT_SIGNS = "@\uff20"
HASH_SIGNS = "#\uff03"
# Punctuation that may not appear in a domain label (twitter-text's set, plus '"' and '`').
_DOMAIN_PUNCT = r"!'#%&()*+,\\\-./:;<=>?@\[\]^_{|}~$" + '"`'
# C0 controls other than the spaces above, and DEL: never part of a domain.
_CONTROLS = "\x00-\x08\x0e-\x1f\x7f"
HASHTAG_SPECIALS = (
    "_\u200c\u200d\ua67e\u05be\u05f3\u05f4\uff5e\u301c\u309b\u309c\u30a0\u30fb\u3003"
    "\u0f0b\u0f0c\xb7"
)


def _ranges(codepoints: Iterable[int]) -> str:
    """Render sorted code points as the body of a regex character class."""
    parts: list[str] = []
    start = prev = -2
    for cp in codepoints:
        if cp == prev + 1:
            prev = cp
            continue
        if start >= 0:
            parts.append(_span(start, prev))
        start = prev = cp
    if start >= 0:
        parts.append(_span(start, prev))
    return "".join(parts)


def _span(first: int, last: int) -> str:
    if first == last:
        return re.escape(chr(first))
    return f"{re.escape(chr(first))}-{re.escape(chr(last))}"


def _letter_classes() -> tuple[str, str]:
    """Return regexes for one hashtag letter (L, M) and one hashtag character (L, M, Nd...).

    Each is split into a BMP class and an astral class: ``re`` tests a BMP-only class with a
    bitmap, but walks a mixed one range by range, which is slow on non-members.
    """
    alpha: list[int] = []
    alnum: list[int] = []
    category = unicodedata.category
    # Planes 4-13 are unassigned and 15-16 are private use; plane 14 has marks.
    for cp in (*range(0x40000), *range(0xE0000, 0xE1000)):
        cat = category(chr(cp))
        if cat[0] in "LM":
            alpha.append(cp)
            alnum.append(cp)
        elif cat == "Nd":
            alnum.append(cp)
    alnum = sorted({*alnum, *map(ord, HASHTAG_SPECIALS)})
    return _split_class(alpha), _split_class(alnum)


def _split_class(codepoints: list[int]) -> str:
    bmp = _ranges(cp for cp in codepoints if cp <= 0xFFFF)
    astral = _ranges(cp for cp in codepoints if cp > 0xFFFF)
    return f"(?:[{bmp}]|[{astral}])"


HASHTAG_ALPHA, HASHTAG_ALNUM = _letter_classes()


_Trie = dict[str, "_Trie"]


def trie_regex(words: Iterable[str]) -> str:
    """Build a regex alternation for ``words`` that prefers the longest word."""
    trie: _Trie = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}
    return _emit(trie)


def _emit(node: _Trie) -> str:
    alternatives = [re.escape(char) + _emit(child) for char, child in sorted(node.items()) if char]
    if not alternatives:
        return ""
    body = alternatives[0] if len(alternatives) == 1 else "(?:" + "|".join(alternatives) + ")"
    return f"(?:{body})?" if "" in node else body


# --- URLs --------------------------------------------------------------------------------------

_NOT_DOMAIN = _DOMAIN_PUNCT + SPACES + INVALID + DIRECTIONAL + _CONTROLS
_DC = f"[^{_NOT_DOMAIN}]"
_DC_OR_DASH = "[^" + _NOT_DOMAIN.replace(r"\-", "") + "]"
_DC_OR_DASH_UNDERSCORE = "[^" + _NOT_DOMAIN.replace(r"\-", "").replace("_", "") + "]"
_TLD = "(?i:" + trie_regex(sorted(ALL_TLDS)) + r")(?=[^0-9a-zA-Z@+\-]|\Z)"
_PUNYCODE = r"(?i:xn--[\-0-9a-z]+)"
# Labels are capped at 63 characters and domains at 24 labels (twitter-text has no caps and
# rejects longer labels after matching): the caps keep matching linear on hostile input.
_SUBDOMAIN = f"(?:(?:{_DC}{_DC_OR_DASH_UNDERSCORE}{{0,61}})?{_DC}\\.)"
_DOMAIN_NAME = f"(?:(?:{_DC}{_DC_OR_DASH}{{0,61}})?{_DC}\\.)"
_DOMAIN = f"(?:{_SUBDOMAIN}{{0,23}}{_DOMAIN_NAME}(?:{_TLD}|{_PUNYCODE}))"

_PATH_CHAR = f"[a-zA-Z{CYRILLIC}0-9!*';:=+,.$/%#\\[\\]\\-\u2013_~@|&{LATIN_ACCENTS}]"
_PARENS = f"\\((?:{_PATH_CHAR}+|(?:{_PATH_CHAR}*\\({_PATH_CHAR}+\\){_PATH_CHAR}*))\\)"
_PATH_END = f"(?:[+\\-a-zA-Z{CYRILLIC}0-9=_#/{LATIN_ACCENTS}]|{_PARENS})"
_PATH = f"(?:(?:{_PATH_CHAR}*(?:{_PARENS}{_PATH_CHAR}*)*{_PATH_END})|(?:@{_PATH_CHAR}+/))"
_QUERY_CHAR = r"[a-zA-Z0-9!?*'@();:&=+$/%#\[\]\-_.,~|]"
_QUERY_END = r"[a-zA-Z0-9\-_&=#/]"

URL = re.compile(
    f"(?P<before>[^A-Za-z0-9{AT_SIGNS}${HASH_SIGNS}{INVALID}]|^)"
    "(?P<url>"
    r"(?P<protocol>(?i:https?://))?"
    f"(?P<domain>{_DOMAIN})"
    r"(?::(?P<port>[0-9]+))?"
    f"(?P<path>/{_PATH}*)?"
    f"(?P<query>\\?{_QUERY_CHAR}*{_QUERY_END})?"
    ")"
)
"""A URL candidate, with the character before it consumed (as twitter-text does)."""

ASCII_DOMAIN = re.compile(
    f"(?:[\\-a-zA-Z0-9{LATIN_ACCENTS}]+\\.)+(?:{_TLD}|{_PUNYCODE})",
)
"""Domains made of ASCII (and Latin) labels, found inside a protocol-less candidate."""

TCO_URL = re.compile(
    f"(?i:https?://t\\.co/)(?P<slug>[a-zA-Z0-9]+)(?:\\?{_QUERY_CHAR}*{_QUERY_END})?"
)
WITHOUT_PROTOCOL_BAD_BEFORE = re.compile(r"[\-_./]\Z")
IDNA_DOTS = re.compile("[.\u3002\uff0e\uff61]")

# --- mentions ------------------------------------------------------------------------------

MENTION = re.compile(
    f"(?P<before>^|[^A-Za-z0-9_!#$%&*{AT_SIGNS}]|(?:^|[^A-Za-z0-9_+~.\\-])[Rr][Tt]:?)"
    f"[{AT_SIGNS}](?P<name>[A-Za-z0-9_]{{1,30}})"
    r"(?P<list>/[A-Za-z][A-Za-z0-9_\-]{0,24})?"
)
"""A local mention (or twitter-style list reference), preceding character consumed."""

_LABEL = r"[^\W_](?:[\w\-]*[^\W_])?"
REMOTE_TAIL = re.compile(
    f"(?P<more>(?:[.\\-]+[A-Za-z0-9_]+)*)[{AT_SIGNS}](?P<domain>{_LABEL}(?:\\.{_LABEL})+)"
)
"""The ``@domain`` part of a Mastodon-style ``@user@domain`` handle, matched after the name."""

END_MENTION = re.compile(f"[{AT_SIGNS}{LATIN_ACCENTS}]|://")
AT_SIGN = re.compile(f"[{AT_SIGNS}]")

# --- hashtags ------------------------------------------------------------------------------

HASH_SIGN = re.compile(f"[{HASH_SIGNS}]")
HASHTAG_CHARS = re.compile(f"{HASHTAG_ALNUM}+")
"""A run of hashtag characters; it is a hashtag if it holds a letter (``HASHTAG_LETTER``)."""
HASHTAG_LETTER = re.compile(HASHTAG_ALPHA)
END_HASHTAG = re.compile(f"[{HASH_SIGNS}]|://")

# --- whole-string validation -------------------------------------------------------------------

USERNAME = re.compile(r"[A-Za-z0-9_]{1,30}")

_UNRESERVED = f"[a-zA-Z{CYRILLIC}0-9\\-._~]"
_PCT = r"%[0-9a-fA-F]{2}"
_SUB_DELIMS = r"[!$&'()*+,;=]"
_PCHAR = f"(?:{_UNRESERVED}|{_PCT}|{_SUB_DELIMS}|[:|@])"
_NON_ASCII = r"[^\x00-\x7f]"
_SEG_EDGE = f"(?:[a-zA-Z0-9]|{_NON_ASCII})"
_OCTET = r"(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9][0-9]|[0-9])"
_IP = f"(?:{_OCTET}(?:\\.{_OCTET}){{3}}|\\[[a-fA-F0-9:.]+\\])"
_V_SUBDOMAIN = f"{_SEG_EDGE}(?:(?:[a-zA-Z0-9_\\-]|{_NON_ASCII})*{_SEG_EDGE})?"
_V_DOMAIN = f"{_SEG_EDGE}(?:(?:[a-zA-Z0-9\\-]|{_NON_ASCII})*{_SEG_EDGE})?"
_V_TLD = f"(?:[a-zA-Z]|{_NON_ASCII})(?:(?:[a-zA-Z0-9\\-]|{_NON_ASCII})*{_SEG_EDGE})?"
_V_HOST = f"(?:{_IP}|(?:{_V_SUBDOMAIN}\\.)*{_V_DOMAIN}\\.{_V_TLD})"
_USERINFO = f"(?:{_UNRESERVED}|{_PCT}|{_SUB_DELIMS}|:)*"

URL_PARTS = re.compile(
    r"(?:(?P<scheme>[^:/?#]+)://)?(?P<authority>[^/?#]*)(?P<path>[^?#]*)"
    r"(?:\?(?P<query>[^#]*))?(?:#(?P<fragment>.*))?"
)
URL_AUTHORITY = re.compile(f"(?:{_USERINFO}@)?{_V_HOST}(?::[0-9]{{1,5}})?")
URL_PATH = re.compile(f"(?:/{_PCHAR}*)*")
URL_QUERY = re.compile(f"(?:{_PCHAR}|/|\\?)*")
HTTP_SCHEME = re.compile(r"(?i:https?)")
HTTP_PREFIX = re.compile(r"(?i:https?://)")
