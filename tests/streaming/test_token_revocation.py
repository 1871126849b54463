"""A token revoked in another process stops working in this one as soon as the broker brings
the news (``Runtime.tokens_revoked``); runs on the in-process and on the Redis broker."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from sqlalchemy import Connection, update
from starlette.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from staffroom.db.tables import access_tokens
from staffroom.runtime import Runtime
from staffroom.services.tokens import REVOKED_CHANNEL, hash_token
from tests.conftest import User
from tests.streaming.conftest import receive_json

WHOAMI = "/api/v1/accounts/verify_credentials"


def test_a_revocation_elsewhere_reaches_this_process_through_the_broker(
    client: TestClient, runtime: Runtime, make_user: Callable[..., User]
) -> None:
    alice = make_user("alice")
    assert client.get(WHOAMI, headers=alice.headers).status_code == 200  # resolved, kept

    def revoke_as_another_process(conn: Connection) -> None:  # the row only, not our memory
        conn.execute(
            update(access_tokens)
            .where(access_tokens.c.token_hash == hash_token(alice.token))
            .values(revoked_at=datetime.now(UTC))
        )

    runtime.db.write(revoke_as_another_process)
    assert client.get(WHOAMI, headers=alice.headers).status_code == 200  # not told yet
    assert client.portal is not None
    client.portal.call(runtime.broker.publish, REVOKED_CHANNEL, "1")  # what it then sends
    deadline = time.monotonic() + 5
    while client.get(WHOAMI, headers=alice.headers).status_code != 401:
        assert time.monotonic() < deadline, "the broker's news did not arrive"
        time.sleep(0.02)


def test_an_open_stream_closes_within_two_seconds_of_a_revocation_anywhere(
    client: TestClient, runtime: Runtime, make_user: Callable[..., User]
) -> None:
    """Not at the next periodic re-check (60 s): the broker's news triggers one at once."""
    alice = make_user("alice")
    with client.websocket_connect(
        "/api/v1/streaming?stream=public", subprotocols=[alice.token]
    ) as ws:

        def revoke_as_another_process(conn: Connection) -> None:
            conn.execute(
                update(access_tokens)
                .where(access_tokens.c.token_hash == hash_token(alice.token))
                .values(revoked_at=datetime.now(UTC))
            )

        runtime.db.write(revoke_as_another_process)
        assert client.portal is not None
        began = time.monotonic()
        client.portal.call(runtime.broker.publish, REVOKED_CHANNEL, "1")
        with pytest.raises(WebSocketDisconnect) as closed:
            receive_json(ws, timeout=2.0)
        assert closed.value.code == 1008
        assert time.monotonic() - began < 2.0
