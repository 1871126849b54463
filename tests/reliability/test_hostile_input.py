"""Hostile and malformed input answers 4xx with a message, on every engine, never 500.

Each case is one of issue 10's reproducers, sent through the ASGI app on the engine the run
uses (SQLite, or PostgreSQL when ``STAFFROOM_TEST_DATABASE_URL`` is set).
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from starlette.testclient import TestClient

from staffroom.config import Settings
from tests.conftest import User

TOO_BIG = "9223372036854775808"  # 2^63: one past the 64-bit columns
HUGE = "9999999999999999999"
SUPERSCRIPT_TWO = "%C2%B2"  # "²": str.isdigit() says yes, int() says no


@pytest.fixture
def alice(make_user: Callable[..., User]) -> User:
    return make_user("alice")


@pytest.mark.parametrize(
    "path",
    [
        f"/api/v1/statuses/{SUPERSCRIPT_TWO}",
        f"/api/v1/statuses/{HUGE}",
        f"/api/v1/statuses/{TOO_BIG}/context",
        f"/api/v1/notifications/{SUPERSCRIPT_TWO}",
        f"/api/v1/notifications/{HUGE}",
        f"/api/v1/accounts/{SUPERSCRIPT_TWO}",
        f"/api/v1/accounts/{HUGE}/statuses",
    ],
)
def test_bad_identifiers_in_the_path_are_not_found(
    client: TestClient, alice: User, path: str
) -> None:
    response = client.get(path, headers=alice.headers)
    assert response.status_code == 404, response.text
    assert response.json()["error"]


@pytest.mark.parametrize("raw", ["²", HUGE, TOO_BIG, "-1", "1e3"])
def test_bad_reply_target_is_not_found(client: TestClient, alice: User, raw: str) -> None:
    response = client.post(
        "/api/v1/statuses", headers=alice.headers, json={"status": "hi", "in_reply_to_id": raw}
    )
    assert response.status_code == 404, response.text


@pytest.mark.parametrize("raw", [SUPERSCRIPT_TWO, HUGE])
def test_bad_ids_to_delete_or_dismiss_are_not_found(
    client: TestClient, alice: User, raw: str
) -> None:
    featured = client.delete(f"/api/v1/featured_tags/{raw}", headers=alice.headers)
    dismissed = client.post(f"/api/v1/notifications/{raw}/dismiss", headers=alice.headers)
    legacy = client.post("/api/v1/notifications/dismiss", headers=alice.headers, data={"id": HUGE})
    assert featured.status_code == 404, featured.text
    assert dismissed.status_code == 404, dismissed.text
    assert legacy.status_code == 404, legacy.text


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/timelines/home",
        "/api/v1/timelines/public",
        "/api/v1/timelines/tag/eltchat",
        "/api/v1/notifications",
        "/api/v1/favourites",
        "/api/v1/bookmarks",
        "/api/v1/blocks",
        "/api/v1/mutes",
        "/api/v1/accounts/{me}/statuses",
        "/api/v1/accounts/{me}/followers",
        "/api/v1/accounts/{me}/following",
    ],
)
@pytest.mark.parametrize("cursor", ["max_id", "since_id", "min_id"])
def test_cursors_past_64_bits_are_ignored_like_any_unreadable_cursor(
    client: TestClient, alice: User, path: str, cursor: str
) -> None:
    url = path.format(me=alice.id)
    response = client.get(url, headers=alice.headers, params={cursor: TOO_BIG})
    assert response.status_code == 200, response.text


@pytest.mark.parametrize("path", ["/api/v2/search", "/api/v1/accounts/search"])
def test_search_offsets_past_64_bits_are_refused(
    client: TestClient, alice: User, path: str
) -> None:
    response = client.get(path, headers=alice.headers, params={"q": "a", "offset": TOO_BIG})
    unicode = client.get(path, headers=alice.headers, params={"q": "a", "offset": "²"})
    assert response.status_code == 422, response.text
    assert "offset" in response.json()["error"]
    assert unicode.status_code == 422, unicode.text


@pytest.mark.parametrize("path", ["/api/v2/search", "/api/v1/accounts/search"])
def test_a_search_term_of_fifty_thousand_characters_is_refused(
    client: TestClient, alice: User, path: str
) -> None:
    response = client.get(path, headers=alice.headers, params={"q": "a_" * 25_000})
    assert response.status_code == 422, response.text
    assert "too long" in response.json()["error"]


NUL_CASES = [
    ("POST", "/api/v1/statuses", {"status": "a\x00b"}),
    ("POST", "/api/v1/statuses", {"status": "ok", "spoiler_text": "a\x00"}),
    ("PATCH", "/api/v1/accounts/update_credentials", {"display_name": "a\x00"}),
    ("PATCH", "/api/v1/accounts/update_credentials", {"note": "a\x00"}),
    ("GET", "/api/v2/search?q=a%00b", None),
    ("GET", "/api/v1/accounts/search?q=a%00b", None),
    ("GET", "/api/v1/accounts/lookup?acct=a%00b", None),
    ("GET", "/api/v1/timelines/tag/a%00b", None),
]


@pytest.mark.parametrize(("method", "path", "body"), NUL_CASES)
def test_a_nul_character_is_refused_with_422(
    client: TestClient, alice: User, method: str, path: str, body: dict[str, str] | None
) -> None:
    response = client.request(method, path, headers=alice.headers, json=body)
    assert response.status_code == 422, response.text
    assert "NUL" in response.json()["error"]


def test_a_nul_character_is_refused_without_a_token(client: TestClient) -> None:
    oob = "urn:ietf:wg:oauth:2.0:oob"
    app = client.post("/api/v1/apps", data={"client_name": "a\x00", "redirect_uris": oob})
    assert app.status_code == 422, app.text
    good = client.post(
        "/api/v1/apps", data={"client_name": "ok", "redirect_uris": oob, "scopes": "read write"}
    ).json()
    app_token = client.post(
        "/oauth/token",
        data={
            "grant_type": "client_credentials",
            "client_id": good["client_id"],
            "client_secret": good["client_secret"],
            "scope": "write",
        },
    ).json()["access_token"]
    sign_up = client.post(
        "/api/v1/accounts",
        headers={"Authorization": f"Bearer {app_token}"},
        data={"username": "bob", "email": "b\x00@example.org", "password": "x" * 12},
    )
    assert sign_up.status_code == 422, sign_up.text
    for form in (
        {"grant_type": "password", "username": "a\x00", "password": "x"},
        {"grant_type": "client_credentials", "client_id": "a\x00"},
    ):
        token = client.post("/oauth/token", data=form)  # OAuth's own error shape (RFC 6749)
        assert token.status_code == 400, token.text
        assert token.json()["error"] == "invalid_request"
        assert "NUL" in token.json()["error_description"]


def test_a_nul_character_in_a_web_form_is_refused(client: TestClient) -> None:
    response = client.post("/auth/sign_in", data={"email": "a\x00", "password": "x"})
    assert response.status_code == 422, response.text
    assert "text/html" in response.headers["content-type"]


def test_a_hashtag_longer_than_a_tag_name_is_plain_text_on_every_engine(
    client: TestClient, alice: User, settings: Settings
) -> None:
    long_tag = "a" * 101
    short_tag = "b" * 100
    assert len(f"#{long_tag} #{short_tag}") <= settings.max_status_chars * 4
    object.__setattr__(settings, "max_status_chars", 500)  # the instance allows long posts

    response = client.post(
        "/api/v1/statuses", headers=alice.headers, json={"status": f"#{long_tag} #{short_tag}"}
    )

    assert response.status_code == 200, response.text
    assert [t["name"] for t in response.json()["tags"]] == [short_tag]
    assert f"/tags/{long_tag}" not in response.json()["content"]


def test_a_body_over_the_limit_is_refused_before_it_is_read(
    client: TestClient, alice: User, settings: Settings
) -> None:
    body = b'{"status": "' + b"a" * (settings.max_body_bytes + 1) + b'"}'
    declared = client.post(
        "/api/v1/statuses",
        headers={**alice.headers, "content-type": "application/json"},
        content=body,
    )

    def chunks() -> object:
        yield body[: len(body) // 2]
        yield body[len(body) // 2 :]

    streamed = client.post(
        "/api/v1/apps",
        headers={"content-type": "application/json"},
        content=chunks(),  # type: ignore[arg-type]
    )
    assert declared.status_code == 413, declared.text
    assert "too large" in declared.json()["error"]
    assert streamed.status_code == 413, streamed.text


def test_a_wrong_method_answers_405_with_allow(client: TestClient, alice: User) -> None:
    response = client.put("/api/v1/timelines/home", headers=alice.headers)
    assert response.status_code == 405
    assert "GET" in response.headers["allow"]


def test_a_long_post_is_refused_before_its_text_is_analysed(
    client: TestClient, alice: User, settings: Settings
) -> None:
    text = "http://" + "a." * 200_000 + "com"
    response = client.post("/api/v1/statuses", headers=alice.headers, json={"status": text})
    assert response.status_code == 422, response.text
    assert "character limit" in response.json()["error"]


def test_non_ascii_tag_urls_are_percent_encoded(client: TestClient, alice: User) -> None:
    response = client.post("/api/v1/statuses", headers=alice.headers, json={"status": "#café"})
    assert response.status_code == 200, response.text
    assert response.json()["tags"] == [{"name": "café", "url": "http://testserver/tags/caf%C3%A9"}]
    assert 'href="http://testserver/tags/caf%C3%A9"' in response.json()["content"]


def test_every_validation_failure_carries_details(client: TestClient, alice: User) -> None:
    response = client.post("/api/v1/statuses", headers=alice.headers, json={"status": ""})
    assert response.status_code == 422
    assert response.json()["details"] == {}
