"""The OpenAPI 3.1 document: :data:`~.operations.OPERATIONS` with :data:`~.entities.SCHEMAS`."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from staffroom import __version__
from staffroom.api.openapi.dsl import ID, STRING, Operation, Schema, obj, ref
from staffroom.api.openapi.entities import SCHEMAS
from staffroom.api.openapi.operations import NEVER, OPERATIONS

# Answers any operation may give besides 200: each is an ``Error`` with a message for people.
ERRORS = {
    "400": "The request is malformed",
    "401": "No valid access token",
    "403": "The token lacks the scope, or the action is not allowed",
    "404": "No such record, or not visible to the caller",
    "410": "Gone",
    "409": "Changed meanwhile by another request (a marker's version): read it again and retry",
    "413": "The request body is too large",
    "422": "Validation failed (a ValidationError has ``details``)",
    "429": "Too many requests (Retry-After says when to try again)",
    "503": "The database or Redis is not answering (Retry-After)",
    "507": "The server's storage is full",
}
_PATH_PARAM = re.compile(r"\{(\w+)\}")


def _parameters(op: Operation) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = [
        {"name": name, "in": "path", "required": True, "schema": ID if name == "id" else STRING}
        for name in _PATH_PARAM.findall(op.path)
    ]
    for name, schema in op.query.items():
        found.append(
            {"name": name, "in": "query", "required": name in op.required_query, "schema": schema}
        )
    return found


def _operation(op: Operation) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "summary": op.summary,
        "operationId": f"{op.method.lower()}{re.sub(r'[^A-Za-z0-9]+', '_', op.path)}",
        "parameters": _parameters(op),
        "responses": {
            **(
                {}
                if op.ok == NEVER
                else {"200": {"description": "OK", "content": {op.media_type: {"schema": op.ok}}}}
            ),
            **{
                status: {"description": text, "content": {op.media_type: {"schema": op.ok}}}
                for status, text in op.also_ok.items()
            },
            **{
                status: {
                    "description": text,
                    "content": {"application/json": {"schema": ref("Error")}},
                }
                for status, text in ERRORS.items()
            },
        },
    }
    if op.body is not None:
        body: Schema = obj({k: v for k, v in op.body.items() if k in op.required_body})
        body["properties"] = dict(op.body)
        entry["requestBody"] = {
            "required": bool(op.required_body),
            "content": {"application/json": {"schema": body}},
        }
    if op.scope is not None:
        entry["security"] = [{"OAuth2": [op.scope]}] + ([{}] if op.optional_auth else [])
    if op.paginated:
        entry["responses"]["200"]["headers"] = {
            "Link": {"description": "next and prev pages", "schema": STRING}
        }
    return entry


@lru_cache(maxsize=4)
def openapi_document(base_url: str) -> dict[str, Any]:
    """The whole description, with ``base_url`` as its server."""
    paths: dict[str, dict[str, Any]] = {}
    for op in OPERATIONS:
        paths.setdefault(op.path, {})[op.method.lower()] = _operation(op)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Staffroom client API",
            "version": __version__,
            "description": (
                "Mastodon's client API as Staffroom implements it: the operations listed "
                "here answer as Mastodon's documentation describes."
            ),
        },
        "servers": [{"url": base_url}],
        "paths": paths,
        "components": {
            "schemas": SCHEMAS,
            "securitySchemes": {
                "OAuth2": {
                    "type": "oauth2",
                    "flows": {
                        "authorizationCode": {
                            "authorizationUrl": f"{base_url}/oauth/authorize",
                            "tokenUrl": f"{base_url}/oauth/token",
                            "scopes": {},
                        },
                        "clientCredentials": {"tokenUrl": f"{base_url}/oauth/token", "scopes": {}},
                    },
                }
            },
        },
    }
