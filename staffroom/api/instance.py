"""Instance metadata (``/api/v1|v2/instance``), discovery (WebFinger, host-meta, NodeInfo)
and ``/api/v1/preferences``.

Everything but preferences is anonymous. Limits advertised here are the ones Staffroom
enforces: 140-character posts (``settings.max_status_chars``), up to 4 images per post
(``staffroom.media.images`` limits, ``settings.max_image_bytes``), no video, polls of 2-4
options lasting 5 minutes to a month (``staffroom.services.polls``).
"""

from __future__ import annotations

import struct
import zlib
from datetime import UTC, datetime
from html import escape
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from staffroom import MASTODON_COMPAT_VERSION, __version__
from staffroom.api.auth import authenticate
from staffroom.api.openapi.document import openapi_document
from staffroom.api.responses import JSONResponse
from staffroom.config import Settings
from staffroom.errors import BadRequest, NotFound
from staffroom.media.images import MATRIX_LIMIT, SUPPORTED_TYPES
from staffroom.runtime import runtime_of
from staffroom.serializers.accounts import account_url, serialize_account
from staffroom.serializers.common import iso
from staffroom.services import collections as collection_limits
from staffroom.services.instance import (
    InstanceFacts,
    find_local_account,
    instance_facts,
    user_settings,
    weekly_activity,
)
from staffroom.services.media import MAX_ATTACHMENTS, MAX_DESCRIPTION

# Where Staffroom's source code is published (the AGPL asks servers to point at it).
SOURCE_URL = "https://github.com/staffroom/staffroom"
LANGUAGES = ["en"]
MAX_FEATURED_TAGS = 10
MAX_PINNED_STATUSES = 5
THUMBNAIL_PATH = "/instance/thumbnail.png"
THUMBNAIL_SIZE = 192
NODEINFO_SCHEMA = "http://nodeinfo.diaspora.software/ns/schema/"
NODEINFO_VERSIONS = ("2.0", "2.1")
_STARTED_AT = datetime.now(UTC)  # settings are read at start-up: they change only on restart

_POLL_LIMITS = {
    "max_options": 4,
    "max_characters_per_option": 50,
    "min_expiration": 300,
    "max_expiration": 2629746,
}


def _solid_png(side: int, rgb: tuple[int, int, int]) -> bytes:
    """A square PNG of one colour: the server's thumbnail and icon."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", side, side, 8, 2, 0, 0, 0)
    pixels = (b"\x00" + bytes(rgb) * side) * side
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(pixels, 9))
        + chunk(b"IEND", b"")
    )


_THUMBNAIL = _solid_png(THUMBNAIL_SIZE, (0x2B, 0x7A, 0x78))


def streaming_url(settings: Settings) -> str:
    """``wss://host`` for an https server, ``ws://host`` otherwise (clients add the path)."""
    scheme = "wss" if settings.base_url.startswith("https://") else "ws"
    return f"{scheme}://{settings.domain}"


def _statuses_limits(settings: Settings) -> dict[str, int]:
    return {
        "max_characters": settings.max_status_chars,
        "max_media_attachments": MAX_ATTACHMENTS,
        "characters_reserved_per_url": settings.url_length,
    }


def _media_limits(settings: Settings) -> dict[str, Any]:
    """What uploads may be: images only (no video, so its limits are 0)."""
    return {
        "supported_mime_types": list(SUPPORTED_TYPES),
        "image_size_limit": settings.max_image_bytes,
        "image_matrix_limit": MATRIX_LIMIT,
        "video_size_limit": 0,
        "video_frame_rate_limit": 0,
        "video_matrix_limit": 0,
    }


def _contact(settings: Settings, facts: InstanceFacts) -> dict[str, Any] | None:
    if facts.contact is None:
        return None
    return serialize_account(facts.contact, settings.base_url)


def serialize_v1_instance(settings: Settings, facts: InstanceFacts) -> dict[str, Any]:
    """Mastodon's ``V1::Instance`` entity."""
    return {
        "uri": settings.domain,
        "title": settings.instance_title,
        "short_description": settings.instance_description,
        "description": escape(settings.instance_description),
        "email": settings.contact_email,
        "version": MASTODON_COMPAT_VERSION,
        "urls": {"streaming_api": streaming_url(settings)},
        "stats": {
            "user_count": facts.stats.user_count,
            "status_count": facts.stats.status_count,
            "domain_count": facts.stats.domain_count,
        },
        "thumbnail": settings.base_url + THUMBNAIL_PATH,
        "languages": LANGUAGES,
        "registrations": settings.registrations_open,
        "approval_required": False,
        "invites_enabled": False,
        "configuration": {
            "accounts": {"max_featured_tags": MAX_FEATURED_TAGS},
            "statuses": _statuses_limits(settings),
            "media_attachments": _media_limits(settings),
            "polls": _POLL_LIMITS,
        },
        "contact_account": _contact(settings, facts),
        "rules": [],
    }


