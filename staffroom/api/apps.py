"""API routes: ``POST /api/v1/apps`` and ``GET /api/v1/apps/verify_credentials``."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from staffroom.api.auth import bearer_token
from staffroom.api.params import Params, read_params
from staffroom.api.responses import JSONResponse
from staffroom.errors import NotAuthenticated, NotFound, ValidationFailed
from staffroom.runtime import runtime_of
from staffroom.services.apps import App, AppForm, app_by_id, register_app
from staffroom.services.tokens import resolve_token


def serialize_application(app: App, *, credentials: bool = False) -> dict[str, Any]:
    """Mastodon's ``Application`` entity, or ``CredentialApplication`` with ``credentials``."""
    entity: dict[str, Any] = {
        "id": str(app.id),
        "name": app.name,
        "website": app.website,
        "scopes": list(app.scopes),
        "redirect_uri": "\n".join(app.redirect_uris),
        "redirect_uris": list(app.redirect_uris),
        "vapid_key": "",
    }
    if credentials:
        entity["client_id"] = app.client_id
        entity["client_secret"] = app.client_secret
        entity["client_secret_expires_at"] = 0
    return entity


def _text_or_list(params: Params, name: str) -> str | None:
    """A space-separated string from a string or an array parameter."""
    value = params.raw(name)
    if isinstance(value, list):
        return " ".join(params.list(name))
    return params.str(name)


def _app_form(params: Params) -> AppForm:
    name = params.str("client_name")
    if name is None:
        raise ValidationFailed("Name can't be blank")
    return AppForm(
        name=name,
        redirect_uris=params.list("redirect_uris"),
        scopes=_text_or_list(params, "scopes"),
        website=params.str("website"),
    )


async def create_app(request: Request) -> Response:
    """Register a client; anyone may, no token needed (as on Mastodon)."""
    params = await read_params(request)
    form = _app_form(params)
    app = await runtime_of(request).db.awrite(register_app, form)
    return JSONResponse(serialize_application(app, credentials=True))


async def verify_app_credentials(request: Request) -> Response:
    """The application behind any valid token, user or app-only, whatever its scopes."""
    raw = bearer_token(request)
    db = runtime_of(request).db
    info = None if raw is None else await db.aread(resolve_token, raw)
    if info is None:
        raise NotAuthenticated("The access token is invalid")
    app = None if info.app_id is None else await db.aread(app_by_id, info.app_id)
    if app is None:
        raise NotFound("No application is associated with this access token")
    return JSONResponse(serialize_application(app))


routes: list[BaseRoute] = [
    Route("/api/v1/apps", create_app, methods=["POST"]),
    Route("/api/v1/apps/verify_credentials", verify_app_credentials, methods=["GET"]),
]
