"""A chat's transcript on the web, its downloads and a series' Atom feed of transcripts.

``/events/{id}/transcript`` (the page, readable signed out), the summary form
``/events/{id}/transcript/summary`` (hosts and people who took part), the downloads
``/events/{id}/transcript.html`` / ``.md`` / ``.json`` and ``/series/{id}/transcripts.atom``.
All read ``services.transcripts``; the first reading of a transcript queues the fetching
of its new links' titles.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from staffroom.errors import NotFound, ValidationFailed
from staffroom.ids import parse_id
from staffroom.runtime import runtime_of
from staffroom.services import transcript_exports as exports
from staffroom.services import transcripts
from staffroom.services.transcripts import Transcript
from staffroom.web import i18n
from staffroom.web.forms import form_text, signed_in_form
from staffroom.web.i18n import N_
from staffroom.web.render import redirect, render
from staffroom.web.session import current_user

# The download's own policy: a <style> element in the file (the site's pages allow none).
EXPORT_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; "
    "frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
)
MARKDOWN_WORDS = {
    "date": N_("Date"),
    "topic": N_("Topic"),
    "summary": N_("Summary"),
    "resources": N_("Resources"),
    "in_progress": N_("The chat is still in progress: this transcript is partial."),
    "before": N_("Before the first question"),
}


def _id(request: Request) -> int:
    found = parse_id(str(request.path_params["id"]))
    if found is None:
        raise NotFound()
    return found


async def _read(request: Request) -> tuple[Transcript, object]:
    """The transcript for the signed-in viewer (or the public), queuing title fetches for
    links seen for the first time."""
    viewer = await current_user(request)
    rt = runtime_of(request)
    found = await rt.db.aread(
        transcripts.transcript, viewer.account_id if viewer else None, _id(request)
    )
    if found.unfetched:
        await rt.db.awrite(transcripts.request_titles, found.unfetched)
    return found, viewer


async def transcript_page(request: Request, *, error: str = "", status: int = 200) -> Response:
    """``/events/{id}/transcript``."""
    found, viewer = await _read(request)
    return render(
        request,
        "transcript.html",
        viewer=viewer,  # type: ignore[arg-type]
        t=found,
        event=found.event,
        when=_when(found),
        saved=request.query_params.get("saved") == "1" and not error,
        summary_text=found.event.summary,
        max_summary=transcripts.MAX_SUMMARY,
        error=error,
        status=status,
    )


def _when(t: Transcript) -> str:
    local = t.event.local_start
    return f"{local:%Y-%m-%d %H:%M} ({t.event.time_zone})"


async def edit_summary(request: Request) -> Response:
    """``POST /events/{id}/transcript/summary``: save, back to the page (422: the page again
    with the refusal; 403 for someone who may not)."""
    event_id = _id(request)
    back = f"/events/{event_id}/transcript"
    checked = await signed_in_form(request, back_to=back)
    if isinstance(checked, Response):
        return checked
    viewer, form = checked
    try:
        await runtime_of(request).db.awrite(
            transcripts.edit_summary, viewer.account_id, event_id, form_text(form.get("summary"))
        )
    except ValidationFailed as exc:
        return await transcript_page(request, error=exc.reason, status=422)
    return redirect(f"{back}?saved=1#summary")


def _download(body: bytes | str, media_type: str, name: str, csp: str | None = None) -> Response:
    headers = {
        "Content-Disposition": f'attachment; filename="{name}"',
        "X-Content-Type-Options": "nosniff",
        "Cache-Control": "no-store",
    }
    if csp:
        headers["Content-Security-Policy"] = csp
    return Response(body, media_type=media_type, headers=headers)


def _file_name(t: Transcript, ext: str) -> str:
    return f"{t.event.hashtag}-{t.event.local_start:%Y-%m-%d}-transcript.{ext}"


async def export_html(request: Request) -> Response:
    """``/events/{id}/transcript.html``: a self-contained page to keep."""
    found, viewer = await _read(request)
    page = render(
        request,
        "transcript_export.html",
        viewer=viewer,  # type: ignore[arg-type]
        t=found,
        event=found.event,
        when=_when(found),
        section_title=exports.section_title,
        post_url=exports.post_url,
        transcript_url=exports.transcript_url(
            runtime_of(request).settings.base_url, found.event.id
        ),
    )
    body = bytes(page.body)
    if page.headers.get("content-encoding") == "gzip":
        import gzip

        body = gzip.decompress(body)
    return _download(body, "text/html; charset=utf-8", _file_name(found, "html"), EXPORT_CSP)


async def export_markdown(request: Request) -> Response:
    """``/events/{id}/transcript.md``."""
    found, viewer = await _read(request)
    chosen = getattr(viewer, "locale", None)
    if chosen not in i18n.available_locales():
        chosen = i18n.negotiate(request.headers.get("accept-language"))
    i18n.activate(chosen)
    words = {k: i18n.gettext(v) for k, v in MARKDOWN_WORDS.items()}
    text = exports.as_markdown(found, runtime_of(request).settings.base_url, words)
    return _download(text, "text/markdown; charset=utf-8", _file_name(found, "md"))


async def export_json(request: Request) -> Response:
    """``/events/{id}/transcript.json`` (shape: ``services.transcript_exports``)."""
    found, _ = await _read(request)
    body = exports.as_json(found, runtime_of(request).settings.base_url)
    return _download(body, "application/json", _file_name(found, "json"))


async def series_atom(request: Request) -> Response:
    """``/series/{id}/transcripts.atom``: the series' ended chats (public data only)."""
    rt = runtime_of(request)
    feed = await rt.db.aread(transcripts.series_feed, _id(request))
    i18n.activate(i18n.negotiate(request.headers.get("accept-language")))
    feed_title = i18n.gettext(N_("%(title)s: transcripts")) % {"title": "{title}"}
    titles = {"feed": feed_title, "entry": "{title}, {date}: {topic}"}
    body = exports.as_atom(feed, rt.settings.base_url, titles)
    return Response(
        body,
        media_type="application/atom+xml; charset=utf-8",
        headers={"Cache-Control": "public, max-age=300", "X-Content-Type-Options": "nosniff"},
    )


routes: list[BaseRoute] = [
    Route("/events/{id}/transcript", transcript_page, methods=["GET"]),
    Route("/events/{id}/transcript/summary", edit_summary, methods=["POST"]),
    Route("/events/{id}/transcript.html", export_html, methods=["GET"]),
    Route("/events/{id}/transcript.md", export_markdown, methods=["GET"]),
    Route("/events/{id}/transcript.json", export_json, methods=["GET"]),
    Route("/series/{id}/transcripts.atom", series_atom, methods=["GET"]),
]
