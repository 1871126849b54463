"""API routes: posting and acting on statuses (``/api/v1/statuses``, favourites, bookmarks)."""

from __future__ import annotations

from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.routing import BaseRoute, Route

from staffroom.api.auth import authenticate, optional_viewer
from staffroom.api.pagination import link_header, read_page
from staffroom.api.params import Params, parse_moment, path_id, read_params
from staffroom.api.responses import JSONResponse
from staffroom.errors import NotFound, ValidationFailed
from staffroom.ids import parse_id
from staffroom.messages import T_
from staffroom.runtime import runtime_of
from staffroom.serializers.accounts import serialize_account
from staffroom.serializers.edits import serialize_history, serialize_source
from staffroom.serializers.scheduled import serialize_scheduled
from staffroom.serializers.statuses import serialize_status, serialize_statuses
from staffroom.services import (
    editing,
    interactions,
    media,
    pins,
    posting,
    quotes,
    reactions,
    scheduling,
    timelines,
)
from staffroom.services.edit_media import MediaChange
from staffroom.services.polls import NewPoll
from staffroom.services.status_views import load_view
from staffroom.services.timelines import PageRequest


async def create_status(request: Request) -> JSONResponse:
    viewer = await authenticate(request, "write:statuses")
    params = await read_params(request)
    rt = runtime_of(request)
    key = request.headers.get("idempotency-key")
    new = posting.NewStatus(
        text=params.str("status", "") or "",
        visibility=params.str("visibility") or "public",
        in_reply_to_id=_optional_id(params.str("in_reply_to_id")),
        spoiler_text=params.str("spoiler_text", "") or "",
        sensitive=params.bool("sensitive"),
        language=params.str("language") or None,
        idempotency_key=key[:255] if key else None,
        app_id=viewer.token.app_id,
        media_ids=_media_ids(params.list("media_ids")),
        poll=read_poll(params),
        quoted_status_id=_quoted_id(params.str("quoted_status_id")),
        quote_approval_policy=params.str("quote_approval_policy") or None,
    )
    await run_in_threadpool(posting.check_new_status, rt.settings, new)
    when = params.str("scheduled_at")
    if when:  # a ScheduledStatus instead, posted by the job queue at that time
        at = parse_moment(when, "scheduled_at")
        scheduling.check_time(at)
        item = await rt.db.awrite(scheduling.schedule, rt, viewer.account_id, new, at)
        return JSONResponse(serialize_scheduled(item, rt.settings.base_url))
    view = await rt.db.awrite(posting.post_and_view, rt, viewer.account_id, new)
    return JSONResponse(serialize_status(view, rt.settings.base_url))


def _media_ids(raw: list[str]) -> tuple[int, ...]:
    """``media_ids[]`` as IDs, repeats dropped; one that is not an ID is a 422."""
    found: dict[int, None] = {}
    for item in raw:
        value = parse_id(item.strip())
        if value is None:
            raise ValidationFailed(
                T_("Media %(ids)s not found or already attached to another post", ids=item[:30])
            )
        found[value] = None
    return tuple(found)


def read_poll(params: Params) -> NewPoll | None:
    """``poll[options][]``, ``poll[expires_in]``, ``poll[multiple]``, ``poll[hide_totals]``
    (form or JSON) as a :class:`NewPoll`; ``None`` when no options are given."""
    raw = params.dict("poll")
    if not raw:
        return None
    poll = Params(raw)
    options = poll.list("options")
    if not options:
        return None
    expires_in = poll.int("expires_in")
    if expires_in is None:
        raise ValidationFailed(T_("Poll: %(field)s is missing", field="expires_in"))
    return NewPoll(
        options=tuple(options),
        expires_in=expires_in,
        multiple=poll.bool("multiple"),
        hide_totals=poll.bool("hide_totals"),
    )


def _quoted_id(raw: str | None) -> int | None:
    if raw is None or raw == "":
        return None
    value = parse_id(raw)
    if value is None:
        raise NotFound("The post you are quoting does not exist or is not visible to you")
    return value


def _edit_media_ids(params: Params) -> tuple[int, ...]:
    """An edit's ``media_ids[]``; an empty one (``media_ids[]=``, ``[]``) removes them all."""
    return _media_ids([item for item in params.list("media_ids") if item.strip()])


def _media_attributes(raw: Any) -> tuple[MediaChange, ...]:
    """``media_attributes[][id|description|focus]`` (a list, or Rails' numbered hash)."""
    items = list(raw.values()) if isinstance(raw, dict) else raw if isinstance(raw, list) else []
    changes = []
    for item in items:
        if not isinstance(item, dict):
            continue
        media_id = parse_id(str(item.get("id", "")).strip())
        if media_id is None:
            raise ValidationFailed(T_("Media %(ids)s not found", ids=str(item.get("id"))[:30]))
        description = item.get("description")
        focus = item.get("focus")
        changes.append(
            MediaChange(
                media_id,
                None if description is None else str(description),
                media.parse_focus(None if focus is None else str(focus)),
            )
        )
    return tuple(changes)


