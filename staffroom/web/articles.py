"""Posts as HTML articles, rendered once and kept for every viewer who sees them the same way.

A page shows 20 posts; rendering each through the template costs most of the page. An article
(``templates/_status.html``) holds nothing of the request (its buttons submit the page's one
hidden form), so it is a function of: the post's and its author's rows (and, for a repost, the
reposter's), the post's media (a tuple ``status_views`` hands out again while they are
unchanged; a changed description or focus is a new tuple), the quote it makes as this viewer
may see it (its state, and the quoted post's row, author and media), its poll as this viewer
sees it (a value: counts, their votes, whether it ended), the page's language and base URL,
and for a signed-in viewer only whether they wrote it, may repost, pin or quote it, and have
reposted, favourited, bookmarked or pinned it. Those are the key; the rows and media are
compared by identity, as ``services.status_views`` hands out the same immutable row objects
while a post and its author are unchanged (a new count or edit is a new object), so a changed
post is never served from here. Several processes each keep their own.
"""

from __future__ import annotations

from typing import Any

from jinja2 import Environment
from jinja2.runtime import Context
from jinja2.utils import pass_context
from markupsafe import Markup, escape

from staffroom.cache import BoundedCache
from staffroom.policies.visibility import may_pin, may_reblog
from staffroom.services.filter_rules import outcome
from staffroom.services.login import SessionUser
from staffroom.services.status_views import StatusView
from staffroom.web import i18n
from staffroom.web.i18n import N_

# (timeline entry ID, language, base URL, viewer's state, the quote's state for the viewer)
# -> (what it was rendered from: the entry's row, the post's, the author's, the entry's
# account's, the post's media, the quoted post's row, author and media; the HTML, and encoded)
Kept = tuple[Any, Any, Any, Any, Any, Markup, bytes, Any, Any, Any]
_ARTICLES: BoundedCache[tuple[Any, ...], Kept] = BoundedCache(20_000)
_MODULES: dict[str, Any] = {}  # the template's module (its translated labels) per language


def _module(env: Environment, locale: str) -> Any:
    module = _MODULES.get(locale)
    if module is None:  # made while ``locale`` is active, so its labels are in that language
        module = env.get_template("_status.html").make_module({"lang": locale})
        _MODULES[locale] = module
    return module


def article(
    env: Environment, view: StatusView, viewer: SessionUser | None, base_url: str
) -> Markup:
    """``view`` as its ``<article>`` for ``viewer``, in the active language."""
    return _kept(env, view, viewer, base_url)[5]


def _kept(env: Environment, view: StatusView, viewer: SessionUser | None, base_url: str) -> Kept:
    locale = i18n.active_locale()
    post = view.reblog if view.reblog is not None else view
    row, author = post.row, post.account
    if viewer is None:
        viewer_id = None
        may_repost = pinnable = False
        state: tuple[Any, ...] | None = None
    else:
        viewer_id = viewer.account_id
        may_repost = may_reblog(
            visibility=row.visibility, author_id=author.id, reblogger_id=viewer_id
        )
        pinnable = may_pin(visibility=row.visibility, author_id=author.id, pinner_id=viewer_id)
        state = (
            author.id == viewer_id,
            may_repost,
            pinnable,
            post.reblogged,
            post.favourited,
            post.bookmarked,
            post.pinned,
            post.quote_approval,
        )
    quote = post.quote
    shown = None if quote is None else quote.status
    quoted_row = None if shown is None else shown.row
    quoted_author = None if shown is None else shown.account
    quoted_media = None if shown is None else shown.media
    # A poll (counts, the viewer's votes, whether it ended) is compared by value: each
    # state of it is its own entry.
    key = (view.id, locale, base_url, state, None if quote is None else quote.state, post.poll)
    found = _ARTICLES.get(key)
    if (
        found is not None
        and found[0] is view.row
        and found[1] is row
        and found[2] is author
        and found[3] is view.account
        and found[4] is post.media
        and found[7] is quoted_row
        and found[8] is quoted_author
        and found[9] is quoted_media
    ):
        return found
    html: Markup = _module(env, locale).article(view, viewer_id, may_repost, pinnable, base_url)
    entry = (
        view.row,
        row,
        author,
        view.account,
        post.media,
        html,
        html.encode(),
        quoted_row,
        quoted_author,
        quoted_media,
    )
    _ARTICLES.put(key, entry)
    return entry


