"""Shared steps for OAuth tests: register an app, play the browser, exchange codes."""

from __future__ import annotations

import base64
import hashlib
import secrets
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx
from starlette.testclient import TestClient

REDIRECT_URI = "https://client.example/callback"
OOB = "urn:ietf:wg:oauth:2.0:oob"


@dataclass
class Form:
    action: str
    fields: dict[str, str] = field(default_factory=dict)
    buttons: dict[str, str] = field(default_factory=dict)  # label -> value


class PageParser(HTMLParser):
    """Collects forms (hidden/text inputs, buttons) and the #authorization-code text.

    A button outside a form that names one (``form="id"``, as posts' action buttons do)
    becomes a form of its own: its ``formaction`` with the named form's fields (see
    :func:`parse_page`), as a browser submits it."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[Form] = []
        self.code = ""
        self._in_code = False
        self._button: tuple[str, str] | None = None
        self._button_form: Form | None = None
        self._open_form: Form | None = None
        self.form_ids: dict[str, Form] = {}
        self.detached: list[tuple[str, Form]] = []  # (owner form ID, the button's form)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if a.get("id") == "authorization-code":
            self._in_code = True
        if tag == "form":
            self._open_form = Form(a.get("action", ""))
            self.forms.append(self._open_form)
            if a.get("id"):
                self.form_ids[a["id"]] = self._open_form
        elif tag == "input" and self._open_form is not None and a.get("name"):
            self._open_form.fields[a["name"]] = a.get("value", "")
        elif tag == "button" and a.get("form"):
            self._button = (a.get("name", ""), a.get("value", ""))
            self._button_form = Form(a.get("formaction", ""))
            self.detached.append((a["form"], self._button_form))
        elif tag == "button" and self._open_form is not None:
            self._button = (a.get("name", ""), a.get("value", ""))
            self._button_form = self._open_form

    def handle_data(self, data: str) -> None:
        if self._in_code:
            self.code += data
        if self._button is not None and data.strip() and self._button_form is not None:
            self._button_form.buttons[data.strip()] = self._button[1]

    def handle_endtag(self, tag: str) -> None:
        if tag == "output":
            self._in_code = False
        if tag == "button":
            self._button = None
            self._button_form = None
        if tag == "form":
            self._open_form = None


def parse_page(html: str) -> PageParser:
    parser = PageParser()
    parser.feed(html)
    for owner_id, button_form in parser.detached:
        owner = parser.form_ids.get(owner_id)
        assert owner is not None, f"a button names form {owner_id!r}, which is not on the page"
        button_form.action = button_form.action or owner.action
        button_form.fields = dict(owner.fields)
        parser.forms.append(button_form)
    return parser


def form_with_button(html: str, label: str) -> Form:
    """The form holding the button labelled ``label``."""
    for form in parse_page(html).forms:
        if label in form.buttons:
            return form
    raise AssertionError(f"no form with a {label!r} button in:\n{html[:2000]}")


def pkce_pair() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    digest = hashlib.sha256(verifier.encode()).digest()
    return verifier, base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def register_app(
    client: TestClient,
    *,
    scopes: str = "read write follow push",
    redirect_uris: str | list[str] = REDIRECT_URI,
) -> dict[str, Any]:
    response = client.post(
        "/api/v1/apps",
        json={"client_name": "Test Client", "redirect_uris": redirect_uris, "scopes": scopes},
    )
    assert response.status_code == 200, response.text
    app: dict[str, Any] = response.json()
    return app


def sign_in(client: TestClient, email: str, password: str) -> httpx.Response:
    """Sign in through the web form (the client keeps the session cookie)."""
    page = client.get("/auth/sign_in")
    form = form_with_button(page.text, "Sign in")
    data = {**form.fields, "email": email, "password": password}
    return client.post("/auth/sign_in", data=data, follow_redirects=False)


def authorize_url(app: dict[str, Any], **params: str) -> str:
    query = {
        "response_type": "code",
        "client_id": app["client_id"],
        "redirect_uri": app["redirect_uris"][0],
        "scope": " ".join(app["scopes"]),
        **params,
    }
    return "/oauth/authorize?" + urlencode(query)


def consent_page(client: TestClient, app: dict[str, Any], **params: str) -> httpx.Response:
    """GET the authorize URL as a signed-in user; expects the consent page."""
    page = client.get(authorize_url(app, **params))
    assert page.status_code == 200, page.text
    assert "Authorize" in page.text
    return page


def decide(client: TestClient, page: httpx.Response, label: str = "Authorize") -> httpx.Response:
    """Press Authorize (or Deny) on a consent page, without following the redirect."""
    form = form_with_button(page.text, label)
    data = {**form.fields, "decision": form.buttons[label]}
    return client.post(form.action, data=data, follow_redirects=False)


def redirect_params(response: httpx.Response) -> dict[str, str]:
    assert response.status_code in (302, 303), response.text
    location = response.headers["location"]
    return {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}


def code_for(client: TestClient, app: dict[str, Any], **params: str) -> str:
    """Consent (the user must be signed in) and return the code sent to the redirect URI."""
    answer = decide(client, consent_page(client, app, **params))
    return redirect_params(answer)["code"]


def exchange(client: TestClient, app: dict[str, Any], code: str, **extra: str) -> httpx.Response:
    data = {
        "grant_type": "authorization_code",
        "code": code,
        "client_id": app["client_id"],
        "client_secret": app["client_secret"],
        "redirect_uri": app["redirect_uris"][0],
        **extra,
    }
    return client.post("/oauth/token", data=data)


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}