def _optional_id(raw: str | None) -> int | None:
    if raw is None or raw == "":
        return None
    value = parse_id(raw)
    if value is None:
        raise NotFound("The post you are replying to does not exist or is not visible to you")
    return value


async def _show(request: Request, viewer_id: int | None, status_id: int) -> JSONResponse:
    rt = runtime_of(request)
    view = await rt.db.aread(load_view, viewer_id, status_id)
    if view is None:
        raise NotFound()
    return JSONResponse(serialize_status(view, rt.settings.base_url))


async def several_statuses(request: Request) -> JSONResponse:
    """``GET /api/v1/statuses?id[]=``: up to 20 posts (more is a 422, as Mastodon); those the
    viewer may not see, and unknown IDs, are left out."""
    viewer = await optional_viewer(request, "read:statuses")
    raw = list(dict.fromkeys((await read_params(request)).list("id")))
    if len(raw) > timelines.MAX_SEVERAL:
        raise ValidationFailed(f"Too many IDs: at most {timelines.MAX_SEVERAL}")
    ids = [found for found in (parse_id(item) for item in raw) if found is not None]
    rt = runtime_of(request)
    views = await rt.db.aread(timelines.several, viewer.account_id if viewer else None, ids)
    return JSONResponse(serialize_statuses(views, rt.settings.base_url))


async def get_status(request: Request) -> JSONResponse:
    viewer = await optional_viewer(request, "read:statuses")
    return await _show(request, viewer.account_id if viewer else None, path_id(request))


async def delete_status(request: Request) -> JSONResponse:
    viewer = await authenticate(request, "write:statuses")
    rt = runtime_of(request)
    view = await rt.db.awrite(interactions.delete_status, rt, viewer.account_id, path_id(request))
    return JSONResponse(serialize_status(view, rt.settings.base_url, with_source=True))


async def edit_status(request: Request) -> JSONResponse:
    """``PUT /api/v1/statuses/:id``: new text, content warning, sensitivity, language or
    poll (a poll not sent is removed, as in Mastodon)."""
    viewer = await authenticate(request, "write:statuses")
    params = await read_params(request)
    rt = runtime_of(request)
    sensitive = params.str("sensitive")
    change = editing.Edit(
        text=params.str("status", "") or "",
        spoiler_text=params.str("spoiler_text"),
        sensitive=None if sensitive is None else params.bool("sensitive"),
        language=params.str("language") or None,
        poll=read_poll(params),
        media_ids=_edit_media_ids(params) if "media_ids" in params else None,
        media_attributes=_media_attributes(params.raw("media_attributes")),
    )
    await run_in_threadpool(editing.check_edit, rt, change)
    view = await rt.db.awrite(editing.edit_status, rt, viewer.account_id, path_id(request), change)
    policy = params.str("quote_approval_policy")
    if policy:  # as Mastodon: an edit may also change who may quote the post
        view = await rt.db.awrite(quotes.set_policy, viewer.account_id, view.id, policy)
    return JSONResponse(serialize_status(view, rt.settings.base_url))


async def status_history(request: Request) -> JSONResponse:
    viewer = await optional_viewer(request, "read:statuses")
    rt = runtime_of(request)
    view, versions = await rt.db.aread(
        editing.history, viewer.account_id if viewer else None, path_id(request)
    )
    return JSONResponse(serialize_history(view, versions, rt.settings.base_url))


async def status_source(request: Request) -> JSONResponse:
    viewer = await authenticate(request, "read:statuses")
    rt = runtime_of(request)
    row = await rt.db.aread(editing.source, viewer.account_id, path_id(request))
    return JSONResponse(serialize_source(row))


async def status_context(request: Request) -> JSONResponse:
    viewer = await optional_viewer(request, "read:statuses")
    rt = runtime_of(request)
    ancestors, descendants = await rt.db.aread(
        timelines.context, viewer.account_id if viewer else None, path_id(request)
    )
    base = rt.settings.base_url
    return JSONResponse(
        {
            "ancestors": serialize_statuses(ancestors, base),
            "descendants": serialize_statuses(descendants, base),
        }
    )


def _action(service: object, scope: str, *, on: bool | None = None):  # type: ignore[no-untyped-def]
    """An endpoint that applies ``service`` to the status and answers with the status."""

    async def endpoint(request: Request) -> JSONResponse:
        viewer = await authenticate(request, scope)
        rt = runtime_of(request)
        args = () if on is None else (on,)
        status_id: int = await rt.db.awrite(
            service,  # type: ignore[arg-type]
            rt,
            viewer.account_id,
            path_id(request),
            *args,
        )
        return await _show(request, viewer.account_id, status_id)

    return endpoint


