"""``/api/openapi.json``: Staffroom's description of itself, checked three ways.

1. It is a valid OpenAPI 3.1 document.
2. It lists exactly the JSON API the routes answer (no route undescribed, no description
   without a route).
3. Where Mastodon has the same operation, every property Mastodon's description requires
   of the answer is one Staffroom's description requires too, with the same JSON type.
"""

from __future__ import annotations

import json
import re
from functools import cache
from typing import Any

from openapi_spec_validator import validate
from starlette.routing import Route
from starlette.testclient import TestClient

from staffroom.app import all_routes
from staffroom.middleware import is_api_path
from tests.e2e.openapi import SCHEMA_PATH

# Routes under API prefixes that are not JSON operations: server-sent event streams and the
# WebSocket handshake (their protocol is tested in tests/streaming), and media files.
NOT_OPERATIONS = {("GET", "/api/v1/streaming"), ("GET", "/api/v1/streaming/{name}")}
_CONVERTER = re.compile(r"\{(\w+):\w+\}")


def _served() -> set[tuple[str, str]]:
    found = set()
    for route in all_routes():
        if not isinstance(route, Route):
            continue
        path = _CONVERTER.sub(r"{\1}", route.path)
        if not is_api_path(path):
            continue
        for method in (route.methods or set()) - {"HEAD"}:
            found.add((method, path))
    return found - NOT_OPERATIONS


def _described(doc: dict[str, Any]) -> set[tuple[str, str]]:
    return {(m.upper(), p) for p, ops in doc["paths"].items() for m in ops}


def _document(client: TestClient) -> dict[str, Any]:
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    doc: dict[str, Any] = response.json()
    return doc


def test_the_document_is_valid_openapi(client: TestClient) -> None:
    doc = _document(client)
    validate(doc)
    assert doc["openapi"] == "3.1.0"
    assert doc["servers"] == [{"url": "http://testserver"}]


def test_it_describes_exactly_the_routes_that_answer(client: TestClient) -> None:
    described, served = _described(_document(client)), _served()
    assert served - described == set(), "routes without a description"
    assert described - served == set(), "descriptions without a route"


@cache
def _mastodon() -> dict[str, Any]:
    doc: dict[str, Any] = json.loads(SCHEMA_PATH.read_text())
    return doc


def _resolve(doc: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[1]
        schema = doc["components"]["schemas"][name]
    return schema


def _object_view(doc: dict[str, Any], schema: dict[str, Any]) -> tuple[set[str], dict[str, Any]]:
    """(required names, properties) of an object schema, through refs, allOf and arrays."""
    schema = _resolve(doc, schema)
    if schema.get("type") == "array" and "items" in schema:
        return _object_view(doc, schema["items"])
    required, properties = set(schema.get("required", [])), dict(schema.get("properties", {}))
    for part in schema.get("allOf", []):
        more_required, more_properties = _object_view(doc, part)
        required |= more_required
        properties.update(more_properties)
    return required, properties


def _types(doc: dict[str, Any], schema: dict[str, Any]) -> set[str]:
    schema = _resolve(doc, schema)
    kind = schema.get("type")
    if isinstance(kind, str):
        return {kind}
    if isinstance(kind, list):
        return set(kind)
    found: set[str] = set()
    for option in schema.get("anyOf", []) + schema.get("oneOf", []):
        found |= _types(doc, option)
    return found or {"object"} if "properties" in schema or "allOf" in schema else found


def _ok_schema(doc: dict[str, Any], method: str, path: str) -> dict[str, Any] | None:
    operation = doc["paths"].get(path, {}).get(method.lower())
    if operation is None:
        return None
    content = operation.get("responses", {}).get("200", {}).get("content", {})
    for media in content.values():
        schema: dict[str, Any] = media.get("schema", {})
        return schema
    return None


# Mastodon's description gives these an entity, but its controllers answer ``{}``
# (``render_empty``), as Staffroom does (``tests/e2e/openapi.py`` KNOWN_GAPS says the same).
RENDERED_EMPTY_BY_MASTODON = {("DELETE", "/api/v2/filters/statuses/{id}")}


def test_shared_operations_answer_what_mastodon_requires(client: TestClient) -> None:
    ours, theirs = _document(client), _mastodon()
    compared, problems = 0, []
    for method, path in sorted(_described(ours)):
        their_schema = _ok_schema(theirs, method, path)
        if their_schema is None:
            continue
        our_schema = _ok_schema(ours, method, path)
        if our_schema is None:
            continue  # Staffroom never answers this one with 200 (e.g. no push subscription)
        if our_schema.get("type") == "array" and our_schema.get("maxItems") == 0:
            continue  # always an empty list: nothing in it to disagree about
        if (method, path) in RENDERED_EMPTY_BY_MASTODON:
            continue
        compared += 1
        their_required, their_properties = _object_view(theirs, their_schema)
        our_required, our_properties = _object_view(ours, our_schema)
        for name in sorted(their_required - our_required):
            problems.append(f"{method} {path}: Mastodon requires {name!r}")
        for name in sorted(their_required & our_required):
            their_types = _types(theirs, their_properties.get(name, {}))
            our_types = _types(ours, our_properties.get(name, {}))
            widened = their_types | {"null"} | ({"integer"} if "number" in their_types else set())
            if their_types and our_types and not our_types <= widened:
                problems.append(f"{method} {path}: {name!r} is {our_types}, not {their_types}")
    assert compared >= 50, f"only {compared} operations shared with Mastodon's description"
    assert problems == []
