"""The directory's operations (Mastodon's ``GET /api/v1/directory`` with Staffroom's field
filters, and the field set at ``/api/v1/staffroom/directory_fields``) and its entity, for
:mod:`staffroom.api.openapi`. The field parameters listed are the default set's; an instance
with its own fields (``STAFFROOM_DIRECTORY_FIELDS``) accepts its own names instead."""

from __future__ import annotations

from staffroom.api.openapi.dsl import (
    BOOLEAN,
    INTEGER,
    STRING,
    Operation,
    Schema,
    array,
    enum,
    obj,
    ref,
)
from staffroom.services.directory_fields import DEFAULT_FIELDS

DIRECTORY_FIELD = obj(
    {
        "name": STRING,
        "label": STRING,
        "max_values": INTEGER,
        "choices": array(obj({"value": STRING, "label": STRING})),
    }
)
SCHEMAS: dict[str, Schema] = {"DirectoryField": DIRECTORY_FIELD}

_FIELD_QUERY: dict[str, Schema] = {}
for _field in DEFAULT_FIELDS:
    _FIELD_QUERY[_field.name] = enum(*_field.values())
    _FIELD_QUERY[f"{_field.name}[]"] = array(enum(*_field.values()))

DIRECTORY_OPERATIONS: list[Operation] = [
    Operation(
        "GET",
        "/api/v1/directory",
        "People listed in the directory (filtered by the instance's fields)",
        array(ref("Account")),
        "read:accounts",
        optional_auth=True,
        query={
            "offset": INTEGER,
            "limit": INTEGER,
            "order": enum("active", "new"),
            "local": BOOLEAN,
            **_FIELD_QUERY,
        },
    ),
    Operation(
        "GET",
        "/api/v1/staffroom/directory_fields",
        "The fields people describe themselves with in the directory (Staffroom)",
        array(ref("DirectoryField")),
    ),
]
