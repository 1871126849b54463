"""Rendering plain post text as Mastodon-style safe HTML.

The output uses only ``p``, ``br``, ``a`` and ``span`` tags, every character of the user's
text is escaped, and links are only ever ``http``/``https``. The escaping is the canonical
HTML serialisation (``&amp; &lt; &gt; &nbsp;`` in text, plus ``&quot;`` in attributes), so a
standards-conforming sanitiser re-serialises the output unchanged (``<br />`` aside).
"""

from __future__ import annotations

import re
from collections.abc import Callable

import nh3

from staffroom.text.extract import Entity, extract_entities

HrefLookup = Callable[[str], str | None]
"""Maps a mention handle to the account's URL, or ``None`` to leave the mention as text."""

DISPLAY_URL_LENGTH = 30
DEFAULT_REL = "nofollow noopener noreferrer"

_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
_NEWLINES = re.compile(r"\r\n?")
# C0 controls but tab and newline, DEL, C1 controls and lone surrogates.
_UNWANTED = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
_SAFE_HREF = re.compile(r"(?i:https?)://[^\s\x00-\x1f\x7f-\x9f\"<>`\\\ud800-\udfff]+")
_DISPLAY_PREFIX = re.compile(r"(?i:https?://(?:www\.)?)")
_HTTP_PREFIX = re.compile(r"(?i:https?://)")
_SCHEMES = {"http", "https"}
_TEXT_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\xa0": "&nbsp;"})
_ATTR_ESCAPES = str.maketrans({"&": "&amp;", '"': "&quot;", "\xa0": "&nbsp;"})


def render_html(text: str, *, mention_href: HrefLookup, hashtag_href: Callable[[str], str]) -> str:
    """Render a post's plain ``text`` as Mastodon-style HTML.

    Paragraphs (split on blank lines) become ``<p>``, single newlines ``<br />``. A mention
    links to ``mention_href(handle)`` when that returns a URL, and stays plain text when it
    returns ``None``; hashtags link to ``hashtag_href(tag)``; URLs link to themselves
    (``http://`` added when typed without a scheme), their display shortened to 30
    characters as Mastodon does. Any href that is not ``http``/``https`` is not linked.
    Blank text renders as ``""``.
    """
    return _render(text, mention_href, hashtag_href, rel=DEFAULT_REL)


def render_plain_bio(
    text: str,
    *,
    mention_href: HrefLookup,
    hashtag_href: Callable[[str], str],
    rel_me: bool = False,
) -> str:
    """Render a profile bio (or profile field value) with the same rules as :func:`render_html`.

    With ``rel_me=True`` URLs carry ``rel="me ..."``, as Mastodon does for profile fields so
    that the linked page can verify the profile.
    """
    rel = f"me {DEFAULT_REL}" if rel_me else DEFAULT_REL
    return _render(text, mention_href, hashtag_href, rel=rel)


def _render(
    text: str, mention_href: HrefLookup, hashtag_href: Callable[[str], str], *, rel: str
) -> str:
    text = _UNWANTED.sub("", _NEWLINES.sub("\n", text))
    entities = extract_entities(text)
    links = _Linker(entities, mention_href, hashtag_href, rel)
    paragraphs: list[str] = []
    index = 0  # next entity to consider
    for start, end in _paragraph_spans(text):
        pieces: list[str] = []
        cursor = start
        while index < len(entities) and entities[index].start < end:
            entity = entities[index]
            index += 1
            if entity.start < cursor:
                continue  # cannot happen: entities never hold whitespace
            pieces.append(_escape_text(text[cursor : entity.start]))
            pieces.append(links.html(entity, text[entity.start : entity.end]))
            cursor = entity.end
        pieces.append(_escape_text(text[cursor:end]))
        paragraphs.append("<p>" + "".join(pieces) + "</p>")
    return "".join(paragraphs)


