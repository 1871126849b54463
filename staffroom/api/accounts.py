"""Accounts API: sign-up, own credentials, profiles, lookup, account search, featured tags.

Mastodon endpoints under ``/api/v1/accounts`` and ``/api/v1/featured_tags``, plus two
Staffroom additions:

* ``POST /api/v1/accounts/delete_self`` (scope ``write:accounts``, parameter ``password``)
  deletes the caller's account with all its posts and relations, and answers ``{}``.
  Mastodon has no client API for this; a wrong password is a 422.
* ``interests`` in ``PATCH /api/v1/accounts/update_credentials`` (``interests[]=ELTChat``
  or one string of hashtags) replaces the profile's interests, which the API exposes as
  featured tags.

``GET /system/<path>`` serves stored media (avatars, headers, attachments) from
``<data_dir>/media``.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import FileResponse, Response
from starlette.routing import BaseRoute, Route

from staffroom.api.auth import authenticate, optional_viewer
from staffroom.api.params import Params, path_id, read_params
from staffroom.api.responses import JSONResponse
from staffroom.api.search import tag_entity
from staffroom.errors import Forbidden, NotFound, ValidationFailed
from staffroom.runtime import runtime_of
from staffroom.serializers.accounts import (
    serialize_account,
    serialize_credential_account,
    serialize_feature_approval,
)
from staffroom.serializers.common import date_only
from staffroom.services import accounts as account_service
from staffroom.services import featured_tags, header_images, pack_consent, profiles
from staffroom.services.passwords import verify_password
from staffroom.services.registration import SignUp, check_sign_up, register
from staffroom.services.search import Site, check_query, search_accounts
from staffroom.services.tokens import issue_token

_LOCALE = re.compile(r"^[a-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})?\Z")
_MEDIA_TYPES = {
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
}

Details = dict[str, list[dict[str, str]]]


def _account_id(request: Request) -> int:
    return account_service.parse_account_id(request.path_params["id"])


def _base(request: Request) -> str:
    return runtime_of(request).settings.base_url


def featured_tag_entity(tag: profiles.FeaturedTag, username: str, base_url: str) -> dict[str, Any]:
    """Mastodon's ``FeaturedTag``."""
    return {
        "id": str(tag.id),
        "name": tag.name,
        "url": f"{base_url}/@{username}/tagged/{quote(tag.name, safe='')}",
        "statuses_count": str(tag.statuses_count),
        "last_status_at": date_only(tag.last_status_at),
    }


# --- sign-up ---------------------------------------------------------------------------------


def _sign_up_form(params: Params) -> SignUp:
    """The form, or 422 listing every problem at once (as Mastodon's ``details``)."""
    problems: Details = {}
    sentences: dict[str, str] = {}

    def problem(field: str, code: str, description: str) -> None:
        problems[field] = [{"error": code, "description": description}]
        sentences[field] = f"{field.capitalize()} {description}"

    values = {name: (params.str(name) or "").strip() for name in ("username", "email", "locale")}
    password = params.str("password") or ""
    required = {"username": values["username"], "email": values["email"], "password": password}
    for name, value in required.items():
        if not value:
            problem(name, "ERR_BLANK", "can't be blank")
    if not params.bool("agreement", False):
        problem("agreement", "ERR_ACCEPTED", "must be accepted")
    locale = values["locale"] or "en"
    if len(locale) > 16 or not _LOCALE.match(locale):
        problem("locale", "ERR_INCLUSION", "is not included in the list")
    form = SignUp(
        username=values["username"], email=values["email"], password=password, locale=locale
    )
    try:
        check_sign_up(form)
    except ValidationFailed as exc:
        found = exc.details.get("details")
        if isinstance(found, dict):
            for name, detail in found.items():
                if name not in problems:  # a blank field is reported once, as blank
                    problems[name] = detail
                    sentences[name] = detail[0]["description"]
    if problems:
        raise ValidationFailed(", ".join(sentences.values()), details=problems)
    return form


