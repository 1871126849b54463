"""Streaming for a signed-in browser: the session cookie authenticates, from this site only."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from starlette.testclient import TestClient, WebSocketDenialResponse

from tests.conftest import User
from tests.oauth.helpers import sign_in
from tests.streaming.conftest import act, post, receive_json, settle

MakeUser = Callable[..., User]
SAME = {"origin": "http://testserver"}


def refused(client: TestClient, url: str, headers: dict[str, str] | None = None) -> int:
    headers = headers or {}
    """The HTTP status that refused the WebSocket handshake."""
    try:
        with client.websocket_connect(url, headers=headers):
            pass
    except WebSocketDenialResponse as denied:
        return denied.status_code
    raise AssertionError("the handshake was accepted")


@pytest.fixture
def alice(client: TestClient, make_user: MakeUser) -> User:
    user = make_user("alice")
    sign_in(client, user.email, user.password)
    return user


def test_the_session_cookie_opens_a_websocket_from_this_site(
    client: TestClient, alice: User, make_user: MakeUser
) -> None:
    bob = make_user("bob")
    act(client, alice, f"/api/v1/accounts/{bob.id}/follow")
    with client.websocket_connect("/api/v1/streaming", headers=SAME) as ws:
        assert ws.accepted_subprotocol is None
        ws.send_json({"type": "subscribe", "stream": "user"})
        settle(ws)
        status = post(client, bob, "Hello staffroom")
        got = receive_json(ws)
        assert (got["stream"], got["event"]) == (["user"], "update")
        assert json.loads(got["payload"])["id"] == status["id"]


def test_the_request_host_counts_as_this_site(client: TestClient, alice: User) -> None:
    headers = {"origin": "https://staff.example", "host": "staff.example"}
    with client.websocket_connect("/api/v1/streaming", headers=headers) as ws:
        settle(ws)


@pytest.mark.parametrize(
    "origin", ["https://evil.example", "null", "http://testserver.evil.example", "file://"]
)
def test_a_cross_site_websocket_with_the_cookie_is_refused(
    client: TestClient, alice: User, origin: str
) -> None:
    assert refused(client, "/api/v1/streaming?stream=user", headers={"origin": origin}) == 401


def test_a_websocket_without_origin_does_not_use_the_cookie(
    client: TestClient, alice: User
) -> None:
    assert refused(client, "/api/v1/streaming?stream=user") == 401


def test_signed_out_there_is_no_stream(client: TestClient, alice: User) -> None:
    page = client.get("/")
    form_token = page.text.split('name="authenticity_token" value="')[1].split('"')[0]
    client.post("/auth/sign_out", data={"authenticity_token": form_token})
    assert refused(client, "/api/v1/streaming", headers=SAME) == 401


def test_a_stale_cookie_of_a_revoked_session_is_refused(client: TestClient, alice: User) -> None:
    cookie = client.cookies.get("staffroom_session")
    assert cookie
    page = client.get("/")
    form_token = page.text.split('name="authenticity_token" value="')[1].split('"')[0]
    client.post("/auth/sign_out", data={"authenticity_token": form_token})
    client.cookies.set("staffroom_session", cookie)
    assert refused(client, "/api/v1/streaming", headers=SAME) == 401


def test_sse_with_the_cookie_same_origin_and_not_cross_site(
    client: TestClient, alice: User
) -> None:
    assert client.head("/api/v1/streaming/user", headers=SAME).status_code == 200
    same = {"sec-fetch-site": "same-origin"}
    assert client.head("/api/v1/streaming/user", headers=same).status_code == 200
    cross = client.head("/api/v1/streaming/user", headers={"origin": "https://evil.example"})
    assert cross.status_code == 401
    sneaky = client.head("/api/v1/streaming/user", headers={"sec-fetch-site": "cross-site"})
    assert sneaky.status_code == 401


def test_a_followers_only_post_of_someone_not_followed_never_arrives(
    client: TestClient, alice: User, make_user: MakeUser
) -> None:
    carol = make_user("carol")
    dave = make_user("dave")
    act(client, alice, f"/api/v1/accounts/{dave.id}/follow")
    act(client, carol, f"/api/v1/accounts/{alice.id}/follow")  # carol is not followed back
    with client.websocket_connect("/api/v1/streaming", headers=SAME) as ws:
        for stream in ("user", "public", "public:local"):
            ws.send_json({"type": "subscribe", "stream": stream})
        ws.send_json({"type": "subscribe", "stream": "hashtag", "tag": "secret"})
        settle(ws)
        post(client, carol, "For my followers only #secret", visibility="private")
        visible = post(client, dave, "Something everyone may read", visibility="unlisted")
        got = receive_json(ws)  # the next frame is dave's: carol's never came
        assert json.loads(got["payload"])["id"] == visible["id"]
        assert "For my followers only" not in got["payload"]
