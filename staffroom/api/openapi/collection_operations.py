"""Starter packs (Mastodon 4.6's collections): operations and entities, for
:mod:`staffroom.api.openapi`. Staffroom adds ``reason`` to ``CollectionItem``."""

from __future__ import annotations

from staffroom.api.openapi.dsl import (
    BOOLEAN,
    DATE_TIME,
    ID,
    INTEGER,
    STRING,
    URL,
    Operation,
    Schema,
    array,
    enum,
    nullable,
    obj,
    ref,
)

COLLECTION_ITEM = obj(
    {
        "id": ID,
        "state": enum("pending", "accepted", "rejected", "revoked"),
        "created_at": DATE_TIME,
    },
    {"account_id": nullable(ID), "reason": STRING},
)
COLLECTION = obj(
    {
        "id": ID,
        "uri": URL,
        "name": STRING,
        "description": STRING,
        "account_id": ID,
        "local": BOOLEAN,
        "sensitive": BOOLEAN,
        "discoverable": BOOLEAN,
        "item_count": INTEGER,
        "created_at": DATE_TIME,
        "updated_at": DATE_TIME,
        "items": array(ref("CollectionItem")),
    },
    {
        "url": nullable(URL),
        "language": nullable(STRING),
        "tag": {"anyOf": [obj({"name": STRING, "url": URL}), {"type": "null"}]},
    },
)
SCHEMAS: dict[str, Schema] = {
    "Collection": COLLECTION,
    "CollectionItem": COLLECTION_ITEM,
    "CollectionWithAccounts": obj(
        {"accounts": array(ref("Account")), "collection": ref("Collection")}
    ),
    "WrappedCollection": obj({"collection": ref("Collection")}),
    "WrappedCollectionItem": obj({"collection_item": ref("CollectionItem")}),
    "Collections": obj({"collections": array(ref("Collection"))}),
}

_FIELDS: dict[str, Schema] = {
    "name": STRING,
    "description": STRING,
    "language": STRING,
    "sensitive": BOOLEAN,
    "discoverable": BOOLEAN,
    "tag_name": STRING,
}
_WINDOW: dict[str, Schema] = {"limit": INTEGER, "offset": INTEGER}
_READ = "read:collections"
_WRITE = "write:collections"

COLLECTION_OPERATIONS: list[Operation] = [
    Operation(
        "POST",
        "/api/v1/collections",
        "Make a starter pack",
        ref("WrappedCollection"),
        _WRITE,
        body={**_FIELDS, "account_ids[]": array(ID)},
        required_body=("name",),
    ),
    Operation(
        "GET",
        "/api/v1/collections/{id}",
        "A starter pack with its accounts",
        ref("CollectionWithAccounts"),
        _READ,
        optional_auth=True,
    ),
    Operation(
        "PATCH",
        "/api/v1/collections/{id}",
        "Change one's starter pack",
        ref("WrappedCollection"),
        _WRITE,
        body=_FIELDS,
    ),
    Operation(
        "DELETE", "/api/v1/collections/{id}", "Delete one's starter pack", ref("Empty"), _WRITE
    ),
    Operation(
        "POST",
        "/api/v1/collections/{collection_id}/items",
        "Add a person (with a one-line reason)",
        ref("WrappedCollectionItem"),
        _WRITE,
        body={"account_id": ID, "reason": STRING},
        required_body=("account_id",),
    ),
    Operation(
        "DELETE",
        "/api/v1/collections/{collection_id}/items/{id}",
        "Take a person out of one's pack",
        ref("Empty"),
        _WRITE,
    ),
    Operation(
        "POST",
        "/api/v1/collections/{collection_id}/items/{id}/revoke",
        "Remove oneself from someone's pack",
        ref("Empty"),
        _WRITE,
    ),
    Operation(
        "GET",
        "/api/v1/accounts/{id}/collections",
        "An account's starter packs",
        ref("Collections"),
        _READ,
        optional_auth=True,
        query=_WINDOW,
    ),
    Operation(
        "GET",
        "/api/v1/accounts/{id}/in_collections",
        "The starter packs an account is in",
        ref("Collections"),
        _READ,
        optional_auth=True,
        query=_WINDOW,
    ),
]
