"""Page skeletons: a busy page rendered once per language and shape, with holes for what
changes per request, then filled per request instead of rendered.

A skeleton is made by rendering the page's template with markers in place of the values that
the template only prints (the CSRF token, the page's address, the viewer's name, the posts'
HTML); everything the template decides on (whether there are older posts, the first-run
notice, the composer's default visibility, the language) is the skeleton's key. Filling puts
each value back escaped, exactly as Jinja's autoescaping prints it, so a filled skeleton is
byte for byte the page a full rendering gives (``tests/web/test_skeletons.py`` holds that for
the pages that use one). Skeletons hold nothing of any one viewer, so every viewer shares them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from markupsafe import Markup, escape

from staffroom.cache import BoundedCache

_MARK = "\x01"  # no template, translation or setting holds it (checked when a skeleton is made)

# (template, language, shape) -> the page cut at its holes: text (UTF-8), hole name, text, ...
_SKELETONS: BoundedCache[tuple[Any, ...], tuple[bytes | str, ...] | None] = BoundedCache(2_000)
_UNSEEN = object()


def hole(name: str) -> Markup:
    """The marker rendered where the value ``name`` goes (markup, so Jinja prints it as is)."""
    return Markup(f"{_MARK}{name}{_MARK}")


def fill(
    key: tuple[Any, ...],
    make: Callable[[], str],
    values: Mapping[str, object],
) -> bytes | None:
    """The page for ``key``, encoded, with ``values`` in its holes (text escaped, ``Markup``
    as is, ``bytes`` as encoded HTML).

    ``make`` renders the page with :func:`hole` markers, once per key. ``None`` when the page
    cannot be cut cleanly (a marker in a setting, or a hole without a value): the caller
    renders it in full instead."""
    found = _SKELETONS.get(key, _UNSEEN)
    if found is _UNSEEN:
        parts = _cut(make(), values)
        _SKELETONS.put(key, parts)
    else:
        parts = found  # type: ignore[assignment]
    if parts is None:
        return None
    out: list[bytes | str] = list(parts)
    for index in range(1, len(out), 2):
        value = values[out[index]]  # type: ignore[index]
        out[index] = value if isinstance(value, bytes) else escape(value).encode()
    return b"".join(out)  # type: ignore[arg-type]


def _cut(html: str, values: Mapping[str, object]) -> tuple[bytes | str, ...] | None:
    cut = html.split(_MARK)
    if len(cut) % 2 == 0 or any(name not in values for name in cut[1::2]):
        return None
    # text as UTF-8 (encoded once here, not per page), hole names as str
    return tuple(part.encode() if index % 2 == 0 else part for index, part in enumerate(cut))


def forget_skeletons() -> None:
    """Drop every skeleton (tests)."""
    _SKELETONS.clear()
