"""The first-run path for newcomers (``/welcome``): interests, people worth following (with
the reasons why, one-by-one or all at once, undoable) and a first hello.

Each step is a page with plain forms, so it works without JavaScript; every step can be
skipped ("Skip for now") or left ("Finish later"), and ``/welcome`` resumes at the step the
person reached (``services.onboarding``).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from staffroom.errors import NotFound, StaffroomError
from staffroom.ids import parse_id
from staffroom.runtime import runtime_of
from staffroom.services import bulk_follows, directory, follows, onboarding, pack_follows
from staffroom.services.directory_fields import DirectoryField, instance_fields
from staffroom.services.login import SessionUser
from staffroom.services.pack_reads import packs_about
from staffroom.services.profiles import MAX_FEATURED, clean_tag_name, split_interests
from staffroom.services.suggestions import Suggestion, suggestions
from staffroom.web.directory_pages import choices
from staffroom.web.follow_forms import follow_shown, follow_unless_blocked, undo_shown
from staffroom.web.forms import form_text, signed_in_form
from staffroom.web.i18n import N_
from staffroom.web.render import redirect, render
from staffroom.web.session import current_user
from staffroom.web.timeline_pages import VISIBILITIES

SOURCE = "first-run"
SHOWN = 12
PACKS_SHOWN = 4
SUBJECT = "subject"
_PAGES = {step: f"/welcome/{step}" for step in onboarding.STEPS}
TOO_MANY = N_("Choose at most %(count)s hashtags.")
NOT_A_TAG = N_("“%(name)s” is not a hashtag: use letters, digits and underscores.")


def _step_context(step: str) -> dict[str, Any]:
    return {"step": step, "step_number": onboarding.STEPS.index(step) + 1, "steps_total": 3}


async def _viewer_or_sign_in(request: Request) -> SessionUser | Response:
    viewer = await current_user(request)
    if viewer is None:
        return redirect(f"/auth/sign_in?next={request.url.path}", 302)
    return viewer


async def welcome(request: Request) -> Response:
    """``GET /welcome``: start the path if needed and go to the step the person reached."""
    viewer = await _viewer_or_sign_in(request)
    if isinstance(viewer, Response):
        return viewer
    step = await runtime_of(request).db.awrite(onboarding.start, viewer.account_id)
    return redirect(_PAGES.get(step, "/"), 302)


async def interests_page(request: Request) -> Response:
    """``GET /welcome/interests``: step 1, hashtags of the person's field."""
    viewer = await _viewer_or_sign_in(request)
    if isinstance(viewer, Response):
        return viewer
    rt = runtime_of(request)

    def load(conn: Connection) -> tuple[list[str], list[str], bool]:
        listed = directory.entry_of(conn, viewer.account_id) is not None
        subjects = directory.subjects_of(conn, viewer.account_id, SUBJECT)
        return onboarding.interest_names(conn, viewer.account_id), subjects, listed

    chosen, subjects, listed = await rt.db.aread(load)
    return await _render_interests(
        request, viewer, chosen=chosen, other="", subjects=subjects, list_me=listed
    )


def _subject_field(request: Request) -> DirectoryField | None:
    """The instance's directory field ``subject``, if it defines one."""
    fields = instance_fields(runtime_of(request).settings.directory_fields_file)
    return next((f for f in fields if f.name == SUBJECT), None)


async def _render_interests(
    request: Request,
    viewer: SessionUser,
    *,
    chosen: list[str],
    other: str,
    subjects: list[str],
    list_me: bool,
    error: str | None = None,
    error_args: dict[str, object] | None = None,
) -> Response:
    offered = await runtime_of(request).db.aread(onboarding.suggested_tags)
    lowered = {name.lower() for name in offered}
    offered += [name for name in chosen if name.lower() not in lowered]
    return render(
        request,
        "first_run_interests.html",
        viewer=viewer,
        status=422 if error else 200,
        offered=offered,
        chosen={name.lower() for name in chosen},
        other=other,
        error=error,
        error_args=error_args or {},
        max_interests=MAX_FEATURED,
        subject_field=_subject_field(request),
        subjects=set(subjects),
        list_me=list_me,
        choices=choices,
        **_step_context("interests"),
    )


async def save_interests(request: Request) -> Response:
    """``POST /welcome/interests``: save the ticked and typed hashtags, the subjects taught
    (and, if asked, a directory listing under them), then step 2."""
    checked = await signed_in_form(request)
    if isinstance(checked, Response):
        return checked
    viewer, form = checked
    ticked = [value for value in form.getlist("tag") if isinstance(value, str)]
    subjects = [value for value in form.getlist("subject") if isinstance(value, str)]
    list_me = form_text(form.get("list_me")) == "1"
    other = form_text(form.get("other"))
    names = split_interests([*ticked, other])

    async def again(error: str, error_args: dict[str, object]) -> Response:
        return await _render_interests(
            request,
            viewer,
            chosen=ticked,
            other=other,
            subjects=subjects,
            list_me=list_me,
            error=error,
            error_args=error_args,
        )

    bad = next((name for name in names if clean_tag_name(name) is None), None)
    if bad is not None:
        return await again(NOT_A_TAG, {"name": bad})
    if len(names) > MAX_FEATURED:
        return await again(TOO_MANY, {"count": MAX_FEATURED})
    field = _subject_field(request)

    def save(conn: Connection) -> None:
        onboarding.save_interests(conn, viewer.account_id, names)
        if field is not None:
            directory.save_subjects(
                conn, [field], viewer.account_id, subjects, list_me=list_me, field=SUBJECT
            )

    try:
        await runtime_of(request).db.awrite(save)
    except StaffroomError as exc:
        if exc.status != 422:
            raise
        reason = exc.reason
        return await again(getattr(reason, "msgid", reason), getattr(reason, "params", {}))
    return redirect(_PAGES["people"])


