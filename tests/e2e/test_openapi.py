"""The response validator itself: it must accept Mastodon's examples and catch bad shapes."""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.harness import Conformance
from tests.e2e.openapi import mastodon_schema

pytestmark = pytest.mark.e2e


def _account() -> dict[str, Any]:
    return {
        "id": "1",
        "username": "alice",
        "acct": "alice",
        "display_name": "Alice",
        "locked": False,
        "bot": False,
        "group": False,
        "indexable": False,
        "created_at": "2025-01-02T00:00:00.000Z",
        "note": "",
        "url": "https://h.example/@alice",
        "uri": "https://h.example/users/alice",
        "avatar": "https://h.example/a.png",
        "avatar_static": "https://h.example/a.png",
        "header": "https://h.example/h.png",
        "header_static": "https://h.example/h.png",
        "followers_count": 0,
        "following_count": 0,
        "statuses_count": 1,
        "last_status_at": "2025-01-02",
        "emojis": [],
        "fields": [],
    }


def _status() -> dict[str, Any]:
    return {
        "id": "2",
        "created_at": "2025-01-02T00:00:00.000Z",
        "account": _account(),
        "content": "<p>hi</p>",
        "visibility": "public",
        "sensitive": False,
        "spoiler_text": "",
        "uri": "https://h.example/users/alice/statuses/2",
        "url": "https://h.example/@alice/2",
        "replies_count": 0,
        "reblogs_count": 0,
        "favourites_count": 0,
        "media_attachments": [],
        "mentions": [],
        "tags": [],
        "emojis": [],
        "in_reply_to_id": None,
        "reblog": None,
        "card": None,
        "poll": None,
        "language": "en",
    }


def test_operation_lookup_prefers_literal_paths() -> None:
    schema = mastodon_schema()
    assert schema.template_for("GET", "/api/v1/accounts/verify_credentials") == (
        "/api/v1/accounts/verify_credentials"
    )
    assert schema.template_for("GET", "/api/v1/accounts/42") == "/api/v1/accounts/{id}"
    assert schema.template_for("GET", "/api/v1/instance/") == "/api/v1/instance"
    assert schema.template_for("PATCH", "/api/v1/instance") is None


def test_mastodons_own_examples_validate() -> None:
    schema = mastodon_schema()
    status, account = _status(), _account()
    assert schema.problems("GET", "/api/v1/statuses/1", 200, status) == []
    assert schema.problems("GET", "/api/v1/timelines/home", 200, [status, status]) == []
    assert schema.problems("GET", "/api/v1/accounts/1", 200, account) == []


def test_bad_shapes_are_reported() -> None:
    schema = mastodon_schema()
    status = _status()
    del status["account"]["acct"]
    status["created_at"] = "yesterday"
    status["id"] = 123
    report = "\n".join(schema.problems("GET", "/api/v1/timelines/home", 200, [status]))
    assert "$[0].account: 'acct' is a required property" in report
    assert "$[0].created_at: 'yesterday' is not a 'date-time'" in report
    assert "$[0].id: 123 is not of type 'string'" in report
    assert schema.problems("GET", "/api/v1/no_such_thing", 200, {})
    assert schema.problems("GET", "/api/v1/instance", 201, {})  # undocumented status


def test_allow_list_covers_only_its_gap() -> None:
    schema = mastodon_schema()
    home = "/api/v1/timelines/home"  # documents ValidationError (with "details") for 422
    assert schema.problems("GET", home, 422, {"error": "Validation failed: x"}) == []
    assert schema.problems("GET", home, 422, {"details": {}})  # no "error"
    assert schema.problems("GET", home, 422, {"error": "x", "details": 1})  # bad "details"
    path = "/api/v2/instance"
    instance = {"contact": {"email": "", "account": _account()}}
    assert not any("email" in line for line in schema.problems("GET", path, 200, instance))
    instance["contact"]["email"] = "not an address"
    assert any("contact.email" in line for line in schema.problems("GET", path, 200, instance))


def test_conformance_log_validates_only_json_api_responses() -> None:
    log = Conformance()
    log.record("GET", "http://x/oauth/authorize?a=1", None, 200, "text/html", b"<html>")
    log.record("GET", "http://x/api/v1/statuses/1", None, 200, "application/json", b"{}")
    log.record("GET", "http://x/api/v1/statuses/1", None, 404, "application/json", b"{oops")
    assert len(log.exchanges) == 3
    assert len(log.failures) == 2
    assert "'id' is a required property" in log.failures[0]
    assert "not valid JSON" in log.failures[1]
