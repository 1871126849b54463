"""``/settings/account`` (password, posting and page preferences, deleting the account) and
``/settings/sessions`` (web sessions and authorised apps, each revocable).

Revoking goes through the same path as the API's: the service revokes in its transaction,
then ``Runtime.tokens_revoked()`` tells every process, and open streams close."""

from __future__ import annotations

from sqlalchemy import Connection
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from staffroom.errors import NotFound
from staffroom.ids import parse_id
from staffroom.runtime import runtime_of
from staffroom.services import header_images, network, profiles, sessions
from staffroom.services.accounts import delete_account, password_hash_of
from staffroom.services.login import SessionUser
from staffroom.services.passwords import (
    MAX_LENGTH,
    MIN_LENGTH,
    hash_password,
    password_problem,
    verify_password,
)
from staffroom.web import i18n
from staffroom.web.csrf import rotate_csrf_cookie
from staffroom.web.i18n import N_
from staffroom.web.render import redirect
from staffroom.web.session import clear_session_cookie, current_user, session_token
from staffroom.web.settings_common import (
    Errors,
    checked_form,
    render_settings,
    sign_in_first,
    text,
)

VISIBILITY_CHOICES = (
    ("public", N_("Public: anyone can see it")),
    ("unlisted", N_("Unlisted: public, but kept out of public timelines")),
    ("private", N_("Followers only")),
)
WRONG_PASSWORD = N_("That is not your current password.")


def _language_choices() -> list[tuple[str, str]]:
    """("", follow the browser) then every language the pages speak, in its own words."""
    return [("", N_("Follow my browser's language"))] + [
        (code, i18n.language_name(code)) for code in i18n.available_locales()
    ]


# Who may quote one's new posts (Mastodon's ``posting:default:quote_policy``).
QUOTE_POLICY_CHOICES = (
    ("public", N_("Anyone")),
    ("followers", N_("Your followers")),
    ("nobody", N_("Only you")),
)


async def _account_page(
    request: Request,
    viewer: SessionUser,
    *,
    errors: Errors | None = None,
    choices: dict[str, str] | None = None,
) -> Response:
    rt = runtime_of(request)
    prefs = await rt.db.aread(sessions.account_preferences, viewer.account_id)
    shows_network = await rt.db.aread(network.network_public, viewer.account_id)
    return render_settings(
        request,
        "settings_account.html",
        viewer,
        status=422 if errors else 200,
        errors=errors or {},
        email=prefs.email,
        chosen={
            "default_visibility": prefs.default_visibility,
            "quote_policy": prefs.default_quote_policy,
            "locale": prefs.locale or "",
            "data_saver": "1" if viewer.data_saver else "",
            "indexable": "1" if prefs.indexable else "",
            "network_public": "1" if shows_network else "",
            **(choices or {}),
        },
        visibilities=VISIBILITY_CHOICES,
        quote_policies=QUOTE_POLICY_CHOICES,
        languages=_language_choices(),
        min_password=MIN_LENGTH,
    )


async def account_form(request: Request) -> Response:
    """``GET /settings/account``."""
    viewer = await current_user(request)
    if viewer is None:
        return sign_in_first(request)
    return await _account_page(request, viewer)


async def _password_is(request: Request, account_id: int, password: str) -> bool:
    stored = await runtime_of(request).db.aread(password_hash_of, account_id)
    if not password or len(password) > MAX_LENGTH:
        return False
    return await run_in_threadpool(verify_password, stored, password)  # slow on purpose


def _new_password_error(password: str) -> tuple[str, dict[str, int]] | None:
    if password_problem(password) is None:
        return None
    if len(password) < MIN_LENGTH:
        return N_("The new password is too short: use at least %(count)s characters."), {
            "count": MIN_LENGTH
        }
    if len(password) > MAX_LENGTH:
        return N_("The new password is too long: at most %(count)s characters."), {
            "count": MAX_LENGTH
        }
    return N_("That password is one of the most common ones. Please choose another."), {}


async def change_password(request: Request) -> Response:
    """``POST /settings/account/password``: every other session and app token is revoked."""
    checked = await checked_form(request)
    if isinstance(checked, Response):
        return checked
    viewer, form = checked
    rt = runtime_of(request)
    new = text(form, "new_password")
    errors: Errors = {}
    if not await _password_is(request, viewer.account_id, text(form, "current_password")):
        errors["current_password"] = (WRONG_PASSWORD, {})
    problem = _new_password_error(new)
    if problem is not None:
        errors["new_password"] = problem
    elif new != text(form, "new_password_confirmation"):
        errors["new_password_confirmation"] = (N_("The two new passwords are not the same."), {})
    if errors:
        return await _account_page(request, viewer, errors=errors)
    new_hash = await run_in_threadpool(hash_password, new)
    raw = session_token(request)
    keep = None if raw is None else await rt.db.aread(sessions.token_id_of, raw)
    await rt.db.awrite(sessions.change_password, viewer.account_id, new_hash, keep)
    rt.tokens_revoked()
    return redirect("/settings/account?saved=password")


