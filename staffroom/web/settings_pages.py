"""Settings pages (signed in only): ``/settings/profile`` here, the account and the sessions
pages in ``settings_account``. Plain forms that post, then come back with a notice (303), or
show the form again with the reason next to each field (422)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from staffroom.errors import ValidationFailed
from staffroom.runtime import runtime_of
from staffroom.services import header_images, profiles
from staffroom.services.accounts import get_account
from staffroom.services.login import SessionUser
from staffroom.web import settings_account, settings_filters
from staffroom.web.i18n import N_
from staffroom.web.render import redirect
from staffroom.web.session import current_user
from staffroom.web.settings_common import (
    Errors,
    checked_form,
    render_settings,
    sign_in_first,
    text,
    upload,
)

TOO_LARGE = N_("This image is too large: it can be at most 2 MB.")
NOT_AN_IMAGE = N_("This file is not an image. Please choose a PNG, JPEG, GIF or WebP file.")
_IMAGE_ERRORS = {"ERR_TOO_LARGE": TOO_LARGE, "ERR_INVALID": NOT_AN_IMAGE}


def _profile_values(conn: Connection, account_id: int) -> dict[str, Any]:
    account = get_account(conn, account_id)
    interests = " ".join(f"#{tag.name}" for tag in profiles.featured_tags(conn, account_id))
    return {
        "display_name": account.display_name,
        "note": account.note,
        "interests": interests,
        "discoverable": bool(account.discoverable),
        "avatar_path": account.avatar_path,
        "header_path": header_images.header_path_of(conn, account_id),
    }


async def _profile_page(
    request: Request,
    viewer: SessionUser,
    *,
    values: dict[str, Any] | None = None,
    errors: Errors | None = None,
) -> Response:
    rt = runtime_of(request)
    current = await rt.db.aread(_profile_values, viewer.account_id)
    return render_settings(
        request,
        "settings_profile.html",
        viewer,
        status=422 if errors else 200,
        form={**current, **(values or {})},
        images={"avatar": current["avatar_path"], "header": current["header_path"]},
        errors=errors or {},
        max_display_name=profiles.MAX_DISPLAY_NAME,
        max_note=profiles.MAX_NOTE,
        max_interests=profiles.MAX_FEATURED,
    )


async def profile_form(request: Request) -> Response:
    """``GET /settings/profile``: the profile as it is now, ready to edit."""
    viewer = await current_user(request)
    if viewer is None:
        return sign_in_first(request)
    return await _profile_page(request, viewer)


def _profile_errors(exc: ValidationFailed, change: profiles.ProfileUpdate) -> Errors:
    details = exc.details.get("details")
    errors: Errors = {}
    if not isinstance(details, dict):
        return {"display_name": (exc.message, {})}
    if "display_name" in details:
        errors["display_name"] = (
            N_("Your display name is too long: at most %(count)s characters."),
            {"count": profiles.MAX_DISPLAY_NAME},
        )
    if "note" in details:
        errors["note"] = (
            N_("Your bio is too long: at most %(count)s characters."),
            {"count": profiles.MAX_NOTE},
        )
    bad = [name for name in change.interests or [] if profiles.clean_tag_name(name) is None]
    if bad:
        errors["interests"] = (
            N_("“%(tag)s” is not a hashtag: use letters, digits and underscores only."),
            {"tag": bad[0]},
        )
    elif "interests" in details:
        errors["interests"] = (
            N_("You can list at most %(count)s hashtags."),
            {"count": profiles.MAX_FEATURED},
        )
    return errors


def _image_error(exc: ValidationFailed) -> str:
    details = exc.details.get("details")
    if isinstance(details, dict):
        for problems in details.values():
            return _IMAGE_ERRORS.get(problems[0].get("error", ""), NOT_AN_IMAGE)
    return NOT_AN_IMAGE


def _apply_profile(
    conn: Connection,
    account_id: int,
    change: profiles.ProfileUpdate,
    images: dict[str, str | None],
    site: tuple[str, str],
) -> list[str | None]:
    """Save the profile and point it at the new images; returns the replaced images' paths."""
    profiles.update_profile(conn, account_id, change, base_url=site[0], domain=site[1])
    replaced: list[str | None] = []
    if images["avatar"]:
        replaced.append(profiles.set_avatar_path(conn, account_id, images["avatar"]))
    if images["header"]:
        replaced.append(header_images.set_header_path(conn, account_id, images["header"]))
    return replaced


async def save_profile(request: Request) -> Response:
    """``POST /settings/profile`` (multipart): names, bio, interests, images, discoverable."""
    checked = await checked_form(request)
    if isinstance(checked, Response):
        return checked
    viewer, form = checked
    rt = runtime_of(request)
    display_name, note = text(form, "display_name"), text(form, "note").replace("\r\n", "\n")
    interests, discoverable = text(form, "interests"), text(form, "discoverable") == "1"
    values: dict[str, Any] = {
        "display_name": display_name,
        "note": note,
        "interests": interests,
        "discoverable": discoverable,
    }
    change = profiles.ProfileUpdate(
        display_name=display_name,
        note=note,
        discoverable=discoverable,
        interests=profiles.split_interests([interests]),
    )
    errors: Errors = {}
    try:
        profiles.check_profile(change)
    except ValidationFailed as exc:
        errors = _profile_errors(exc, change)
    avatar = await upload(form, "avatar", profiles.MAX_AVATAR_BYTES)
    header = await upload(form, "header", header_images.MAX_HEADER_BYTES)
    for name, data, check in (
        ("avatar", avatar, profiles.check_avatar),
        ("header", header, header_images.check_header),
    ):
        if data is not None:
            try:
                await run_in_threadpool(check, data)
            except ValidationFailed as exc:
                errors[name] = (_image_error(exc), {})
    if errors:
        return await _profile_page(request, viewer, values=values, errors=errors)
    data_dir = rt.settings.data_dir
    images: dict[str, str | None] = {"avatar": None, "header": None}
    if avatar is not None:
        images["avatar"] = await run_in_threadpool(
            profiles.write_avatar, data_dir, viewer.account_id, avatar
        )
    if header is not None:
        images["header"] = await run_in_threadpool(
            header_images.write_header, data_dir, viewer.account_id, header
        )
    site = (rt.settings.base_url, rt.settings.domain)
    replaced = await rt.db.awrite(_apply_profile, viewer.account_id, change, images, site)
    for previous in replaced:
        if previous and previous not in images.values():
            profiles.remove_media_file(data_dir, previous)
    return redirect("/settings/profile?saved=profile")


async def settings_index(request: Request) -> Response:
    """``GET /settings``: the first section."""
    if await current_user(request) is None:
        return sign_in_first(request)
    return redirect("/settings/profile", 302)


routes: list[BaseRoute] = [
    Route("/settings", settings_index, methods=["GET"]),
    Route("/settings/profile", profile_form, methods=["GET"]),
    Route("/settings/profile", save_profile, methods=["POST"]),
    *settings_account.routes,
    *settings_filters.routes,
]
