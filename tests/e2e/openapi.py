"""Validate JSON responses against Mastodon's OpenAPI 3.1 description (shared/conformance).

``MastodonSchema.problems(method, path, status, body)`` finds the operation whose path
template matches, picks the response schema for ``status`` and validates ``body`` with
``jsonschema`` (OpenAPI 3.1 schemas are JSON Schema 2020-12; ``$ref``s resolve through a
``referencing`` registry holding the whole document). Formats are checked (``date-time``
via rfc3339, ``uri`` must be absolute). The one allow-list of known schema gaps is
``KNOWN_GAPS`` below.
"""

from __future__ import annotations

import fnmatch
import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from jsonschema import Draft202012Validator, FormatChecker  # type: ignore[import-untyped]
from jsonschema.exceptions import ValidationError, best_match  # type: ignore[import-untyped]
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

SCHEMA_PATH = (
    Path(__file__).resolve().parents[3]
    / "shared"
    / "conformance"
    / "mastodon-openapi"
    / "schema.json"
)
_DOC_URI = "urn:mastodon-openapi"


@dataclass(frozen=True)
class Gap:
    """A documented difference between the OpenAPI file and real Mastodon."""

    method: str  # fnmatch pattern, e.g. "*"
    path: str  # fnmatch pattern over the OpenAPI path template
    status: int
    location: str  # fnmatch pattern over the error location, e.g. "$.details"
    keyword: str  # the failing JSON Schema keyword, e.g. "required" or "format"
    reason: str
    only_value: object = ...  # if given, the gap covers only this offending value


# The ONLY allow-list. Each entry is a place where the generated schema disagrees with what
# Mastodon itself sends (so a faithful server fails validation there too).
KNOWN_GAPS: tuple[Gap, ...] = (
    # Mastodon renders ActiveRecord::RecordInvalid as {"error": "Validation failed: ..."}
    # with no "details" (only sign-up errors carry details); the schema requires "details"
    # on every 422 (e.g. an over-long status).
    Gap("*", "*", 422, "$.details", "required", "Mastodon's generic 422 has no details"),
    # With no contact address configured Mastodon sends "email": "" (site_contact_email
    # defaults to ''), which is not format "email".
    Gap("GET", "/api/v[12]/instance", 200, "$*.email", "format", "no contact e-mail: ''", ""),
    # Api::V2::Filters::StatusesController#destroy answers render_empty ({}); the schema
    # says a FilterStatus.
    # GET /api/v1/filters answers an array of V1::Filter (the schema's own description says
    # "List of"), the schema an object.
    Gap("GET", "/api/v1/filters", 200, "$", "type", "an array of V1::Filter"),
    Gap("DELETE", "/api/v2/filters/statuses/{id}", 200, "$.*", "required", "render_empty: {}"),
    # Mastodon's preview cards default author_url and embed_url to '' (a link with no known
    # author, not a photo), which is not format "uri".
    Gap("GET", "/api/v1/trends/links", 200, "$*.author_url", "format", "no author: ''", ""),
    Gap("GET", "/api/v1/trends/links", 200, "$*.embed_url", "format", "no embed: ''", ""),
)


def _uri(value: object) -> bool:
    if not isinstance(value, str):
        return True
    parts = urlsplit(value)
    return bool(parts.scheme and (parts.netloc or parts.scheme in ("urn", "mailto")))


_FORMATS = FormatChecker(formats=("date-time", "date", "email"))
_FORMATS.checks("uri")(_uri)


def _location(error: ValidationError) -> str:
    """``$.a[*].b`` plus the missing property for ``required`` errors."""
    where = re.sub(r"\[\d+\]", "[*]", error.json_path)
    if error.validator == "required":
        missing = re.match(r"'([^']+)' is a required property", error.message)
        if missing:
            where = f"{where}.{missing.group(1)}"
    return where


def _is_known_gap(method: str, template: str, status: int, error: ValidationError) -> bool:
    where = _location(error)
    return any(
        fnmatch.fnmatchcase(method, gap.method)
        and fnmatch.fnmatchcase(template, gap.path)
        and status == gap.status
        and fnmatch.fnmatchcase(where, gap.location)
        and error.validator == gap.keyword
        and (gap.only_value is ... or error.instance == gap.only_value)
        for gap in KNOWN_GAPS
    )


