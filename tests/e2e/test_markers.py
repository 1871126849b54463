"""Read markers with a real client against a live server: Mastodon.py's ``markers_set`` and
``markers_get``; every JSON answer is checked against the Mastodon OpenAPI description."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from mastodon import Mastodon

from tests.e2e.clients import Person

pytestmark = pytest.mark.e2e

Masto = Callable[[Person], Mastodon]


def test_mastodon_py_sets_and_reads_markers(person: Callable[[str], Person], masto: Masto) -> None:
    as_alice = masto(person("alice"))
    assert dict(as_alice.markers_get(["home", "notifications"])) == {}
    first = as_alice.status_post("Marking my place")
    made = as_alice.markers_set(["home"], [first["id"]])
    assert str(made["home"]["last_read_id"]) == str(first["id"])
    assert made["home"]["version"] == 0

    second = as_alice.status_post("And further on")
    moved = as_alice.markers_set(["home"], [second["id"]])
    assert moved["home"]["version"] == 1

    read = as_alice.markers_get(["home", "notifications"])
    assert list(read) == ["home"]
    assert str(read["home"]["last_read_id"]) == str(second["id"])
    assert read["home"]["version"] == 1
    assert read["home"]["updated_at"] is not None
