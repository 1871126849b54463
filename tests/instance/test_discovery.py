"""WebFinger, host-meta and NodeInfo."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from starlette.testclient import TestClient

from staffroom import __version__
from staffroom.runtime import Runtime
from tests.conftest import User
from tests.instance.helpers import add_post

JRD = "application/jrd+json; charset=utf-8"


@pytest.mark.parametrize(
    "resource",
    [
        "acct:Alice@testserver",
        "acct:alice@TESTSERVER",
        "alice@testserver",
        "acct:alice",
        "http://testserver/@alice",
        "http://testserver/users/alice",
    ],
)
def test_webfinger_finds_local_accounts(
    client: TestClient, make_user: Callable[..., User], resource: str
) -> None:
    make_user("Alice")
    response = client.get("/.well-known/webfinger", params={"resource": resource})
    assert response.status_code == 200
    assert response.headers["content-type"] == JRD
    assert response.json() == {
        "subject": "acct:Alice@testserver",
        "aliases": ["http://testserver/@Alice", "http://testserver/users/Alice"],
        "links": [
            {
                "rel": "http://webfinger.net/rel/profile-page",
                "type": "text/html",
                "href": "http://testserver/@Alice",
            },
            {
                "rel": "self",
                "type": "application/activity+json",
                "href": "http://testserver/users/Alice",
            },
        ],
    }


@pytest.mark.parametrize(
    "resource",
    [
        "acct:nobody@testserver",
        "acct:alice@elsewhere.example",
        "https://elsewhere.example/@alice",
        "http://testserver/about",
        "http://testserver/@alice/123",
        "acct:" + "a" * 200 + "@testserver",
    ],
)
def test_webfinger_answers_404_for_unknown_accounts(
    client: TestClient, make_user: Callable[..., User], resource: str
) -> None:
    make_user("alice")
    response = client.get("/.well-known/webfinger", params={"resource": resource})
    assert response.status_code == 404
    assert response.json() == {"error": "Record not found"}


@pytest.mark.parametrize(
    "query",
    [
        {},
        {"resource": ""},
        {"resource": "alice"},
        {"resource": "mailto:alice@testserver"},
        {"resource": "acct:"},
    ],
)
def test_webfinger_answers_400_for_a_missing_or_bad_resource(
    client: TestClient, query: dict[str, str]
) -> None:
    response = client.get("/.well-known/webfinger", params=query)
    assert response.status_code == 400
    assert response.json()["error"]


def test_host_meta_points_at_webfinger(client: TestClient) -> None:
    response = client.get("/.well-known/host-meta")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/xrd+xml; charset=utf-8"
    assert (
        '<Link rel="lrdd" template="http://testserver/.well-known/webfinger?resource={uri}"/>'
        in response.text
    )


def test_nodeinfo_discovery_links_both_versions(client: TestClient) -> None:
    links = client.get("/.well-known/nodeinfo").json()["links"]
    assert links == [
        {
            "rel": "http://nodeinfo.diaspora.software/ns/schema/2.0",
            "href": "http://testserver/nodeinfo/2.0",
        },
        {
            "rel": "http://nodeinfo.diaspora.software/ns/schema/2.1",
            "href": "http://testserver/nodeinfo/2.1",
        },
    ]
    for link in links:
        path = link["href"].removeprefix("http://testserver")
        assert client.get(path).status_code == 200


@pytest.mark.parametrize("version", ["2.0", "2.1"])
def test_nodeinfo_document(
    client: TestClient, runtime: Runtime, make_user: Callable[..., User], version: str
) -> None:
    alice = make_user("alice")
    make_user("bob")
    add_post(runtime, alice.id)
    response = client.get(f"/nodeinfo/{version}")
    assert response.status_code == 200
    assert response.headers["content-type"] == (
        f'application/json; profile="http://nodeinfo.diaspora.software/ns/schema/{version}#"'
    )
    body = response.json()
    assert body["version"] == version
    assert body["software"]["name"] == "staffroom"
    assert body["software"]["version"] == __version__
    assert body["protocols"] == []
    assert body["services"] == {"outbound": [], "inbound": []}
    assert body["usage"] == {
        "users": {"total": 2, "activeMonth": 1, "activeHalfyear": 1},
        "localPosts": 1,
    }
    assert body["openRegistrations"] is True
    assert body["metadata"]["nodeName"] == "Staffroom"


def test_nodeinfo_unknown_version_is_404(client: TestClient) -> None:
    assert client.get("/nodeinfo/1.0").status_code == 404
