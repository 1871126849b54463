"""Rendering server-side pages: Jinja2 templates, security headers, CSRF cookie."""

from __future__ import annotations

import gzip
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import (
    Environment,
    FileSystemLoader,
    StrictUndefined,
    pass_eval_context,
    select_autoescape,
)
from jinja2.nodes import EvalContext
from markupsafe import Markup, escape
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse

from staffroom.policies.visibility import may_reblog
from staffroom.runtime import runtime_of
from staffroom.serializers.common import iso
from staffroom.services.login import SessionUser
from staffroom.web import i18n
from staffroom.web.assets import asset_url
from staffroom.web.csrf import CSRF_FIELD, attach_csrf_cookie, csrf_token

TEMPLATES_DIR = Path(__file__).with_name("templates")
STATIC_DIR = Path(__file__).with_name("static")
_GZIP_FROM = 1024  # smaller pages gain less than the header costs
_GZIP_LEVEL = 4  # cheaper than 6; tests/web/test_page_weight.py holds the sizes

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}

# Where a translated label's name or number goes (see _status.html): translated once per page
# with this in the placeholder's place, cut there, and filled per post. No catalog string
# holds a NUL character.
LABEL_SLOT = Markup("\x00")


def label_slots(label: Markup) -> tuple[Markup, ...]:
    """A label translated with :data:`LABEL_SLOT` as its value, cut where the value goes."""
    return tuple(label.split(LABEL_SLOT))


def fill(slots: tuple[Markup, ...], value: object) -> Markup:
    """The label of :func:`label_slots` with ``value`` (escaped) in its place, as
    ``Markup(label) % {"name": value}`` would have put it. (``str.join``: the pieces are
    markup already; ``Markup.join`` would escape each again.)"""
    return Markup(str.join(escape(value), slots))


@lru_cache(maxsize=4096)
def _iso(moment: datetime | str | None) -> str | None:
    return iso(moment)


_env = Environment(
    loader=FileSystemLoader(TEMPLATES_DIR),
    autoescape=select_autoescape(["html"]),
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
    extensions=["jinja2.ext.i18n"],
    auto_reload=False,  # templates are part of the release: no stat() per render
)
_env.policies["ext.i18n.trimmed"] = True  # msgids without the templates' line breaks
_env.filters["datetime"] = i18n.format_datetime
_env.filters["number"] = i18n.format_number
_env.filters["iso"] = _iso  # a post's moment, on many pages
_env.filters["label_slots"] = label_slots
_env.filters["fill"] = fill
_env.globals["label_slot"] = LABEL_SLOT
_env.globals["asset_url"] = asset_url
_env.globals["may_reblog"] = may_reblog  # the visibility policy decides, not the template
_env.install_gettext_callables(  # type: ignore[attr-defined]  # added by the i18n extension
    gettext=i18n.gettext, ngettext=i18n.ngettext, newstyle=True
)


# Jinja's new-style gettext, without its two extra context calls per string (``_`` resolves
# ``gettext`` and calls it, which calls ours): a page shows ~50 strings. Same results: the
# translation is a format string (Markup when autoescaping, so values are escaped into it).
@pass_eval_context
def _gettext(eval_ctx: EvalContext, message: str, /, **variables: Any) -> str:
    if not eval_ctx.autoescape:
        return i18n.gettext(message) % variables
    if not variables:
        return i18n.gettext_markup(message)
    return Markup(i18n.gettext(message)) % variables


@pass_eval_context
def _ngettext(
    eval_ctx: EvalContext, singular: str, plural: str, num: int, /, **variables: Any
) -> str:
    variables.setdefault("num", num)
    text = i18n.ngettext(singular, plural, num)
    return (Markup(text) if eval_ctx.autoescape else text) % variables


_env.globals.update(_=_gettext, gettext=_gettext, ngettext=_ngettext)


def render(
    request: Request,
    template: str,
    *,
    viewer: SessionUser | None,
    status: int = 200,
    **context: Any,
) -> HTMLResponse:
    """Render ``template`` with the site, the viewer and a CSRF token for its forms."""
    settings = runtime_of(request).settings
    chosen = viewer.locale if viewer is not None else None  # their setting beats the browser
    if chosen not in i18n.available_locales():
        chosen = None
    locale = chosen or i18n.negotiate(request.headers.get("accept-language"))
    i18n.activate(locale)
    # Where forms come back to, and the base of image URLs: derived here, not by every page.
    context.setdefault("here", current_path(request))
    context.setdefault("base_url", settings.base_url)
    html = _env.get_template(template).render(
        lang=locale,
        site_title=settings.instance_title,
        site_description=settings.instance_description,
        viewer=viewer,
        nav=context.pop("nav", None),
        csrf_field=CSRF_FIELD,
        csrf_token=csrf_token(request),
        **context,
    )
    headers = {
        **SECURITY_HEADERS,
        "Content-Language": locale,
        "Vary": "Accept-Language, Accept-Encoding, Cookie",
    }
    body = html.encode()
    if len(body) >= _GZIP_FROM and "gzip" in request.headers.get("accept-encoding", ""):
        body = gzip.compress(body, _GZIP_LEVEL, mtime=0)
        headers["Content-Encoding"] = "gzip"
    response = HTMLResponse(body, status_code=status, headers=headers)
    attach_csrf_cookie(request, response)
    return response


def current_path(request: Request) -> str:
    """This page's path with its query: where its forms send the person back to."""
    query = request.url.query
    return request.url.path + (f"?{query}" if query else "")


def redirect(url: str, status: int = 303) -> RedirectResponse:
    """Redirect (``303 See Other`` after a form by default) without caching."""
    return RedirectResponse(url, status_code=status, headers={"Cache-Control": "no-store"})


def safe_next(value: str | None, default: str = "/") -> str:
    """A same-site path to continue to after signing in, never another site."""
    if not value or not value.startswith("/") or value.startswith(("//", "/\\")):
        return default
    if any(ord(ch) < 32 for ch in value) or "\\" in value:
        return default
    return value
