"""Finding mentions, hashtags and URLs in post text (twitter-text rules, Mastodon handles)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from staffroom.text import patterns as p

EntityKind = Literal["mention", "hashtag", "url"]

MAX_URL_LENGTH = 4096
MAX_HASHTAG_LENGTH = 100  # the tags.name column; Mastodon links no longer tag either
MAX_TCO_SLUG_LENGTH = 40
MAX_DOMAIN_LABEL_LENGTH = 63


@dataclass(frozen=True, slots=True)
class Entity:
    """A mention, hashtag or URL found in a text, located by code-point indices."""

    kind: EntityKind
    start: int
    """Code-point index into the text of the entity's first character, inclusive."""
    end: int
    """Code-point index just past the entity's last character."""
    value: str
    """Mention: ``user`` or ``user@domain`` (no ``@``); hashtag: the tag without ``#``;
    url: the URL as typed."""


def extract_entities(text: str) -> list[Entity]:
    """Return every mention, hashtag and URL in ``text``, sorted and non-overlapping.

    Where two candidates overlap, the one starting first wins (so a ``#fragment`` or
    ``@name`` inside a URL is part of the URL).
    """
    if len(text) <= _REMEMBERED_LENGTH:
        return list(_remembered_entities(text))
    return list(_entities(text))


# Posting one text counts it, finds its mentions and hashtags and renders it, each needing
# the same entities: the last few short texts' are remembered (long ones are rare and would
# make the memory this takes unbounded).
_REMEMBERED_LENGTH = 8192  # above the longest post text analysed (posting.raw_text_limit)


def _entities(text: str) -> tuple[Entity, ...]:
    candidates = [*_find_urls(text), *_find_hashtags(text), *_find_mentions(text)]
    candidates.sort(key=lambda entity: entity.start)
    entities: list[Entity] = []
    for entity in candidates:
        if entities and entities[-1].end > entity.start:
            continue
        entities.append(entity)
    return tuple(entities)


_remembered_entities = lru_cache(maxsize=256)(_entities)


def extract_mentions(text: str) -> list[str]:
    """Return the mentioned handles (``user`` or ``user@domain``) in order, repeats kept."""
    return [e.value for e in extract_entities(text) if e.kind == "mention"]


def extract_hashtags(text: str) -> list[str]:
    """Return the hashtags (without ``#``) in order, repeats kept."""
    return [e.value for e in extract_entities(text) if e.kind == "hashtag"]


def extract_urls(text: str) -> list[str]:
    """Return the URLs as typed, in order, repeats kept."""
    return [e.value for e in extract_entities(text) if e.kind == "url"]


# --- URLs --------------------------------------------------------------------------------------


def _find_urls(text: str) -> list[Entity]:
    if "." not in text:
        return []
    found: list[Entity] = []
    pos = 0
    while (match := p.URL.search(text, pos)) is not None:
        pos = match.end()
        url, domain = match["url"], match["domain"]
        protocol = match["protocol"]
        start, end = match.start("url"), match.end("url")
        if len(protocol or "https://") + len(url) > MAX_URL_LENGTH or not _idna_ok(domain):
            continue
        if protocol is None:
            if p.WITHOUT_PROTOCOL_BAD_BEFORE.search(match["before"]):
                continue
            found.extend(_protocol_less(url, domain, start, end, has_path=bool(match["path"])))
            continue
        tco = p.TCO_URL.match(url)
        if tco is not None:
            if len(tco["slug"]) > MAX_TCO_SLUG_LENGTH:
                continue
            url = tco.group()
            end = start + len(url)
        found.append(Entity("url", start, end, url))
    return found


def _protocol_less(url: str, domain: str, start: int, end: int, *, has_path: bool) -> list[Entity]:
    """Split a protocol-less candidate into the ASCII domains it holds (twitter-text rule).

    A path is kept on the last ASCII domain when that domain ends the candidate's domain.
    """
    found: list[Entity] = []
    last_end = 0
    for ascii_domain in p.ASCII_DOMAIN.finditer(domain):
        found.append(
            Entity("url", start + ascii_domain.start(), start + ascii_domain.end(), ascii_domain[0])
        )
        last_end = ascii_domain.end()
    if found and has_path and last_end == len(domain):
        last = found[-1]
        found[-1] = Entity("url", last.start, end, last.value + url[len(domain) :])
    return found


def _idna_ok(domain: str) -> bool:
    """Check that every label of ``domain`` fits DNS once punycode-encoded."""
    if domain[:4] == "xn--" and p.ASCII_DOMAIN.search(domain) is None:
        return False  # an ACE label may not hold non-ASCII characters
    for label in domain.split("."):
        parts = p.IDNA_DOTS.split(label)
        try:
            encoded = [
                part if part.isascii() else "xn--" + part.encode("punycode").decode("ascii")
                for part in parts
            ]
        except UnicodeError:
            return False
        if not 1 <= len(".".join(encoded)) <= MAX_DOMAIN_LABEL_LENGTH:
            return False
    return True


# --- mentions ----------------------------------------------------------------------------------


def _find_mentions(text: str) -> list[Entity]:
    if p.AT_SIGN.search(text) is None:
        return []
    found: list[Entity] = []
    pos = 0
    while (match := p.MENTION.search(text, pos)) is not None:
        pos = match.end()
        at = match.start("name") - 1
        name_end = match.end("name")
        remote = p.REMOTE_TAIL.match(text, name_end)
        if remote is not None and p.AT_SIGN.match(text, remote.end()) is None:
            # Mastodon-style @user@domain handle: one mention.
            found.append(Entity("mention", at, remote.end(), text[at + 1 : remote.end()]))
            pos = remote.end()
            continue
        if match["list"] or p.END_MENTION.match(text, name_end) is not None:
            continue  # a list reference, an e-mail-like "@a@b", "@name://" or "@namé"
        found.append(Entity("mention", at, name_end, match["name"]))
    return found


# --- hashtags ----------------------------------------------------------------------------------


def _find_hashtags(text: str) -> list[Entity]:
    # twitter-text's hashtag regex consumes the character before the "#" and resumes after
    # each match; ``last`` plays the part of the regex's lastIndex.
    found: list[Entity] = []
    last = 0
    scan = 0
    while (sign := p.HASH_SIGN.search(text, scan)) is not None:
        at = sign.start()
        scan = at + 1
        if at > 0:
            before = text[at - 1]
            if at - 1 < last or (
                before not in "\ufe0e\ufe0f" and (before == "&" or p.HASHTAG_CHARS.match(before))
            ):
                continue  # "a#b", "&#38;" (the "#" must follow a boundary)
        if text[scan : scan + 1] in ("\ufe0f", "\u20e3"):
            continue  # keycap "#️⃣"
        run = p.HASHTAG_CHARS.match(text, scan)
        if run is None or p.HASHTAG_LETTER.search(run[0]) is None:
            continue  # no hashtag characters, or no letter among them ("#123")
        last = scan = run.end()
        if p.END_HASHTAG.match(text, last) is not None:
            continue  # "#tag#more" or "#http://"
        if len(run[0]) > MAX_HASHTAG_LENGTH:
            continue  # longer than a tag's name may be, on every engine: plain text
        found.append(Entity("hashtag", at, last, run[0]))
    return found