async def reblog(request: Request) -> JSONResponse:
    viewer = await authenticate(request, "write:statuses")
    params = await read_params(request)
    rt = runtime_of(request)
    visibility = params.str("visibility") or "public"
    from staffroom.policies.visibility import VISIBILITY_CODES

    code = VISIBILITY_CODES.get(visibility, 0)
    reblog_id = await rt.db.awrite(
        interactions.reblog, rt, viewer.account_id, path_id(request), code
    )
    view = await rt.db.aread(load_view, viewer.account_id, reblog_id)
    if view is None:
        raise NotFound()
    # As Mastodon answers it: the new repost itself is "reblogged" by the one who made it
    # (apps show the button pressed from this answer), as is the post inside it.
    view.reblogged = True
    return JSONResponse(serialize_status(view, rt.settings.base_url))


async def _accounts_who(request: Request, kind: str) -> JSONResponse:
    viewer = await optional_viewer(request, "read:accounts")
    params = await read_params(request)
    page = read_page(params, default=40, maximum=80)
    rt = runtime_of(request)
    result = await rt.db.aread(
        reactions.accounts_who,
        kind,
        viewer.account_id if viewer else None,
        path_id(request),
        PageRequest(page.max_id, page.since_id, page.min_id, page.limit),
    )
    base = rt.settings.base_url
    return JSONResponse(
        [serialize_account(a, base) for a in result.accounts],
        headers=link_header(
            request, next_max_id=result.next_max_id, prev_min_id=result.prev_min_id
        ),
    )


async def reblogged_by(request: Request) -> JSONResponse:
    return await _accounts_who(request, "reblog")


async def favourited_by(request: Request) -> JSONResponse:
    return await _accounts_who(request, "favourite")


def _flag_list(reader: object, scope: str):  # type: ignore[no-untyped-def]
    async def endpoint(request: Request) -> JSONResponse:
        viewer = await authenticate(request, scope)
        params = await read_params(request)
        page = read_page(params, default=20, maximum=40)
        rt = runtime_of(request)
        result: timelines.TimelinePage = await rt.db.aread(
            reader,  # type: ignore[arg-type]
            viewer.account_id,
            PageRequest(page.max_id, page.since_id, page.min_id, page.limit),
        )
        return JSONResponse(
            serialize_statuses(result.views, rt.settings.base_url),
            headers=link_header(
                request, next_max_id=result.next_max_id, prev_min_id=result.prev_min_id
            ),
        )

    return endpoint


routes: list[BaseRoute] = [
    Route("/api/v1/statuses", create_status, methods=["POST"]),
    Route("/api/v1/statuses", several_statuses, methods=["GET"]),
    Route("/api/v1/statuses/{id}", get_status, methods=["GET"]),
    Route("/api/v1/statuses/{id}", delete_status, methods=["DELETE"]),
    Route("/api/v1/statuses/{id}", edit_status, methods=["PUT"]),
    Route("/api/v1/statuses/{id}/history", status_history, methods=["GET"]),
    Route("/api/v1/statuses/{id}/source", status_source, methods=["GET"]),
    Route("/api/v1/statuses/{id}/context", status_context, methods=["GET"]),
    Route("/api/v1/statuses/{id}/reblog", reblog, methods=["POST"]),
    Route(
        "/api/v1/statuses/{id}/unreblog",
        _action(interactions.unreblog, "write:statuses"),
        methods=["POST"],
    ),
    Route(
        "/api/v1/statuses/{id}/favourite",
        _action(interactions.favourite, "write:favourites", on=True),
        methods=["POST"],
    ),
    Route(
        "/api/v1/statuses/{id}/unfavourite",
        _action(interactions.favourite, "write:favourites", on=False),
        methods=["POST"],
    ),
    Route(
        "/api/v1/statuses/{id}/bookmark",
        _action(interactions.bookmark, "write:bookmarks", on=True),
        methods=["POST"],
    ),
    Route(
        "/api/v1/statuses/{id}/unbookmark",
        _action(interactions.bookmark, "write:bookmarks", on=False),
        methods=["POST"],
    ),
    Route(
        "/api/v1/statuses/{id}/pin",
        _action(lambda conn, rt, who, sid: pins.pin(conn, who, sid), "write:accounts"),
        methods=["POST"],
    ),
    Route(
        "/api/v1/statuses/{id}/unpin",
        _action(lambda conn, rt, who, sid: pins.unpin(conn, who, sid), "write:accounts"),
        methods=["POST"],
    ),
    Route("/api/v1/statuses/{id}/reblogged_by", reblogged_by, methods=["GET"]),
    Route("/api/v1/statuses/{id}/favourited_by", favourited_by, methods=["GET"]),
    Route(
        "/api/v1/favourites", _flag_list(timelines.favourited, "read:favourites"), methods=["GET"]
    ),
    Route("/api/v1/bookmarks", _flag_list(timelines.bookmarked, "read:bookmarks"), methods=["GET"]),
]
