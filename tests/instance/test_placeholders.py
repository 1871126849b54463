"""Features Staffroom does not have yet answer as an empty Mastodon does, with its auth rules."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from starlette.testclient import TestClient

from staffroom.runtime import Runtime
from tests.conftest import User
from tests.instance.helpers import token_for

PUBLIC = [
    "/api/v1/custom_emojis",
    "/api/v1/trends",
    "/api/v1/trends/tags",
    "/api/v1/trends/statuses",
    "/api/v1/trends/links",
]

# path, the narrowest scope Mastodon accepts, the empty answer
FOR_USERS: list[tuple[str, str, object]] = [
    ("/api/v1/announcements", "read", []),
    ("/api/v1/filters", "read:filters", []),
    ("/api/v2/filters", "read:filters", []),
    ("/api/v1/lists", "read:lists", []),
    ("/api/v1/conversations", "read:statuses", []),
    ("/api/v1/scheduled_statuses", "read:statuses", []),
    ("/api/v1/domain_blocks", "read:blocks", []),
    ("/api/v1/endorsements", "read:accounts", []),
    ("/api/v1/followed_tags", "read:follows", []),
    ("/api/v1/suggestions", "read", []),
    ("/api/v2/suggestions", "read", []),
]


@pytest.mark.parametrize("path", PUBLIC)
def test_public_placeholders_are_empty_lists(client: TestClient, path: str) -> None:
    response = client.get(path, params={"limit": 5})
    assert response.status_code == 200
    assert response.json() == []


@pytest.mark.parametrize(("path", "scope", "empty"), FOR_USERS)
def test_user_placeholders_answer_empty_with_the_right_scope(
    client: TestClient,
    runtime: Runtime,
    make_user: Callable[..., User],
    path: str,
    scope: str,
    empty: object,
) -> None:
    alice = make_user("alice")
    response = client.get(path, headers=alice.headers)
    assert response.status_code == 200
    assert response.json() == empty
    narrow = client.get(path, headers=token_for(runtime, alice, scope))
    assert narrow.status_code == 200 and narrow.json() == empty


@pytest.mark.parametrize(("path", "scope", "empty"), FOR_USERS)
def test_user_placeholders_refuse_missing_bad_or_unscoped_tokens(
    client: TestClient,
    runtime: Runtime,
    make_user: Callable[..., User],
    path: str,
    scope: str,
    empty: object,
) -> None:
    alice = make_user("alice")
    anonymous = client.get(path)
    assert anonymous.status_code == 401
    assert anonymous.json() == {"error": "The access token is invalid"}
    assert client.get(path, headers={"Authorization": "Bearer nonsense"}).status_code == 401
    unscoped = client.get(path, headers=token_for(runtime, alice, "write"))
    assert unscoped.status_code == 403
    app_only = client.get(path, headers=token_for(runtime, None, "read"))
    assert app_only.status_code == 422


def test_follow_scope_covers_domain_blocks(
    client: TestClient, runtime: Runtime, make_user: Callable[..., User]
) -> None:
    alice = make_user("alice")
    response = client.get("/api/v1/domain_blocks", headers=token_for(runtime, alice, "follow"))
    assert response.status_code == 200 and response.json() == []


def test_push_subscription_is_never_found(
    client: TestClient, runtime: Runtime, make_user: Callable[..., User]
) -> None:
    alice = make_user("alice")
    response = client.get("/api/v1/push/subscription", headers=alice.headers)
    assert response.status_code == 404
    assert response.json() == {"error": "Record not found"}
    deleted = client.delete("/api/v1/push/subscription", headers=alice.headers)
    assert deleted.status_code == 200 and deleted.json() == {}
    assert client.get("/api/v1/push/subscription").status_code == 401
    read_only = token_for(runtime, alice, "read")
    assert client.get("/api/v1/push/subscription", headers=read_only).status_code == 403


@pytest.mark.parametrize("method", ["GET", "POST", "PUT", "PATCH", "DELETE"])
def test_unknown_api_paths_are_json_404_for_every_method(client: TestClient, method: str) -> None:
    response = client.request(method, "/api/v1/not_a_feature/12")
    assert response.status_code == 404
    assert response.json() == {"error": "Record not found"}
