"""Reading a web form with the same edge checks as the API's parameters."""

from __future__ import annotations

from starlette.datastructures import FormData
from starlette.requests import Request

from staffroom.errors import BadRequest
from staffroom.input import refuse_forbidden_characters


async def read_form(request: Request) -> FormData:
    """The submitted form; 400 if it cannot be read, 422 for a NUL character in it."""
    try:
        form = await request.form(max_files=4, max_fields=200)
    except Exception:
        raise BadRequest("The form could not be read") from None
    for key, value in form.multi_items():
        refuse_forbidden_characters(key)
        if isinstance(value, str):
            refuse_forbidden_characters(value, key)
    return form
