"""Sign-up, sign-in and sign-out pages: sessions, inline errors, CSRF, closed sign-ups."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest
from sqlalchemy import func, select
from starlette.testclient import TestClient

from staffroom.app import create_app
from staffroom.config import Settings
from staffroom.db.tables import accounts
from staffroom.runtime import Runtime
from staffroom.services.tokens import resolve_token
from staffroom.web.session import SESSION_COOKIE
from tests.conftest import BASE_URL, User
from tests.oauth.helpers import form_with_button, parse_page, sign_in

GOOD_PASSWORD = "a staffroom with tea"


def _account_count(runtime: Runtime) -> int:
    query = select(func.count()).select_from(accounts)
    return int(runtime.db.read(lambda c: c.execute(query).scalar_one()))


def _sign_up(client: TestClient, **fields: str) -> httpx.Response:
    form = form_with_button(client.get("/auth/sign_up").text, "Create account")
    data = {
        **form.fields,
        "username": "newbie",
        "email": "newbie@example.org",
        "password": GOOD_PASSWORD,
        "password_confirmation": fields.get("password", GOOD_PASSWORD),
        **fields,
    }
    return client.post("/auth/sign_up", data=data, follow_redirects=False)


def _session_token(client: TestClient, runtime: Runtime) -> str | None:
    from itsdangerous import URLSafeTimedSerializer

    cookie = client.cookies.get(SESSION_COOKIE)
    if cookie is None:
        return None
    raw: str = URLSafeTimedSerializer(
        runtime.settings.secret_key, salt="staffroom.web-session"
    ).loads(cookie)
    return raw


def test_sign_up_creates_the_account_and_signs_in(client: TestClient, runtime: Runtime) -> None:
    answer = _sign_up(client)
    assert answer.status_code == 303 and answer.headers["location"] == "/welcome"
    cookie_header = answer.headers.get_list("set-cookie")
    session_cookie = next(c for c in cookie_header if c.startswith(f"{SESSION_COOKIE}="))
    assert "httponly" in session_cookie.lower() and "samesite=lax" in session_cookie.lower()
    assert _account_count(runtime) == 1
    home = client.get("/")
    assert "Signed in as <strong>@newbie</strong>" in home.text
    raw = _session_token(client, runtime)
    assert raw is not None
    info = runtime.db.read(resolve_token, raw)
    assert info is not None and info.app_id is None
    assert info.scope_list == ("read", "write", "follow", "push")


def test_short_password_is_shown_inline(client: TestClient, runtime: Runtime) -> None:
    answer = _sign_up(client, password="short")
    assert answer.status_code == 422
    assert 'id="error-password"' in answer.text and "too short" in answer.text
    assert 'aria-invalid="true"' in answer.text
    assert 'value="newbie"' in answer.text  # what was typed is kept
    assert _account_count(runtime) == 0
    assert SESSION_COOKIE not in client.cookies


def test_taken_username_is_shown_inline(
    client: TestClient, runtime: Runtime, make_user: Callable[..., User]
) -> None:
    make_user("Newbie")
    answer = _sign_up(client, email="other@example.org")
    assert answer.status_code == 422
    assert 'id="error-username"' in answer.text and "already taken" in answer.text
    assert _account_count(runtime) == 1


def test_confirmation_must_match(client: TestClient, runtime: Runtime) -> None:
    answer = _sign_up(client, password_confirmation="something else")
    assert answer.status_code == 422
    assert 'id="error-password_confirmation"' in answer.text
    assert _account_count(runtime) == 0


def test_sign_up_needs_csrf_token(client: TestClient, runtime: Runtime) -> None:
    client.get("/auth/sign_up")  # the browser holds a CSRF cookie, but the form is forged
    answer = client.post(
        "/auth/sign_up",
        data={
            "username": "newbie",
            "email": "newbie@example.org",
            "password": GOOD_PASSWORD,
            "password_confirmation": GOOD_PASSWORD,
        },
    )
    assert answer.status_code == 403
    assert _account_count(runtime) == 0


def test_closed_registrations(settings: Settings) -> None:
    runtime = Runtime.build(settings.with_overrides(registrations_open=False))
    try:
        with TestClient(create_app(runtime=runtime), base_url=BASE_URL) as client:
            page = client.get("/auth/sign_up")
            assert "closed" in page.text and "Create account</button>" not in page.text
            assert parse_page(page.text).forms == []  # no form to fill in
            sign_in_form = form_with_button(client.get("/auth/sign_in").text, "Sign in")
            token = sign_in_form.fields["authenticity_token"]
            answer = client.post(
                "/auth/sign_up",
                data={
                    "authenticity_token": token,
                    "username": "newbie",
                    "email": "newbie@example.org",
                    "password": GOOD_PASSWORD,
                    "password_confirmation": GOOD_PASSWORD,
                },
            )
            assert answer.status_code == 403
            assert _account_count(runtime) == 0
    finally:
        runtime.close()


def test_sign_in_and_out(
    client: TestClient, runtime: Runtime, make_user: Callable[..., User]
) -> None:
    alice = make_user("alice")
    answer = sign_in(client, alice.email, alice.password)
    assert answer.status_code == 303 and answer.headers["location"] == "/"
    raw = _session_token(client, runtime)
    assert raw is not None and runtime.db.read(resolve_token, raw) is not None
    home = client.get("/")
    assert "@alice" in home.text
    out = form_with_button(home.text, "Sign out")
    signed_out = client.post("/auth/sign_out", data=out.fields, follow_redirects=False)
    assert signed_out.status_code == 303
    assert runtime.db.read(resolve_token, raw) is None  # the session's token is revoked
    assert "Sign in" in client.get("/").text and "@alice" not in client.get("/").text


def test_wrong_password(client: TestClient, make_user: Callable[..., User]) -> None:
    alice = make_user("alice")
    answer = sign_in(client, alice.email, "not her password")
    assert answer.status_code == 422
    assert "e-mail address or password is incorrect" in answer.text
    assert 'value="alice@example.org"' in answer.text
    assert SESSION_COOKIE not in client.cookies
    unknown = sign_in(client, "nobody@example.org", "whatever")
    assert unknown.status_code == 422 and "incorrect" in unknown.text


def test_sign_in_needs_csrf_token(client: TestClient, make_user: Callable[..., User]) -> None:
    alice = make_user("alice")
    client.get("/auth/sign_in")
    answer = client.post("/auth/sign_in", data={"email": alice.email, "password": alice.password})
    assert answer.status_code == 403
    assert SESSION_COOKIE not in client.cookies


def test_sign_out_needs_csrf_token(
    client: TestClient, runtime: Runtime, make_user: Callable[..., User]
) -> None:
    alice = make_user("alice")
    sign_in(client, alice.email, alice.password)
    raw = _session_token(client, runtime)
    assert client.post("/auth/sign_out", data={}).status_code == 403
    assert raw is not None and runtime.db.read(resolve_token, raw) is not None


@pytest.mark.parametrize("target", ["//evil.example/", "https://evil.example/", "/\\evil.example"])
def test_next_never_leaves_the_site(
    client: TestClient, make_user: Callable[..., User], target: str
) -> None:
    alice = make_user("alice")
    page = client.get("/auth/sign_in", params={"next": target})
    form = form_with_button(page.text, "Sign in")
    data = {**form.fields, "email": alice.email, "password": alice.password, "next": target}
    answer = client.post("/auth/sign_in", data=data, follow_redirects=False)
    assert answer.headers["location"] == "/"


def test_tampered_session_cookie_is_signed_out(
    client: TestClient, make_user: Callable[..., User]
) -> None:
    alice = make_user("alice")
    client.cookies.set(SESSION_COOKIE, f'"{alice.token}"')  # a raw token, not signed by us
    assert "@alice" not in client.get("/").text


def test_signing_in_again_ends_the_previous_session(
    client: TestClient, runtime: Runtime, make_user: Callable[..., User]
) -> None:
    alice, bob = make_user("alice"), make_user("bob")
    sign_in(client, alice.email, alice.password)
    first = _session_token(client, runtime)
    page = client.get("/auth/sign_in", params={"switch": "1"})
    form = form_with_button(page.text, "Sign in")
    client.post("/auth/sign_in", data={**form.fields, "email": bob.email, "password": bob.password})
    assert first is not None and runtime.db.read(resolve_token, first) is None
    assert "@bob" in client.get("/").text
