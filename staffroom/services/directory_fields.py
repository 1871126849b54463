"""The fields people describe themselves with in the directory, as the instance defines them.

By default (for teachers): ``subject`` (up to 5), ``level`` (up to 3), ``country`` (one),
``languages`` (up to 5) and ``role`` (up to 2). An instance replaces the whole set with a
JSON file named by ``STAFFROOM_DIRECTORY_FIELDS`` (``Settings.directory_fields_file``)::

    [{"name": "subject", "label": "Subject", "max": 5,
      "choices": [["maths", "Mathematics"], ["art", "Art"]]},
     {"name": "country", "label": "Country", "max": 1, "choices": "countries"},
     {"name": "languages", "label": "Languages", "max": 5, "choices": "languages"}]

``"countries"`` means every ISO 3166 country and ``"languages"`` a list of common ISO 639-1
languages; their labels come from Babel in the reader's language. Other labels are shown as
written (the default set's are translated through the catalog). Values stored and sent in
queries are the codes, never the labels.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import orjson
from babel import Locale

from staffroom.messages import N_

FIELD_NAME = re.compile(r"^[a-z][a-z0-9_]{0,31}$")
MAX_VALUE_LENGTH = 64
MAX_CHOICES = 500
COUNTRIES = "countries"
LANGUAGES = "languages"
# Babel's territories that are not countries a person lives in.
_NOT_COUNTRIES = {"EU", "EZ", "UN", "QO", "ZZ", "XA", "XB"}
_LANGUAGE_CODES = (
    "ar", "bn", "ca", "cs", "cy", "da", "de", "el", "en", "es", "eu", "fa", "fi", "fr", "ga",
    "gl", "he", "hi", "hu", "id", "it", "ja", "ko", "nl", "no", "pl", "pt", "ro", "ru", "sv",
    "sw", "th", "tr", "uk", "ur", "vi", "zh",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class DirectoryField:
    """One field: its name (the query parameter), label, choices and how many one may pick.

    ``choices`` is a tuple of ``(value, label)`` pairs, or empty when ``kind`` is
    ``countries``/``languages`` (the codes then come from Babel)."""

    name: str
    label: str
    max_values: int = 1
    choices: tuple[tuple[str, str], ...] = ()
    kind: str = "choices"

    @property
    def multiple(self) -> bool:
        return self.max_values > 1

    def values(self) -> tuple[str, ...]:
        """Every value one may choose, in the definition's order (codes for Babel kinds)."""
        if self.kind == COUNTRIES:
            return _country_codes()
        if self.kind == LANGUAGES:
            return _LANGUAGE_CODES
        return tuple(value for value, _ in self.choices)

    def accepts(self, value: str) -> bool:
        return value in _value_set(self)

    def labelled(self, locale: str = "en") -> list[tuple[str, str]]:
        """``(value, label)`` pairs; Babel kinds named in ``locale`` and sorted by name."""
        if self.kind in (COUNTRIES, LANGUAGES):
            names = _babel_names(self.kind, locale)
            pairs = [(code, names.get(code, code)) for code in self.values()]
            return sorted(pairs, key=lambda pair: pair[1].casefold())
        return list(self.choices)


@lru_cache(maxsize=64)
def _value_set(field: DirectoryField) -> frozenset[str]:
    return frozenset(field.values())


@lru_cache(maxsize=1)
def _country_codes() -> tuple[str, ...]:
    names = [str(code) for code in Locale.parse("en").territories]
    return tuple(
        sorted(c for c in names if len(c) == 2 and c.isalpha() and c not in _NOT_COUNTRIES)
    )


@lru_cache(maxsize=16)
def _babel_names(kind: str, locale: str) -> dict[str, str]:
    try:
        found = Locale.parse(locale.replace("-", "_"))
    except (ValueError, LookupError):
        found = Locale.parse("en")
    table = found.territories if kind == COUNTRIES else found.languages
    return {str(code): str(name) for code, name in table.items()}


