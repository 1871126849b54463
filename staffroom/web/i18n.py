"""Languages of the web pages: gettext catalogs (Babel), chosen per request.

Catalogs live in ``web/locales/<locale>/LC_MESSAGES/messages.po`` and are compiled in memory
when first used (no build step, no binary files in the repository). English is the source
language. A request's language comes from its ``Accept-Language`` header, negotiated against
the catalogs there are. Python code marks its page strings with :func:`N_` and templates
translate them with ``_()``; ``babel.cfg`` tells ``pybabel extract`` where to look.
"""

from __future__ import annotations

import gettext as stdlib_gettext
from contextvars import ContextVar
from datetime import UTC, date, datetime, timedelta
from functools import cache, lru_cache
from io import BytesIO
from pathlib import Path

from babel import Locale, negotiate_locale
from babel import dates as babel_dates
from babel import numbers as babel_numbers
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations
from markupsafe import Markup

from staffroom.messages import N_ as N_  # one marker for services and pages
from staffroom.messages import Text
from staffroom.serializers.common import as_utc

LOCALES_DIR = Path(__file__).with_name("locales")
SOURCE_LOCALE = "en"

_active: ContextVar[stdlib_gettext.NullTranslations | None] = ContextVar(
    "staffroom_translations", default=None
)
_IDENTITY = stdlib_gettext.NullTranslations()
_active_locale: ContextVar[str] = ContextVar("staffroom_locale", default=SOURCE_LOCALE)


@cache
def available_locales() -> tuple[str, ...]:
    """The source language, then every language with a catalog."""
    found = sorted(p.parent.parent.name for p in LOCALES_DIR.glob("*/LC_MESSAGES/messages.po"))
    return (SOURCE_LOCALE, *found)


@cache
def translations(locale: str) -> stdlib_gettext.NullTranslations:
    """The compiled catalog for ``locale`` (the identity for the source language)."""
    path = LOCALES_DIR / locale / "LC_MESSAGES" / "messages.po"
    if locale == SOURCE_LOCALE or not path.is_file():
        return stdlib_gettext.NullTranslations()
    with path.open("rb") as po:
        catalog = read_po(po, locale=locale)
    compiled = BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return Translations(fp=compiled)


def negotiate(accept_language: str | None) -> str:
    """The best available locale for an ``Accept-Language`` header (English if none fits)."""
    wanted: list[tuple[float, str]] = []
    for position, part in enumerate((accept_language or "").split(",")):
        tag, _, params = part.strip().partition(";")
        if not tag or tag == "*":
            continue
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                continue
        if quality > 0:
            wanted.append((-quality + position * 1e-6, tag.replace("_", "-")))
    preferred = [tag for _, tag in sorted(wanted)]
    # "es-MX" should find "es": offer each tag's language too, right after it.
    expanded: list[str] = []
    for tag in preferred:
        expanded += [tag, tag.split("-")[0]]
    found = negotiate_locale(expanded, list(available_locales()), sep="-")
    return found or SOURCE_LOCALE


def activate(locale: str) -> None:
    """Make ``locale`` the language of what this context renders next."""
    _active.set(translations(locale))
    _active_locale.set(locale)


def active_locale() -> str:
    """The language :func:`activate` last set in this context."""
    return _active_locale.get()


def gettext(message: str) -> str:
    """``message`` in the active language; a service's :class:`~staffroom.messages.Text` is
    translated by its ID and then given its values."""
    catalog = _active.get() or _IDENTITY
    if isinstance(message, Text):
        return catalog.gettext(message.msgid) % message.params
    return catalog.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return (_active.get() or _IDENTITY).ngettext(singular, plural, n)


_MARKUP: dict[tuple[stdlib_gettext.NullTranslations, str], Markup] = {}


def gettext_markup(message: str) -> Markup:
    """``message`` translated for a template, with no values to put in: what Jinja's
    new-style ``_()`` makes of it (``Markup(text) % {}``, so ``%%`` is ``%``), kept per
    (catalog, message) as pages show the same few dozen strings again and again."""
    catalog = _active.get() or _IDENTITY
    if isinstance(message, Text):  # a service's message with values: escaped as it is filled
        return Markup(catalog.gettext(message.msgid)) % message.params
    key = (catalog, message)
    found = _MARKUP.get(key)
    if found is None:
        found = Markup(catalog.gettext(message)) % {}
        if len(_MARKUP) < 8192:  # the templates' strings, per language: a few hundred
            _MARKUP[key] = found
    return found


def language_name(locale: str) -> str:
    """A locale's name in its own language ("español")."""
    return Locale.parse(locale).get_display_name(locale) or locale


@cache
def _locale(locale: str) -> Locale:
    return Locale.parse(locale)


@lru_cache(maxsize=4096)
def _datetime_text(moment: datetime, locale: str) -> str:
    return babel_dates.format_datetime(moment, format="medium", tzinfo=UTC, locale=_locale(locale))


def format_datetime(value: datetime | str) -> str:
    """A moment as people of the active language write it ("3 Dec 2026, 08:46:00"), UTC.

    Every post on a page shows one: the text is kept per (moment, language), as Babel's
    formatting costs about as much as the rest of a post's rendering."""
    return _datetime_text(as_utc(value), _active_locale.get())


def format_day(unix_seconds: int) -> str:
    """A day (its midnight, in Unix seconds) as the active language writes it ("4 Dec")."""
    day = datetime.fromtimestamp(unix_seconds, UTC).date()
    return babel_dates.format_skeleton("MMMEd", day, locale=_locale(_active_locale.get()))


def format_local(moment: datetime) -> str:
    """An aware moment in its own zone, with the zone's abbreviation ("Tue 24 Mar 2027,
    20:00 GMT"): how event pages say when something happens where it happens."""
    day = babel_dates.format_skeleton("yMMMEd", moment.date(), locale=_locale(_active_locale.get()))
    text = f"{day}, {moment:%H:%M}"
    return f"{text} {moment.tzname() or ''}".rstrip()


def format_date_long(day: date) -> str:
    """A calendar day as the active language writes it in full ("Tuesday, 24 March 2027")."""
    return babel_dates.format_date(day, format="full", locale=_locale(_active_locale.get()))


def format_number(value: int) -> str:
    """A count with the active language's digit grouping ("1,234" or "1234")."""
    if -1000 < value < 1000:  # no grouping in any language; most counts on a page
        return str(value)
    return babel_numbers.format_decimal(value, locale=_locale(_active_locale.get()))


def format_relative(delta: timedelta) -> str:
    """A span from now in the active language, with its direction ("in 3 days",
    "dentro de 3 días")."""
    return babel_dates.format_timedelta(
        delta, add_direction=True, locale=_locale(_active_locale.get())
    )
