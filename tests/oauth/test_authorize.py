"""The browser side of the authorization-code flow: sign-in, consent, code, errors."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import parse_qs, urlsplit

from sqlalchemy import func, select
from starlette.testclient import TestClient

from staffroom.db.tables import oauth_codes
from staffroom.runtime import Runtime
from staffroom.services.tokens import resolve_token
from tests.conftest import User
from tests.oauth.helpers import (
    OOB,
    REDIRECT_URI,
    authorize_url,
    bearer,
    code_for,
    consent_page,
    decide,
    exchange,
    form_with_button,
    parse_page,
    pkce_pair,
    redirect_params,
    register_app,
    sign_in,
)


def _codes(runtime: Runtime) -> int:
    return int(
        runtime.db.read(
            lambda c: c.execute(select(func.count()).select_from(oauth_codes)).scalar_one()
        )
    )


def test_full_flow_with_pkce(
    client: TestClient, runtime: Runtime, make_user: Callable[..., User]
) -> None:
    alice = make_user("alice")
    app = register_app(client)
    verifier, challenge = pkce_pair()
    url = authorize_url(
        app, state="xyz 123", code_challenge=challenge, code_challenge_method="S256"
    )

    # Signed out: the authorize URL sends the browser to the sign-in form, and back.
    first = client.get(url, follow_redirects=False)
    assert first.status_code == 302
    assert first.headers["location"].startswith("/auth/sign_in?next=")
    login_page = client.get(first.headers["location"])
    login = form_with_button(login_page.text, "Sign in")
    signed_in = client.post(
        "/auth/sign_in",
        data={**login.fields, "email": alice.email, "password": alice.password},
        follow_redirects=False,
    )
    assert signed_in.status_code == 303
    assert signed_in.headers["location"] == url

    consent = client.get(url)
    assert consent.status_code == 200
    assert "Test Client" in consent.text and "@alice" in consent.text
    for scope in ("read", "write", "follow", "push"):
        assert f"<code>{scope}</code>" in consent.text

    answer = decide(client, consent)
    assert answer.headers["location"].startswith(REDIRECT_URI + "?")
    params = redirect_params(answer)
    assert params["state"] == "xyz 123"
    assert len(params["code"]) >= 40

    token = exchange(client, app, params["code"], code_verifier=verifier)
    assert token.status_code == 200, token.text
    body = token.json()
    assert set(body) == {"access_token", "token_type", "scope", "created_at"}
    assert body["token_type"] == "Bearer"
    assert body["scope"] == "read write follow push"
    assert isinstance(body["created_at"], int)

    me = client.get("/api/v1/apps/verify_credentials", headers=bearer(body["access_token"]))
    assert me.status_code == 200 and me.json()["name"] == "Test Client"
    info = runtime.db.read(resolve_token, body["access_token"])
    assert info is not None and info.account_id == alice.id
    assert info.app_id == int(app["id"])


def test_out_of_band_flow_shows_the_code(
    client: TestClient, runtime: Runtime, make_user: Callable[..., User]
) -> None:
    bob = make_user("bob")
    app = register_app(client, redirect_uris=OOB, scopes="read")
    sign_in(client, bob.email, bob.password)
    shown = decide(client, consent_page(client, app))
    assert shown.status_code == 200
    code = parse_page(shown.text).code.strip()
    assert len(code) >= 40
    assert shown.headers["content-security-policy"].startswith("default-src 'self'")

    token = exchange(client, app, code)
    assert token.status_code == 200, token.text
    info = runtime.db.read(resolve_token, token.json()["access_token"])
    assert info is not None and info.account_id == bob.id and info.scope_list == ("read",)


def test_deny_redirects_with_access_denied(
    client: TestClient, runtime: Runtime, make_user: Callable[..., User]
) -> None:
    carol = make_user("carol")
    app = register_app(client)
    sign_in(client, carol.email, carol.password)
    answer = decide(client, consent_page(client, app, state="s1"), "Deny")
    params = redirect_params(answer)
    assert params["error"] == "access_denied" and params["state"] == "s1"
    assert "code" not in params
    assert _codes(runtime) == 0


def test_deny_out_of_band_shows_a_page(client: TestClient, make_user: Callable[..., User]) -> None:
    dan = make_user("dan")
    app = register_app(client, redirect_uris=OOB)
    sign_in(client, dan.email, dan.password)
    page = decide(client, consent_page(client, app), "Deny")
    assert page.status_code == 400
    assert "denied" in page.text and parse_page(page.text).code == ""


def test_unknown_client_and_foreign_redirect_are_not_redirected(
    client: TestClient, make_user: Callable[..., User]
) -> None:
    erin = make_user("erin")
    app = register_app(client)
    sign_in(client, erin.email, erin.password)
    unknown = client.get(authorize_url({**app, "client_id": "nope"}), follow_redirects=False)
    assert unknown.status_code == 400 and "location" not in unknown.headers
    evil = {**app, "redirect_uris": ["https://evil.example/steal"]}
    mismatch = client.get(authorize_url(evil), follow_redirects=False)
    assert mismatch.status_code == 400 and "location" not in mismatch.headers
    assert "redirect URI" in mismatch.text


def test_scope_escalation_is_refused_at_authorize(
    client: TestClient, make_user: Callable[..., User]
) -> None:
    fay = make_user("fay")
    app = register_app(client, scopes="read")
    sign_in(client, fay.email, fay.password)
    answer = client.get(authorize_url(app, scope="read write", state="q"), follow_redirects=False)
    params = redirect_params(answer)
    assert params["error"] == "invalid_scope" and params["state"] == "q"


def test_tampered_consent_form_cannot_escalate(
    client: TestClient, runtime: Runtime, make_user: Callable[..., User]
) -> None:
    gus = make_user("gus")
    app = register_app(client, scopes="read")
    sign_in(client, gus.email, gus.password)
    form = form_with_button(consent_page(client, app).text, "Authorize")
    data = {**form.fields, "scope": "read write", "decision": "approve"}
    answer = client.post("/oauth/authorize", data=data, follow_redirects=False)
    assert redirect_params(answer)["error"] == "invalid_scope"
    assert _codes(runtime) == 0


def test_plain_pkce_is_not_supported(client: TestClient, make_user: Callable[..., User]) -> None:
    hal = make_user("hal")
    app = register_app(client)
    sign_in(client, hal.email, hal.password)
    verifier, _ = pkce_pair()
    answer = client.get(
        authorize_url(app, code_challenge=verifier, code_challenge_method="plain"),
        follow_redirects=False,
    )
    assert redirect_params(answer)["error"] == "invalid_request"


def test_consent_without_csrf_token_is_rejected(
    client: TestClient, runtime: Runtime, make_user: Callable[..., User]
) -> None:
    ivy = make_user("ivy")
    app = register_app(client)
    sign_in(client, ivy.email, ivy.password)
    form = form_with_button(consent_page(client, app).text, "Authorize")
    fields = {k: v for k, v in form.fields.items() if k != "authenticity_token"}
    missing = client.post("/oauth/authorize", data={**fields, "decision": "approve"})
    assert missing.status_code == 403
    forged = client.post(
        "/oauth/authorize",
        data={**fields, "decision": "approve", "authenticity_token": "forged.value"},
    )
    assert forged.status_code == 403
    cross_site = client.post(
        "/oauth/authorize",
        data={**form.fields, "decision": "approve"},
        headers={"Origin": "https://evil.example"},
    )
    assert cross_site.status_code == 403
    assert _codes(runtime) == 0


def test_second_authorization_skips_consent_unless_forced(
    client: TestClient, make_user: Callable[..., User]
) -> None:
    jo = make_user("jo")
    app = register_app(client)
    sign_in(client, jo.email, jo.password)
    assert exchange(client, app, code_for(client, app)).status_code == 200

    again = client.get(authorize_url(app, state="2"), follow_redirects=False)
    params = redirect_params(again)
    assert params["state"] == "2" and exchange(client, app, params["code"]).status_code == 200

    forced = client.get(authorize_url(app, force_login="true"), follow_redirects=False)
    location = forced.headers["location"]
    assert location.startswith("/auth/sign_in?")
    query = parse_qs(urlsplit(location).query)
    assert query["switch"] == ["1"] and "force_login" not in query["next"][0]
    assert "Sign in" in client.get(location).text


def test_consent_post_when_signed_out_goes_back_to_authorize(
    client: TestClient, make_user: Callable[..., User]
) -> None:
    kim = make_user("kim")
    app = register_app(client)
    sign_in(client, kim.email, kim.password)
    page = consent_page(client, app)
    client.post(
        "/auth/sign_out",
        data={
            "authenticity_token": form_with_button(page.text, "Authorize").fields[
                "authenticity_token"
            ]
        },
    )
    # the CSRF cookie rotated at sign-out, so reuse a fresh token from the sign-in page
    fresh = form_with_button(client.get("/auth/sign_in").text, "Sign in").fields
    form = form_with_button(page.text, "Authorize")
    data = {**form.fields, "authenticity_token": fresh["authenticity_token"], "decision": "approve"}
    answer = client.post("/oauth/authorize", data=data, follow_redirects=False)
    assert answer.status_code == 303
    assert answer.headers["location"].startswith("/oauth/authorize?")
