"""Validate responses against Mastodon's OpenAPI description (``shared/conformance``).

``schema_errors("Instance", body)`` lists where ``body`` breaks the ``Instance`` component
(JSON Schema 2020-12, formats checked); ``unknown_keys`` lists keys the documentation does not
define, so a misspelt attribute cannot slip through (the schema itself allows extra keys).
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from jsonschema import Draft202012Validator  # type: ignore[import-untyped]
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from tests.conftest import SHARED

SCHEMA_FILE = SHARED / "conformance" / "mastodon-openapi" / "schema.json"
_URI = "urn:mastodon-openapi"

# Known gaps between the published schema and what Mastodon (and so Staffroom) really sends,
# as (component, JSON path of the error) -> reason. Keep this short.
KNOWN_GAPS: dict[tuple[str, str], str] = {}
# Keys Staffroom adds on purpose, as (component, JSON path) -> what they are. Keep this short.
EXTENSIONS: dict[tuple[str, str], str] = {
    ("Instance", "$.configuration.collections"): "starter pack limits (Mastodon has no key)",
}


@cache
def _document() -> dict[str, Any]:
    document: dict[str, Any] = json.loads(SCHEMA_FILE.read_text())
    return document


@cache
def _registry() -> Registry[Any]:
    resource: Resource[Any] = Resource.from_contents(_document(), default_specification=DRAFT202012)
    registry: Registry[Any] = Registry().with_resource(_URI, resource)
    return registry


def _validator(schema: dict[str, Any]) -> Draft202012Validator:
    return Draft202012Validator(
        schema, registry=_registry(), format_checker=Draft202012Validator.FORMAT_CHECKER
    )


def component(name: str) -> dict[str, Any]:
    schema: dict[str, Any] = _document()["components"]["schemas"][name]
    return schema


def schema_errors(name: str, body: Any) -> list[str]:
    """Violations of component ``name`` by ``body``, minus the allow-listed gaps."""
    validator = _validator({"$ref": f"{_URI}#/components/schemas/{name}"})
    problems = []
    for error in validator.iter_errors(body):
        where = error.json_path
        if (name, where) not in KNOWN_GAPS:
            problems.append(f"{where}: {error.message}")
    return problems


def response_errors(path: str, body: Any, *, status: str = "200") -> list[str]:
    """Violations of the documented JSON response of ``GET path``."""
    response = _document()["paths"][path]["get"]["responses"][status]
    schema = response["content"]["application/json"]["schema"]
    return [f"{e.json_path}: {e.message}" for e in _validator(schema).iter_errors(body)]


def _resolve(schema: dict[str, Any]) -> dict[str, Any]:
    ref = schema.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/components/schemas/"):
        return _resolve(component(ref.rsplit("/", 1)[1]))
    for choice in schema.get("oneOf", []):
        if choice.get("type") != "null":
            return _resolve(choice)
    return schema


def unknown_keys(name: str, body: Any) -> list[str]:
    """Keys in ``body`` (recursively) that component ``name`` does not document."""
    found: list[str] = []

    def walk(schema: dict[str, Any], value: Any, where: str) -> None:
        schema = _resolve(schema)
        if isinstance(value, dict) and "properties" in schema:
            for key, item in value.items():
                if key not in schema["properties"]:
                    if (name, f"{where}.{key}") not in EXTENSIONS:
                        found.append(f"{where}.{key}")
                else:
                    walk(schema["properties"][key], item, f"{where}.{key}")
        elif isinstance(value, list) and isinstance(schema.get("items"), dict):
            for index, item in enumerate(value):
                walk(schema["items"], item, f"{where}[{index}]")

    walk(component(name), body, "$")
    return found