def _pointer(*parts: str) -> str:
    return "/".join(p.replace("~", "~0").replace("/", "~1") for p in parts)


class MastodonSchema:
    """The loaded OpenAPI document with operation lookup and response validation."""

    def __init__(self, path: Path = SCHEMA_PATH) -> None:
        self.document: dict[str, Any] = json.loads(path.read_text())
        # The one correction of the document itself: Status.quote is oneOf [Quote,
        # ShallowQuote, null], but ShallowQuote requires only "state", so every Quote
        # Mastodon sends matches both and fails "oneOf"; read as anyOf (tests check each
        # quote against its own entity with ``entity_problems``).
        quote = self.document["components"]["schemas"]["Status"]["properties"]["quote"]
        if "oneOf" in quote:
            quote["anyOf"] = quote.pop("oneOf")
        resource = Resource.from_contents(self.document, default_specification=DRAFT202012)
        self.registry: Registry[Any] = Registry().with_resource(_DOC_URI, resource)
        self._templates: list[tuple[re.Pattern[str], str]] = []
        ordered = sorted(
            self.document["paths"], key=lambda t: (t.count("{"), -len(t.split("{", 1)[0]))
        )
        for template in ordered:
            pattern = re.escape(template)
            pattern = re.sub(r"\\\{[^}]+\\\}", "[^/]+", pattern)
            self._templates.append((re.compile(f"^{pattern}/?$"), template))

    def template_for(self, method: str, path: str) -> str | None:
        """The OpenAPI path template serving ``method path``, if any."""
        for regex, template in self._templates:
            if regex.match(path) and method.lower() in self.document["paths"][template]:
                return template
        return None

    def _schema_ref(self, template: str, method: str, status: int) -> str | None:
        responses = self.document["paths"][template][method.lower()]["responses"]
        for key in (str(status), f"{status // 100}XX", "default"):
            if key in responses:
                content = responses[key].get("content", {}).get("application/json")
                if content is None or "schema" not in content:
                    return None
                return _pointer(
                    "paths",
                    template,
                    method.lower(),
                    "responses",
                    key,
                    "content",
                    "application/json",
                    "schema",
                )
        if status >= 400:  # Mastodon's uniform error entity
            return "components/schemas/Error"
        return ""

    def problems(self, method: str, path: str, status: int, body: Any) -> list[str]:
        """Why ``body`` does not fit the documented response (empty list: it fits)."""
        template = self.template_for(method, path)
        if template is None:
            return [f"no operation {method} {path} in the Mastodon OpenAPI description"]
        ref = self._schema_ref(template, method, status)
        if ref == "":
            return [f"status {status} is not documented for {method} {template}"]
        if ref is None:
            return []
        validator = self._validator(ref)
        errors = [
            e for e in validator.iter_errors(body) if not _is_known_gap(method, template, status, e)
        ]
        if not errors:
            return []
        worst = best_match(errors)
        lines = [f"{method} {template} -> {status}: {len(errors)} schema error(s)"]
        for error in [worst, *[e for e in errors if e is not worst]][:6]:
            detail = best_match([error, *error.context]) if error.context else error
            lines.append(f"  at {detail.json_path}: {detail.message[:300]}")
        return lines

    def entity_problems(self, name: str, body: Any) -> list[str]:
        """Why ``body`` is not a valid ``components/schemas/<name>`` (empty list: it is)."""
        validator = self._validator(f"components/schemas/{name}")
        return [f"at {e.json_path}: {e.message[:300]}" for e in validator.iter_errors(body)]

    @cache  # noqa: B019 - one schema object per test session
    def _validator(self, ref: str) -> Draft202012Validator:
        return Draft202012Validator(
            {"$ref": f"{_DOC_URI}#/{ref}"}, registry=self.registry, format_checker=_FORMATS
        )


@cache
def mastodon_schema() -> MastodonSchema:
    """The process-wide loaded schema (parsing it takes ~100 ms)."""
    return MastodonSchema()
