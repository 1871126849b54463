"""JSON answers are gzipped for clients that accept it (compression.GzipJSON), as Mastodon's
nginx does: smaller on the wire, the same JSON after decoding, never a stream or a tiny body."""

from __future__ import annotations

import gzip
import json
from collections.abc import Callable

import pytest
from starlette.testclient import TestClient

from staffroom.compression import accepts_gzip
from tests.conftest import User


def _raw(client: TestClient, path: str, user: User, encoding: str) -> tuple[dict[str, str], bytes]:
    with client.stream(
        "GET", path, headers={**user.headers, "Accept-Encoding": encoding}
    ) as answer:
        assert answer.status_code == 200
        return dict(answer.headers), b"".join(answer.iter_raw())


def test_a_timeline_is_gzipped_when_the_client_accepts_it(
    client: TestClient, make_user: Callable[..., User]
) -> None:
    alice = make_user("alice")
    for n in range(12):
        client.post("/api/v1/statuses", headers=alice.headers, json={"status": f"Post {n}"})
    path = "/api/v1/timelines/home?limit=20"

    packed_headers, packed = _raw(client, path, alice, "gzip, deflate")
    plain_headers, plain = _raw(client, path, alice, "identity")

    assert packed_headers["content-encoding"] == "gzip"
    assert "Accept-Encoding" in packed_headers["vary"] and "Origin" in packed_headers["vary"]
    assert int(packed_headers["content-length"]) == len(packed) < len(plain) / 3
    assert json.loads(gzip.decompress(packed)) == json.loads(plain)
    assert "content-encoding" not in plain_headers
    assert "link" in packed_headers  # the other headers kept


def test_small_answers_and_refusals_stay_plain(
    client: TestClient, make_user: Callable[..., User]
) -> None:
    alice = make_user("alice")
    headers, body = _raw(client, "/api/v1/timelines/home", alice, "gzip")  # "[]"
    assert "content-encoding" not in headers and body == b"[]"
    headers, _ = _raw(client, "/api/v1/instance", alice, "gzip;q=0, identity")
    assert "content-encoding" not in headers


@pytest.mark.parametrize(
    ("header", "accepted"),
    [
        ("gzip", True),
        ("gzip, deflate, br", True),
        ("br;q=1.0, gzip;q=0.5", True),
        ("*", True),
        ("GZIP", True),
        ("identity", False),
        ("gzip;q=0", False),
        ("gzip; q=0.0, identity", False),
        ("deflate, br", False),
        ("", False),
        (None, False),
    ],
)
def test_accept_encoding_is_read_as_rfc_9110_says(header: str | None, accepted: bool) -> None:
    assert accepts_gzip(header) is accepted
