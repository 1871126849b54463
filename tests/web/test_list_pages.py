"""Lists and followed hashtags on the web, without JavaScript: make a list, add anyone and
hashtags, read it, make it exclusive, rename, remove, delete; a list is nobody else's;
follow and unfollow hashtags from the settings and the hashtag's page; lists and followed
hashtags as deck columns."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from starlette.testclient import TestClient

from tests.conftest import User
from tests.lists.helpers import follow, post
from tests.oauth.helpers import Form, form_with_button, parse_page, sign_in


@pytest.fixture
def alice(client: TestClient, make_user: Callable[..., User]) -> User:
    user = make_user("alice")
    sign_in(client, user.email, user.password)
    return user


def _form(html: str, action: str) -> Form:
    for form in parse_page(html).forms:
        if form.action == action:
            return form
    raise AssertionError(f"no form posting to {action}")


def _submit(client: TestClient, form: Form, **fields: str) -> str:
    answer = client.post(form.action, data={**form.fields, **fields}, follow_redirects=False)
    assert answer.status_code == 303, answer.text
    return str(answer.headers["location"])


def test_a_list_from_making_to_deleting(
    client: TestClient, alice: User, make_user: Callable[..., User]
) -> None:
    bob, carol, stranger = make_user("bob"), make_user("carol"), make_user("stranger")
    follow(client, alice, bob)
    follow(client, alice, carol)
    page = client.get("/lists")
    assert 'href="/lists" aria-current="page"' in page.text
    assert "You have no lists yet." in page.text
    edit = _submit(
        client, form_with_button(page.text, "Make the list"), title="Speakers", exclusive="1"
    )
    list_id = edit.split("/")[2]
    assert edit == f"/lists/{list_id}/edit"
    page = client.get(edit)
    _submit(client, form_with_button(page.text, "Add person"), username="@bob")
    page = client.get(edit)
    _submit(client, form_with_button(page.text, "Add hashtag"), name="#ELTChat")
    page = client.get(edit)
    assert "@bob" in page.text and "#ELTChat" in page.text
    unknown = client.post(
        f"/web/lists/{list_id}/members/add",
        data={**form_with_button(page.text, "Add person").fields, "username": "nobody"},
    )
    assert unknown.status_code == 422 and "There is nobody with that username here." in unknown.text

    by_bob = post(client, bob, "Slides for my talk")
    by_carol = post(client, carol, "Coffee first")
    by_stranger = post(client, stranger, "Loved #ELTChat tonight")
    shown = client.get(f"/lists/{list_id}").text
    assert "Slides for my talk" in shown and "Loved" in shown
    assert "Coffee first" not in shown
    home = client.get("/").text
    assert "Coffee first" in home and "Slides for my talk" not in home  # exclusive
    assert by_bob and by_carol and by_stranger

    page = client.get(edit)
    _submit(
        client,
        form_with_button(page.text, "Save"),
        title="ELT speakers",
        replies_policy="none",
        exclusive="",  # the box unticked: a browser leaves the field out
    )
    page = client.get(edit)
    assert "Edit ELT speakers" in page.text
    assert '<option value="none" selected>' in page.text
    assert "Slides for my talk" in client.get("/").text  # no longer exclusive (box unticked)

    _submit(client, _form(page.text, f"/web/lists/{list_id}/members/remove"))
    _submit(client, _form(client.get(edit).text, f"/web/lists/{list_id}/tags/remove"))
    page = client.get(edit)
    assert "Nobody is in this list yet." in page.text
    assert "No hashtags in this list yet." in page.text
    assert "No posts in this list yet." in client.get(f"/lists/{list_id}").text

    assert _submit(client, form_with_button(page.text, "Delete this list")) == "/lists"
    assert "You have no lists yet." in client.get("/lists").text
    assert client.get(f"/lists/{list_id}").status_code == 404


def test_nobody_else_sees_or_changes_a_list(
    client: TestClient, make_user: Callable[..., User]
) -> None:
    alice, mallory = make_user("alice"), make_user("mallory")
    made = client.post("/api/v1/lists", json={"title": "Private"}, headers=alice.headers)
    list_id = made.json()["id"]
    sign_in(client, mallory.email, mallory.password)
    for path in (f"/lists/{list_id}", f"/lists/{list_id}/edit"):
        answer = client.get(path)
        assert answer.status_code == 404 and "Private" not in answer.text
    fields = form_with_button(client.get("/lists").text, "Make the list").fields
    fields.pop("title", None)
    for path in (f"/web/lists/{list_id}/delete", f"/web/lists/{list_id}"):
        assert client.post(path, data={**fields, "title": "Mine"}).status_code == 404
    assert (
        client.get(f"/api/v1/lists/{list_id}", headers=alice.headers).json()["title"] == "Private"
    )


def test_followed_hashtags_and_deck_columns(
    client: TestClient, alice: User, make_user: Callable[..., User]
) -> None:
    stranger = make_user("stranger")
    page = client.get("/settings/tags")
    assert "You follow no hashtags yet." in page.text
    _submit(client, form_with_button(page.text, "Follow hashtag"), name="#EdChat")
    page = client.get("/settings/tags")
    assert 'href="/tags/EdChat"' in page.text
    post(client, stranger, "Tonight: #EdChat on feedback")
    assert "on feedback" in client.get("/").text
    tag_page = client.get("/tags/EdChat").text
    back = _submit(client, form_with_button(tag_page, "Unfollow hashtag"))
    assert back == "/tags/EdChat"
    assert "on feedback" not in client.get("/").text
    tag_page = client.get("/tags/EdChat").text
    _submit(client, form_with_button(tag_page, "Follow hashtag"))
    assert "You follow no hashtags yet." not in client.get("/settings/tags").text
    bad = client.post(
        "/web/tags/follow",
        data={**form_with_button(page.text, "Follow hashtag").fields, "name": "not a tag"},
    )
    assert bad.status_code == 422

    _submit(client, form_with_button(client.get("/settings/tags").text, "Add to the deck"))
    made = client.post("/api/v1/lists", json={"title": "Speakers"}, headers=alice.headers)
    list_id = made.json()["id"]
    _submit(client, form_with_button(client.get(f"/lists/{list_id}").text, "Add to the deck"))
    deck = client.get("/deck").text
    assert "Hashtag #EdChat" in deck and "List: Speakers" in deck
    add = form_with_button(deck, "Add column")
    again = client.post(add.action, data={**add.fields, "kind": "list", "arg": "speakers"})
    assert again.status_code == 422 and "already on your deck" in again.text
    missing = client.post(add.action, data={**add.fields, "kind": "list", "arg": "nope"})
    assert missing.status_code == 422 and "You have no list with that name." in missing.text