async def sign_up(request: Request) -> Response:
    viewer = await authenticate(request, "write:accounts", user=False)
    rt = runtime_of(request)
    if not rt.settings.registrations_open:
        raise Forbidden("Registrations are closed on this server")
    form = _sign_up_form(await read_params(request))
    account_id = await run_in_threadpool(register, rt.db, form)
    raw, token = await rt.db.awrite(
        issue_token,
        app_id=viewer.token.app_id,
        account_id=account_id,
        scopes=list(viewer.token.scope_list),
    )
    return JSONResponse(
        {
            "access_token": raw,
            "token_type": "Bearer",
            "scope": " ".join(token.scope_list),
            "created_at": int(token.created_at.timestamp()),
        }
    )


# --- own account -----------------------------------------------------------------------------


async def _credential_response(request: Request, account_id: int) -> Response:
    account, user = await runtime_of(request).db.aread(account_service.get_credentials, account_id)
    return JSONResponse(serialize_credential_account(account, user, _base(request)))


async def verify_credentials(request: Request) -> Response:
    viewer = await authenticate(request, "profile")
    return await _credential_response(request, viewer.account_id)


def _optional_bool(params: Params, name: str) -> bool | None:
    return params.bool(name) if params.raw(name) is not None else None


def _profile_change(params: Params) -> profiles.ProfileUpdate:
    source = Params(params.dict("source"))
    interests = None
    if "interests" in params:
        interests = profiles.split_interests(params.list("interests"))
    return profiles.ProfileUpdate(
        display_name=params.str("display_name"),
        note=params.str("note"),
        locked=_optional_bool(params, "locked"),
        bot=_optional_bool(params, "bot"),
        discoverable=_optional_bool(params, "discoverable"),
        indexable=_optional_bool(params, "indexable"),
        privacy=source.str("privacy"),
        sensitive=_optional_bool(source, "sensitive"),
        language=source.str("language"),
        interests=interests,
        quote_policy=source.str("quote_policy"),
    )


async def _image_bytes(params: Params, field: str) -> bytes | None:
    upload = params.file(field)
    if upload is None:
        return None
    if field == "avatar":
        data = await upload.read(profiles.MAX_AVATAR_BYTES + 1)
        await run_in_threadpool(profiles.check_avatar, data)
    else:
        data = await upload.read(header_images.MAX_HEADER_BYTES + 1)
        await run_in_threadpool(header_images.check_header, data)
    return data


async def update_credentials(request: Request) -> Response:
    viewer = await authenticate(request, "write:accounts")
    rt = runtime_of(request)
    params = await read_params(request)
    change = _profile_change(params)
    profiles.check_profile(change)
    avatar = await _image_bytes(params, "avatar")
    header = await _image_bytes(params, "header")
    data_dir = rt.settings.data_dir
    written: dict[str, str] = {}
    current: tuple[str | None, ...] = ()
    if avatar is not None or header is not None:
        current = await rt.db.aread(_image_paths, viewer.account_id)
    try:
        if avatar is not None:
            written["avatar"] = await run_in_threadpool(
                profiles.write_avatar, data_dir, viewer.account_id, avatar
            )
        if header is not None:
            written["header"] = await run_in_threadpool(
                header_images.write_header, data_dir, viewer.account_id, header
            )
        site = Site(rt.settings.base_url, rt.settings.domain)
        replaced = await rt.db.awrite(_apply_profile, viewer.account_id, change, written, site)
    except BaseException:
        for path in written.values():
            if path not in current:  # a file of the same name replaced the current one
                profiles.remove_media_file(data_dir, path)
        raise
    for old in replaced:
        if old and old not in written.values():
            profiles.remove_media_file(data_dir, old)
    return await _credential_response(request, viewer.account_id)


def _image_paths(conn: Any, account_id: int) -> tuple[str | None, ...]:
    return (
        account_service.get_account(conn, account_id).avatar_path,
        header_images.header_path_of(conn, account_id),
    )


def _apply_profile(
    conn: Any,
    account_id: int,
    change: profiles.ProfileUpdate,
    written: dict[str, str],
    site: Site,
) -> list[str | None]:
    """The profile change and the new images' paths; returns the paths they replace."""
    profiles.update_profile(conn, account_id, change, base_url=site.base_url, domain=site.domain)
    replaced: list[str | None] = []
    if "avatar" in written:
        replaced.append(profiles.set_avatar_path(conn, account_id, written["avatar"]))
    if "header" in written:
        replaced.append(header_images.set_header_path(conn, account_id, written["header"]))
    return replaced


