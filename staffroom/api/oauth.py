"""OAuth endpoints for clients: token, revoke, server metadata and userinfo.

The browser side (``/oauth/authorize``) lives in ``staffroom.web.authorize``.
"""

from __future__ import annotations

import base64
import binascii
from typing import Any
from urllib.parse import unquote_plus

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from staffroom.api.auth import authenticate
from staffroom.api.params import Params, read_params
from staffroom.api.responses import JSONResponse, error_response
from staffroom.errors import NotFound, StaffroomError
from staffroom.policies.scopes import ALL_SCOPES, READ_SCOPES, TOP_LEVEL, WRITE_SCOPES
from staffroom.runtime import Runtime, runtime_of
from staffroom.serializers.accounts import DEFAULT_AVATAR
from staffroom.services.apps import App
from staffroom.services.login import check_password_login, find_profile
from staffroom.services.oauth import (
    CODE_CHALLENGE_METHODS,
    CodeReused,
    OAuthError,
    authenticate_client,
    exchange_code,
    granted_scopes,
    invalid_client,
    invalid_grant,
    issue_app_token,
    revoke_for_client,
    revoke_token_of_reused_code,
)
from staffroom.services.tokens import TokenInfo

_NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}


def _error(exc: OAuthError, *, basic: bool = False) -> JSONResponse:
    headers = dict(_NO_STORE)
    if exc.status == 401 and basic:
        headers["WWW-Authenticate"] = 'Basic realm="Staffroom", error="invalid_client"'
    body = {"error": exc.error, "error_description": exc.description}
    return JSONResponse(body, status_code=exc.status, headers=headers)