# Starter packs (Mastodon's collections hold at most 25 accounts; Staffroom's more).
_COLLECTION_LIMITS = {
    "max_accounts": collection_limits.MAX_ITEMS,
    "max_tags": collection_limits.MAX_TAGS,
    "max_lists": collection_limits.MAX_LISTS,
    "max_name_length": collection_limits.MAX_NAME,
    "max_description_length": collection_limits.MAX_DESCRIPTION,
    "max_reason_length": collection_limits.MAX_REASON,
}


def serialize_instance(settings: Settings, facts: InstanceFacts) -> dict[str, Any]:
    """Mastodon's (v2) ``Instance`` entity."""
    thumbnail = settings.base_url + THUMBNAIL_PATH
    closed = None if settings.registrations_open else "Registrations are closed on this server."
    return {
        "domain": settings.domain,
        "title": settings.instance_title,
        "version": MASTODON_COMPAT_VERSION,
        "source_url": SOURCE_URL,
        "description": settings.instance_description,
        "usage": {"users": {"active_month": facts.stats.active_month}},
        "thumbnail": {"url": thumbnail, "blurhash": None, "versions": {"@1x": thumbnail}},
        "icon": [{"src": thumbnail, "size": f"{THUMBNAIL_SIZE}x{THUMBNAIL_SIZE}"}],
        "languages": LANGUAGES,
        "configuration": {
            "urls": {"streaming": streaming_url(settings), "status": None},
            "accounts": {
                "max_featured_tags": MAX_FEATURED_TAGS,
                "max_pinned_statuses": MAX_PINNED_STATUSES,
            },
            "statuses": _statuses_limits(settings),
            "media_attachments": {
                **_media_limits(settings),
                "description_limit": MAX_DESCRIPTION,
            },
            "polls": _POLL_LIMITS,
            "translation": {"enabled": False},
            "collections": _COLLECTION_LIMITS,  # Staffroom's: Mastodon has no such key
        },
        "registrations": {
            "enabled": settings.registrations_open,
            "approval_required": False,
            "message": closed,
            "url": None,
        },
        "api_versions": {"mastodon": 2},
        "contact": {"email": settings.contact_email, "account": _contact(settings, facts)},
        "rules": [],
    }


async def instance_v1(request: Request) -> Response:
    runtime = runtime_of(request)
    facts = await runtime.db.aread(instance_facts)
    return JSONResponse(serialize_v1_instance(runtime.settings, facts))


async def instance_v2(request: Request) -> Response:
    runtime = runtime_of(request)
    facts = await runtime.db.aread(instance_facts)
    return JSONResponse(serialize_instance(runtime.settings, facts))


async def empty_list(request: Request) -> Response:
    """Peers, rules and domain blocks: Staffroom does not federate and has no rules yet."""
    return JSONResponse([])


async def translation_languages(request: Request) -> Response:
    return JSONResponse({})


async def extended_description(request: Request) -> Response:
    description = runtime_of(request).settings.instance_description
    content = f"<p>{escape(description)}</p>" if description else ""
    return JSONResponse({"updated_at": iso(_STARTED_AT), "content": content})


async def activity(request: Request) -> Response:
    weeks = await runtime_of(request).db.aread(weekly_activity)
    return JSONResponse(
        [
            {
                "week": str(int(week.week.timestamp())),
                "statuses": str(week.statuses),
                "logins": str(week.logins),
                "registrations": str(week.registrations),
            }
            for week in weeks
        ]
    )


async def thumbnail(request: Request) -> Response:
    return Response(
        _THUMBNAIL, media_type="image/png", headers={"Cache-Control": "public, max-age=86400"}
    )


def webfinger_username(resource: str, settings: Settings) -> str:
    """The local username a WebFinger ``resource`` names (``acct:`` URI or profile URL).

    Raises 400 for something that is neither, 404 for another domain or path.
    """
    resource = resource.strip()
    if resource.startswith(("https://", "http://")):
        rest = resource.split("://", 1)[1]
        host, _, path = rest.partition("/")
        if host.lower() != settings.domain.lower():
            raise NotFound()
        for prefix in ("@", "users/"):
            if path.startswith(prefix) and "/" not in path[len(prefix) :]:
                return path[len(prefix) :]
        raise NotFound()
    if resource.lower().startswith("acct:"):
        resource = resource[5:]
    elif "@" not in resource or ":" in resource.split("@", 1)[0]:
        raise BadRequest("The resource parameter must be an acct: URI or a profile URL")
    username, _, domain = resource.lstrip("@").rpartition("@")
    if not username:  # "acct:alice" names a local account
        username, domain = domain, settings.domain
    if not username:
        raise BadRequest("The resource parameter must name an account")
    if domain.lower() != settings.domain.lower():
        raise NotFound()
    return username


