"""Rendering server-side pages: Jinja2 templates, security headers, CSRF cookie."""

from __future__ import annotations

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

from staffroom.compression import GZIP_FROM, accepts_gzip, gzip_bytes
from staffroom.runtime import runtime_of
from staffroom.serializers.common import iso
from staffroom.services.login import SessionUser
from staffroom.web import i18n, skeletons
from staffroom.web.articles import articles, articles_utf8, status_article, status_articles
from staffroom.web.assets import asset_url
from staffroom.web.csrf import CSRF_FIELD, attach_csrf_cookie, csrf_token

TEMPLATES_DIR = Path(__file__).with_name("templates")
STATIC_DIR = Path(__file__).with_name("static")

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'none'"
)


def content_security_policy(media_origin: str | None) -> str:
    """The pages' policy; images may also come from the media origin (object storage)."""
    if not media_origin:
        return CONTENT_SECURITY_POLICY
    allowed = f"img-src 'self' data: {media_origin}"
    return CONTENT_SECURITY_POLICY.replace("img-src 'self' data:", allowed)


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
_env.filters["relative"] = i18n.format_relative  # "in 3 days"
_env.filters["day"] = i18n.format_day
_env.filters["local"] = i18n.format_local  # an event's time where it happens
_env.filters["longdate"] = i18n.format_date_long
_env.filters["iso"] = _iso  # a post's moment, on many pages
_env.filters["label_slots"] = label_slots
_env.filters["fill"] = fill
_env.globals["label_slot"] = LABEL_SLOT
_env.globals["asset_url"] = asset_url
_env.globals["status"] = status_article  # a post's <article>, kept across pages and viewers
_env.globals["statuses"] = status_articles  # a list of them in one call
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
    holes: tuple[str, ...] = (),
    **context: Any,
) -> HTMLResponse:
    """Render ``template`` with the site, the viewer and a CSRF token for its forms.

    ``views`` (a list of posts) is given to the template as ``posts``, their articles' HTML
    (web/articles.py), and ``has_posts``. ``holes``: the context values the template only
    prints (``posts``, an ``older`` link's ID...); with them a signed-in page is filled into
    a skeleton shared by every viewer (web/skeletons.py) rather than rendered, when its other
    values can be a skeleton's key."""
    settings = runtime_of(request).settings
    page, locale = _page(request, viewer, holes, context)
    body = _from_skeleton(template, page, viewer, holes) if holes and viewer else None
    if body is None:
        if isinstance(page.get("posts"), bytes):
            page["posts"] = Markup(page["posts"].decode())
        body = _env.get_template(template).render(page).encode()
    headers = {
        **SECURITY_HEADERS,
        "Content-Security-Policy": content_security_policy(settings.s3_public_origin),
        "Content-Language": locale,
        "Vary": "Accept-Language, Accept-Encoding, Cookie",
    }
    if len(body) >= GZIP_FROM and accepts_gzip(request.headers.get("accept-encoding")):
        body = gzip_bytes(body)
        headers["Content-Encoding"] = "gzip"
    response = HTMLResponse(body, status_code=status, headers=headers)
    attach_csrf_cookie(request, response)
    return response


def page_locale(request: Request, viewer: SessionUser | None) -> str:
    """The language a page is in: the viewer's choice, else the browser's."""
    chosen = viewer.locale if viewer is not None else None  # their setting beats the browser
    if chosen not in i18n.available_locales():
        chosen = None
    return chosen or i18n.negotiate(request.headers.get("accept-language"))


