"""Small constructors for JSON Schema (OpenAPI 3.1 dialect) fragments."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

Schema = dict[str, Any]
JSON = "application/json"

STRING: Schema = {"type": "string"}
INTEGER: Schema = {"type": "integer"}
NUMBER: Schema = {"type": "number"}
BOOLEAN: Schema = {"type": "boolean"}
DATE_TIME: Schema = {"type": "string", "format": "date-time"}
DATE: Schema = {"type": "string", "format": "date"}
URL: Schema = {"type": "string", "format": "uri"}
ID: Schema = {"type": "string", "pattern": "^[0-9]+$"}  # 64-bit IDs travel as strings
ANY_OBJECT: Schema = {"type": "object"}


def ref(name: str) -> Schema:
    return {"$ref": f"#/components/schemas/{name}"}


def nullable(schema: Schema) -> Schema:
    """``schema`` or ``null``."""
    if "$ref" in schema:
        return {"anyOf": [schema, {"type": "null"}]}
    kind = schema.get("type")
    if isinstance(kind, str):
        return {**schema, "type": [kind, "null"]}
    return {"anyOf": [schema, {"type": "null"}]}


def array(items: Schema) -> Schema:
    return {"type": "array", "items": items}


def enum(*values: str) -> Schema:
    return {"type": "string", "enum": list(values)}


def obj(required: dict[str, Schema], optional: dict[str, Schema] | None = None) -> Schema:
    """An object that always has the ``required`` properties and may have the others."""
    properties = {**required, **(optional or {})}
    return {"type": "object", "properties": properties, "required": sorted(required)}


def empty_object() -> Schema:
    return {"type": "object", "maxProperties": 0}


@dataclass(frozen=True)
class Operation:
    method: str
    path: str  # OpenAPI form: /api/v1/statuses/{id}
    summary: str
    ok: Schema  # the 200 answer's body
    scope: str | None = None  # the OAuth scope it needs; None: anyone may call it
    optional_auth: bool = False  # anyone may call it; a token (with ``scope``) adds to it
    query: dict[str, Schema] = field(default_factory=dict)
    required_query: tuple[str, ...] = ()
    body: dict[str, Schema] | None = None
    required_body: tuple[str, ...] = ()
    media_type: str = JSON
    paginated: bool = False
    # Other success statuses answering the same body (202/206 while media are processed).
    also_ok: dict[str, str] = field(default_factory=dict)
