"""The network picture as one small SVG, drawn on the server (no script, no inline style).

Each cluster is a bubble of dots, one per person, laid out as a sunflower (phyllotaxis) so
the bubble's area grows with its size; bubbles are packed in rows, biggest first; a line
between two bubbles is as thick as the follows between them; bridges are ringed dots; the
areas not reached are dashed labels below. Colours and strokes come from classes styled in
``static/css/87-network.css`` (the site's CSP refuses inline style). The SVG is one labelled
image (``role="img"``); the page's tables hold the same facts for screen readers.

Size: about 30 bytes a person, so 1,000 people stay far below 100 KB.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from markupsafe import Markup, escape

from staffroom.services.network import NetworkPicture
from staffroom.web.i18n import gettext, ngettext

WIDTH = 720
DOT_SPACING = 4.4
PAD = 8
LABEL_HEIGHT = 18
MIN_CELL = 150
GOLDEN_ANGLE = math.pi * (3 - math.sqrt(5))
COLOURS = 12


@dataclass(frozen=True, slots=True)
class _Bubble:
    css: str
    label: str
    members: list[int]
    x: float = 0.0
    y: float = 0.0

    @property
    def radius(self) -> float:
        return DOT_SPACING * math.sqrt(max(len(self.members), 1)) + PAD


def _n(value: float) -> str:
    """Coordinates to one decimal, without a trailing ``.0``."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _place(bubbles: list[_Bubble]) -> tuple[list[_Bubble], float]:
    """Rows, left to right, wrapping at ``WIDTH``; returns the bubbles and the height used."""
    placed: list[_Bubble] = []
    x = y = row_height = 0.0
    for b in bubbles:
        cell = max(2 * b.radius + PAD, MIN_CELL)
        height = 2 * b.radius + LABEL_HEIGHT + PAD
        if x and x + cell > WIDTH:
            x, y, row_height = 0.0, y + row_height, 0.0
        placed.append(_Bubble(b.css, b.label, b.members, x + cell / 2, y + LABEL_HEIGHT + b.radius))
        x += cell
        row_height = max(row_height, height)
    return placed, y + row_height


def _dots(b: _Bubble, bridges: set[int]) -> tuple[list[str], list[str]]:
    dots: list[str] = []
    rings: list[str] = []
    for i, member in enumerate(b.members):
        r = DOT_SPACING * math.sqrt(i + 0.5)
        angle = i * GOLDEN_ANGLE
        cx, cy = _n(b.x + r * math.cos(angle)), _n(b.y + r * math.sin(angle))
        dots.append(f'<circle cx="{cx}" cy="{cy}" r="1.8"/>')
        if member in bridges:
            rings.append(f'<circle cx="{cx}" cy="{cy}" r="4"/>')
    return dots, rings


def _areas(picture: NetworkPicture, top: float) -> tuple[list[str], float]:
    if not picture.areas:
        return [], top
    parts = [
        f'<text class="net-heading" x="0" y="{_n(top + 16)}">'
        f"{escape(gettext('Not reached yet'))}</text>"
    ]
    x, y = 0.0, top + 26
    for area in picture.areas:
        label = "#" + area.tag
        width = 7.2 * len(label) + 16
        if x and x + width > WIDTH:
            x, y = 0.0, y + 30
        parts.append(
            f'<rect class="net-area" x="{_n(x)}" y="{_n(y)}" width="{_n(width)}"'
            ' height="24" rx="12"/>'
            f'<text x="{_n(x + 8)}" y="{_n(y + 16)}">{escape(label)}</text>'
        )
        x += width + 8
    return parts, y + 30


def network_svg(picture: NetworkPicture) -> Markup:
    """The picture for ``picture``, as SVG markup to put in a page."""
    bubbles = [
        _Bubble(
            f"net-g{(c.number - 1) % COLOURS + 1}",
            f"{c.number}. " + " ".join("#" + t for t in c.tags[:2]),
            c.member_ids,
        )
        for c in picture.clusters
    ]
    if picture.others:
        bubbles.append(_Bubble("net-others", gettext("Others"), [p.id for p in picture.others]))
    placed, height = _place(bubbles)
    by_number = {i + 1: b for i, b in enumerate(placed)}
    parts: list[str] = []
    if picture.links:
        top = max(picture.links.values())
        parts.append('<g class="net-links">')
        for (first, second), count in sorted(picture.links.items()):
            width = 1 + 5 * math.log1p(count) / math.log1p(top)
            one, two = by_number[first], by_number[second]
            parts.append(
                f'<line x1="{_n(one.x)}" y1="{_n(one.y)}" x2="{_n(two.x)}" y2="{_n(two.y)}"'
                f' stroke-width="{_n(width)}"/>'
            )
        parts.append("</g>")
    rings: list[str] = []
    for b in placed:
        dots, ringed = _dots(b, picture.bridge_ids)
        rings += ringed
        parts.append(
            f'<g class="{b.css}"><circle class="net-bubble" cx="{_n(b.x)}" cy="{_n(b.y)}"'
            f' r="{_n(b.radius)}"/>{"".join(dots)}</g>'
            f'<text class="net-label" x="{_n(b.x)}" y="{_n(b.y - b.radius - 5)}"'
            f' text-anchor="middle">{escape(b.label)}</text>'
        )
    if rings:
        parts.append(f'<g class="net-bridges">{"".join(rings)}</g>')
    area_parts, height = _areas(picture, height)
    parts += area_parts
    title = ngettext(
        "The people @%(name)s follows, in %(count)s group",
        "The people @%(name)s follows, in %(count)s groups",
        len(picture.clusters),
    ) % {"name": picture.owner.username, "count": len(picture.clusters)}
    desc = gettext(
        "Each dot is a person; ringed dots lead to areas not reached yet. "
        "The tables below give the same facts."
    )
    return Markup(
        f'<svg class="network-svg" xmlns="http://www.w3.org/2000/svg" role="img"'
        f' viewBox="0 0 {WIDTH} {_n(max(height, 40))}" aria-labelledby="net-title net-desc">'
        f'<title id="net-title">{escape(title)}</title><desc id="net-desc">{escape(desc)}</desc>'
        f"{''.join(parts)}</svg>"
    )
