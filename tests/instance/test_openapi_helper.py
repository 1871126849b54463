"""The schema helper must be able to fail, or the shape tests prove nothing."""

from __future__ import annotations

from starlette.testclient import TestClient

from tests.instance.openapi import schema_errors, unknown_keys


def test_schema_errors_report_missing_and_mistyped_attributes(client: TestClient) -> None:
    body = client.get("/api/v2/instance").json()
    del body["domain"]
    body["configuration"]["statuses"]["max_characters"] = "140"
    body["contact"]["email"] = "not an address"
    errors = schema_errors("Instance", body)
    assert any("'domain' is a required property" in e for e in errors)
    assert any("max_characters" in e and "not of type 'integer'" in e for e in errors)
    assert any("email" in e for e in errors)


def test_schema_errors_follow_references_into_nested_entities(client: TestClient) -> None:
    body = client.get("/api/v1/instance").json()
    body["contact_account"] = {"id": "1"}
    assert any("contact_account" in e for e in schema_errors("V1Instance", body))


def test_unknown_keys_catch_misspelt_attributes(client: TestClient) -> None:
    body = client.get("/api/v2/instance").json()
    body["configuration"]["statuses"]["max_charactres"] = 140
    body["usage"]["user"] = {}
    assert sorted(unknown_keys("Instance", body)) == [
        "$.configuration.statuses.max_charactres",
        "$.usage.user",
    ]
