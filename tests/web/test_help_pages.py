"""Help pages: a topic index and one page per topic, signed in or out, in either language."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from starlette.testclient import TestClient

from staffroom.web.help_pages import TOPICS
from tests.conftest import BASE_URL, User
from tests.oauth.helpers import sign_in


def test_the_index_links_every_topic(client: TestClient) -> None:
    page = client.get("/help")
    assert page.status_code == 200
    assert "<h1>Help</h1>" in page.text
    for slug, title in TOPICS:
        assert f'href="/help/{slug}"' in page.text
        assert title in page.text


@pytest.mark.parametrize("slug", [slug for slug, _ in TOPICS])
def test_every_topic_renders_signed_out_with_one_heading(client: TestClient, slug: str) -> None:
    page = client.get(f"/help/{slug}")
    assert page.status_code == 200
    assert page.text.count("<h1>") == 1
    assert f"<h1>{dict(TOPICS)[slug]}</h1>" in page.text
    assert 'aria-current="page"' in page.text  # Help is the current main-nav item


def test_a_topic_signed_in(client: TestClient, make_user: Callable[..., User]) -> None:
    alice = make_user("alice")
    sign_in(client, alice.email, alice.password)
    page = client.get("/help/visibility")
    assert page.status_code == 200
    assert "Signed in as" in page.text
    assert "Mentioned people only" in page.text


def test_the_apps_page_gives_this_servers_address(client: TestClient) -> None:
    page = client.get("/help/mastodon-apps").text
    assert f"toot login_cli --instance {BASE_URL}" in page
    assert f'api_base_url="{BASE_URL}"' in page


def test_the_deck_page_lists_the_shortcuts(client: TestClient) -> None:
    page = client.get("/help/deck").text
    for key in "jknrfb?":
        assert f"<kbd>{key}</kbd>" in page


def test_an_unknown_topic_is_not_found(client: TestClient) -> None:
    assert client.get("/help/nonsense").status_code == 404
    assert client.get("/help/topic").status_code == 404  # the layout is not a topic


@pytest.mark.parametrize("path", ["/help", "/help/chats"])
def test_help_in_spanish(client: TestClient, path: str) -> None:
    page = client.get(path, headers={"Accept-Language": "es"})
    assert page.status_code == 200
    assert '<html lang="es">' in page.text
