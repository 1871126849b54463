"""The post search language, as Mastodon's (``SearchQueryParser``/``SearchQueryTransformer``).

A query is clauses separated by spaces. Each clause may start with ``+`` (must, the default)
or ``-`` (must not), then is one of:

- a word (``phonics``), a word ending in ``*`` (a prefix: ``phon*``, a Staffroom addition),
  or a ``"quoted phrase"``: words matched in the post's text and content warning, accents
  and case ignored;
- ``#tag``: posts carrying that hashtag;
- an operator ``name:value``: ``from:`` (``me``, ``name``, ``@name``, ``name@domain``),
  ``has:`` (``media``, ``image``, ``video``, ``audio``, ``poll``, ``link``, ``embed``),
  ``is:`` (``reply``, ``sensitive``), ``language:`` (``en``, ``pt-BR`` → ``pt``),
  ``before:``/``after:``/``during:`` (a day ``2026-12-04``, UTC, or an ISO time), and
  ``in:`` (``all``, the default: public posts of people who allow search plus one's
  library; ``library``: only posts one wrote, was mentioned in, favourited, bookmarked,
  reposted or voted in; ``public``). Other ``name:value`` text is searched as words.

Pure: nothing here reads the database. :func:`parse` raises ``ValidationFailed`` (422) with
a message a person understands for a value an operator does not take.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from staffroom.errors import ValidationFailed
from staffroom.messages import T_
from staffroom.services.profiles import clean_tag_name

OPERATORS = ("has", "is", "language", "from", "before", "after", "during", "in")
HAS_VALUES = ("media", "image", "video", "audio", "poll", "link", "embed")
IS_VALUES = ("reply", "sensitive")
IN_VALUES = ("all", "library", "public")

_CLAUSE = re.compile(
    r"(?P<op>[+-])?(?:(?P<prefix>" + "|".join(OPERATORS) + r"):)?"
    r'(?:"(?P<phrase>[^"]+)"|(?P<term>[^\s"]+))'
)
_WORD = re.compile(r"\w", re.UNICODE)
_LANGUAGE = re.compile(r"^[a-z]{2,3}$")


@dataclass(frozen=True, slots=True)
class TextPart:
    """Words to find: ``kind`` is ``term`` (all its words), ``phrase`` (in order,
    adjacent) or ``prefix`` (a phrase whose last word may continue)."""

    text: str
    kind: str


@dataclass(frozen=True, slots=True)
class Filter:
    """An operator: ``name`` is the operator, ``value`` its checked value (a day range is
    ``(start, end)`` in UTC, ``end`` exclusive)."""

    name: str
    value: object
    negated: bool = False


@dataclass(slots=True)
class ParsedQuery:
    must: list[TextPart] = field(default_factory=list)
    must_not: list[TextPart] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    tags_not: list[str] = field(default_factory=list)
    filters: list[Filter] = field(default_factory=list)
    scope: str = "all"

    @property
    def empty(self) -> bool:
        """Nothing at all to search for (an empty query finds nothing, as Mastodon)."""
        return not (self.must or self.must_not or self.tags or self.tags_not or self.filters)


def _day_range(name: str, value: str) -> tuple[datetime, datetime]:
    """The UTC interval a ``before:``/``after:``/``during:`` value names."""
    try:
        if len(value) == 10:
            start = datetime.combine(date.fromisoformat(value), datetime.min.time(), UTC)
            return start, start + timedelta(days=1)
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise ValidationFailed(
            T_("%(operator)s: takes a date such as 2026-12-04", operator=name)
        ) from None
    moment = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return moment, moment


def _language(value: str) -> str:
    code = value.lower().replace("_", "-").split("-")[0]
    if not _LANGUAGE.match(code):
        raise ValidationFailed(T_("language: takes a language code such as en or es"))
    return code


def _operator(name: str, value: str, negated: bool) -> Filter:
    lowered = value.lower()
    if name == "has" and lowered not in HAS_VALUES:
        raise ValidationFailed(T_("has: takes one of %(values)s", values=", ".join(HAS_VALUES)))
    if name == "is" and lowered not in IS_VALUES:
        raise ValidationFailed(T_("is: takes one of %(values)s", values=", ".join(IS_VALUES)))
    if name in ("has", "is"):
        return Filter(name, lowered, negated)
    if name == "language":
        return Filter(name, _language(value), negated)
    if name in ("before", "after", "during"):
        return Filter(name, _day_range(name, value), negated)
    return Filter(name, value.removeprefix("@"), negated)  # from: resolved by the search


def parse(q: str) -> ParsedQuery:
    """The clauses of ``q`` (see the module's docstring)."""
    parsed = ParsedQuery()
    for match in _CLAUSE.finditer(q):
        negated = match.group("op") == "-"
        prefix, phrase, term = match.group("prefix"), match.group("phrase"), match.group("term")
        value = phrase if phrase is not None else term
        if prefix == "in":
            if negated or value.lower() not in IN_VALUES:
                raise ValidationFailed(
                    T_("in: takes one of %(values)s", values=", ".join(IN_VALUES))
                )
            parsed.scope = value.lower()
        elif prefix is not None:
            parsed.filters.append(_operator(prefix, value, negated))
        elif term is not None and term.startswith("#") and clean_tag_name(term):
            (parsed.tags_not if negated else parsed.tags).append(str(clean_tag_name(term)))
        elif _WORD.search(value):
            kind = "phrase" if phrase is not None else "term"
            if term is not None and term.endswith("*"):
                kind, value = "prefix", term.rstrip("*")
            (parsed.must_not if negated else parsed.must).append(TextPart(value, kind))
    return parsed
