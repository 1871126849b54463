"""The filters settings (``/settings/filters``) as plain forms: create, edit keywords (add,
remove, whole word), contexts, action and expiry, posts in a filter, delete with a
confirmation; refused forms keep what was typed (422); another person's filter is 404."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlencode

import httpx
import pytest
from starlette.testclient import TestClient

from staffroom import clock
from tests.conftest import User
from tests.oauth.helpers import form_with_button, sign_in


@pytest.fixture
def alice(client: TestClient, make_user: Callable[..., User]) -> User:
    user = make_user("alice")
    sign_in(client, user.email, user.password)
    return user


def _filters(client: TestClient, user: User) -> list[dict[str, Any]]:
    answer = client.get("/api/v2/filters", headers=user.headers)
    assert answer.status_code == 200
    found: list[dict[str, Any]] = answer.json()
    return found


class _Forms(HTMLParser):
    """Forms as a browser submits them: checked boxes and radios only, chosen options."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[tuple[str, list[tuple[str, str]], list[str]]] = []
        self._select: str | None = None
        self._button = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.forms.append((a.get("action", ""), [], []))
        elif not self.forms:
            return
        fields = self.forms[-1][1]
        if tag == "input" and a.get("name"):
            if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                return
            fields.append((a["name"], a.get("value", "")))
        elif tag == "select":
            self._select = a.get("name")
        elif tag == "option" and self._select and "selected" in a:
            fields.append((self._select, a.get("value", "")))
        elif tag == "button":
            self._button = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        if tag == "button":
            self._button = False

    def handle_data(self, data: str) -> None:
        if self._button and data.strip() and self.forms:
            self.forms[-1][2].append(data.strip())


def _submit(
    client: TestClient, page: str, button: str, drop: tuple[str, ...] = (), **data: Any
) -> httpx.Response:
    """Submit the form with ``button`` as a browser would (checked boxes, chosen options),
    without the fields named in ``drop`` and with ``data`` over them."""
    parser = _Forms()
    parser.feed(client.get(page).text)
    action, fields, _ = next(f for f in parser.forms if button in f[2])
    kept = [(k, v) for k, v in fields if k not in drop and k not in data]
    for key, value in data.items():
        kept += [(key, v) for v in value] if isinstance(value, list) else [(key, value)]
    body = urlencode(kept)
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    return client.post(action, content=body, headers=headers, follow_redirects=False)


NEW = {
    "title": "Ofsted",
    "kw-0-keyword": "inspection",
    "kw-0-whole_word": "1",
    "kw-1-keyword": "#ofsted",
    "context": ["home", "thread"],
    "action": "warn",
    "expires_in": "never",
}


def _create(client: TestClient, **data: Any) -> httpx.Response:
    fields = {**NEW, **data}
    drop = ("kw-0-whole_word", "kw-1-whole_word", "kw-2-whole_word", "context", "action")
    return _submit(client, "/settings/filters/new", "Create filter", drop, **fields)


def test_the_settings_list_filters_and_link_to_them(client: TestClient, alice: User) -> None:
    page = client.get("/settings/profile").text
    assert '<a href="/settings/filters">Filters</a>' in page
    empty = client.get("/settings/filters")
    assert empty.status_code == 200
    assert "You have no filters yet." in empty.text
    assert 'href="/settings/filters" aria-current="page"' in empty.text


def test_create_a_filter_with_keywords(client: TestClient, alice: User) -> None:
    answer = _create(client)

    assert answer.status_code == 303, answer.text
    assert answer.headers["location"] == "/settings/filters?saved=created"
    [made] = _filters(client, alice)
    assert made["title"] == "Ofsted"
    assert made["context"] == ["home", "thread"]
    assert made["filter_action"] == "warn"
    assert made["expires_at"] is None
    assert [(k["keyword"], k["whole_word"]) for k in made["keywords"]] == [
        ("inspection", True),
        ("#ofsted", False),
    ]
    listing = client.get(answer.headers["location"]).text
    assert "Your new filter is saved." in listing
    assert "Ofsted" in listing and "inspection" in listing and "(whole word)" in listing
    assert "Home timeline and lists" in listing and "Conversations and threads" in listing
    assert "Hide with a warning" in listing
    assert "Never expires" in listing


def test_edit_keywords_contexts_action_and_expiry(client: TestClient, alice: User) -> None:
    _create(client)
    [made] = _filters(client, alice)
    edit = f"/settings/filters/{made['id']}/edit"
    html = client.get(edit).text
    assert 'value="inspection"' in html and 'value="#ofsted"' in html
    # Row 0: whole word off; row 1 removed; a new keyword in the first blank row (row 2).
    answer = _submit(
        client,
        edit,
        "Save filter",
        ("kw-0-whole_word", "kw-1-whole_word", "kw-2-whole_word", "context", "action"),
        **{
            "kw-1-remove": "1",
            "kw-2-keyword": "mocksted",
            "kw-2-whole_word": "1",
            "context": ["public", "notifications", "account"],
            "action": "hide",
            "expires_in": "86400",
        },
    )
    assert answer.status_code == 303, answer.text
    [changed] = _filters(client, alice)
    assert sorted((k["keyword"], k["whole_word"]) for k in changed["keywords"]) == [
        ("inspection", False),
        ("mocksted", True),
    ]
    assert changed["context"] == ["public", "notifications", "account"]
    assert changed["filter_action"] == "hide"
    expires = datetime.fromisoformat(changed["expires_at"].replace("Z", "+00:00"))
    assert timedelta(hours=23) < expires - datetime.now(UTC) <= timedelta(days=1)
    listing = client.get("/settings/filters").text
    assert "Expires in 1 day" in listing or "Expires in 24 hours" in listing
    assert "Hide completely" in listing

    # Saving again without touching the expiry keeps it ("Keep as it is" is chosen).
    again = client.get(edit).text
    assert 'value="keep" selected' in again
    assert _submit(client, edit, "Save filter", title="Ofsted!").status_code == 303
    [kept] = _filters(client, alice)
    assert (kept["title"], kept["expires_at"]) == ("Ofsted!", changed["expires_at"])
    # ... and "Never" takes it away.
    _submit(client, edit, "Save filter", expires_in="never")
    assert _filters(client, alice)[0]["expires_at"] is None


