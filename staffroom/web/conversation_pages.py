"""Direct conversations on the web: ``/conversations`` lists one's direct threads (the other
participants, the last post, unread ones marked) with a form to remove each;
``/conversations/{id}`` marks one read and opens its last post's page, whose reply form
keeps direct visibility and mentions everyone in it; ``POST /web/conversations/{id}/remove``
takes one off the list. All through ``services.conversations``, as the API."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from staffroom.errors import NotFound
from staffroom.ids import parse_id
from staffroom.runtime import runtime_of
from staffroom.services import conversations
from staffroom.web.forms import signed_in_form
from staffroom.web.render import redirect, render
from staffroom.web.session import current_user

SHOWN = 20


def _conversation_id(request: Request) -> int:
    found = parse_id(request.path_params["id"])
    if found is None:
        raise NotFound()
    return found


async def conversations_page(request: Request) -> Response:
    """``/conversations``: one's direct conversations, the most recently active first."""
    viewer = await current_user(request)
    if viewer is None:
        return redirect("/auth/sign_in?next=/conversations")
    max_id = parse_id(request.query_params.get("max_id"))
    items = await runtime_of(request).db.aread(
        conversations.conversations_page, viewer.account_id, max_id=max_id, limit=SHOWN
    )
    return render(
        request,
        "conversations.html",
        filter_context="thread",
        viewer=viewer,
        nav="conversations",
        items=items,
        next_max_id=items[-1].last_status_id if len(items) == SHOWN else None,
        paged=max_id is not None,
    )


async def open_conversation(request: Request) -> Response:
    """``/conversations/{id}``: mark it read, then show its last post in its thread."""
    viewer = await current_user(request)
    conversation_id = _conversation_id(request)
    if viewer is None:
        return redirect(f"/auth/sign_in?next=/conversations/{conversation_id}")
    rt = runtime_of(request)
    view = await rt.db.awrite(conversations.mark_read, viewer.account_id, conversation_id)
    conversations.publish_conversation(rt, viewer.account_id, view)
    last = view.last_status
    if last is None:
        return redirect("/conversations")
    return redirect(f"/@{last.account.username}/{last.id}#reply")


async def remove(request: Request) -> Response:
    """``POST /web/conversations/{id}/remove``: off one's list until someone posts in it."""
    checked = await signed_in_form(request, back_to="/conversations")
    if isinstance(checked, Response):
        return checked
    viewer, _ = checked
    conversation_id = _conversation_id(request)
    await runtime_of(request).db.awrite(conversations.remove, viewer.account_id, conversation_id)
    return redirect("/conversations")


routes: list[BaseRoute] = [
    Route("/conversations", conversations_page, methods=["GET"]),
    Route("/conversations/{id}", open_conversation, methods=["GET"]),
    Route("/web/conversations/{id}/remove", remove, methods=["POST"]),
]
