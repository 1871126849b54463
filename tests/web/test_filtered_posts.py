"""The web app applies the reader's filters as Mastodon's web app does, per page context:
warn collapses a post behind "Filtered: <title>" (a ``details`` that opens without
JavaScript), hide leaves it out, blur hides its images behind a warning; another reader of
the same kept article sees it untouched."""

from __future__ import annotations

from collections.abc import Callable

from starlette.testclient import TestClient

from tests.conftest import User
from tests.oauth.helpers import sign_in


def _post(client: TestClient, user: User, text: str) -> str:
    answer = client.post("/api/v1/statuses", json={"status": text}, headers=user.headers)
    assert answer.status_code == 200, answer.text
    return str(answer.json()["id"])


def _filter(client: TestClient, user: User, title: str, action: str, word: str, *ctx: str) -> None:
    made = client.post(
        "/api/v2/filters",
        json={
            "title": title,
            "context": list(ctx),
            "filter_action": action,
            "keywords_attributes": [{"keyword": word}],
        },
        headers=user.headers,
    )
    assert made.status_code == 200, made.text


def _page(client: TestClient, user: User, path: str) -> str:
    client.cookies.clear()
    sign_in(client, user.email, user.password)
    page = client.get(path)
    assert page.status_code == 200
    return page.text


def test_warn_hide_and_blur_per_context(client: TestClient, make_user: Callable[..., User]) -> None:
    alice, bob, carol = make_user("alice"), make_user("bob"), make_user("carol")
    for reader in (bob, carol):
        client.post(f"/api/v1/accounts/{alice.id}/follow", headers=reader.headers)
    _filter(client, bob, "Ofsted", "warn", "inspection", "home", "thread")
    _filter(client, bob, "Gossip", "hide", "rumour", "home")
    _filter(client, bob, "Pictures", "blur", "photo", "home")
    warned = _post(client, alice, "The inspection is on Monday")
    hidden = _post(client, alice, "A rumour about the head")
    blurred = _post(client, alice, "A photo of the garden")
    plain = _post(client, alice, "Nothing special")

    home = _page(client, bob, "/")
    assert f'id="status-{plain}"' in home or plain in home
    assert '<details class="filtered-post"><summary><span>Filtered: Ofsted</span>' in home
    assert "Show anyway" in home
    assert warned in home  # inside the details, there to open
    assert hidden not in home
    assert (
        '<details class="filtered-media"><summary><span>Images hidden by a filter: Pictures' in home
    )
    assert blurred in home

    # The thread context warns too; hide and blur were for home only.
    thread = _page(client, bob, f"/@alice/{warned}")
    assert "Filtered: Ofsted" in thread
    other = _page(client, bob, f"/@alice/{hidden}")
    assert "filtered-post" not in other and hidden in other
    # The profile (account context) is untouched by filters of other contexts.
    profile = _page(client, bob, "/@alice")
    assert "filtered-post" not in profile and "filtered-media" not in profile
    assert hidden in profile

    # Carol reads the same kept articles without Bob's filters.
    theirs = _page(client, carol, "/")
    assert "filtered-post" not in theirs and "filtered-media" not in theirs
    assert hidden in theirs and warned in theirs