async def webfinger(request: Request) -> Response:
    runtime = runtime_of(request)
    resource = request.query_params.get("resource", "")
    if not resource.strip():
        raise BadRequest("The resource parameter is required")
    username = webfinger_username(resource, runtime.settings)
    account = await runtime.db.aread(find_local_account, username)
    if account is None:
        raise NotFound()
    base = runtime.settings.base_url
    profile, actor = account_url(base, account.username), f"{base}/users/{account.username}"
    document = {
        "subject": f"acct:{account.username}@{runtime.settings.domain}",
        "aliases": [profile, actor],
        "links": [
            {"rel": "http://webfinger.net/rel/profile-page", "type": "text/html", "href": profile},
            {"rel": "self", "type": "application/activity+json", "href": actor},
        ],
    }
    response = JSONResponse(document, headers={"Cache-Control": "public, max-age=259200"})
    response.headers["Content-Type"] = "application/jrd+json; charset=utf-8"
    return response


async def host_meta(request: Request) -> Response:
    base = runtime_of(request).settings.base_url
    body = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<XRD xmlns="http://docs.oasis-open.org/ns/xri/xrd-1.0">\n'
        f'  <Link rel="lrdd" template="{escape(base)}/.well-known/webfinger?resource={{uri}}"/>\n'
        "</XRD>\n"
    )
    return Response(body, media_type="application/xrd+xml; charset=utf-8")


async def nodeinfo_links(request: Request) -> Response:
    base = runtime_of(request).settings.base_url
    return JSONResponse(
        {
            "links": [
                {"rel": f"{NODEINFO_SCHEMA}{v}", "href": f"{base}/nodeinfo/{v}"}
                for v in NODEINFO_VERSIONS
            ]
        }
    )


async def nodeinfo(request: Request) -> Response:
    version = request.path_params["version"]
    if version not in NODEINFO_VERSIONS:
        raise NotFound()
    runtime = runtime_of(request)
    settings = runtime.settings
    facts = await runtime.db.aread(instance_facts)
    software: dict[str, str] = {"name": "staffroom", "version": __version__}
    if version == "2.1":
        software["repository"] = SOURCE_URL
    document = {
        "version": version,
        "software": software,
        "protocols": [],  # federation comes later
        "services": {"outbound": [], "inbound": []},
        "usage": {
            "users": {
                "total": facts.stats.user_count,
                "activeMonth": facts.stats.active_month,
                "activeHalfyear": facts.stats.active_halfyear,
            },
            "localPosts": facts.stats.status_count,
        },
        "openRegistrations": settings.registrations_open,
        "metadata": {
            "nodeName": settings.instance_title,
            "nodeDescription": settings.instance_description,
        },
    }
    response = JSONResponse(document)
    response.headers["Content-Type"] = f'application/json; profile="{NODEINFO_SCHEMA}{version}#"'
    return response


async def preferences(request: Request) -> Response:
    viewer = await authenticate(request, "read:accounts")
    user = await runtime_of(request).db.aread(user_settings, viewer.account_id)
    if user is None:
        raise NotFound()
    return JSONResponse(
        {
            "posting:default:visibility": user.default_visibility,
            "posting:default:sensitive": user.default_sensitive,
            "posting:default:language": user.default_language,
            "posting:default:quote_policy": user.default_quote_policy,
            "reading:expand:media": "default",
            "reading:expand:spoilers": False,
        }
    )


async def openapi_json(request: Request) -> Response:
    """This server's own description of its client API (OpenAPI 3.1)."""
    return JSONResponse(openapi_document(runtime_of(request).settings.base_url))


routes: list[BaseRoute] = [
    Route("/api/openapi.json", openapi_json, methods=["GET"]),
    Route("/api/v1/instance", instance_v1, methods=["GET"]),
    Route("/api/v2/instance", instance_v2, methods=["GET"]),
    Route("/api/v1/instance/peers", empty_list, methods=["GET"]),
    Route("/api/v1/instance/rules", empty_list, methods=["GET"]),
    Route("/api/v1/instance/domain_blocks", empty_list, methods=["GET"]),
    Route("/api/v1/instance/activity", activity, methods=["GET"]),
    Route("/api/v1/instance/extended_description", extended_description, methods=["GET"]),
    Route("/api/v1/instance/translation_languages", translation_languages, methods=["GET"]),
    Route(THUMBNAIL_PATH, thumbnail, methods=["GET"]),
    Route("/.well-known/webfinger", webfinger, methods=["GET"]),
    Route("/.well-known/host-meta", host_meta, methods=["GET"]),
    Route("/.well-known/nodeinfo", nodeinfo_links, methods=["GET"]),
    Route("/nodeinfo/{version:str}", nodeinfo, methods=["GET"]),
    Route("/api/v1/preferences", preferences, methods=["GET"]),
]
