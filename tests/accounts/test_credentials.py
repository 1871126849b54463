"""Own account: verify_credentials, update_credentials (bio, flags, defaults, interests, avatar)."""

from __future__ import annotations

from collections.abc import Callable

from starlette.testclient import TestClient

from tests.conftest import User
from tests.media import images

PNG = images.png(48, 48)


def test_verify_credentials_shows_the_source(
    client: TestClient, make_user: Callable[..., User]
) -> None:
    alice = make_user("alice")
    body = client.get("/api/v1/accounts/verify_credentials", headers=alice.headers).json()
    assert body["id"] == str(alice.id)
    assert body["acct"] == "alice"
    assert body["source"]["note"] == ""
    assert body["source"]["privacy"] == "public"


def test_profile_scope_is_enough_for_verify_credentials(
    client: TestClient, make_user: Callable[..., User]
) -> None:
    alice = make_user("alice", scopes="profile")
    ok = client.get("/api/v1/accounts/verify_credentials", headers=alice.headers)
    assert ok.status_code == 200
    writer = make_user("bob", scopes="write")
    refused = client.get("/api/v1/accounts/verify_credentials", headers=writer.headers)
    assert refused.status_code == 403


def test_bio_is_stored_raw_and_rendered_safely(
    client: TestClient, make_user: Callable[..., User]
) -> None:
    alice = make_user("alice")
    make_user("bob")
    note = "Maths <script>alert(1)</script> teacher, ask @bob or @nobody about #ELTChat"
    response = client.patch(
        "/api/v1/accounts/update_credentials", headers=alice.headers, data={"note": note}
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["source"]["note"] == note
    html = body["note"]
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert 'href="http://testserver/@bob"' in html
    assert 'href="http://testserver/tags/ELTChat"' in html
    assert "@nobody" in html and "/@nobody" not in html
    public = client.get(f"/api/v1/accounts/{alice.id}").json()
    assert public["note"] == html


def test_flags_names_and_posting_defaults_update(
    client: TestClient, make_user: Callable[..., User]
) -> None:
    alice = make_user("alice")
    response = client.patch(
        "/api/v1/accounts/update_credentials",
        headers=alice.headers,
        json={
            "display_name": "Ms Alice",
            "locked": True,
            "bot": False,
            "discoverable": False,
            "source": {"privacy": "unlisted", "sensitive": True, "language": "fr"},
        },
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["display_name"] == "Ms Alice"
    assert body["locked"] is True and body["discoverable"] is False
    assert body["source"]["privacy"] == "unlisted"
    assert body["source"]["sensitive"] is True
    assert body["source"]["language"] == "fr"
    # form-encoded Rails keys work too, and untouched fields stay as they were
    again = client.patch(
        "/api/v1/accounts/update_credentials",
        headers=alice.headers,
        data={"source[privacy]": "private"},
    ).json()
    assert again["source"]["privacy"] == "private"
    assert again["display_name"] == "Ms Alice" and again["locked"] is True


def test_invalid_profile_changes_nothing(
    client: TestClient, make_user: Callable[..., User]
) -> None:
    alice = make_user("alice")
    response = client.patch(
        "/api/v1/accounts/update_credentials",
        headers=alice.headers,
        json={"display_name": "x" * 31, "note": "y" * 501, "source": {"privacy": "direct"}},
    )
    assert response.status_code == 422
    assert set(response.json()["details"]) == {"display_name", "note", "source.privacy"}
    me = client.get("/api/v1/accounts/verify_credentials", headers=alice.headers).json()
    assert me["display_name"] == "" and me["source"]["note"] == ""


def test_update_needs_write_accounts(client: TestClient, make_user: Callable[..., User]) -> None:
    reader = make_user("alice", scopes="read")
    response = client.patch(
        "/api/v1/accounts/update_credentials", headers=reader.headers, data={"note": "hi"}
    )
    assert response.status_code == 403


def test_interests_round_trip_as_featured_tags(
    client: TestClient, make_user: Callable[..., User], post: Callable[..., str]
) -> None:
    alice = make_user("alice")
    response = client.patch(
        "/api/v1/accounts/update_credentials",
        headers=alice.headers,
        data={"interests[]": ["ELTChat", "#edtech", "eltchat"]},
    )
    assert response.status_code == 200, response.text
    post(alice, "Great #ELTChat tonight")
    post(alice, "Quiet #ELTChat", visibility="private")
    own = client.get("/api/v1/featured_tags", headers=alice.headers).json()
    assert [t["name"] for t in own] == ["ELTChat", "edtech"]
    elt = own[0]
    assert elt["url"] == "http://testserver/@alice/tagged/ELTChat"
    assert elt["statuses_count"] == "1"  # the followers-only post is not counted
    assert elt["last_status_at"] is not None
    assert own[1]["statuses_count"] == "0" and own[1]["last_status_at"] is None
    public = client.get(f"/api/v1/accounts/{alice.id}/featured_tags").json()
    assert public == own
    # a string of hashtags replaces the whole set
    client.patch(
        "/api/v1/accounts/update_credentials",
        headers=alice.headers,
        data={"interests": "#maths, #edtech"},
    )
    names = [t["name"] for t in client.get("/api/v1/featured_tags", headers=alice.headers).json()]
    assert sorted(names) == ["edtech", "maths"]


def test_invalid_interest_is_refused(client: TestClient, make_user: Callable[..., User]) -> None:
    alice = make_user("alice")
    response = client.patch(
        "/api/v1/accounts/update_credentials",
        headers=alice.headers,
        data={"interests[]": ["fine", "123"]},
    )
    assert response.status_code == 422
    assert "interests" in response.json()["details"]
    assert client.get("/api/v1/featured_tags", headers=alice.headers).json() == []


def test_featured_tags_add_and_remove(client: TestClient, make_user: Callable[..., User]) -> None:
    alice = make_user("alice")
    added = client.post("/api/v1/featured_tags", headers=alice.headers, data={"name": "#edtech"})
    assert added.status_code == 200
    tag = added.json()
    assert tag["name"] == "edtech"
    again = client.post("/api/v1/featured_tags", headers=alice.headers, data={"name": "EdTech"})
    assert again.json()["id"] == tag["id"]
    bob = make_user("bob")
    assert (
        client.delete(f"/api/v1/featured_tags/{tag['id']}", headers=bob.headers).status_code == 404
    )
    assert client.delete(f"/api/v1/featured_tags/{tag['id']}", headers=alice.headers).json() == {}
    assert client.get("/api/v1/featured_tags", headers=alice.headers).json() == []


def test_avatar_upload_is_stored_and_served(
    client: TestClient, make_user: Callable[..., User]
) -> None:
    alice = make_user("alice")
    response = client.patch(
        "/api/v1/accounts/update_credentials",
        headers=alice.headers,
        files={"avatar": ("me.png", PNG, "image/png")},
    )
    assert response.status_code == 200, response.text
    avatar = response.json()["avatar"]
    assert avatar == f"http://testserver/system/avatars/{alice.id}.png"
    served = client.get(avatar.removeprefix("http://testserver"))
    assert served.status_code == 200
    assert served.content[:8] == b"\x89PNG\r\n\x1a\n"
    assert served.headers["content-type"] == "image/png"


def test_avatar_must_be_an_image_of_at_most_2_mb(
    client: TestClient, make_user: Callable[..., User]
) -> None:
    alice = make_user("alice")
    fake = client.patch(
        "/api/v1/accounts/update_credentials",
        headers=alice.headers,
        files={"avatar": ("me.png", b"<svg onload=alert(1)>", "image/png")},
    )
    assert fake.status_code == 422
    huge = client.patch(
        "/api/v1/accounts/update_credentials",
        headers=alice.headers,
        files={"avatar": ("me.png", PNG + b"\x00" * (2 * 1024 * 1024), "image/png")},
    )
    assert huge.status_code == 422
    me = client.get("/api/v1/accounts/verify_credentials", headers=alice.headers).json()
    assert me["avatar"].endswith("/avatars/original/missing.png")


def test_system_files_cannot_escape_the_media_folder(client: TestClient) -> None:
    for path in ("/system/../secret_key", "/system/%2e%2e/secret_key", "/system/avatars/none.png"):
        assert client.get(path).status_code == 404