def _client_credentials(request: Request, params: Params) -> tuple[str | None, str | None, bool]:
    """``(client_id, client_secret, via_basic)`` from HTTP Basic or the body (RFC 6749 2.3.1)."""
    header = request.headers.get("authorization", "")
    if header[:6].lower() == "basic ":
        try:
            decoded = base64.b64decode(header[6:].strip(), validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            raise invalid_client() from None
        client_id, sep, secret = decoded.partition(":")
        if not sep:
            raise invalid_client()
        return unquote_plus(client_id), unquote_plus(secret), True
    return _optional(params, "client_id"), _optional(params, "client_secret"), False


async def _oauth_params(request: Request) -> Params:
    """The request's parameters; an unreadable body is an OAuth ``invalid_request``."""
    try:
        return await read_params(request)
    except StaffroomError as exc:
        raise OAuthError("invalid_request", exc.message) from None


def _optional(params: Params, name: str) -> str | None:
    try:
        return params.str(name)
    except StaffroomError as exc:  # e.g. an array where a string belongs
        raise OAuthError("invalid_request", exc.message) from None


def _required(params: Params, name: str) -> str:
    value = _optional(params, name)
    if not value:
        raise OAuthError("invalid_request", f"Missing required parameter: {name}.")
    return value


def _token_body(raw: str, info: TokenInfo) -> dict[str, Any]:
    return {
        "access_token": raw,
        "token_type": "Bearer",
        "scope": " ".join(info.scope_list),
        "created_at": int(info.created_at.timestamp()),
    }


async def _grant(
    runtime: Runtime, grant_type: str, params: Params, app: App
) -> tuple[str, TokenInfo]:
    db = runtime.db
    if grant_type == "authorization_code":
        code = _required(params, "code")
        try:
            return await db.awrite(
                exchange_code,
                app,
                code,
                _optional(params, "redirect_uri"),
                _optional(params, "code_verifier"),
            )
        except CodeReused as reused:
            if reused.token_id is not None:
                await db.awrite(revoke_token_of_reused_code, reused.token_id)
                runtime.tokens_revoked()
            raise
    if grant_type == "client_credentials":
        scopes = granted_scopes(app, _optional(params, "scope"))
        return await db.awrite(issue_app_token, app, scopes)
    # password grant: the e-mail address is the username, as on Mastodon
    username, password = _required(params, "username"), _required(params, "password")
    scopes = granted_scopes(app, _optional(params, "scope"))
    account_id = await run_in_threadpool(check_password_login, db, username, password)
    if account_id is None:
        raise invalid_grant("The e-mail address or password is incorrect.")
    return await db.awrite(issue_app_token, app, scopes, account_id)


def _supported_grants(runtime: Runtime) -> list[str]:
    grants = ["authorization_code", "client_credentials"]
    if runtime.settings.password_grant:
        grants.insert(1, "password")
    return grants


async def token(request: Request) -> Response:
    """``POST /oauth/token``: exchange a code, a password or client credentials for a token."""
    runtime = runtime_of(request)
    basic = False
    try:
        params = await _oauth_params(request)
        grant_type = _required(params, "grant_type")
        if grant_type not in _supported_grants(runtime):
            raise OAuthError(
                "unsupported_grant_type",
                "The authorization grant type is not supported by the authorization server.",
            )
        client_id, client_secret, basic = _client_credentials(request, params)
        app = await runtime.db.aread(authenticate_client, client_id, client_secret)
        raw, info = await _grant(runtime, grant_type, params, app)
    except OAuthError as exc:
        return _error(exc, basic=basic)
    return JSONResponse(_token_body(raw, info), headers=_NO_STORE)


async def revoke(request: Request) -> Response:
    """``POST /oauth/revoke`` (RFC 7009): 200 ``{}`` for unknown tokens; 403 for others' tokens."""
    runtime = runtime_of(request)
    try:
        params = await _oauth_params(request)
        raw = _optional(params, "token")
    except OAuthError as exc:
        return _error(exc)
    refused = OAuthError(
        "unauthorized_client", "You are not authorized to revoke this token", status=403
    )
    try:
        client_id, client_secret, _ = _client_credentials(request, params)
        app = await runtime.db.aread(authenticate_client, client_id, client_secret)
    except OAuthError:
        return _error(refused)
    if raw:
        revoked = await runtime.db.awrite(revoke_for_client, app, raw)
        runtime.tokens_revoked()
        if not revoked:
            return _error(refused)
    return JSONResponse({}, headers=_NO_STORE)


def _scopes_supported() -> list[str]:
    families = ["read", "write", *sorted(WRITE_SCOPES), *sorted(READ_SCOPES)]
    rest = sorted(ALL_SCOPES - set(families) - TOP_LEVEL)
    return [*families, *rest, "follow", "push", "profile"]


async def server_metadata(request: Request) -> Response:
    """``GET /.well-known/oauth-authorization-server`` (RFC 8414), shaped like Mastodon's."""
    runtime = runtime_of(request)
    base = runtime.settings.base_url
    return JSONResponse(
        {
            "issuer": f"{base}/",
            "service_documentation": "https://docs.joinmastodon.org/",
            "authorization_endpoint": f"{base}/oauth/authorize",
            "token_endpoint": f"{base}/oauth/token",
            "app_registration_endpoint": f"{base}/api/v1/apps",
            "revocation_endpoint": f"{base}/oauth/revoke",
            "userinfo_endpoint": f"{base}/oauth/userinfo",
            "scopes_supported": _scopes_supported(),
            "response_types_supported": ["code"],
            "response_modes_supported": ["query"],
            "code_challenge_methods_supported": list(CODE_CHALLENGE_METHODS),
            "grant_types_supported": _supported_grants(runtime),
            "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
        }
    )


async def userinfo(request: Request) -> Response:
    """``/oauth/userinfo``: OpenID Connect claims about the token's user (scope ``profile``)."""
    runtime = runtime_of(request)
    try:  # answered in JSON here: the app's error handler treats /oauth/* as web pages
        viewer = await authenticate(request, "profile")
        profile = await runtime.db.aread(find_profile, viewer.account_id)
        if profile is None:
            raise NotFound()
    except StaffroomError as exc:
        return error_response(exc.status, exc.message, **exc.details)
    base = runtime.settings.base_url
    return JSONResponse(
        {
            "iss": f"{base}/",
            "sub": f"{base}/users/{profile.username}",
            "name": profile.display_name,
            "preferred_username": profile.username,
            "profile": f"{base}/@{profile.username}",
            "picture": base + (profile.avatar_path or DEFAULT_AVATAR),
        }
    )


routes: list[BaseRoute] = [
    Route("/oauth/token", token, methods=["POST"]),
    Route("/oauth/revoke", revoke, methods=["POST"]),
    Route("/oauth/userinfo", userinfo, methods=["GET", "POST"]),
    Route("/.well-known/oauth-authorization-server", server_metadata, methods=["GET"]),
]