def _keep(value: str) -> list[int]:
    ids = (parse_id(part) for part in value.split(",")[:SHOWN])
    return [i for i in ids if i is not None]


async def people_page(request: Request) -> Response:
    """``GET /welcome/people``: step 2, suggestions with reasons and follow buttons."""
    viewer = await _viewer_or_sign_in(request)
    if isinstance(viewer, Response):
        return viewer
    rt = runtime_of(request)

    def load(conn: Connection) -> tuple[list[Suggestion], bulk_follows.BulkFollow | None, Any]:
        bulk = bulk_follows.latest_undoable(conn, viewer.account_id, SOURCE)
        keep = set(_keep(request.query_params.get("keep", "")))
        if bulk is not None:
            keep |= set(bulk_follows.bulk_targets(conn, bulk.id))
        interests = onboarding.interest_names(conn, viewer.account_id)
        packs = packs_about(conn, viewer.account_id, interests, limit=PACKS_SHOWN)
        followed = {p.id: pack_follows.latest_follow(conn, viewer.account_id, p.id) for p in packs}
        people = suggestions(conn, viewer.account_id, SHOWN, keep=keep)
        return people, bulk, [(p, followed[p.id]) for p in packs]

    people, bulk, packs = await rt.db.aread(load)
    undone = parse_id(request.query_params.get("undone"))
    return render(
        request,
        "first_run_people.html",
        viewer=viewer,
        people=people,
        packs=packs,
        bulk=bulk,
        undone=undone,
        shown=",".join(str(p.account.id) for p in people),
        unfollowed=[p for p in people if not p.following],
        base_url=rt.settings.base_url,
        **_step_context("people"),
    )


async def follow_one(request: Request) -> Response:
    """``POST /welcome/people/{id}/{follow|unfollow}``: act on one suggestion, then back."""
    checked = await signed_in_form(request)
    if isinstance(checked, Response):
        return checked
    viewer, form = checked
    target = parse_id(request.path_params["id"])
    action = request.path_params["action"]
    if target is None or action not in ("follow", "unfollow"):
        raise NotFound()
    rt = runtime_of(request)
    if action == "follow":
        await follow_unless_blocked(request, viewer, target)
    else:
        await rt.db.awrite(follows.unfollow, rt.timelines, viewer.account_id, target)
    keep = ",".join(str(i) for i in _keep(form_text(form.get("shown"))))
    return redirect(f"{_PAGES['people']}?keep={keep}#person-{target}")


async def follow_everyone(request: Request) -> Response:
    """``POST /welcome/people/all``: follow everyone shown, recorded for undo."""
    checked = await signed_in_form(request)
    if isinstance(checked, Response):
        return checked
    viewer, form = checked
    await follow_shown(request, viewer, form, SOURCE)
    return redirect(_PAGES["people"])


async def undo_follow_all(request: Request) -> Response:
    """``POST /welcome/people/undo``: unfollow those the follow-all followed (once)."""
    checked = await signed_in_form(request)
    if isinstance(checked, Response):
        return checked
    viewer, form = checked
    removed = await undo_shown(request, viewer, form)
    keep = ",".join(str(i) for i in _keep(form_text(form.get("shown"))))
    return redirect(f"{_PAGES['people']}?undone={removed}&keep={keep}")


async def hello_page(request: Request) -> Response:
    """``GET /welcome/hello``: step 3, a first post through the home page's composer form."""
    viewer = await _viewer_or_sign_in(request)
    if isinstance(viewer, Response):
        return viewer
    rt = runtime_of(request)
    interests = await rt.db.aread(onboarding.interest_names, viewer.account_id)
    return render(
        request,
        "first_run_hello.html",
        viewer=viewer,
        first_interest=interests[0] if interests else None,
        visibilities=VISIBILITIES,
        max_status_chars=rt.settings.max_status_chars,
        url_length=rt.settings.url_length,
        **_step_context("hello"),
    )


async def skip(request: Request) -> Response:
    """``POST /welcome/skip``: leave the named step for the next one (the last: home)."""
    checked = await signed_in_form(request)
    if isinstance(checked, Response):
        return checked
    viewer, form = checked
    step = form_text(form.get("step"))
    if step not in onboarding.STEPS:
        step = onboarding.STEPS[0]
    following = onboarding.next_step(step)
    await runtime_of(request).db.awrite(onboarding.advance, viewer.account_id, following)
    return redirect(_PAGES.get(following, "/"))


async def finished(request: Request) -> Response:
    """``GET /welcome/finished``: where the hello post lands; the path is done, go home."""
    viewer = await _viewer_or_sign_in(request)
    if isinstance(viewer, Response):
        return viewer
    await runtime_of(request).db.awrite(onboarding.advance, viewer.account_id, onboarding.DONE)
    return redirect("/")


routes: list[BaseRoute] = [
    Route("/welcome", welcome, methods=["GET"]),
    Route("/welcome/interests", interests_page, methods=["GET"]),
    Route("/welcome/interests", save_interests, methods=["POST"]),
    Route("/welcome/people", people_page, methods=["GET"]),
    Route("/welcome/people/all", follow_everyone, methods=["POST"]),
    Route("/welcome/people/undo", undo_follow_all, methods=["POST"]),
    Route("/welcome/people/{id}/{action}", follow_one, methods=["POST"]),
    Route("/welcome/hello", hello_page, methods=["GET"]),
    Route("/welcome/skip", skip, methods=["POST"]),
    Route("/welcome/finished", finished, methods=["GET"]),
]
