"""Settings pages: profile, account (password, preferences, deletion) and sessions, as plain
forms that save and come back (303), or explain what to fix (422)."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest
from starlette.testclient import TestClient

from staffroom.runtime import Runtime
from staffroom.services import sessions
from staffroom.services.tokens import issue_token
from tests.conftest import User
from tests.media import images
from tests.oauth.helpers import form_with_button, parse_page, register_app, sign_in

PNG = images.png(48, 48)
GIF = images.gif()


@pytest.fixture
def alice(client: TestClient, make_user: Callable[..., User]) -> User:
    user = make_user("alice")
    sign_in(client, user.email, user.password)
    return user


def _submit(
    client: TestClient,
    page: str,
    button: str,
    files: dict[str, tuple[str, bytes, str]] | None = None,
    **data: str,
) -> httpx.Response:
    form = form_with_button(client.get(page).text, button)
    return client.post(
        form.action, data={**form.fields, **data}, files=files, follow_redirects=False
    )


def _me(client: TestClient, user: User) -> dict[str, object]:
    answer = client.get("/api/v1/accounts/verify_credentials", headers=user.headers)
    assert answer.status_code == 200
    me: dict[str, object] = answer.json()
    return me


@pytest.mark.parametrize("path", ["/settings", "/settings/profile", "/settings/sessions"])
def test_signed_out_visitors_are_sent_to_sign_in(client: TestClient, path: str) -> None:
    answer = client.get(path, follow_redirects=False)
    assert answer.status_code == 302
    assert answer.headers["location"] == f"/auth/sign_in?next={path}"


def test_the_profile_is_saved_with_images(client: TestClient, alice: User) -> None:
    answer = _submit(
        client,
        "/settings/profile",
        "Save profile",
        files={
            "avatar": ("me.png", PNG, "image/png"),
            "header": ("school.gif", GIF, "image/gif"),
        },
        display_name="Alice Teacher",
        note="I teach #ELT in Leeds",
        interests="#ELTChat, edtech",
        discoverable="",  # unticked
    )

    assert answer.status_code == 303
    assert answer.headers["location"] == "/settings/profile?saved=profile"
    page = client.get(answer.headers["location"]).text
    assert "Your profile is saved." in page
    assert 'value="Alice Teacher"' in page
    assert 'value="#ELTChat #edtech"' in page
    assert "checked" not in page  # discoverable was left unticked
    me = _me(client, alice)
    assert me["display_name"] == "Alice Teacher"
    assert me["discoverable"] is False
    assert 'href="http://testserver/tags/ELT"' in str(me["note"])
    assert str(me["avatar"]).endswith(f"/system/avatars/{alice.id}.png")
    avatar = client.get(f"/system/avatars/{alice.id}.png")
    assert avatar.headers["content-type"] == "image/png" and avatar.content[:4] == b"\x89PNG"
    # A static GIF is re-encoded as a PNG (the media pipeline), as Mastodon does.
    assert f'src="/system/headers/{alice.id}.png"' in page
    assert client.get(f"/system/headers/{alice.id}.png").content[:4] == b"\x89PNG"
    assert str(me["header"]).endswith(f"/system/headers/{alice.id}.png")
    assert f'src="http://testserver/system/headers/{alice.id}.png"' in client.get("/@alice").text
    tags = client.get("/api/v1/featured_tags", headers=alice.headers).json()
    assert [t["name"] for t in tags] == ["ELTChat", "edtech"]


def test_a_too_long_display_name_is_explained_and_nothing_is_saved(
    client: TestClient, alice: User
) -> None:
    answer = _submit(
        client, "/settings/profile", "Save profile", display_name="x" * 31, note="new bio"
    )

    assert answer.status_code == 422
    assert "Your display name is too long: at most 30 characters." in answer.text
    assert 'aria-describedby="hint-display_name error-display_name"' in answer.text
    assert 'value="' + "x" * 31 + '"' in answer.text  # what they typed comes back
    assert _me(client, alice)["note"] == ""


def test_a_bad_hashtag_is_explained(client: TestClient, alice: User) -> None:
    answer = _submit(client, "/settings/profile", "Save profile", interests="#ok #not-one!")
    assert answer.status_code == 422
    assert "is not a hashtag" in answer.text
    assert 'id="error-interests"' in answer.text


def test_a_file_that_is_not_an_image_and_one_too_large_are_refused(
    client: TestClient, alice: User
) -> None:
    answer = _submit(
        client,
        "/settings/profile",
        "Save profile",
        files={
            "avatar": ("notes.txt", b"hello, not an image", "text/plain"),
            "header": ("big.png", PNG + b"\x00" * (2 * 1024 * 1024), "image/png"),
        },
    )

    assert answer.status_code == 422
    assert "This file is not an image." in answer.text
    assert "This image is too large: it can be at most 2 MB." in answer.text
    assert str(_me(client, alice)["avatar"]).endswith("/avatars/original/missing.png")


def test_a_bio_with_a_script_is_shown_escaped(client: TestClient, alice: User) -> None:
    _submit(client, "/settings/profile", "Save profile", note="Hi <script>alert(1)</script>")
    page = client.get("/settings/profile").text
    assert "Hi &lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script>alert(1)" not in page


@pytest.mark.parametrize(
    "action",
    [
        "/settings/profile",
        "/settings/account/password",
        "/settings/account/preferences",
        "/settings/account/delete",
        "/settings/sessions/1/revoke",
    ],
)
def test_forms_without_the_csrf_token_are_refused(
    client: TestClient, alice: User, action: str
) -> None:
    answer = client.post(
        action,
        data={"display_name": "forged", "delete_password": alice.password},
        follow_redirects=False,
    )
    assert answer.status_code == 403
    assert _me(client, alice)["display_name"] == ""


def test_changing_the_password_signs_out_everything_else_but_this_browser(
    client: TestClient, alice: User
) -> None:
    answer = _submit(
        client,
        "/settings/account",
        "Change password",
        current_password=alice.password,
        new_password="a much better secret",
        new_password_confirmation="a much better secret",
    )

    assert answer.status_code == 303
    page = client.get(answer.headers["location"])
    assert "Your password is changed." in page.text
    assert "Signed in as" in page.text  # this browser stays signed in
    api = client.get("/api/v1/accounts/verify_credentials", headers=alice.headers)
    assert api.status_code == 401  # the API token of the same account no longer works
    other = TestClient(client.app, base_url=str(client.base_url))
    assert sign_in(other, alice.email, alice.password).status_code == 422
    assert sign_in(other, alice.email, "a much better secret").status_code == 303


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        (
            {"current_password": "wrong", "new_password": "a much better secret"},
            "That is not your current password.",
        ),
        ({"new_password": "short"}, "The new password is too short: use at least 8 characters."),
        (
            {"new_password": "a much better secret", "new_password_confirmation": "other"},
            "The two new passwords are not the same.",
        ),
    ],
)
def test_password_problems_are_explained(
    client: TestClient, alice: User, fields: dict[str, str], message: str
) -> None:
    data = {
        "current_password": alice.password,
        "new_password_confirmation": fields.get("new_password", ""),
        **fields,
    }
    answer = _submit(client, "/settings/account", "Change password", **data)
    assert answer.status_code == 422
    assert message in answer.text
    assert client.get("/api/v1/accounts/verify_credentials", headers=alice.headers).is_success


def test_the_language_setting_beats_the_browser(client: TestClient, alice: User) -> None:
    english = {"Accept-Language": "en"}
    answer = _submit(
        client, "/settings/account", "Save preferences", default_visibility="private", locale="es"
    )

    assert answer.status_code == 303
    page = client.get("/settings/account", headers=english)
    assert '<html lang="es">' in page.text
    assert client.get("/help", headers=english).headers["content-language"] == "es"
    assert _me(client, alice)["source"]["privacy"] == "private"  # type: ignore[index]

    form = next(f for f in parse_page(page.text).forms if f.action.endswith("/preferences"))
    client.post(form.action, data={**form.fields, "default_visibility": "public", "locale": "en"})
    assert '<html lang="en">' in client.get("/", headers={"Accept-Language": "es"}).text

    _submit(client, "/settings/account", "Save preferences", default_visibility="public", locale="")
    assert '<html lang="es">' in client.get("/", headers={"Accept-Language": "es"}).text
    assert '<html lang="en">' in client.get("/", headers=english).text


def test_who_may_quote_new_posts_is_a_preference(
    client: TestClient, alice: User, make_user: Callable[..., User]
) -> None:
    page = client.get("/settings/account").text
    assert '<option value="public" selected>Anyone</option>' in page
    answer = _submit(
        client,
        "/settings/account",
        "Save preferences",
        default_visibility="public",
        quote_policy="nobody",
    )
    assert answer.status_code == 303
    assert (
        '<option value="nobody" selected>Only you</option>' in client.get("/settings/account").text
    )
    posted = client.post(
        "/api/v1/statuses", json={"status": "Mine alone"}, headers=alice.headers
    ).json()
    assert posted["quote_approval"]["automatic"] == []
    bob = make_user("bob")
    quoting = client.post(
        "/api/v1/statuses",
        json={"status": "Quoting", "quoted_status_id": posted["id"]},
        headers=bob.headers,
    )
    assert quoting.status_code == 422
    bad = _submit(
        client,
        "/settings/account",
        "Save preferences",
        default_visibility="public",
        quote_policy="everyone",
    )
    assert bad.status_code == 422 and 'id="error-quote_policy"' in bad.text


def test_a_bad_preference_is_explained(client: TestClient, alice: User) -> None:
    answer = _submit(
        client, "/settings/account", "Save preferences", default_visibility="direct", locale="xx"
    )
    assert answer.status_code == 422
    assert 'id="error-default_visibility"' in answer.text
    assert 'id="error-locale"' in answer.text


def test_sessions_and_apps_are_listed_and_revoked(
    client: TestClient, alice: User, runtime: Runtime
) -> None:
    app = register_app(client)
    app_token, _ = runtime.db.write(
        issue_token, app_id=int(app["id"]), account_id=alice.id, scopes=["read"]
    )
    app_headers = {"Authorization": f"Bearer {app_token}"}
    assert client.get("/api/v1/accounts/verify_credentials", headers=app_headers).is_success

    page = client.get("/settings/sessions").text
    assert "Test Client" in page
    assert "(this browser)" in page
    form = next(
        f
        for f in parse_page(page).forms
        if any("Test Client" in label for label in f.buttons)  # the button names what it revokes
    )
    answer = client.post(form.action, data=form.fields, follow_redirects=False)

    assert answer.status_code == 303
    assert "Test Client" not in client.get(answer.headers["location"]).text
    assert client.get("/api/v1/accounts/verify_credentials", headers=app_headers).status_code == 401
    assert client.get("/api/v1/accounts/verify_credentials", headers=alice.headers).is_success

    answer = _submit(client, "/settings/sessions", "Revoke and sign out")
    assert answer.status_code == 303
    assert answer.headers["location"] == "/auth/sign_in"
    assert client.get("/settings/sessions", follow_redirects=False).status_code == 302


def test_someone_elses_session_cannot_be_revoked(
    client: TestClient, alice: User, make_user: Callable[..., User], runtime: Runtime
) -> None:
    bob = make_user("bob")
    bobs = runtime.db.read(sessions.list_grants, bob.id)
    form = form_with_button(client.get("/settings/sessions").text, "Revoke and sign out")
    answer = client.post(f"/settings/sessions/{bobs[0].token_id}/revoke", data=form.fields)
    assert answer.status_code == 404
    assert client.get("/api/v1/accounts/verify_credentials", headers=bob.headers).is_success


def test_deleting_the_account(client: TestClient, alice: User) -> None:
    wrong = _submit(client, "/settings/account", "Delete my account for good", delete_password="no")
    assert wrong.status_code == 422
    assert "That is not your current password." in wrong.text
    assert "cannot be undone" in wrong.text

    answer = _submit(
        client, "/settings/account", "Delete my account for good", delete_password=alice.password
    )

    assert answer.status_code == 303
    assert answer.headers["location"] == "/"
    assert "Signed in as" not in client.get("/").text
    assert (
        client.get("/api/v1/accounts/verify_credentials", headers=alice.headers).status_code == 401
    )
    assert sign_in(client, alice.email, alice.password).status_code == 422