def _page(
    request: Request,
    viewer: SessionUser | None,
    holes: tuple[str, ...],
    context: dict[str, Any],
) -> tuple[dict[str, Any], str]:
    """The template context every page gets (site, viewer, CSRF token, the language made
    active), and that language."""
    settings = runtime_of(request).settings
    locale = page_locale(request, viewer)
    i18n.activate(locale)
    # Where forms come back to, and the base of image URLs: derived here, not by every page.
    context.setdefault("here", current_path(request))
    context.setdefault("base_url", settings.base_url)
    views = context.pop("views", None)
    if views is not None:
        context["has_posts"] = bool(views)
        # A hole takes the kept articles' encodings as they are (the page is cut into bytes).
        posts: Markup | bytes = Markup("")
        if views and "posts" in holes and viewer:
            posts = articles_utf8(
                _env, views, viewer, context["base_url"], context.get("filter_context")
            )
        elif views:
            posts = articles(
                _env, views, viewer, context["base_url"], context.get("filter_context")
            )
        context["posts"] = posts
    page = {
        "lang": locale,
        "site_title": settings.instance_title,
        "site_description": settings.instance_description,
        "viewer": viewer,
        "nav": context.pop("nav", None),
        "csrf_field": CSRF_FIELD,
        "csrf_token": csrf_token(request),
        # The navigation's badge at page load: notifications newer than the marker.
        "notification_badge": notification_badge(viewer),
        **context,
    }
    return page, locale


def render_markup(
    request: Request, template: str, *, viewer: SessionUser | None, **context: Any
) -> str:
    """``template`` rendered as :func:`render` renders it, as text: for a live fragment
    assembled from pieces kept across requests (``web/room_live.py``)."""
    page, _ = _page(request, viewer, (), context)
    return _env.get_template(template).render(page)


def _from_skeleton(
    template: str, page: dict[str, Any], viewer: SessionUser, holes: tuple[str, ...]
) -> bytes | None:
    """The page filled into its skeleton, or ``None`` if it cannot have one (a value of the
    page that is not a hole cannot be a key, e.g. a draft after an error).

    Besides ``holes``, every signed-in page prints the CSRF token, its own address and the
    viewer's names. A hole whose value is false (``None``, ``""``) is no hole: templates test
    such values (``{% if older %}``), so it is part of the key instead."""
    given: dict[str, object] = {name: page[name] for name in holes}
    given["csrf_token"] = page["csrf_token"]
    given["here"] = page["here"]
    given["notification_badge"] = page["notification_badge"]
    given["viewer.username"] = viewer.username
    given["viewer.display_name"] = viewer.display_name
    values = {name: value for name, value in given.items() if value}
    # The viewer's names are holes; what else of theirs the templates may test is in the key.
    shape = [(k, v) for k, v in page.items() if k not in values and k != "viewer"]
    key = (
        template,
        viewer.locale,
        viewer.default_visibility,
        viewer.first_run_pending,
        viewer.data_saver,
        *[(name, value) for name, value in given.items() if not value],
        *shape,
    )
    try:
        hash(key)
    except TypeError:
        return None

    def make() -> str:
        marked = dict(page)
        for name in values:
            marked[name] = skeletons.hole(name)

        def name_of(field: str) -> Any:
            hole_name = f"viewer.{field}"
            return skeletons.hole(hole_name) if hole_name in values else given[hole_name]

        # The viewer as no one: their names holes, no account (a skeleton is everyone's).
        marked["viewer"] = SessionUser(
            0,
            name_of("username"),
            name_of("display_name"),
            viewer.locale,
            viewer.default_visibility,
            viewer.first_run_pending,
            viewer.data_saver,
        )
        return _env.get_template(template).render(marked)

    return skeletons.fill(key, make, values)


def notification_badge(viewer: SessionUser | None) -> str:
    """The badge's text: ``""`` (no badge), ``"3"``, or ``"99+"`` from a hundred."""
    count = 0 if viewer is None else viewer.unread_notifications
    return "" if count <= 0 else ("99+" if count > 99 else str(count))


def current_path(request: Request) -> str:
    """This page's path with its query: where its forms send the person back to.

    ``request.url.path`` with its query, read from the scope as Starlette's ``URL`` reads it
    (the same escapes), without building and re-parsing the whole URL on every page."""
    scope = request.scope
    path = scope["path"].replace("?", "%3F").replace("#", "%23").replace("\\", "%5C")
    query = scope.get("query_string", b"").decode()
    return f"{path}?{query}" if query else path


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
