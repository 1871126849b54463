"""Instance info, app registration, the three ways to log in, and bad credentials."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from mastodon import Mastodon, MastodonIllegalArgumentError, MastodonUnauthorizedError

from tests.e2e.clients import Person, Toot, approve_in_browser, masto_app
from tests.e2e.harness import Conformance, LiveServer

pytestmark = pytest.mark.e2e

SCOPES = ["read", "write", "follow", "push"]


def _anonymous(server: LiveServer, conformance: Conformance) -> Mastodon:
    return Mastodon(api_base_url=server.url, session=conformance.session())


def test_instance_info_with_mastodon_py(server: LiveServer, conformance: Conformance) -> None:
    client = _anonymous(server, conformance)
    info = client.instance_v1()
    assert info["uri"] == server.url.removeprefix("http://")
    assert info["title"]
    assert info["configuration"]["statuses"]["max_characters"] == 140
    assert client.retrieve_mastodon_version(fail_hard=True)
    assert client.instance()  # v2 when the server claims Mastodon >= 4.0


def test_instance_info_with_toot(
    server: LiveServer, tmp_path_factory: pytest.TempPathFactory
) -> None:
    cli = Toot(server, tmp_path_factory.mktemp("toot"))
    shown = cli.run("instance", cli.url)
    info = cli.json("instance", cli.url)
    assert info["title"] in shown.stdout
    assert info["uri"] in shown.stdout


def test_app_registration(server: LiveServer, conformance: Conformance) -> None:
    client_id, client_secret = Mastodon.create_app(
        "e2e app",
        scopes=SCOPES,
        website="https://example.org/app",
        api_base_url=server.url,
        session=conformance.session(),
    )
    assert client_id and client_secret and client_id != client_secret


def test_password_grant_with_mastodon_py(
    server: LiveServer, conformance: Conformance, person: Callable[[str], Person]
) -> None:
    alice = person("alice")
    client = masto_app(server, conformance)
    token = client.log_in(username=alice.email, password=alice.password, allow_http=True)
    assert token
    me = client.account_verify_credentials()
    assert (me["id"], me["username"], me["acct"]) == (alice.id, alice.username, alice.username)
    assert me["source"]["privacy"] in ("public", "unlisted", "private")


def test_password_grant_with_toot(
    server: LiveServer, person: Callable[[str], Person], toot: Callable[[Person], Toot]
) -> None:
    alice = person("alice")
    cli = toot(alice)  # toot login_cli --instance ... --email ... --password ...
    config = cli.config()
    domain = server.url.removeprefix("http://")
    assert config["active_user"] == f"{alice.username}@{domain}"
    assert config["apps"][domain]["client_id"]  # toot registered itself as an app
    assert f"@{alice.username}" in cli.run("whoami").stdout
    assert cli.json("whoami")["id"] == alice.id


def test_wrong_password_is_refused(
    server: LiveServer,
    conformance: Conformance,
    person: Callable[[str], Person],
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    alice = person("alice")
    client = masto_app(server, conformance)
    with pytest.raises(MastodonIllegalArgumentError, match=r"invalid_grant|400|401"):
        client.log_in(username=alice.email, password="not her password", allow_http=True)
    cli = Toot(server, tmp_path_factory.mktemp("toot"))
    failed = cli.run(
        "login_cli",
        "--instance",
        cli.url,
        "--email",
        alice.email,
        "--password",
        "nope",
        ok=False,
    )
    assert failed.returncode != 0
    assert "Login failed" in failed.stderr and "Traceback" not in failed.stderr


def test_authorization_code_with_mastodon_py(
    server: LiveServer, conformance: Conformance, person: Callable[[str], Person]
) -> None:
    alice = person("alice")
    client = masto_app(server, conformance)
    url = client.auth_request_url(
        redirect_uris="urn:ietf:wg:oauth:2.0:oob", scopes=SCOPES, allow_http=True
    )
    code = approve_in_browser(url, alice)
    assert client.log_in(code=code, scopes=SCOPES, allow_http=True)
    assert client.account_verify_credentials()["id"] == alice.id
    # An authorization code is single-use.
    with pytest.raises(MastodonIllegalArgumentError):
        masto_app(server, conformance).log_in(code=code, scopes=SCOPES, allow_http=True)


def test_authorization_code_with_toot(
    server: LiveServer, person: Callable[[str], Person], tmp_path_factory: pytest.TempPathFactory
) -> None:
    alice = person("alice")
    cli = Toot(server, tmp_path_factory.mktemp("toot"))
    done = cli.login_browser(alice)  # toot login: prints URL, asks for the code
    assert done.returncode == 0, f"stdout: {done.stdout}\nstderr: {done.stderr}"
    assert "Successfully logged in" in done.stdout
    assert cli.json("whoami")["username"] == alice.username


def test_bad_token_is_401(server: LiveServer, conformance: Conformance) -> None:
    client = Mastodon(
        access_token="not-a-real-token", api_base_url=server.url, session=conformance.session()
    )
    with pytest.raises(MastodonUnauthorizedError) as caught:
        client.account_verify_credentials()
    assert caught.value.args[1] == 401
    assert caught.value.args[3]  # a message, e.g. "The access token is invalid"


def test_bad_token_with_toot(
    server: LiveServer, person: Callable[[str], Person], toot: Callable[[Person], Toot]
) -> None:
    cli = toot(person("alice"))
    config = cli.config()
    for user in config["users"].values():
        user["access_token"] = "revoked-or-made-up"
    cli.save_config(config)
    failed = cli.run("whoami", ok=False)
    assert failed.returncode != 0
    assert "Traceback" not in failed.stderr
    message = failed.stderr.strip().removeprefix("Error:").strip()
    assert message and "Unknown error" not in message, failed.stderr