async def save_preferences(request: Request) -> Response:
    """``POST /settings/account/preferences``: default visibility, who may quote new posts,
    the pages' language, the data saver, whether search may find one's public posts and
    whether others may see one's network picture."""
    checked = await checked_form(request)
    if isinstance(checked, Response):
        return checked
    viewer, form = checked
    rt = runtime_of(request)
    choices = {
        "default_visibility": text(form, "default_visibility"),
        "quote_policy": text(form, "quote_policy"),
        "locale": text(form, "locale"),
        "data_saver": "1" if text(form, "data_saver") else "",
        "indexable": "1" if text(form, "indexable") else "",
        "network_public": "1" if text(form, "network_public") else "",
    }
    errors: Errors = {}
    if choices["default_visibility"] not in dict(VISIBILITY_CHOICES):
        errors["default_visibility"] = (N_("Please choose one of the options."), {})
    if choices["quote_policy"] and choices["quote_policy"] not in dict(QUOTE_POLICY_CHOICES):
        errors["quote_policy"] = (N_("Please choose one of the options."), {})
    if choices["locale"] not in dict(_language_choices()):
        errors["locale"] = (N_("Please choose one of the options."), {})
    if errors:
        return await _account_page(request, viewer, errors=errors, choices=choices)
    change = profiles.ProfileUpdate(
        privacy=choices["default_visibility"],
        quote_policy=choices["quote_policy"] or None,
        indexable=bool(choices["indexable"]),
    )
    site = (rt.settings.base_url, rt.settings.domain)
    await rt.db.awrite(_save_preferences, viewer.account_id, change, choices, site)
    return redirect("/settings/account?saved=preferences")


def _save_preferences(
    conn: Connection,
    account_id: int,
    change: profiles.ProfileUpdate,
    choices: dict[str, str],
    site: tuple[str, str],
) -> None:
    profiles.update_profile(conn, account_id, change, base_url=site[0], domain=site[1])
    sessions.set_page_locale(conn, account_id, choices["locale"])
    sessions.set_data_saver(conn, account_id, bool(choices["data_saver"]))
    network.set_network_public(conn, account_id, bool(choices["network_public"]))


async def delete_self(request: Request) -> Response:
    """``POST /settings/account/delete``: with the password, delete everything and sign out."""
    checked = await checked_form(request)
    if isinstance(checked, Response):
        return checked
    viewer, form = checked
    rt = runtime_of(request)
    if not await _password_is(request, viewer.account_id, text(form, "delete_password")):
        return await _account_page(
            request, viewer, errors={"delete_password": (WRONG_PASSWORD, {})}
        )
    header = await rt.db.aread(header_images.header_path_of, viewer.account_id)
    avatar = await rt.db.awrite(delete_account, viewer.account_id)
    rt.tokens_revoked()
    for path in (avatar, header):
        profiles.remove_media_file(rt.settings.data_dir, path)
    return _signed_out(request, "/")


def _signed_out(request: Request, url: str) -> Response:
    response = redirect(url)
    clear_session_cookie(response, runtime_of(request).settings)
    rotate_csrf_cookie(request, response)
    return response


async def sessions_page(request: Request) -> Response:
    """``GET /settings/sessions``: web sessions and authorised apps, newest first."""
    viewer = await current_user(request)
    if viewer is None:
        return sign_in_first(request)
    rt = runtime_of(request)
    raw = session_token(request)
    current = None if raw is None else await rt.db.aread(sessions.token_id_of, raw)
    grants = await rt.db.aread(sessions.list_grants, viewer.account_id)
    return render_settings(
        request, "settings_sessions.html", viewer, grants=grants, current=current
    )


async def revoke(request: Request) -> Response:
    """``POST /settings/sessions/{id}/revoke``; revoking this browser's session signs out."""
    checked = await checked_form(request)
    if isinstance(checked, Response):
        return checked
    viewer, _ = checked
    rt = runtime_of(request)
    token_id = parse_id(request.path_params["id"])
    if token_id is None:
        raise NotFound()
    raw = session_token(request)
    current = None if raw is None else await rt.db.aread(sessions.token_id_of, raw)
    await rt.db.awrite(sessions.revoke_grant, viewer.account_id, token_id)
    rt.tokens_revoked()
    if token_id == current:
        return _signed_out(request, "/auth/sign_in")
    return redirect("/settings/sessions?saved=revoked")


routes: list[BaseRoute] = [
    Route("/settings/account", account_form, methods=["GET"]),
    Route("/settings/account/password", change_password, methods=["POST"]),
    Route("/settings/account/preferences", save_preferences, methods=["POST"]),
    Route("/settings/account/delete", delete_self, methods=["POST"]),
    Route("/settings/sessions", sessions_page, methods=["GET"]),
    Route("/settings/sessions/{id}/revoke", revoke, methods=["POST"]),
]
