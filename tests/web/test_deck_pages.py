"""The deck: columns chosen, ordered and removed with plain forms; each kind renders."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

import pytest
from starlette.testclient import TestClient

from staffroom.services import deck
from staffroom.web import deck_columns
from staffroom.web.deck_columns import ColumnKind, ColumnPage
from tests.conftest import User
from tests.oauth.helpers import form_with_button, sign_in

MakeUser = Callable[..., User]


@pytest.fixture
def alice(client: TestClient, make_user: MakeUser) -> User:
    user = make_user("alice")
    sign_in(client, user.email, user.password)
    return user


def headings(html: str) -> list[str]:
    return re.findall(r'<h2 id="column-\d+-title">([^<]*)</h2>', html)


def columns(html: str) -> dict[str, str]:
    """Each column's HTML by its key."""
    found = re.finditer(
        r'data-key="([^"]+)"(.*?)'
        r'(?=<section class="deck-column"|<section class="deck-add"|<dialog)',
        html,
        re.S,
    )
    return {m.group(1): m.group(2) for m in found}


def add(client: TestClient, kind: str, arg: str = "") -> object:
    form = form_with_button(client.get("/deck").text, "Add column")
    return client.post(
        "/deck/columns", data={**form.fields, "kind": kind, "arg": arg}, follow_redirects=False
    )


def change(client: TestClient, action: str, key: str) -> object:
    page = client.get("/deck").text
    token = re.search(r'name="authenticity_token" value="([^"]+)"', page)
    assert token
    return client.post(
        f"/deck/columns/{action}",
        data={"authenticity_token": token.group(1), "key": key},
        follow_redirects=False,
    )


def test_signed_out_the_deck_asks_to_sign_in(client: TestClient) -> None:
    answer = client.get("/deck", follow_redirects=False)
    assert answer.status_code == 303
    assert answer.headers["location"].startswith("/auth/sign_in")


def test_a_new_person_gets_home_notifications_and_mentions(client: TestClient, alice: User) -> None:
    page = client.get("/deck")
    assert page.status_code == 200
    assert headings(page.text) == ["Home", "Notifications", "Mentions"]
    assert 'aria-current="page"' in page.text


def test_add_remove_and_move_as_plain_forms_persist_across_sessions(
    client: TestClient, alice: User, make_user: MakeUser
) -> None:
    make_user("bob")
    assert add(client, "hashtag", "#EdChat").status_code == 303  # type: ignore[attr-defined]
    assert add(client, "person", "@Bob").status_code == 303  # type: ignore[attr-defined]
    assert add(client, "search", "phonics").status_code == 303  # type: ignore[attr-defined]
    assert headings(client.get("/deck").text) == [
        "Home",
        "Notifications",
        "Mentions",
        "Hashtag #EdChat",
        "Posts by @bob",
        "Search: phonics",
    ]
    assert change(client, "remove", "notifications").status_code == 303  # type: ignore[attr-defined]
    change(client, "left", "hashtag:EdChat")
    change(client, "right", "home")
    change(client, "left", "home")
    change(client, "left", "home")
    change(client, "left", "home")  # already first: stays
    expected = ["Home", "Hashtag #EdChat", "Mentions", "Posts by @bob", "Search: phonics"]
    assert headings(client.get("/deck").text) == expected

    other = TestClient(client.app, base_url="http://testserver")
    sign_in(other, alice.email, alice.password)
    assert headings(other.get("/deck").text) == expected


@pytest.mark.parametrize(
    ("kind", "arg", "message"),
    [
        ("nonsense", "", "Choose a kind of column from the list."),
        ("hashtag", "", "This kind of column needs something to show"),
        ("hashtag", "not a tag!", "A hashtag is letters, digits and underscores"),
        ("person", "@nobody_here", "There is nobody with that username here."),
        ("search", "x" * 201, "That is too long for a column"),
        ("home", "", "This column is already on your deck."),
    ],
)
def test_invalid_columns_get_a_422_with_the_reason(
    client: TestClient, alice: User, kind: str, arg: str, message: str
) -> None:
    answer = add(client, kind, arg)
    assert answer.status_code == 422  # type: ignore[attr-defined]
    assert message in answer.text  # type: ignore[attr-defined]
    assert headings(client.get("/deck").text) == ["Home", "Notifications", "Mentions"]