_WARN = N_("Filtered: %(titles)s")
_BLUR = N_("Images hidden by a filter: %(titles)s")
_SHOW = N_("Show anyway")


def _as_filtered(view: StatusView, html: Markup, filter_context: str | None) -> Markup | None:
    """A post as the reader's filters of ``filter_context`` leave it, as Mastodon's web app
    does: hidden (``None``), collapsed behind "Filtered: <title>" (warn), or with its images
    hidden behind a warning (blur); both open without JavaScript (``details``). The kept
    article itself is the same for every viewer: this wraps it per request."""
    if filter_context is None or not view.filtered:
        return html
    found = outcome(view.filtered, filter_context)
    if found is None:
        return html
    action, titles = found
    if action == "hide":
        return None
    names = ", ".join(titles)
    show = escape(i18n.gettext(_SHOW))
    if action == "warn":
        label = escape(i18n.gettext(_WARN) % {"titles": names})
        return Markup(
            f'<details class="filtered-post"><summary><span>{label}</span>'
            f' <span class="filtered-show">{show}</span></summary>{html}</details>'
        )
    label = escape(i18n.gettext(_BLUR) % {"titles": names})
    return Markup(
        f'<details class="filtered-media"><summary><span>{label}</span>'
        f' <span class="filtered-show">{show}</span></summary></details>{html}'
    )


def articles(
    env: Environment,
    views: list[StatusView],
    viewer: SessionUser | None,
    base_url: str,
    filter_context: str | None = None,
) -> Markup:
    """Every post of ``views`` as :func:`article` gives it, one per line (as the viewer's
    filters of ``filter_context`` leave it)."""
    shown = []
    for view in views:
        html = _kept(env, view, viewer, base_url)[5]
        if view.filtered:
            wrapped = _as_filtered(view, html, filter_context)
            if wrapped is None:
                continue
            html = wrapped
        shown.append(html)
    return Markup("\n".join(shown))


def articles_utf8(
    env: Environment,
    views: list[StatusView],
    viewer: SessionUser | None,
    base_url: str,
    filter_context: str | None = None,
) -> bytes:
    """:func:`articles` encoded, from the kept encodings (a page's body is bytes)."""
    shown = []
    for view in views:
        kept = _kept(env, view, viewer, base_url)
        if not view.filtered:  # most posts: the kept bytes as they are
            shown.append(kept[6])
            continue
        wrapped = _as_filtered(view, kept[5], filter_context)
        if wrapped is not None:
            shown.append(wrapped.encode())
    return b"\n".join(shown)


@pass_context
def status_article(context: Context, view: StatusView, filter_context: str | None = None) -> Markup:
    """``status(view)`` in templates: :func:`article` for the page's viewer (as their
    filters of ``filter_context``, by default the page's, leave it: hidden is empty).
    ``status(view, "home")`` names the context where a page mixes them (the deck)."""
    html = article(context.environment, view, context["viewer"], context["base_url"])
    if not view.filtered:
        return html
    where = filter_context or context.get("filter_context")
    return _as_filtered(view, html, where) or Markup("")


@pass_context
def status_articles(context: Context, views: list[StatusView]) -> Markup:
    """``statuses(views)`` in templates: :func:`articles` for the page's viewer."""
    return articles(
        context.environment,
        views,
        context["viewer"],
        context["base_url"],
        context.get("filter_context"),
    )


def forget_articles() -> None:
    """Drop every kept article (tests compare kept and fresh renderings)."""
    _ARTICLES.clear()
