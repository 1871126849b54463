"""Messages people read, marked so the web pages can show them in the reader's language.

Services raise errors whose text the API sends as it is (Mastodon's clients show English
text) and the web pages translate. A fixed message is marked with :func:`N_`; one with
values in it is built with :func:`T_`, which keeps the message ID and the values apart so a
page can translate the ID and then fill in the values::

    raise ValidationFailed(T_("Text character limit of %(limit)s exceeded", limit=140))

``T_`` returns a :class:`Text`: a plain ``str`` (the English text, for the API and logs)
that also carries ``msgid`` and ``params``. ``pybabel extract`` finds both markers
(``scripts/update_translations.py``); ``web/i18n.gettext`` knows what to do with a ``Text``.
"""

from __future__ import annotations

from typing import Self


def N_(message: str) -> str:
    """Mark a fixed ``message`` for translation where it is defined (a no-op)."""
    return message


class Text(str):
    """A message with values: the English text, plus its ID and values for translation."""

    msgid: str
    params: dict[str, object]

    def __new__(cls, msgid: str, params: dict[str, object]) -> Self:
        text = super().__new__(cls, msgid % params if params else msgid)
        text.msgid = msgid
        text.params = params
        return text


def T_(msgid: str, **params: object) -> Text:
    """A message with ``%(name)s`` values, translatable as a whole."""
    return Text(msgid, params)
