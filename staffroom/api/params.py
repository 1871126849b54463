"""Request parameters from the query string and a JSON, form or multipart body.

Mastodon clients send Rails-style keys (``types[]=a&types[]=b``,
``fields_attributes[0][name]=x``) and booleans as ``true``/``false``/``1``/``0``; this module
turns all of them into one typed view so handlers never look at raw bodies.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

import orjson
from starlette.datastructures import UploadFile
from starlette.requests import Request

from staffroom.errors import BadRequest, NotFound, ValidationFailed
from staffroom.ids import MAX_ID, parse_id
from staffroom.input import refuse_forbidden_characters

_KEY_PART = re.compile(r"\[([^\]]*)\]")
_TRUE = {"true", "1", "on", "yes", "t"}
_FALSE = {"false", "0", "off", "no", "f", ""}


def _nest(target: dict[str, Any], key: str, value: Any) -> None:
    """Insert ``value`` at a Rails-style ``key`` (``a[b][]``) into ``target``."""
    head, _, rest = key.partition("[")
    parts = [head, *_KEY_PART.findall("[" + rest)] if rest else [head]
    node: Any = target
    for i, part in enumerate(parts):
        last = i == len(parts) - 1
        nxt = None if last else parts[i + 1]
        if part == "":
            if not isinstance(node, list):
                return
            if last:
                node.append(value)
                return
            node.append({} if nxt != "" else [])
            node = node[-1]
            continue
        if not isinstance(node, dict):
            return
        if last:
            node[part] = value
            return
        if part not in node or not isinstance(node[part], dict | list):
            node[part] = [] if nxt == "" else {}
        node = node[part]


_Str = str
_Int = int
_Bool = bool
_List = list
_Dict = dict


class Params:
    """Typed access to merged request parameters (body wins over query string)."""

    def __init__(self, data: dict[_Str, Any]) -> None:
        self.data = data

    def __contains__(self, name: _Str) -> _Bool:
        return name in self.data

    def raw(self, name: _Str) -> Any:
        return self.data.get(name)

    def str(self, name: _Str, default: _Str | None = None) -> _Str | None:
        value = self.data.get(name)
        if value is None:
            return default
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, int | float):
            return str(value)
        if not isinstance(value, str):
            raise ValidationFailed(f"{name} must be a string")
        return value

    def int(self, name: _Str, default: _Int | None = None) -> _Int | None:
        value = self.data.get(name)
        if value is None or value == "":
            return default
        if isinstance(value, bool):
            raise ValidationFailed(f"{name} must be a number")
        text = value.strip() if isinstance(value, str) else value
        if isinstance(text, str):
            negative = text.startswith("-")
            digits = text[1:] if negative else text
            if not (digits.isascii() and digits.isdigit() and len(digits) <= 19):
                raise ValidationFailed(f"{name} must be a number")
            number = -int(digits) if negative else int(digits)
        elif isinstance(text, int):
            number = text
        else:
            raise ValidationFailed(f"{name} must be a number")
        if abs(number) > MAX_ID:
            raise ValidationFailed(f"{name} is out of range")
        return number

    def bool(self, name: _Str, default: _Bool = False) -> _Bool:
        value = self.data.get(name)
        if value is None:
            return default
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
        raise ValidationFailed(f"{name} must be true or false")

    def list(self, name: _Str) -> _List[_Str]:
        """A list from ``name[]`` / ``name`` (repeated or single), JSON arrays included."""
        value = self.data.get(name)
        if value is None:
            return []
        if isinstance(value, list):
            return [str(v) for v in value if v is not None and not isinstance(v, dict | list)]
        if isinstance(value, dict):
            return [str(v) for v in value.values()]
        return [str(value)]

    def dict(self, name: _Str) -> _Dict[_Str, Any]:
        value = self.data.get(name)
        return value if isinstance(value, dict) else {}

    def file(self, name: _Str) -> UploadFile | None:
        value = self.data.get(name)
        return value if isinstance(value, UploadFile) else None


def _from_pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for key, value in pairs:
        if "[" in key and key.endswith("]"):
            _nest(data, key, value)
        else:
            data[key] = value
    return data


async def read_params(request: Request, *, include_path: bool = True) -> Params:
    """Merge query string, path parameters and body into one :class:`Params`."""
    data = _from_pairs(list(request.query_params.multi_items()))
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    is_json = content_type == "application/json" or content_type.endswith("+json")
    # A JSON body counts on a GET too, as Rails reads it (Mastodon.py sends
    # familiar_followers' ``id`` list that way).
    if is_json or request.method in ("POST", "PUT", "PATCH", "DELETE"):
        if is_json:
            raw = await request.body()
            if raw.strip():
                try:
                    body = orjson.loads(raw)
                except orjson.JSONDecodeError:
                    raise BadRequest("The request body is not valid JSON") from None
                if not isinstance(body, dict):
                    raise BadRequest("The request body must be a JSON object")
                data.update(body)
        elif content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
            try:
                form = await request.form(max_files=4, max_fields=200)
            except Exception:
                raise BadRequest("The request body could not be read as a form") from None
            data.update(_from_pairs(list(form.multi_items())))
    if include_path:
        data.update(request.path_params)
    refuse_forbidden_characters(data)
    return Params(data)


def path_id(request: Request, name: str = "id") -> int:
    """A numeric ID from the path; anything else is a 404, as Mastodon answers."""
    value = parse_id(request.path_params.get(name))
    if value is None:
        raise NotFound()
    return value


def parse_moment(raw: str, name: str) -> datetime:
    """An ISO 8601 date and time (``2026-12-10T18:00:00.000Z``) as an aware UTC datetime; a
    time without a zone is taken as UTC. 422 naming the parameter if it cannot be read."""
    text = raw.strip()
    try:
        moment = datetime.fromisoformat(text[:-1] + "+00:00" if text[-1:] in "Zz" else text)
    except ValueError:
        raise ValidationFailed(
            f"{name} is not a date and time (expected ISO 8601, e.g. 2026-12-10T18:00:00Z)"
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)
