"""A transcript as Markdown and JSON, and a series' transcripts as an Atom feed (pure
functions of :class:`transcripts.Transcript`; the HTML download is a template).

The JSON shape (``"format": "staffroom-transcript/1"``) is stable::

    {"format", "event": {id, title, url, hashtag, topic, starts_at, ends_at, time_zone,
     in_progress, summary, hosts: [{username, display_name}]},
     "sections": [{"number" (null before the first question), "question_id",
                   "posts": [{id, url, account: {username, display_name}, created_at,
                              text, in_reply_to_id, answer: bool}]}],
     "resources": [{url, title (null until fetched), shared_by, count}],
     "participants": [{username, display_name, posts}]}

Posts appear exactly once, in time order within their section (the question first).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from xml.etree import ElementTree as ET

import orjson

from staffroom.serializers.common import as_utc, iso
from staffroom.services.event_recurrence import to_local
from staffroom.services.events import event_url, series_url
from staffroom.services.status_views import StatusView
from staffroom.services.transcripts import SeriesFeed, Transcript, TranscriptSection
from staffroom.text.extract import extract_entities

FORMAT = "staffroom-transcript/1"
ATOM = "http://www.w3.org/2005/Atom"


def post_url(base_url: str, view: StatusView) -> str:
    return f"{base_url}/@{view.account.username}/{view.id}"


def transcript_url(base_url: str, event_id: int) -> str:
    return f"{event_url(base_url, event_id)}/transcript"


def section_title(section: TranscriptSection) -> str:
    """The heading "Q1 What ..." (the question's first line), or "Before the first question"."""
    if section.number is None:
        return "Before the first question"
    text = section.question.row.text.strip().splitlines()[0] if section.question else ""
    return text if text.upper().startswith("Q") else f"Q{section.number} {text}".strip()


def as_json(t: Transcript, base_url: str) -> bytes:
    """The transcript in the stable shape documented above."""
    e = t.event
    doc: dict[str, Any] = {
        "format": FORMAT,
        "event": {
            "id": str(e.id),
            "title": e.title,
            "url": event_url(base_url, e.id),
            "hashtag": e.hashtag,
            "topic": e.topic,
            "starts_at": iso(e.starts_at),
            "ends_at": iso(e.ends_at),
            "time_zone": e.time_zone,
            "in_progress": t.in_progress,
            "summary": e.summary,
            "hosts": [_person(a) for a in t.hosts],
        },
        "sections": [
            {
                "number": s.number,
                "question_id": str(s.question.id) if s.question else None,
                "posts": [_post(v, base_url, v.id in s.answer_ids()) for v in s.posts()],
            }
            for s in t.sections
        ],
        "resources": [
            {
                "url": r.url,
                "title": r.title,
                "shared_by": r.shared_by.username,
                "count": r.count,
            }
            for r in t.resources
        ],
        "participants": [{**_person(a), "posts": n} for a, n in t.participants],
    }
    return orjson.dumps(doc, option=orjson.OPT_INDENT_2)


def _person(account: Any) -> dict[str, str]:
    return {"username": account.username, "display_name": account.display_name}


def _post(view: StatusView, base_url: str, answer: bool) -> dict[str, Any]:
    row = view.row
    return {
        "id": str(view.id),
        "url": post_url(base_url, view),
        "account": _person(view.account),
        "created_at": iso(row.created_at),
        "text": row.text,
        "in_reply_to_id": str(row.in_reply_to_id) if row.in_reply_to_id else None,
        "answer": answer,
    }


def as_markdown(t: Transcript, base_url: str, headings: dict[str, str]) -> str:
    """The transcript as Markdown: title, date, topic, summary, sections ("Q1 ...") with
    each post as "**@user** (time): text", then the resources. ``headings`` holds the
    translated words (date, topic, summary, resources, in progress, before)."""
    e = t.event
    out = [f"# {_md(e.title)}", ""]
    out.append(f"{headings['date']}: {e.local_start:%Y-%m-%d %H:%M} ({e.time_zone})")
    if e.topic:
        out.append(f"{headings['topic']}: {_md(e.topic)}")
    out.append(f"<{transcript_url(base_url, e.id)}>")
    if t.in_progress:
        out += ["", f"_{headings['in_progress']}_"]
    if e.summary:
        out += ["", f"## {headings['summary']}", "", _md(e.summary)]
    for s in t.sections:
        title = headings["before"] if s.number is None else section_title(s)
        out += ["", f"## {_md(title)}", ""]
        for v in s.posts():
            when = v.row.created_at
            stamp = _local(when, e.time_zone)
            text = " ".join(_md(v.row.text).split())
            out.append(f"- **@{v.account.username}** ({stamp}): {text}")
    if t.resources:
        out += ["", f"## {headings['resources']}", ""]
        for r in t.resources:
            out.append(f"- [{_md(r.label)}](<{r.url}>) (@{r.shared_by.username}, {r.count})")
    return "\n".join(out) + "\n"


def _local(moment: datetime | str, zone: str) -> str:
    return to_local(as_utc(moment), zone).strftime("%H:%M")


_MD_SPECIAL = str.maketrans({c: "\\" + c for c in "\\`*_[]<>#|"})


def _md(text: str) -> str:
    """Text with Markdown's special characters escaped (so a post cannot inject markup);
    URLs are left whole, as ``<...>`` autolinks, so they still work."""
    out: list[str] = []
    cursor = 0
    for entity in extract_entities(text):
        if entity.kind != "url":
            continue
        out.append(text[cursor : entity.start].translate(_MD_SPECIAL))
        url = text[entity.start : entity.end]
        out.append(f"<{url}>" if url.lower().startswith(("http://", "https://")) else url)
        cursor = entity.end
    out.append(text[cursor:].translate(_MD_SPECIAL))
    return "".join(out)


def as_atom(feed: SeriesFeed, base_url: str, titles: dict[str, str]) -> bytes:
    """The series' ended occurrences as an Atom feed (public data only: title, date,
    topic, summary and the transcript's link). ``titles``: ``feed`` (the feed's title
    with ``{title}``) and ``entry`` (with ``{title}``, ``{date}``, ``{topic}``)."""
    ET.register_namespace("", ATOM)
    s = feed.series
    root = ET.Element(f"{{{ATOM}}}feed")
    self_url = f"{series_url(base_url, s.id)}/transcripts.atom"
    _el(root, "id", self_url)
    _el(root, "title", titles["feed"].format(title=s.title))
    _el(root, "updated", iso(feed.updated) or "")
    author = _el(root, "author")
    _el(author, "name", s.title)
    _el(author, "uri", series_url(base_url, s.id))
    _el(root, "link", rel="self", href=self_url, type="application/atom+xml")
    _el(root, "link", rel="alternate", href=series_url(base_url, s.id), type="text/html")
    for e in feed.events:
        entry = _el(root, "entry")
        link = transcript_url(base_url, e.id)
        _el(entry, "id", link)
        name = titles["entry"].format(
            title=e.title, date=f"{e.local_start:%Y-%m-%d}", topic=e.topic or ""
        )
        _el(entry, "title", name.rstrip(" :—-"))
        _el(entry, "updated", iso(max(e.ends_at, e.summary_updated_at or e.ends_at)) or "")
        _el(entry, "published", iso(e.ends_at) or "")
        _el(entry, "link", rel="alternate", href=link, type="text/html")
        if e.summary:
            _el(entry, "summary", e.summary, type="text")
    body: bytes = ET.tostring(root, encoding="utf-8")
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + body


def _el(parent: ET.Element, name: str, text: str | None = None, **attrs: str) -> ET.Element:
    node = ET.SubElement(parent, f"{{{ATOM}}}{name}", attrs)
    if text is not None:
        node.text = text
    return node
