"""Scopes and error answers across the account endpoints."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from starlette.testclient import TestClient

from staffroom.services.profiles import media_file
from tests.conftest import User

ACTIONS = ("follow", "unfollow", "block", "unblock", "mute", "unmute")


@pytest.mark.parametrize("action", ACTIONS)
def test_read_only_token_cannot_act(
    client: TestClient, make_user: Callable[..., User], action: str
) -> None:
    reader, bob = make_user("reader", scopes="read"), make_user("bob")
    response = client.post(f"/api/v1/accounts/{bob.id}/{action}", headers=reader.headers)
    assert response.status_code == 403
    assert response.json() == {"error": "This action is outside the authorized scopes"}
    assert client.get(f"/api/v1/accounts/{bob.id}").json()["followers_count"] == 0


def test_granular_scopes_are_honoured(client: TestClient, make_user: Callable[..., User]) -> None:
    bob = make_user("bob")
    follower = make_user("follower", scopes="write:follows")
    assert (
        client.post(f"/api/v1/accounts/{bob.id}/follow", headers=follower.headers).status_code
        == 200
    )
    assert (
        client.post(f"/api/v1/accounts/{bob.id}/block", headers=follower.headers).status_code == 403
    )
    legacy = make_user("legacy", scopes="follow")
    for action in ("follow", "mute", "block"):
        response = client.post(f"/api/v1/accounts/{bob.id}/{action}", headers=legacy.headers)
        assert response.status_code == 200, action


def test_acting_needs_a_token(client: TestClient, make_user: Callable[..., User]) -> None:
    bob = make_user("bob")
    assert client.post(f"/api/v1/accounts/{bob.id}/follow").status_code == 401
    bad = client.post(
        f"/api/v1/accounts/{bob.id}/follow", headers={"Authorization": "Bearer nonsense"}
    )
    assert bad.status_code == 401


@pytest.mark.parametrize(
    "method,path",
    [
        ("GET", "/api/v1/accounts/404"),
        ("GET", "/api/v1/accounts/404/followers"),
        ("GET", "/api/v1/accounts/404/following"),
        ("GET", "/api/v1/accounts/404/featured_tags"),
        ("POST", "/api/v1/accounts/404/follow"),
        ("POST", "/api/v1/accounts/404/unfollow"),
        ("POST", "/api/v1/accounts/404/block"),
        ("POST", "/api/v1/accounts/404/mute"),
        ("POST", "/api/v1/accounts/not-a-number/follow"),
        ("GET", "/api/v1/accounts/99999999999999999999999/followers"),
    ],
)
def test_unknown_accounts_are_json_404(
    client: TestClient, make_user: Callable[..., User], method: str, path: str
) -> None:
    alice = make_user("alice")
    response = client.request(method, path, headers=alice.headers)
    assert response.status_code == 404
    assert response.json() == {"error": "Record not found"}


def test_media_paths_stay_inside_the_media_folder(tmp_path: object) -> None:
    from pathlib import Path

    root = Path(str(tmp_path))
    (root / "secret_key").write_text("x")
    (root / "media" / "avatars").mkdir(parents=True)
    (root / "media" / "avatars" / "1.png").write_bytes(b"png")
    assert media_file(root, "/system/avatars/1.png") == (root / "media/avatars/1.png").resolve()
    for bad in ("/system/../secret_key", "/system//etc/passwd", "/system/avatars/../../secret_key"):
        assert media_file(root, bad) is None
