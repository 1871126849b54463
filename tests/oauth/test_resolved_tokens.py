"""Tokens this process resolved lately are kept briefly, and never trusted after a
revocation (``services.tokens.ResolvedTokens``)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from starlette.testclient import TestClient

from staffroom.runtime import Runtime
from staffroom.services import tokens
from staffroom.services.tokens import RESOLVED, ResolvedTokens, hash_token, resolve_token
from tests.conftest import User

UserFactory = Callable[..., User]
WHOAMI = "/api/v1/accounts/verify_credentials"


def test_an_entry_counts_only_in_its_generation_and_until_it_lapses(
    runtime: Runtime, make_user: UserFactory
) -> None:
    alice = make_user("alice")
    info = runtime.db.read(resolve_token, alice.token)
    assert info is not None
    kept = ResolvedTokens(ttl=60)
    before = kept.generation
    kept.put("h", info, before)
    assert kept.get("h") is info
    kept.forget_all()
    assert kept.get("h") is None
    kept.put("h", info, before)  # read before the revocation: not kept
    assert kept.get("h") is None
    lapsed = ResolvedTokens(ttl=-1)
    lapsed.put("h", info, lapsed.generation)
    assert lapsed.get("h") is None


def test_a_read_that_races_a_revocation_is_not_trusted(
    runtime: Runtime, make_user: UserFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    alice = make_user("alice")
    RESOLVED.forget_all()
    read = tokens._read_token

    def revoked_meanwhile(conn: object, token_hash: str) -> object:
        found = read(conn, token_hash)  # type: ignore[arg-type]
        RESOLVED.forget_all()  # another request revokes the token, after this read
        return found

    monkeypatch.setattr(tokens, "_read_token", revoked_meanwhile)
    assert runtime.db.read(resolve_token, alice.token) is not None
    assert RESOLVED.get(hash_token(alice.token)) is None


def test_valid_tokens_are_kept_and_unknown_ones_are_not(
    client: TestClient, make_user: UserFactory
) -> None:
    alice = make_user("alice")
    assert client.get(WHOAMI, headers=alice.headers).status_code == 200
    assert RESOLVED.get(hash_token(alice.token)) is not None
    unknown = client.get(WHOAMI, headers={"Authorization": "Bearer not-a-token"})
    assert unknown.status_code == 401
    assert RESOLVED.get(hash_token("not-a-token")) is None  # may be issued elsewhere later