def _paragraph_spans(text: str) -> list[tuple[int, int]]:
    """Return the (start, end) of each non-blank paragraph, outer whitespace trimmed."""
    spans: list[tuple[int, int]] = []
    cursor = 0
    for brk in [*_PARAGRAPH_BREAK.finditer(text), None]:
        start, end = cursor, (len(text) if brk is None else brk.start())
        cursor = end if brk is None else brk.end()
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if start < end:
            spans.append((start, end))
    return spans


class _Linker:
    """Turns entities into link HTML, with hrefs resolved through the caller's lookups."""

    def __init__(
        self,
        entities: list[Entity],
        mention_href: HrefLookup,
        hashtag_href: Callable[[str], str],
        rel: str,
    ) -> None:
        self._hashtag_href = hashtag_href
        self._rel = rel
        self._mention_hrefs: dict[str, str | None] = {}
        handles_by_user: dict[str, set[str]] = {}
        for entity in entities:
            if entity.kind == "mention" and entity.value not in self._mention_hrefs:
                href = _safe(mention_href(entity.value))
                self._mention_hrefs[entity.value] = href
                if href is not None:
                    user = entity.value.split("@", 1)[0].lower()
                    handles_by_user.setdefault(user, set()).add(entity.value.lower())
        # Like Mastodon, show the full handle when one username is mentioned on two servers.
        self._ambiguous = {user for user, handles in handles_by_user.items() if len(handles) > 1}

    def html(self, entity: Entity, typed: str) -> str:
        if entity.kind == "url":
            return self._url(entity.value)
        if entity.kind == "hashtag":
            href = _safe(self._hashtag_href(entity.value))
            if href is None:
                return _escape_text(typed)
            return (
                f'<a href="{_escape_attr(href)}" class="mention hashtag" rel="tag">'
                f"#<span>{_escape_text(entity.value)}</span></a>"
            )
        href = self._mention_hrefs.get(entity.value)
        if href is None:
            return _escape_text(typed)
        user = entity.value.split("@", 1)[0]
        shown = entity.value if user.lower() in self._ambiguous else user
        return (
            f'<span class="h-card" translate="no"><a href="{_escape_attr(href)}" '
            f'class="u-url mention">@<span>{_escape_text(shown)}</span></a></span>'
        )

    def _url(self, typed: str) -> str:
        href = _safe(typed if _HTTP_PREFIX.match(typed) else "http://" + typed)
        if href is None:
            return _escape_text(typed)
        prefix_match = _DISPLAY_PREFIX.match(typed)
        prefix = prefix_match[0] if prefix_match else ""
        rest = typed[len(prefix) :]
        shown, hidden = rest[:DISPLAY_URL_LENGTH], rest[DISPLAY_URL_LENGTH:]
        shown_class = "ellipsis" if hidden else ""
        return (
            f'<a href="{_escape_attr(href)}" target="_blank" rel="{self._rel}" translate="no">'
            f'<span class="invisible">{_escape_text(prefix)}</span>'
            f'<span class="{shown_class}">{_escape_text(shown)}</span>'
            f'<span class="invisible">{_escape_text(hidden)}</span></a>'
        )


def _safe(href: str | None) -> str | None:
    """Return ``href`` if it is an absolute http(s) URL that browsers can parse, else ``None``.

    Browsers (and sanitisers) parse hrefs with the WHATWG URL rules, which reject some hosts
    that text matching accepts (a label starting with a combining mark, bad punycode, a port
    above 65535...). rust-url, reached through nh3, applies those rules: a link it would drop
    is left as text instead.
    """
    if href is None or _SAFE_HREF.fullmatch(href) is None:
        return None
    probe = f'<a href="{_escape_attr(href)}"></a>'
    cleaned = nh3.clean(
        probe, tags={"a"}, attributes={"a": {"href"}}, link_rel=None, url_schemes=_SCHEMES
    )
    return href if cleaned == probe else None


def _escape_text(text: str) -> str:
    return text.translate(_TEXT_ESCAPES).replace("\n", "<br />")


def _escape_attr(value: str) -> str:
    return value.translate(_ATTR_ESCAPES)
