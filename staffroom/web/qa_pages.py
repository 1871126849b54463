"""Audience Q&A on the web.

``/events/{id}/qa`` (the audience: a form to ask, approved questions with upvote buttons
and counts, one's own pending ones marked; hosts also get the pending queue with Approve and
Reject, Mark answered, and open or close), ``/events/{id}/qa/speaker`` (the speaker's and
hosts' screen: the top questions large, live). Forms under ``/web/events/{id}/qa``; through
``services.audience_qa``. The pages are live through the wall's stream (``qa`` frames).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import Connection
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from staffroom.errors import NotFound, ValidationFailed
from staffroom.runtime import runtime_of
from staffroom.services import audience_qa, wall
from staffroom.web.forms import form_text, signed_in_form
from staffroom.web.render import redirect, render
from staffroom.web.session import current_user
from staffroom.web.wall_pages import _id


async def qa_page(
    request: Request, *, error: str = "", typed: str = "", status: int = 200
) -> Response:
    """``/events/{id}/qa``: questions for everyone, the queue for hosts."""
    viewer = await current_user(request)
    view = await runtime_of(request).db.aread(
        audience_qa.qa_view, viewer.account_id if viewer else None, _id(request)
    )
    return render(
        request,
        "qa.html",
        viewer=viewer,
        view=view,
        event=view.event,
        asked=request.query_params.get("asked") == "1",
        error=error,
        typed=typed,
        status=status,
        limits=audience_qa,
    )


async def speaker_page(request: Request) -> Response:
    """``/events/{id}/qa/speaker``: the top questions for the speaker (and hosts)."""
    viewer = await current_user(request)
    event_id = _id(request)
    if viewer is None:
        return redirect(f"/auth/sign_in?next=/events/{event_id}/qa/speaker")
    view = await runtime_of(request).db.aread(audience_qa.qa_view, viewer.account_id, event_id)
    if not (view.is_host or view.is_speaker):
        raise NotFound()
    return render(
        request,
        "qa_speaker.html",
        viewer=viewer,
        view=view,
        event=view.event,
        top=view.approved[: audience_qa.TOP],
    )


async def _change(
    request: Request, change: Callable[[Connection, int, Any], wall.WallChange], where: str = ""
) -> Response:
    """A Q&A form: sign-in and CSRF, one change, published after its commit."""
    event_id = _id(request)
    back = f"/events/{event_id}/qa"
    checked = await signed_in_form(request, back_to=back)
    if isinstance(checked, Response):
        return checked
    viewer, form = checked
    rt = runtime_of(request)
    try:
        done = await rt.db.awrite(change, viewer.account_id, form)
    except ValidationFailed as exc:
        return await qa_page(
            request, error=exc.reason, typed=form_text(form.get("text")), status=422
        )
    wall.publish(rt, done)
    return redirect(back + where)


async def ask(request: Request) -> Response:
    """``POST /web/events/{id}/qa`` (``text``): ask a question."""
    event_id = _id(request)

    def change(conn: Connection, actor: int, form: Any) -> wall.WallChange:
        audience_qa.submit(conn, actor, event_id, form_text(form.get("text")))
        return wall.WallChange(event_id, [{"type": "asked"}])  # the hosts' queue grew

    return await _change(request, change, "?asked=1#qa-mine")


async def vote(request: Request) -> Response:
    """``POST /web/events/{id}/qa/{question}/vote``: upvote, or take the vote back."""
    event_id, question_id = _id(request), _id(request, "question")

    def change(conn: Connection, actor: int, form: Any) -> wall.WallChange:
        return audience_qa.vote(conn, actor, event_id, question_id)

    return await _change(request, change, f"#question-{question_id}")


async def screen(request: Request) -> Response:
    """``POST /web/events/{id}/qa/{question}/{approve|reject|answer}`` (hosts)."""
    event_id, question_id = _id(request), _id(request, "question")
    action = str(request.path_params["action"])

    def change(conn: Connection, actor: int, form: Any) -> wall.WallChange:
        return audience_qa.screen(conn, actor, event_id, question_id, action)

    return await _change(request, change)


async def open_or_close(request: Request) -> Response:
    """``POST /web/events/{id}/qa/open`` or ``/close`` (hosts)."""
    event_id = _id(request)
    is_open = request.url.path.endswith("/open")

    def change(conn: Connection, actor: int, form: Any) -> wall.WallChange:
        return audience_qa.set_open(conn, actor, event_id, is_open)

    return await _change(request, change)


routes: list[BaseRoute] = [
    Route("/events/{id}/qa", qa_page, methods=["GET"]),
    Route("/events/{id}/qa/speaker", speaker_page, methods=["GET"]),
    Route("/web/events/{id}/qa", ask, methods=["POST"]),
    Route("/web/events/{id}/qa/open", open_or_close, methods=["POST"]),
    Route("/web/events/{id}/qa/close", open_or_close, methods=["POST"]),
    Route("/web/events/{id}/qa/{question}/vote", vote, methods=["POST"]),
    Route("/web/events/{id}/qa/{question}/{action}", screen, methods=["POST"]),
]