def test_an_expired_filter_says_so(
    client: TestClient, alice: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    _create(client, expires_in="1800")
    assert "Expires in 30 minutes" in client.get("/settings/filters").text
    later = datetime.now(UTC) + timedelta(hours=1)
    monkeypatch.setattr(clock, "now", lambda: later)
    listing = client.get("/settings/filters").text
    assert "Expired" in listing and "Expires in" not in listing
    [made] = _filters(client, alice)
    assert "Keep as it is (expired)" in client.get(f"/settings/filters/{made['id']}/edit").text


def test_refused_forms_keep_what_was_typed(client: TestClient, alice: User) -> None:
    answer = _create(
        client,
        title="  ",
        context=[],
        **{"kw-0-keyword": "", "kw-1-keyword": "", "kw-2-keyword": "exam season"},
    )
    assert answer.status_code == 422
    assert "Give the filter a title." in answer.text
    assert "Choose at least one place where the filter applies." in answer.text
    assert 'value="exam season"' in answer.text  # what was typed is still there
    assert _filters(client, alice) == []

    none = _create(client, **{"kw-0-keyword": "", "kw-1-keyword": "  "})
    assert none.status_code == 422
    assert "Add at least one keyword" in none.text
    assert 'value="Ofsted"' in none.text
    assert _filters(client, alice) == []

    _create(client)
    [made] = _filters(client, alice)
    edit = f"/settings/filters/{made['id']}/edit"
    blank = _submit(client, edit, "Save filter", **{"kw-0-keyword": ""})
    assert blank.status_code == 422
    assert "A keyword cannot be empty" in blank.text
    everything = _submit(client, edit, "Save filter", **{"kw-0-remove": "1", "kw-1-remove": "1"})
    assert everything.status_code == 422
    assert "Add at least one keyword" in everything.text
    assert len(_filters(client, alice)[0]["keywords"]) == 2  # nothing was saved


def test_delete_asks_first(client: TestClient, alice: User) -> None:
    _create(client)
    [made] = _filters(client, alice)
    confirm = client.get(f"/settings/filters/{made['id']}/delete")
    assert confirm.status_code == 200
    assert "Delete the filter “Ofsted”" in confirm.text
    assert _filters(client, alice) != []  # the confirmation page deletes nothing
    answer = _submit(client, f"/settings/filters/{made['id']}/delete", "Delete this filter")
    assert answer.status_code == 303
    assert answer.headers["location"] == "/settings/filters?saved=deleted"
    assert _filters(client, alice) == []
    assert "The filter is deleted." in client.get(answer.headers["location"]).text


def test_another_persons_filter_is_not_found(
    client: TestClient, alice: User, make_user: Callable[..., User]
) -> None:
    _create(client)
    [made] = _filters(client, alice)
    form = form_with_button(client.get(f"/settings/filters/{made['id']}/edit").text, "Save filter")
    bob = make_user("bob")
    client.cookies.clear()
    sign_in(client, bob.email, bob.password)
    assert client.get(f"/settings/filters/{made['id']}/edit").status_code == 404
    assert client.get(f"/settings/filters/{made['id']}/delete").status_code == 404
    csrf = form_with_button(client.get("/settings/filters/new").text, "Create filter").fields
    token = {k: v for k, v in csrf.items() if k.startswith("csrf") or "token" in k}
    data = {**form.fields, **token}
    assert client.post(f"/settings/filters/{made['id']}", data=data).status_code == 404
    assert client.post(f"/settings/filters/{made['id']}/delete", data=token).status_code == 404
    assert [f["title"] for f in _filters(client, alice)] == ["Ofsted"]


def test_a_form_without_csrf_is_refused(client: TestClient, alice: User) -> None:
    answer = client.post("/settings/filters", data=NEW, follow_redirects=False)
    assert answer.status_code == 403
    assert _filters(client, alice) == []


def test_signed_out_visitors_are_sent_to_sign_in(client: TestClient) -> None:
    answer = client.get("/settings/filters", follow_redirects=False)
    assert answer.headers["location"] == "/auth/sign_in?next=/settings/filters"


def test_the_pages_speak_spanish(client: TestClient, alice: User) -> None:
    _create(client, expires_in="604800")
    spanish = {"Accept-Language": "es"}
    listing = client.get("/settings/filters", headers=spanish).text
    assert "Filtros" in listing
    assert "Caduca dentro de 7 días" in listing or "Caduca dentro de 1 semana" in listing
    [made] = _filters(client, alice)
    form = client.get(f"/settings/filters/{made['id']}/edit", headers=spanish).text
    assert "Palabra completa" in form
    assert "Ocultar con un aviso" in form
