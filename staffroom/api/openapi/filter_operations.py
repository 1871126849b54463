"""The filters API's operations (Mastodon's v2 filters, their keywords and posts, and v1
filters answered from keywords) and its entities, for :mod:`staffroom.api.openapi`."""

from __future__ import annotations

from staffroom.api.openapi.dsl import (
    BOOLEAN,
    DATE_TIME,
    ID,
    INTEGER,
    STRING,
    Operation,
    Schema,
    array,
    enum,
    nullable,
    obj,
    ref,
)

_CONTEXT = array(enum("home", "notifications", "public", "thread", "account"))
_ACTION = enum("warn", "hide", "blur")

FILTER_KEYWORD = obj({"id": ID, "keyword": STRING, "whole_word": BOOLEAN})
FILTER_STATUS = obj({"id": ID, "status_id": ID})
FILTER = obj(
    {
        "id": ID,
        "title": STRING,
        "context": _CONTEXT,
        "expires_at": nullable(DATE_TIME),
        "filter_action": _ACTION,
    },
    {"keywords": array(ref("FilterKeyword")), "statuses": array(ref("FilterStatus"))},
)
V1_FILTER = obj(
    {
        "id": ID,
        "phrase": STRING,
        "context": _CONTEXT,
        "whole_word": BOOLEAN,
        "expires_at": nullable(DATE_TIME),
        "irreversible": BOOLEAN,
    }
)
SCHEMAS: dict[str, Schema] = {
    "Filter": FILTER,
    "FilterKeyword": FILTER_KEYWORD,
    "FilterStatus": FILTER_STATUS,
    "V1_Filter": V1_FILTER,
}

_FILTER_BODY: dict[str, Schema] = {
    "title": STRING,
    "context[]": _CONTEXT,
    "filter_action": _ACTION,
    "expires_in": INTEGER,
    "keywords_attributes[]": array(
        obj({}, {"id": ID, "keyword": STRING, "whole_word": BOOLEAN, "_destroy": BOOLEAN})
    ),
}
_KEYWORD_BODY: dict[str, Schema] = {"keyword": STRING, "whole_word": BOOLEAN}
_V1_BODY: dict[str, Schema] = {
    "phrase": STRING,
    "context[]": _CONTEXT,
    "irreversible": BOOLEAN,
    "whole_word": BOOLEAN,
    "expires_in": INTEGER,
}
_READ, _WRITE = "read:filters", "write:filters"


op = Operation
_V2, _ONE, _MANY = ref("Filter"), "/api/v2/filters/{id}", "/api/v2/filters"
FILTER_OPERATIONS: list[Operation] = [
    op("GET", _MANY, "Your filters", array(_V2), _READ),
    op(
        "POST",
        _MANY,
        "Make a filter",
        _V2,
        _WRITE,
        body=_FILTER_BODY,
        required_body=("title", "context[]"),
    ),
    op("GET", _ONE, "One of your filters", _V2, _READ),
    op("PUT", _ONE, "Change a filter (keywords too)", _V2, _WRITE, body=_FILTER_BODY),
    op("DELETE", _ONE, "Delete a filter", ref("Empty"), _WRITE),
    op(
        "GET",
        "/api/v2/filters/{filter_id}/keywords",
        "A filter's keywords",
        array(ref("FilterKeyword")),
        _READ,
    ),
    op(
        "POST",
        "/api/v2/filters/{filter_id}/keywords",
        "Add a keyword",
        ref("FilterKeyword"),
        _WRITE,
        body=_KEYWORD_BODY,
        required_body=("keyword",),
    ),
    op("GET", "/api/v2/filters/keywords/{id}", "One keyword", ref("FilterKeyword"), _READ),
    op(
        "PUT",
        "/api/v2/filters/keywords/{id}",
        "Change a keyword",
        ref("FilterKeyword"),
        _WRITE,
        body=_KEYWORD_BODY,
    ),
    op("DELETE", "/api/v2/filters/keywords/{id}", "Remove a keyword", ref("Empty"), _WRITE),
    op(
        "GET",
        "/api/v2/filters/{filter_id}/statuses",
        "A filter's posts",
        array(ref("FilterStatus")),
        _READ,
    ),
    op(
        "POST",
        "/api/v2/filters/{filter_id}/statuses",
        "Add a post to a filter",
        ref("FilterStatus"),
        _WRITE,
        body={"status_id": ID},
        required_body=("status_id",),
    ),
    op("GET", "/api/v2/filters/statuses/{id}", "One filtered post", ref("FilterStatus"), _READ),
    op(
        "DELETE",
        "/api/v2/filters/statuses/{id}",
        "Remove a post from its filter",
        ref("Empty"),
        _WRITE,
    ),
    op(
        "GET",
        "/api/v1/filters",
        "Your filters, one per keyword (v1)",
        array(ref("V1_Filter")),
        _READ,
    ),
    op(
        "POST",
        "/api/v1/filters",
        "Make a filter of one phrase (v1)",
        ref("V1_Filter"),
        _WRITE,
        body=_V1_BODY,
        required_body=("phrase", "context[]"),
    ),
    op("GET", "/api/v1/filters/{id}", "One v1 filter", ref("V1_Filter"), _READ),
    op(
        "PUT", "/api/v1/filters/{id}", "Change a v1 filter", ref("V1_Filter"), _WRITE, body=_V1_BODY
    ),
    op("DELETE", "/api/v1/filters/{id}", "Delete a v1 filter (its keyword)", ref("Empty"), _WRITE),
]
