"""Property-based fuzzing of the whole client API from Staffroom's own description.

schemathesis generates requests for every operation ``/api/openapi.json`` describes (valid
data, and data that breaks it), anonymous and with a signed-in user's token, against a
database with a small network in it (posts, a reply, follows, a notification), on the
engine the run uses. Every answer must be no server error and must match the
description: a documented status code, content type and body schema. The run's request
count is printed in the summary.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)
from starlette.testclient import TestClient

from staffroom.api.openapi.operations import OPERATIONS
from tests.api.conftest import REQUESTS
from tests.conftest import User

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
EXAMPLES = 20  # per operation and caller (about 95 operations)


@pytest.fixture
def seeded(client: TestClient, make_user: Callable[..., User]) -> User:
    """alice follows bob; bob posts (tagged, mentioning alice), alice replies and
    favourites: timelines, threads, notifications and relationships have something in them."""
    alice, bob = make_user("alice"), make_user("bob")
    client.post(f"/api/v1/accounts/{bob.id}/follow", headers=alice.headers)
    first = client.post(
        "/api/v1/statuses", headers=bob.headers, json={"status": "Hello #ELTChat @alice"}
    ).json()
    client.post(
        "/api/v1/statuses",
        headers=alice.headers,
        json={"status": "@bob hi", "in_reply_to_id": first["id"]},
    )
    client.post(f"/api/v1/statuses/{first['id']}/favourite", headers=alice.headers)
    return alice


def _cases() -> list[tuple[str, str, GenerationMode]]:
    """Every operation with valid data; those that take input also with invalid data
    (an operation without parameters has nothing to get wrong)."""
    cases = []
    for op in OPERATIONS:
        cases.append((op.method, op.path, GenerationMode.POSITIVE))
        if op.query or op.body or "{id}" in op.path:  # something with a type to break
            cases.append((op.method, op.path, GenerationMode.NEGATIVE))
    return cases


@pytest.mark.parametrize("caller", ["anonymous", "signed-in"])
@pytest.mark.parametrize(("method", "path", "mode"), _cases(), ids=lambda v: str(v))
def test_every_operation_answers_as_described(
    client: TestClient, seeded: User, method: str, path: str, caller: str, mode: GenerationMode
) -> None:
    schema = schemathesis.openapi.from_asgi("/api/openapi.json", client.app)
    operation = schema[path][method]
    headers = seeded.headers if caller == "signed-in" else None

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        database=None,
    )
    def check(case: Any) -> None:
        response = case.call(headers=headers)
        REQUESTS[f"{response.status_code // 100}xx"] += 1
        case.validate_response(response, checks=CHECKS, headers=headers)

    check()