DEFAULT_FIELDS: tuple[DirectoryField, ...] = (
    DirectoryField(
        "subject",
        N_("Subject"),
        5,
        (
            ("english", N_("English")),
            ("elt", N_("English language teaching (ELT/ESL)")),
            ("languages", N_("Modern languages")),
            ("maths", N_("Mathematics")),
            ("science", N_("Science")),
            ("computing", N_("Computing")),
            ("history", N_("History")),
            ("geography", N_("Geography")),
            ("social_studies", N_("Social studies")),
            ("economics", N_("Economics and business")),
            ("art", N_("Art and design")),
            ("music", N_("Music")),
            ("drama", N_("Drama")),
            ("pe", N_("Physical education")),
            ("religion", N_("Religion and philosophy")),
            ("special_needs", N_("Special educational needs")),
            ("early_literacy", N_("Early literacy")),
            ("edtech", N_("Educational technology")),
            ("other", N_("Other")),
        ),
    ),
    DirectoryField(
        "level",
        N_("Level"),
        3,
        (
            ("early_years", N_("Early years")),
            ("primary", N_("Primary")),
            ("secondary", N_("Secondary")),
            ("vocational", N_("Vocational and further education")),
            ("higher", N_("Higher education")),
            ("adult", N_("Adult education")),
        ),
    ),
    DirectoryField("country", N_("Country"), 1, kind=COUNTRIES),
    DirectoryField("languages", N_("Languages"), 5, kind=LANGUAGES),
    DirectoryField(
        "role",
        N_("Role"),
        2,
        (
            ("teacher", N_("Teacher")),
            ("leader", N_("School leader")),
            ("trainer", N_("Teacher trainer")),
            ("researcher", N_("Researcher")),
            ("librarian", N_("Librarian")),
            ("assistant", N_("Teaching assistant")),
            ("student_teacher", N_("Student teacher")),
            ("other", N_("Other")),
        ),
    ),
)


class FieldsFileError(ValueError):
    """The instance's fields file is not a valid field set (refused at start-up)."""


def _parse_field(raw: object) -> DirectoryField:
    if not isinstance(raw, dict):
        raise FieldsFileError("each field is an object")
    name, label = raw.get("name"), raw.get("label", raw.get("name"))
    if not isinstance(name, str) or not FIELD_NAME.match(name) or not isinstance(label, str):
        raise FieldsFileError(f"bad field name or label: {name!r}")
    most = raw.get("max", 1)
    if not isinstance(most, int) or not 1 <= most <= 20:
        raise FieldsFileError(f"{name}: max is a number from 1 to 20")
    choices = raw.get("choices")
    if choices in (COUNTRIES, LANGUAGES):
        return DirectoryField(name, label, most, kind=str(choices))
    if not isinstance(choices, list) or not 1 <= len(choices) <= MAX_CHOICES:
        raise FieldsFileError(f"{name}: choices is a list of [value, label] pairs")
    pairs: list[tuple[str, str]] = []
    for item in choices:
        pair = [item, item] if isinstance(item, str) else item
        if not isinstance(pair, list) or len(pair) != 2:
            raise FieldsFileError(f"{name}: each choice is a value or a [value, label] pair")
        value, text = pair
        if not isinstance(value, str) or not isinstance(text, str):
            raise FieldsFileError(f"{name}: each choice is a value or a [value, label] pair")
        if not value or len(value) > MAX_VALUE_LENGTH:
            raise FieldsFileError(f"{name}: values are 1 to {MAX_VALUE_LENGTH} characters")
        pairs.append((value, text))
    return DirectoryField(name, label, most, tuple(pairs))


def parse_fields(data: bytes) -> tuple[DirectoryField, ...]:
    """A field set from its JSON definition (:class:`FieldsFileError` if it is not one)."""
    try:
        raw = orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        raise FieldsFileError(f"not JSON: {exc}") from exc
    if not isinstance(raw, list) or not 1 <= len(raw) <= 20:
        raise FieldsFileError("the file holds a list of 1 to 20 fields")
    fields = tuple(_parse_field(item) for item in raw)
    names = [f.name for f in fields]
    if len(set(names)) != len(names):
        raise FieldsFileError("field names must differ")
    return fields


@lru_cache(maxsize=4)
def _from_file(path: Path) -> tuple[DirectoryField, ...]:
    return parse_fields(path.read_bytes())


def instance_fields(path: Path | None) -> tuple[DirectoryField, ...]:
    """The instance's fields: those of the file at ``path``, else :data:`DEFAULT_FIELDS`."""
    return DEFAULT_FIELDS if path is None else _from_file(path)
