from collections.abc import Callable

from starlette.testclient import TestClient

from tests.conftest import User


def test_unknown_api_path_is_json_404(client: TestClient) -> None:
    response = client.get("/api/v1/nonexistent")
    assert response.status_code == 404
    assert response.json() == {"error": "Record not found"}


def test_users_get_distinct_ids(make_user: Callable[..., User]) -> None:
    a, b = make_user("alice"), make_user("bob")
    assert a.id != b.id and a.token != b.token
