"""The browser side of OAuth: ``/oauth/authorize`` (sign-in, consent, code or error).

Errors about the client or its redirect URI are shown here and never redirected (RFC 6749
4.1.2.1); every other error goes back to the client as ``?error=...&state=...``, or is shown
on the page for the out-of-band redirect URI.
"""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import urlencode, urlsplit, urlunsplit

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from staffroom.runtime import runtime_of
from staffroom.services.apps import OOB_REDIRECT_URI
from staffroom.services.login import SessionUser
from staffroom.services.oauth import (
    AuthorizationRequest,
    OAuthError,
    already_authorized,
    check_authorization,
    find_client,
    issue_code,
)
from staffroom.web.csrf import check_csrf
from staffroom.web.forms import read_form
from staffroom.web.i18n import N_
from staffroom.web.render import redirect, render
from staffroom.web.scope_labels import describe_scope
from staffroom.web.session import current_user

FAILED = N_("Authorization failed")

_TRUE = {"1", "true", "yes", "on"}
_REQUEST_FIELDS = (
    "client_id", "redirect_uri", "response_type", "scope", "state",
    "code_challenge", "code_challenge_method",
)  # fmt: skip


def with_query(uri: str, params: Mapping[str, str | None]) -> str:
    """``uri`` with ``params`` (``None`` values left out) added to its query string."""
    parts = urlsplit(uri)
    extra = urlencode({k: v for k, v in params.items() if v is not None})
    query = f"{parts.query}&{extra}" if parts.query else extra
    return urlunsplit(parts._replace(query=query))


def _message_page(
    request: Request, viewer: SessionUser | None, heading: str, exc: OAuthError
) -> Response:
    return render(
        request,
        "oauth_message.html",
        viewer=viewer,
        status=400,
        heading=heading,
        message=exc.description,
        error_code=exc.error,
    )


def _send_back_error(
    request: Request, viewer: SessionUser | None, uri: str, state: str | None, exc: OAuthError
) -> Response:
    if uri == OOB_REDIRECT_URI:
        heading = N_("Authorization denied") if exc.error == "access_denied" else FAILED
        return _message_page(request, viewer, heading, exc)
    params = {"error": exc.error, "error_description": exc.description, "state": state}
    return redirect(with_query(uri, params), 302)


async def _approve(request: Request, auth: AuthorizationRequest, viewer: SessionUser) -> Response:
    code = await runtime_of(request).db.awrite(issue_code, auth, viewer.account_id)
    if auth.redirect_uri == OOB_REDIRECT_URI:
        return render(
            request, "authorize_code.html", viewer=viewer, app_name=auth.app.name, code=code
        )
    return redirect(with_query(auth.redirect_uri, {"code": code, "state": auth.state}), 302)


def _sign_in_url(request: Request, switch: bool) -> str:
    query = [(k, v) for k, v in request.query_params.multi_items() if k != "force_login"]
    next_url = request.url.path + ("?" + urlencode(query) if query else "")
    return with_query("/auth/sign_in", {"next": next_url, "switch": "1" if switch else None})


async def _checked(
    request: Request, fields: Mapping[str, str], viewer: SessionUser | None
) -> AuthorizationRequest | Response:
    """The validated request, or the page/redirect that reports why it is not valid."""
    try:
        app = await runtime_of(request).db.aread(
            find_client, fields.get("client_id"), fields.get("redirect_uri")
        )
    except OAuthError as exc:
        return _message_page(request, viewer, FAILED, exc)
    redirect_uri = fields["redirect_uri"]
    try:
        return check_authorization(
            app,
            redirect_uri,
            response_type=fields.get("response_type"),
            scope=fields.get("scope"),
            state=fields.get("state"),
            code_challenge=fields.get("code_challenge"),
            code_challenge_method=fields.get("code_challenge_method"),
        )
    except OAuthError as exc:
        return _send_back_error(request, viewer, redirect_uri, fields.get("state"), exc)


async def authorize_page(request: Request) -> Response:
    """``GET /oauth/authorize``: sign in if needed, then ask the user to consent."""
    viewer = await current_user(request)
    fields = {k: request.query_params[k] for k in _REQUEST_FIELDS if k in request.query_params}
    checked = await _checked(request, fields, viewer)
    if isinstance(checked, Response):
        return checked
    force_login = request.query_params.get("force_login", "").lower() in _TRUE
    if viewer is None or force_login:
        return redirect(_sign_in_url(request, switch=viewer is not None), 302)
    db = runtime_of(request).db
    if await db.aread(already_authorized, checked, viewer.account_id):
        return await _approve(request, checked, viewer)
    hidden = [(name, value) for name, value in fields.items() if name != "scope"]
    hidden.append(("scope", " ".join(checked.scopes)))
    return render(
        request,
        "authorize.html",
        viewer=viewer,
        app_name=checked.app.name,
        app_website=checked.app.website,
        scopes=[(scope, describe_scope(scope)) for scope in checked.scopes],
        hidden=hidden,
        switch_account_url=with_query("/oauth/authorize", {**fields, "force_login": "true"}),
    )


async def authorize_decision(request: Request) -> Response:
    """``POST /oauth/authorize``: the user's Authorize/Deny answer from the consent form."""
    form = await read_form(request)
    check_csrf(request, form)
    viewer = await current_user(request)
    fields = {k: v for k in _REQUEST_FIELDS if isinstance(v := form.get(k), str)}
    if viewer is None:
        return redirect(with_query("/oauth/authorize", fields), 303)
    checked = await _checked(request, fields, viewer)
    if isinstance(checked, Response):
        return checked
    if form.get("decision") == "approve":
        return await _approve(request, checked, viewer)
    denied = OAuthError("access_denied", "The user denied the authorization request.")
    return _send_back_error(request, viewer, checked.redirect_uri, checked.state, denied)


routes: list[BaseRoute] = [
    Route("/oauth/authorize", authorize_page, methods=["GET"]),
    Route("/oauth/authorize", authorize_decision, methods=["POST"]),
]
