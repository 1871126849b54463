"""Reading a web form with the same edge checks as the API's parameters, and the preamble
every changing form shares (sign-in, CSRF, rate limit)."""

from __future__ import annotations

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response

from staffroom.errors import BadRequest, RateLimited
from staffroom.input import refuse_forbidden_characters
from staffroom.runtime import runtime_of
from staffroom.services.login import SessionUser
from staffroom.services.ratelimits import account_refusal
from staffroom.web.csrf import check_csrf
from staffroom.web.i18n import N_
from staffroom.web.render import redirect
from staffroom.web.session import current_user


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


def form_text(value: object) -> str:
    """A text field's value, or ``""`` for a missing field or a file."""
    return value if isinstance(value, str) else ""


async def signed_in_form(
    request: Request, *, back_to: str = "/"
) -> tuple[SessionUser, FormData] | Response:
    """The signed-in viewer and their checked form (CSRF, the account's rate limit), or a
    redirect to the sign-in page (then on to ``back_to``). Every web form that changes
    something starts here."""
    viewer = await current_user(request)
    if viewer is None:
        return redirect(f"/auth/sign_in?next={back_to}")
    form = await read_form(request)
    check_csrf(request, form)
    rt = runtime_of(request)
    if account_refusal(rt.extras, rt.settings, viewer.account_id) is not None:
        raise RateLimited(N_("You are doing that too often. Please wait a few minutes."))
    return viewer, form
