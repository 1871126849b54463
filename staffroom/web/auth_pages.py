"""Sign-up, sign-in and sign-out pages (``/auth/...``)."""

from __future__ import annotations

from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from staffroom.errors import ValidationFailed
from staffroom.runtime import runtime_of
from staffroom.services.login import check_password_login, end_web_session, start_web_session
from staffroom.services.registration import SignUp, check_sign_up, register
from staffroom.web.csrf import check_csrf, rotate_csrf_cookie
from staffroom.web.forms import read_form
from staffroom.web.i18n import N_
from staffroom.web.render import redirect, render, safe_next
from staffroom.web.session import (
    clear_session_cookie,
    current_user,
    session_token,
    set_session_cookie,
)

BAD_LOGIN = N_("The e-mail address or password is incorrect.")


def _text(form: FormData, name: str) -> str:
    value = form.get(name)
    return value if isinstance(value, str) else ""


async def _signed_in_redirect(request: Request, account_id: int, next_url: str) -> Response:
    """Start a session for ``account_id`` (ending any previous one) and continue."""
    runtime = runtime_of(request)
    previous = session_token(request)
    if previous is not None:
        await runtime.db.awrite(end_web_session, previous)
        runtime.tokens_revoked()
    raw = await runtime.db.awrite(start_web_session, account_id)
    response = redirect(next_url)
    set_session_cookie(response, runtime.settings, raw)
    rotate_csrf_cookie(request, response)
    return response


async def sign_in_form(request: Request) -> Response:
    """``GET /auth/sign_in``: the form; signed-in visitors continue unless ``switch`` is set."""
    viewer = await current_user(request)
    next_url = safe_next(request.query_params.get("next"))
    if viewer is not None and not request.query_params.get("switch"):
        return redirect(next_url, 302)
    return _sign_in_page(request, viewer, next_url, email="", error=None)


def _sign_in_page(
    request: Request, viewer: Any, next_url: str, *, email: str, error: str | None
) -> Response:
    settings = runtime_of(request).settings
    return render(
        request,
        "sign_in.html",
        viewer=viewer,
        status=422 if error else 200,
        next=next_url,
        email=email,
        error=error,
        registrations_open=settings.registrations_open,
    )


async def sign_in(request: Request) -> Response:
    """``POST /auth/sign_in``: check the password off the event loop, then start a session."""
    form = await read_form(request)
    check_csrf(request, form)
    email, password = _text(form, "email").strip(), _text(form, "password")
    next_url = safe_next(_text(form, "next"))
    account_id = await run_in_threadpool(
        check_password_login, runtime_of(request).db, email, password
    )
    if account_id is None:
        viewer = await current_user(request)
        return _sign_in_page(request, viewer, next_url, email=email, error=BAD_LOGIN)
    return await _signed_in_redirect(request, account_id, next_url)


def _sign_up_page(
    request: Request,
    *,
    status: int = 200,
    values: dict[str, str] | None = None,
    errors: dict[str, list[str]] | None = None,
) -> Response:
    settings = runtime_of(request).settings
    return render(
        request,
        "sign_up.html",
        viewer=None,
        status=status,
        registrations_open=settings.registrations_open,
        form=values or {"username": "", "email": ""},
        errors=errors or {},
    )


async def sign_up_form(request: Request) -> Response:
    """``GET /auth/sign_up``: the form, or a notice that sign-ups are closed."""
    if await current_user(request) is not None:
        return redirect("/", 302)
    return _sign_up_page(request)


def _description(problem: object) -> str:
    found = problem.get("description", "") if isinstance(problem, dict) else ""
    return found if isinstance(found, str) else str(found)


def _field_errors(exc: ValidationFailed) -> dict[str, list[str]]:
    details = exc.details.get("details")
    errors: dict[str, list[str]] = {}
    if isinstance(details, dict):
        for name, problems in details.items():
            # the description itself, not str() of it: a marked message keeps its values
            errors[str(name)] = [_description(p) for p in problems]
    return errors or {"username": [exc.reason]}


async def sign_up(request: Request) -> Response:
    """``POST /auth/sign_up``: create the account (hashing in a worker thread), then sign in."""
    runtime = runtime_of(request)
    form = await read_form(request)
    check_csrf(request, form)
    if not runtime.settings.registrations_open:
        return _sign_up_page(request, status=403)
    values = {"username": _text(form, "username").strip(), "email": _text(form, "email").strip()}
    sign_up_data = SignUp(values["username"], values["email"], _text(form, "password"))
    errors: dict[str, list[str]] = {}
    try:
        check_sign_up(sign_up_data)
    except ValidationFailed as exc:
        errors = _field_errors(exc)
    if sign_up_data.password != _text(form, "password_confirmation"):
        errors["password_confirmation"] = [N_("Password confirmation does not match the password")]
    if errors:
        return _sign_up_page(request, status=422, values=values, errors=errors)
    try:
        account_id = await run_in_threadpool(register, runtime.db, sign_up_data)
    except ValidationFailed as exc:
        return _sign_up_page(request, status=422, values=values, errors=_field_errors(exc))
    return await _signed_in_redirect(request, account_id, "/welcome")


async def sign_out(request: Request) -> Response:
    """``POST /auth/sign_out``: revoke the session's token and forget the cookie."""
    runtime = runtime_of(request)
    form = await read_form(request)
    check_csrf(request, form)
    raw = session_token(request)
    if raw is not None:
        await runtime.db.awrite(end_web_session, raw)
        runtime.tokens_revoked()
    response = redirect("/")
    clear_session_cookie(response, runtime.settings)
    rotate_csrf_cookie(request, response)
    return response


routes: list[BaseRoute] = [
    Route("/auth/sign_in", sign_in_form, methods=["GET"]),
    Route("/auth/sign_in", sign_in, methods=["POST"]),
    Route("/auth/sign_up", sign_up_form, methods=["GET"]),
    Route("/auth/sign_up", sign_up, methods=["POST"]),
    Route("/auth/sign_out", sign_out, methods=["POST"]),
]
