"""Validate entities against Mastodon's OpenAPI schema (JSON Schema 2020-12 components)."""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from tests.conftest import SHARED

_URI = "urn:mastodon-openapi"


@lru_cache(maxsize=1)
def _registry() -> Registry:
    document = json.loads((SHARED / "conformance/mastodon-openapi/schema.json").read_text())
    return Registry().with_resource(_URI, Resource.from_contents(document, DRAFT202012))


def schema_errors(component: str, entity: Any) -> list[str]:
    """Messages for every way ``entity`` breaks ``#/components/schemas/<component>``."""
    validator = Draft202012Validator(
        {"$ref": f"{_URI}#/components/schemas/{component}"}, registry=_registry()
    )
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(entity)]


def component_keys(component: str) -> set[str]:
    """The property names a component declares."""
    contents = _registry().contents(_URI)
    return set(contents["components"]["schemas"][component]["properties"])
