"""The cheaper page rendering gives the same labels, and the cheaper session lookup is never
stale: the session cookie and the signed-in account (new name, new language, signing out) on
the very next request. (Kept post articles: test_kept_articles.py.)"""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest
from starlette.testclient import TestClient

from staffroom.web import render, session
from tests.conftest import User
from tests.oauth.helpers import form_with_button, sign_in


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
