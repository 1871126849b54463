""" "Filter this post" from a post's page, and the reader's filters on the pages that mix or
name their own contexts: deck columns (home, notifications, hashtag and search as public,
a person as account), search results and saved posts (public, as Mastodon's web maps
them), conversations (thread); keywords match image descriptions too."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from starlette.testclient import TestClient

from staffroom.web.deck_columns import KINDS
from tests.conftest import User
from tests.media import images
from tests.oauth.helpers import form_with_button, sign_in

MakeUser = Callable[..., User]


def _post(client: TestClient, user: User, text: str, **extra: Any) -> str:
    answer = client.post("/api/v1/statuses", json={"status": text, **extra}, headers=user.headers)
    assert answer.status_code == 200, answer.text
    return str(answer.json()["id"])


def _filter(client: TestClient, user: User, title: str, word: str, *ctx: str, **extra: Any) -> str:
    made = client.post(
        "/api/v2/filters",
        json={
            "title": title,
            "context": list(ctx),
            "keywords_attributes": [{"keyword": word}],
            **extra,
        },
        headers=user.headers,
    )
    assert made.status_code == 200, made.text
    return str(made.json()["id"])


def _as(client: TestClient, user: User) -> None:
    client.cookies.clear()
    sign_in(client, user.email, user.password)


def _warned(html: str, title: str) -> bool:
    return f"<span>Filtered: {title}</span>" in html


def test_filter_this_post_into_a_new_filter(client: TestClient, make_user: MakeUser) -> None:
    alice, bob = make_user("alice"), make_user("bob")
    post = _post(client, alice, "My thoughts on the new curriculum")
    _as(client, alice)
    own = client.get(f"/@alice/{post}").text
    assert "Filter this post" not in own  # not offered on one's own post

    _as(client, bob)
    page = client.get(f"/@alice/{post}").text
    assert "Filter this post" in page and not _warned(page, "Curriculum")
    form = form_with_button(page, "Filter this post")
    answer = client.post(
        form.action,
        data={**form.fields, "filter": "new", "title": "Curriculum"},
        follow_redirects=False,
    )
    assert answer.status_code == 303
    assert answer.headers["location"] == f"/@alice/{post}?filtered=1"
    after = client.get(answer.headers["location"]).text
    assert _warned(after, "Curriculum")  # a new filter warns everywhere, the thread too
    assert "The post is in your filter now." in after
    [made] = client.get("/api/v2/filters", headers=bob.headers).json()
    assert made["title"] == "Curriculum" and made["filter_action"] == "warn"
    assert sorted(made["context"]) == ["account", "home", "notifications", "public", "thread"]
    assert [s["status_id"] for s in made["statuses"]] == [post]
    # The settings list the post, with a control to take it out again.
    edit = client.get(f"/settings/filters/{made['id']}/edit").text
    assert f'data-post-id="{post}"' in edit
    remove = form_with_button(edit, "Remove from this filter")
    assert client.post(remove.action, data=remove.fields).status_code == 200
    assert client.get("/api/v2/filters", headers=bob.headers).json()[0]["statuses"] == []


def test_filter_this_post_into_an_existing_filter(client: TestClient, make_user: MakeUser) -> None:
    alice, bob = make_user("alice"), make_user("bob")
    post = _post(client, alice, "Another staff meeting")
    hidden = _filter(client, bob, "Meetings", "agenda", "thread", filter_action="hide")
    _as(client, bob)
    form = form_with_button(client.get(f"/@alice/{post}").text, "Filter this post")
    answer = client.post(form.action, data={**form.fields, "filter": hidden, "title": ""})
    assert answer.status_code == 200  # followed to the post's page
    assert f'data-post-id="{post}"' not in answer.text  # hide: the post is gone from its page
    again = client.post(form.action, data={**form.fields, "filter": hidden})
    assert again.status_code == 422
    assert "This post is already in that filter." in again.text
    untitled = client.post(form.action, data={**form.fields, "filter": "new", "title": " "})
    assert untitled.status_code == 422
    assert "Give the new filter a title." in untitled.text
    assert len(client.get("/api/v2/filters", headers=bob.headers).json()) == 1


def test_filter_this_post_refuses_what_the_reader_cannot_use(
    client: TestClient, make_user: MakeUser
) -> None:
    alice, bob, carol = make_user("alice"), make_user("bob"), make_user("carol")
    secret = _post(client, alice, "Followers only", visibility="private")
    public = _post(client, alice, "Public")
    carols = _filter(client, carol, "Carol's", "x", "home")
    _as(client, bob)
    form = form_with_button(client.get(f"/@alice/{public}").text, "Filter this post")
    assert client.get(f"/@alice/{secret}/filter").status_code == 404
    blocked = client.post(f"/web/statuses/{secret}/filter", data={**form.fields, "title": "Peek"})
    assert blocked.status_code == 404
    theirs = client.post(form.action, data={**form.fields, "filter": carols})
    assert theirs.status_code == 404
    assert client.get("/api/v2/filters", headers=bob.headers).json() == []
    assert client.get("/api/v2/filters", headers=carol.headers).json()[0]["statuses"] == []


def _column(html: str, key: str) -> str:
    start = html.index(f'data-key="{key}"')
    end = html.find('<section class="deck-column"', start)
    return html[start : end if end != -1 else len(html)]


def test_deck_columns_use_their_own_contexts(client: TestClient, make_user: MakeUser) -> None:
    assert {k: v.filter_context for k, v in KINDS.items()} == {
        "home": "home",
        "notifications": "notifications",
        "mentions": "notifications",
        "hashtag": "public",
        "search": "public",
        "list": "home",
        "person": "account",
        "chat": "public",  # an event's room, as a hashtag
    }
    alice, bob = make_user("alice"), make_user("bob")
    client.post(f"/api/v1/accounts/{alice.id}/follow", headers=bob.headers)
    post = _post(client, alice, "#maths test results are in")
    _filter(client, bob, "Tests", "test", "public")
    _as(client, bob)
    form = form_with_button(client.get("/deck").text, "Add column")
    for kind, arg in (("home", ""), ("hashtag", "maths"), ("person", "alice")):
        client.post("/deck/columns", data={**form.fields, "kind": kind, "arg": arg})
    deck = client.get("/deck").text
    assert _warned(_column(deck, "hashtag:maths"), "Tests")
    assert not _warned(_column(deck, "home"), "Tests")
    assert post in _column(deck, "home")
    assert not _warned(_column(deck, "person:alice"), "Tests")
    # A column's live fragment applies the same context.
    live = client.get("/web/fragments/column", params={"key": "hashtag:maths"}).text
    assert _warned(live, "Tests")
    assert not _warned(client.get("/web/fragments/column", params={"key": "home"}).text, "Tests")


def test_home_fragment_and_notification_columns(client: TestClient, make_user: MakeUser) -> None:
    alice, bob = make_user("alice"), make_user("bob")
    client.post(f"/api/v1/accounts/{alice.id}/follow", headers=bob.headers)
    post = _post(client, alice, "@bob the inspection starts Monday")
    _filter(client, bob, "Ofsted", "inspection", "home")
    _filter(client, bob, "Gone", "monday", "notifications", filter_action="hide")
    _as(client, bob)
    fragment = client.get("/web/fragments/statuses", params={"ids": post, "here": "/"}).text
    assert _warned(fragment, "Ofsted")
    form = form_with_button(client.get("/deck").text, "Add column")
    client.post("/deck/columns", data={**form.fields, "kind": "mentions", "arg": ""})
    mentions = _column(client.get("/deck").text, "mentions")
    # Hidden in notifications: the mention goes with its post.
    assert "mentioned you" not in mentions and post not in mentions
    assert "mentioned you" not in client.get("/notifications").text


def test_search_saved_and_conversations(client: TestClient, make_user: MakeUser) -> None:
    alice, bob = make_user("alice"), make_user("bob")
    post = _post(client, alice, "Marking season again")
    direct = _post(client, alice, "@bob marking tonight?", visibility="direct")
    _filter(client, bob, "Marking", "marking", "public", "thread")
    client.post(f"/api/v1/statuses/{post}/bookmark", headers=bob.headers)
    client.post(f"/api/v1/statuses/{post}/favourite", headers=bob.headers)
    _as(client, bob)
    found = client.get("/search", params={"q": "marking", "type": "statuses"}).text
    assert post in found and _warned(found, "Marking")
    for page in ("/bookmarks", "/favourites"):
        assert _warned(client.get(page).text, "Marking"), page
    conversations = client.get("/conversations").text
    assert direct in conversations and _warned(conversations, "Marking")


def test_a_keyword_matches_an_image_description(client: TestClient, make_user: MakeUser) -> None:
    alice, bob = make_user("alice"), make_user("bob")
    client.post(f"/api/v1/accounts/{alice.id}/follow", headers=bob.headers)
    photo = client.post(
        "/api/v1/media",
        files={"file": ("spider.png", images.png(), "image/png")},
        data={"description": "A huge spider on the whiteboard"},
        headers=alice.headers,
    ).json()
    post = _post(client, alice, "Look what we found this morning", media_ids=[photo["id"]])
    _filter(client, bob, "Spiders", "spider", "home")
    _as(client, bob)
    home = client.get("/").text
    assert _warned(home, "Spiders")
    assert re.search(rf'<details class="filtered-post">.*?data-post-id="{post}"', home, re.S)


def test_a_list_page_applies_home_filters(client: TestClient, make_user: MakeUser) -> None:
    alice, bob = make_user("alice"), make_user("bob")
    made = client.post("/api/v1/lists", json={"title": "Maths"}, headers=bob.headers)
    list_id = made.json()["id"]
    client.post(
        f"/api/v1/lists/{list_id}/accounts",
        json={"account_ids": [str(alice.id)]},
        headers=bob.headers,
    )
    post = _post(client, alice, "Mock exam results tomorrow")
    _filter(client, bob, "Exams", "exam", "home")
    _as(client, bob)
    page = client.get(f"/lists/{list_id}").text
    assert post in page and _warned(page, "Exams")
