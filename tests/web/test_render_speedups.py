# ruff: noqa: E501  (the former template, kept verbatim, has long lines)
"""The cheaper page rendering gives the same pages, and the cheaper session lookup is never
stale: a post's article as the former per-form-macro template rendered it, labels in every
language, the session cookie and the signed-in account (new name, new language, signing out)
on the very next request."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime
from types import SimpleNamespace
from typing import Any

import pytest
from jinja2 import ChoiceLoader, DictLoader, UndefinedError
from starlette.testclient import TestClient

from staffroom.services.login import SessionUser
from staffroom.services.status_views import StatusView
from staffroom.web import i18n, render, session
from tests.conftest import User
from tests.oauth.helpers import form_with_button, sign_in

# _status.html before it translated its labels once per page (commit 29e8eab): the reference
# the restructured template must match byte for byte.
FORMER_STATUS = """{% from "_forms.html" import csrf with context %}
{% macro action(status_id, name, label, pressed=none) -%}
<form method="post" action="/web/statuses/{{ status_id }}/{{ name }}" class="inline">
  {{ csrf() }}
  <input type="hidden" name="next" value="{{ here }}">
  <button type="submit" class="link-button" data-key-{{ name }}{% if pressed is not none %} aria-pressed="{{ 'true' if pressed else 'false' }}"{% endif %}>{{ label }}</button>
</form>
{%- endmacro %}

{% macro status(view) -%}
{% set post = view.reblog if view.reblog else view %}
{% set author = post.account %}
<article class="status" lang="{{ post.row.language or lang }}" aria-labelledby="status-{{ view.id }}-author" tabindex="-1" data-status-id="{{ view.id }}" data-post-id="{{ post.id }}">
  {% if view.reblog %}
  <p class="status-context">{% trans name=view.account.display_name or ("@" ~ view.account.username) %}{{ name }} reposted{% endtrans %}</p>
  {% endif %}
  <header class="status-header">
    <img class="avatar" src="{{ base_url ~ (author.avatar_path or '/avatars/original/missing.png') }}" alt="" width="40" height="40" loading="lazy" decoding="async">
    <p id="status-{{ view.id }}-author"><strong>{{ author.display_name or author.username }}</strong> <span class="handle">@{{ author.username }}</span></p>
    <p class="status-meta"><a href="/@{{ author.username }}/{{ post.id }}"><time datetime="{{ post.row.created_at | iso }}">{{ post.row.created_at | datetime }}</time></a></p>
  </header>
  {% if post.row.spoiler_text %}
  <details class="status-body">
    <summary>{{ post.row.spoiler_text }} <span class="hint">{{ _("(content warning: show or hide)") }}</span></summary>
    {{ post.row.content_html | safe }}
  </details>
  {% else %}
  <div class="status-body">{{ post.row.content_html | safe }}</div>
  {% endif %}
  <footer class="status-actions">
    <a href="/@{{ author.username }}/{{ post.id }}#reply" data-key-reply>{% trans count=post.row.replies_count | number %}Reply ({{ count }}){% endtrans %}</a>
    {% if viewer %}
    {% if may_reblog(visibility=post.row.visibility, author_id=author.id, reblogger_id=viewer.account_id) %}
    {% if post.reblogged %}
    {{ action(post.id, "unreblog", _("Reposted (%(count)s): undo", count=post.row.reblogs_count | number), true) }}
    {% else %}
    {{ action(post.id, "reblog", _("Repost (%(count)s)", count=post.row.reblogs_count | number), false) }}
    {% endif %}
    {% endif %}
    {% if post.favourited %}
    {{ action(post.id, "unfavourite", _("Favourited (%(count)s): undo", count=post.row.favourites_count | number), true) }}
    {% else %}
    {{ action(post.id, "favourite", _("Favourite (%(count)s)", count=post.row.favourites_count | number), false) }}
    {% endif %}
    {% if post.bookmarked %}
    {{ action(post.id, "unbookmark", _("Bookmarked: undo"), true) }}
    {% else %}
    {{ action(post.id, "bookmark", _("Bookmark"), false) }}
    {% endif %}
    {% if author.id == viewer.account_id %}
    {{ action(post.id, "delete", _("Delete")) }}
    {% endif %}
    {% endif %}
  </footer>