async def delete_self(request: Request) -> Response:
    viewer = await authenticate(request, "write:accounts")
    rt = runtime_of(request)
    password = (await read_params(request)).str("password") or ""
    stored = await rt.db.aread(account_service.password_hash_of, viewer.account_id)
    # argon2 verification is slow on purpose: keep it off the event loop
    if not password or not await run_in_threadpool(verify_password, stored, password):
        raise ValidationFailed(
            "Password is incorrect",
            details={"password": [{"error": "ERR_INVALID", "description": "is incorrect"}]},
        )
    avatar = await rt.db.awrite(account_service.delete_account, viewer.account_id)
    rt.tokens_revoked()
    profiles.remove_media_file(rt.settings.data_dir, avatar)
    return JSONResponse({})


# --- other accounts --------------------------------------------------------------------------


def _with_feature_approval(
    entity: dict[str, Any], approval: pack_consent.FeatureApproval
) -> dict[str, Any]:
    """One account's entity with ``feature_approval`` for this reader (Mastodon 4.6: clients
    offer "add to collection" by it); only where one account is asked for."""
    entity["feature_approval"] = serialize_feature_approval(
        approval.automatic, approval.current_user
    )
    return entity


async def show_account(request: Request) -> Response:
    viewer = await optional_viewer(request, "read:accounts")
    reader = viewer.account_id if viewer else None
    account_id = _account_id(request)

    def load(conn: Any) -> tuple[Any, pack_consent.FeatureApproval]:
        row = account_service.get_account(conn, account_id)
        return row, pack_consent.feature_approval(conn, reader, row)

    row, approval = await runtime_of(request).db.aread(load)
    return JSONResponse(_with_feature_approval(serialize_account(row, _base(request)), approval))


async def list_accounts(request: Request) -> Response:
    await optional_viewer(request, "read:accounts")
    raw = list(dict.fromkeys((await read_params(request)).list("id")))
    if len(raw) > account_service.MAX_SEVERAL:  # a 422, as Mastodon
        raise ValidationFailed(f"Too many IDs: at most {account_service.MAX_SEVERAL}")
    ids = account_service.parse_account_ids(raw)
    found = await runtime_of(request).db.aread(account_service.get_accounts, ids)
    base = _base(request)
    return JSONResponse([serialize_account(found[i], base) for i in ids if i in found])


async def lookup(request: Request) -> Response:
    viewer = await optional_viewer(request, "read:accounts")
    reader = viewer.account_id if viewer else None
    rt = runtime_of(request)
    acct = (await read_params(request)).str("acct") or ""

    def load(conn: Any) -> tuple[Any, pack_consent.FeatureApproval]:
        row = account_service.lookup_account(conn, acct, rt.settings.domain)
        return row, pack_consent.feature_approval(conn, reader, row)

    row, approval = await rt.db.aread(load)
    return JSONResponse(
        _with_feature_approval(serialize_account(row, rt.settings.base_url), approval)
    )


async def search(request: Request) -> Response:
    viewer = await optional_viewer(request, "read:accounts")
    rt = runtime_of(request)
    params = await read_params(request)
    following = params.bool("following", False)
    if following and viewer is None:
        raise ValidationFailed("This method requires an authenticated user")
    limit = max(1, min(params.int("limit", 40) or 40, 80))
    rows = await rt.db.aread(
        search_accounts,
        check_query(params.str("q") or ""),
        site=Site(rt.settings.base_url, rt.settings.domain),
        viewer_id=viewer.account_id if viewer else None,
        following_only=following,
        limit=limit,
        offset=max(0, params.int("offset", 0) or 0),
    )
    return JSONResponse([serialize_account(row, rt.settings.base_url) for row in rows])


# --- featured tags (interests) ---------------------------------------------------------------


def _featured_of(conn: Any, account_id: int) -> tuple[str, list[profiles.FeaturedTag]]:
    account = account_service.get_account(conn, account_id)
    return account.username, profiles.featured_tags(conn, account_id)


async def _featured_response(request: Request, account_id: int) -> Response:
    username, found = await runtime_of(request).db.aread(_featured_of, account_id)
    base = _base(request)
    return JSONResponse([featured_tag_entity(tag, username, base) for tag in found])