def test_at_most_ten_columns(client: TestClient, alice: User) -> None:
    for n in range(deck.MAX_COLUMNS - 3):
        assert add(client, "hashtag", f"tag{n}").status_code == 303  # type: ignore[attr-defined]
    page = client.get("/deck").text
    assert len(headings(page)) == deck.MAX_COLUMNS
    assert "Add column" not in page
    token = re.search(r'name="authenticity_token" value="([^"]+)"', page)
    assert token
    answer = client.post(
        "/deck/columns",
        data={"authenticity_token": token.group(1), "kind": "hashtag", "arg": "one_more"},
    )
    assert answer.status_code == 422
    assert "Your deck is full" in answer.text


def test_forms_without_csrf_are_refused(client: TestClient, alice: User) -> None:
    assert client.post("/deck/columns", data={"kind": "hashtag", "arg": "x"}).status_code == 403
    assert client.post("/deck/columns/remove", data={"key": "home"}).status_code == 403
    assert headings(client.get("/deck").text) == ["Home", "Notifications", "Mentions"]


def test_each_kind_shows_what_the_viewer_may_see(
    client: TestClient, alice: User, make_user: MakeUser
) -> None:
    bob = make_user("bob")
    carol = make_user("carol")
    client.post(f"/api/v1/accounts/{bob.id}/follow", headers=alice.headers)
    client.post(
        "/api/v1/statuses", headers=bob.headers, json={"status": "Hi @alice <b>#EdChat</b>"}
    )
    client.post(
        "/api/v1/statuses",
        headers=carol.headers,
        json={"status": "carol secret #EdChat phonics", "visibility": "private"},
    )
    client.post("/api/v1/statuses", headers=carol.headers, json={"status": "carol phonics"})
    for kind, arg in (("hashtag", "edchat"), ("person", "carol"), ("search", "phonics")):
        add(client, kind, arg)
    page = client.get("/deck").text
    sections = columns(page)
    assert "&lt;b&gt;" in sections["home"]
    assert "<b>#EdChat" not in page
    assert "mentioned you" in sections["mentions"]
    assert "mentioned you" in sections["notifications"]
    assert "@bob" in sections["hashtag:edchat"]
    assert "carol phonics" in sections["person:carol"]
    assert "carol phonics" in sections["search:phonics"]
    assert "secret" not in page


def test_a_column_page_for_older_posts_without_javascript(client: TestClient, alice: User) -> None:
    for n in range(deck_columns.PAGE_SIZE + 2):
        client.post("/api/v1/statuses", headers=alice.headers, json={"status": f"note {n} #many"})
    add(client, "hashtag", "many")
    page = client.get("/deck").text
    older = re.search(r'href="(/deck/column\?key=hashtag%3Amany&amp;max_id=\d+)"', page)
    assert older
    rest = client.get(older.group(1).replace("&amp;", "&"))
    assert rest.status_code == 200
    shown = columns(rest.text)["hashtag:many"]
    assert "note 0 " in shown and "note 1 " in shown
    assert "note 21 " not in shown and "note 2 " not in shown


@pytest.fixture
def shouting() -> Iterator[None]:
    def load(*args: object) -> ColumnPage:
        return ColumnPage()

    deck_columns.register(
        ColumnKind("shouting", "Shouting", load, lambda arg: {"stream": "public"})
    )
    yield
    deck_columns.unregister("shouting")


def test_registering_a_kind_is_all_it_takes(
    client: TestClient, alice: User, shouting: None
) -> None:
    assert '<option value="shouting">Shouting</option>' in client.get("/deck").text
    assert add(client, "shouting").status_code == 303  # type: ignore[attr-defined]
    page = client.get("/deck").text
    assert headings(page)[-1] == "Shouting"
    assert """data-live='{"match": {}, "stream": {"stream": "public"}}'""" in page


def test_the_registry_is_the_only_list_of_kinds(client: TestClient, alice: User) -> None:
    options = re.findall(r'<option value="([^"]+)"', client.get("/deck").text)
    assert options == list(deck_columns.KINDS)