</article>
{%- endmacro %}
"""

PAGE = """{% from "_status.html" import status with context %}
{% for view in views %}
{{ status(view) }}
{% endfor %}
"""
FORMER_PAGE = PAGE.replace('"_status.html"', '"former_status.html"')

VIEWER = SessionUser(1, "alice", "Alice <Teacher>", None)


def _account(account_id: int, username: str, display_name: str, avatar: str | None = None) -> Any:
    return SimpleNamespace(
        id=account_id, username=username, display_name=display_name, avatar_path=avatar
    )


def _row(post_id: int, **changes: Any) -> Any:
    values: dict[str, Any] = {
        "id": post_id,
        "language": "en",
        "created_at": datetime(2026, 12, 3, 8, 46, 0, 123000, tzinfo=UTC),
        "spoiler_text": "",
        "content_html": '<p>Hello &amp; <a href="/tags/x">#x</a></p>',
        "replies_count": 0,
        "reblogs_count": 3,
        "favourites_count": 12345,
        "visibility": 0,
    }
    values.update(changes)
    return SimpleNamespace(**values)


def _views() -> list[StatusView]:
    alice = _account(1, "alice", "Alice <Teacher>", "/system/avatars/1.png")
    bob = _account(2, "bob", "")
    carol = _account(3, "carol", 'Carol "&" Co')
    original = StatusView(_row(20, spoiler_text="Marking <spoilers>", language=None), bob)
    return [
        StatusView(_row(10, replies_count=1000, reblogs_count=999), alice),  # own: delete
        StatusView(_row(11, visibility=2), bob, favourited=True, bookmarked=True),  # no repost
        StatusView(_row(12, visibility=2), alice, reblogged=True),  # own followers-only
        StatusView(_row(21), carol, reblog=original),
        StatusView(_row(22), bob, reblog=StatusView(_row(23), carol, reblogged=True)),
        StatusView(_row(24, reblogs_count=-5, favourites_count=2_000_000), carol),
    ]


def _render_both(locale: str, viewer: SessionUser | None) -> tuple[str, str]:
    env = render._env.overlay(
        loader=ChoiceLoader(
            [
                DictLoader(
                    {
                        "former_status.html": FORMER_STATUS,
                        "page.html": PAGE,
                        "former_page.html": FORMER_PAGE,
                    }
                ),
                render._env.loader,  # type: ignore[list-item]
            ]
        )
    )
    context = {
        "views": _views(),
        "viewer": viewer,
        "lang": locale,
        "base_url": "https://staff.example",
        "here": "/?max_id=5&x=<y>",
        "csrf_field": "authenticity_token",
        "csrf_token": "tok&en",
    }
    i18n.activate(locale)
    try:
        return (
            env.get_template("page.html").render(**context),
            env.get_template("former_page.html").render(**context),
        )
    finally:
        i18n.activate(i18n.SOURCE_LOCALE)


@pytest.mark.parametrize("locale", ["en", "es"])
@pytest.mark.parametrize("viewer", [VIEWER, None], ids=["signed-in", "signed-out"])
def test_posts_render_exactly_as_before(locale: str, viewer: SessionUser | None) -> None:
    new, former = _render_both(locale, viewer)

    assert new == former
    assert new.count("<article") == 6
    if viewer is not None:
        assert 'value="tok&amp;en"' in new and 'value="/?max_id=5&amp;x=&lt;y&gt;"' in new
        for hook in ("data-key-reply", "data-key-favourite", "data-key-delete", "data-status-id"):
            assert hook in new


def test_labels_are_cut_and_filled_as_jinja_formats_them() -> None:
    label = render.label_slots(
        render.Markup("100%% <b>sure</b>: %(count)s, %(count)s") % {"count": render.LABEL_SLOT}
    )
    expected = render.Markup("100%% <b>sure</b>: %(count)s, %(count)s") % {"count": "<1>"}

    assert render.fill(label, "<1>") == expected == "100% <b>sure</b>: &lt;1&gt;, &lt;1&gt;"


@pytest.fixture
def alice(client: TestClient, make_user: Callable[..., User]) -> User:
    user = make_user("alice")
    sign_in(client, user.email, user.password)
    return user


def _save(client: TestClient, page: str, button: str, **fields: str) -> None:
    form = form_with_button(client.get(page).text, button)
    answer = client.post(form.action, data={**form.fields, **fields}, follow_redirects=False)
    assert answer.status_code == 303, answer.text


def test_a_new_display_name_shows_on_the_next_page(client: TestClient, alice: User) -> None:
    client.get("/")  # the session is looked up (and its cookie's signature checked)
    _save(client, "/settings/profile", "Save profile", display_name="Ms <Alice>", note="")

    assert "Ms &lt;Alice&gt;" in client.get("/settings/profile").text


def test_a_new_language_shows_on_the_next_page(client: TestClient, alice: User) -> None:
    assert "<h1>Home</h1>" in client.get("/").text
    _save(client, "/settings/account", "Save preferences", default_visibility="public", locale="es")

    assert "<h1>Inicio</h1>" in client.get("/").text


def _signed_in(client: TestClient) -> bool:
    return client.get("/settings/profile", follow_redirects=False).status_code == 200


def _replace_cookie(client: TestClient, value: str) -> None:
    client.cookies.clear()
    client.cookies.set(session.SESSION_COOKIE, value)


def test_signing_out_ends_the_session_at_once(client: TestClient, alice: User) -> None:
    cookie = client.cookies.get(session.SESSION_COOKIE)
    assert cookie is not None and _signed_in(client)
    _save(client, "/", "Sign out")

    _replace_cookie(client, cookie)  # the old cookie, replayed
    assert not _signed_in(client)


def test_a_session_cookie_expires_though_its_signature_was_checked(
    client: TestClient, alice: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert _signed_in(client)  # its signature is now known good
    later = time.time() + session.SESSION_MAX_AGE + 5
    monkeypatch.setattr(session.time, "time", lambda: later)

    assert not _signed_in(client)


def test_a_tampered_session_cookie_is_refused(client: TestClient, alice: User) -> None:
    cookie = client.cookies.get(session.SESSION_COOKIE)
    assert cookie is not None and _signed_in(client)
    _replace_cookie(client, cookie[:-2] + ("AA" if cookie[-2:] != "AA" else "BB"))

    assert not _signed_in(client)


def test_the_post_template_is_never_kept_across_requests() -> None:
    """Its module holds this request's CSRF token: imported without context (a module Jinja
    would keep and share), it must fail rather than render."""
    template = render._env.from_string('{% from "_status.html" import status %}{{ status }}')

    with pytest.raises(UndefinedError):
        template.render(viewer=VIEWER, csrf_field="f", csrf_token="t", here="/")
