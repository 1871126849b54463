"""What the settings pages share: the signed-in check, the checked form, uploads, errors.

A field's error is a ``(msgid, params)`` pair, translated when the page renders.
"""

from __future__ import annotations

from typing import Any

from starlette.datastructures import FormData, UploadFile
from starlette.requests import Request
from starlette.responses import Response

from staffroom.services.login import SessionUser
from staffroom.web.forms import signed_in_form
from staffroom.web.i18n import N_
from staffroom.web.render import redirect, render
from staffroom.web.session import current_user

Problem = tuple[str, dict[str, Any]]
Errors = dict[str, Problem]

SECTIONS = (
    ("/settings/profile", N_("Profile")),
    ("/settings/account", N_("Account")),
    ("/settings/sessions", N_("Sessions and apps")),
    ("/settings/filters", N_("Filters")),
    ("/settings/notifications", N_("Notifications")),
    ("/settings/tags", N_("Followed hashtags")),
    ("/settings/directory", N_("Directory")),
    ("/settings/packs", N_("Starter packs")),
    ("/settings/calendar", N_("Calendar feed")),
)


def sign_in_first(request: Request) -> Response:
    """Where a signed-out visitor goes: the sign-in page, then back to this settings page."""
    path = request.url.path if request.method == "GET" else "/settings"
    return redirect(f"/auth/sign_in?next={path}", 303 if request.method == "POST" else 302)


async def checked_form(request: Request) -> tuple[SessionUser, FormData] | Response:
    """The signed-in viewer and their checked form (``web.forms.signed_in_form``), or where
    to sign in (then back to the settings)."""
    if await current_user(request) is None:
        return sign_in_first(request)
    return await signed_in_form(request)


def text(form: FormData, name: str) -> str:
    value = form.get(name)
    return value if isinstance(value, str) else ""


async def upload(form: FormData, name: str, limit: int) -> bytes | None:
    """The bytes of an uploaded file (at most ``limit + 1``), or ``None`` if none was chosen."""
    value = form.get(name)
    if not isinstance(value, UploadFile) or not value.filename:
        return None
    data = await value.read(limit + 1)
    return data or None


def render_settings(
    request: Request,
    template: str,
    viewer: SessionUser,
    *,
    status: int = 200,
    here: str | None = None,
    **context: Any,
) -> Response:
    """A settings page with its section navigation (``here``: the section it belongs to, by
    default its own path) and the ``saved`` notice, if any."""
    return render(
        request,
        template,
        viewer=viewer,
        nav="settings",
        status=status,
        sections=SECTIONS,
        here=here or request.url.path,
        saved=request.query_params.get("saved", "") if request.method == "GET" else "",
        **context,
    )