async def own_featured_tags(request: Request) -> Response:
    viewer = await authenticate(request, "read:accounts")
    return await _featured_response(request, viewer.account_id)


async def account_featured_tags(request: Request) -> Response:
    await optional_viewer(request, "read:accounts")
    return await _featured_response(request, _account_id(request))


def _feature(conn: Any, account_id: int, name: str) -> tuple[str, profiles.FeaturedTag]:
    account = account_service.get_account(conn, account_id)
    return account.username, profiles.feature_tag(conn, account_id, name)


async def add_featured_tag(request: Request) -> Response:
    viewer = await authenticate(request, "write:accounts")
    name = (await read_params(request)).str("name") or ""
    username, tag = await runtime_of(request).db.awrite(_feature, viewer.account_id, name)
    return JSONResponse(featured_tag_entity(tag, username, _base(request)))


async def remove_featured_tag(request: Request) -> Response:
    viewer = await authenticate(request, "write:accounts")
    await runtime_of(request).db.awrite(profiles.unfeature_tag, viewer.account_id, path_id(request))
    return JSONResponse({})


async def featured_tag_suggestions(request: Request) -> Response:
    """The viewer's most used hashtags not yet featured (Mastodon's ``Tag`` entities)."""
    viewer = await authenticate(request, "read:accounts")
    rows = await runtime_of(request).db.aread(featured_tags.suggestions, viewer.account_id)
    base = _base(request)
    return JSONResponse([tag_entity(r.id, r.name, base, featuring=False) for r in rows])


def _feature_tag(on: bool) -> Any:
    async def endpoint(request: Request) -> Response:
        viewer = await authenticate(request, "write:accounts")
        name = str(request.path_params["name"])
        change = featured_tags.feature_by_name if on else featured_tags.unfeature_by_name
        row = await runtime_of(request).db.awrite(change, viewer.account_id, name)
        return JSONResponse(tag_entity(row.id, row.name, _base(request), featuring=on))

    return endpoint


# --- stored media ----------------------------------------------------------------------------


async def media(request: Request) -> Response:
    rt = runtime_of(request)
    found = profiles.media_file(rt.settings.data_dir, "/system/" + request.path_params["path"])
    media_type = _MEDIA_TYPES.get(found.suffix.lower()) if found else None
    if found is None or media_type is None:
        raise NotFound("File not found")
    # Attachments never change under their (random) names; avatars keep theirs.
    immutable = request.path_params["path"].startswith("media_attachments/")
    cache = "public, max-age=31536000, immutable" if immutable else "public, max-age=300"
    return FileResponse(
        found,
        media_type=media_type,
        headers={"X-Content-Type-Options": "nosniff", "Cache-Control": cache},
    )


routes: list[BaseRoute] = [
    Route("/api/v1/accounts", sign_up, methods=["POST"]),
    Route("/api/v1/accounts", list_accounts, methods=["GET"]),
    Route("/api/v1/accounts/verify_credentials", verify_credentials, methods=["GET"]),
    Route("/api/v1/accounts/update_credentials", update_credentials, methods=["PATCH"]),
    Route("/api/v1/accounts/lookup", lookup, methods=["GET"]),
    Route("/api/v1/accounts/search", search, methods=["GET"]),
    Route("/api/v1/accounts/delete_self", delete_self, methods=["POST"]),
    Route("/api/v1/accounts/{id:int}", show_account, methods=["GET"]),
    Route("/api/v1/accounts/{id:int}/featured_tags", account_featured_tags, methods=["GET"]),
    Route("/api/v1/featured_tags", own_featured_tags, methods=["GET"]),
    Route("/api/v1/featured_tags", add_featured_tag, methods=["POST"]),
    Route("/api/v1/featured_tags/suggestions", featured_tag_suggestions, methods=["GET"]),
    Route("/api/v1/featured_tags/{id}", remove_featured_tag, methods=["DELETE"]),
    Route("/api/v1/tags/{name}/feature", _feature_tag(True), methods=["POST"]),
    Route("/api/v1/tags/{name}/unfeature", _feature_tag(False), methods=["POST"]),
    Route("/system/{path:path}", media, methods=["GET", "HEAD"]),
]
