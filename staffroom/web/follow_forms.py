"""Follow forms that several pages share: "Follow all shown" and its "Undo" (the directory
and the first run), and one suggested person's "Follow" (the first run and "Who to follow").

Each page keeps its own route, sign-in preamble and where it goes back to; these read the
shown people (``account_id`` fields) or the follow-all to undo (``bulk_id``) and call
``services.bulk_follows``, which records a follow-all so its undo unfollows exactly those it
added, once.
"""

from __future__ import annotations

from starlette.datastructures import FormData
from starlette.requests import Request

from staffroom.errors import StaffroomError
from staffroom.ids import parse_id
from staffroom.runtime import runtime_of
from staffroom.services import bulk_follows, follows
from staffroom.services.login import SessionUser
from staffroom.web.forms import form_text


async def follow_shown(request: Request, viewer: SessionUser, form: FormData, source: str) -> None:
    """Follow every ``account_id`` in the form, recorded under ``source`` for undo."""
    targets = [parse_id(v) for v in form.getlist("account_id") if isinstance(v, str)]
    rt = runtime_of(request)
    await rt.db.awrite(
        bulk_follows.follow_all,
        rt.timelines,
        viewer.account_id,
        [t for t in targets if t is not None],
        source=source,
    )


async def undo_shown(request: Request, viewer: SessionUser, form: FormData) -> int:
    """Undo the form's ``bulk_id`` follow-all; answers how many were unfollowed."""
    bulk_id = parse_id(form_text(form.get("bulk_id")))
    if bulk_id is None:
        return 0
    rt = runtime_of(request)
    removed: int = await rt.db.awrite(
        bulk_follows.undo_follow_all, rt.timelines, viewer.account_id, bulk_id
    )
    return removed


async def follow_unless_blocked(request: Request, viewer: SessionUser, target: int) -> None:
    """Follow ``target``; a block that came meanwhile (403) is nothing to do: the list of
    suggestions moves on."""
    rt = runtime_of(request)
    try:
        await rt.db.awrite(follows.follow, rt.timelines, viewer.account_id, target)
    except StaffroomError as exc:
        if exc.status != 403:
            raise
