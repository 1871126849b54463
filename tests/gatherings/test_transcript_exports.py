"""The transcript and its exports (issue 15 acceptance): every visible chat post exactly
once, in order within its section, every shared link once; deleted, followers-only and
direct posts never appear, nor (signed in) posts of someone the reader blocks; the series'
Atom feed lists the ended occurrences only."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from xml.etree import ElementTree as ET

import pytest
from starlette.testclient import TestClient

from staffroom.runtime import Runtime
from staffroom.services import link_titles
from tests.conftest import User
from tests.gatherings.transcript_helpers import LINKS, MARKERS, Chat, move_clock, scripted_chat
from tests.oauth.helpers import sign_in

ATOM = "{http://www.w3.org/2005/Atom}"
NEVER = ("private", "direct", "deleted")


@pytest.fixture
def fake_titles(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Link titles without the network: "Title of <url>"; the URLs fetched, in order."""
    fetched: list[str] = []

    def fetch(url: str, *, allow_private: bool = False) -> str:
        fetched.append(url)
        return f"Title of {url}"

    monkeypatch.setattr(link_titles, "fetch_title", fetch)
    return fetched


def _json(client: TestClient, chat: Chat) -> dict:
    answer = client.get(f"/events/{chat.event_id}/transcript.json")
    assert answer.status_code == 200
    assert answer.headers["content-disposition"].startswith("attachment;")
    return json.loads(answer.text)


def _positions(text: str, needles: list[str]) -> list[int]:
    found = []
    for needle in needles:
        assert text.count(needle) == 1, f"{needle!r} appears {text.count(needle)} times"
        found.append(text.index(needle))
    return found


def test_every_export_holds_each_visible_post_once_in_order_and_each_link_once(
    client: TestClient,
    runtime: Runtime,
    make_user: Callable[..., User],
    monkeypatch: pytest.MonkeyPatch,
    fake_titles: list[str],
) -> None:
    chat = scripted_chat(runtime, make_user)
    move_clock(monkeypatch, hours=2)  # the chat has ended
    order = chat.public_order()
    ids = chat.ids

    doc = _json(client, chat)
    assert doc["format"] == "staffroom-transcript/1"
    assert doc["event"]["in_progress"] is False
    sections = [(s["number"], [int(p["id"]) for p in s["posts"]]) for s in doc["sections"]]
    assert sections == [
        (1, [ids["q1"], ids["a1"], ids["ben_reply"], ids["cara"]]),
        (2, [ids["q2"], ids["a2"], ids["ben_agrees"]]),
    ]
    answers = {int(p["id"]) for s in doc["sections"] for p in s["posts"] if p["answer"]}
    assert answers == {ids["a1"], ids["ben_reply"], ids["a2"], ids["ben_agrees"]}
    first = doc["sections"][0]["posts"][1]
    assert first["account"] == {"username": "ana", "display_name": ""}
    assert first["url"].endswith(f"/@ana/{ids['a1']}")
    assert [r["url"] for r in doc["resources"]] == LINKS
    assert [(r["shared_by"], r["count"]) for r in doc["resources"]] == [
        ("ana", 3),
        ("cara", 1),
        ("ana", 1),
    ]
    # the first reading queued each link's title once; the next reading shows them
    assert sorted(fake_titles) == sorted(LINKS)
    doc = _json(client, chat)
    assert [r["title"] for r in doc["resources"]] == [f"Title of {u}" for u in LINKS]
    assert sorted(fake_titles) == sorted(LINKS)
    text = json.dumps(doc)
    for name in NEVER:
        assert MARKERS[name] not in text and str(ids[name]) not in text

    md = client.get(f"/events/{chat.event_id}/transcript.md")
    assert md.status_code == 200 and md.headers["content-type"].startswith("text/markdown")
    body = md.text
    assert body.startswith("# EdChat\n")
    lines = "\n".join(line for line in body.splitlines() if line.startswith("- **@"))
    positions = _positions(lines, [MARKERS[n] for n in MARKERS if n not in NEVER])
    assert positions == sorted(positions)
    assert "- **@ana** (" in lines and lines.count("\n") == len(order) - 1
    assert body.index("## Q1 How do you start") < body.index(MARKERS["a1"])
    assert body.index("## Q2 And end one?") < body.index(MARKERS["a2"])
    resources = body[body.index("## Resources") :]
    for link in LINKS:
        assert resources.count(f"(<{link}>)") == 1
    assert "utm_" not in resources
    for name in NEVER:
        assert MARKERS[name] not in body

    html = client.get(f"/events/{chat.event_id}/transcript.html")
    assert html.status_code == 200
    assert html.headers["content-disposition"].startswith("attachment;")
    assert (
        "<style>" in html.text
        and "style-src 'unsafe-inline'" in html.headers["content-security-policy"]
    )
    assert "<script" not in html.text
    positions = _positions(html.text, [f'id="post-{i}"' for i in order])
    assert positions == sorted(positions)
    listed = html.text[html.text.index("Resources shared") :]
    for link in LINKS:
        assert listed.count(f'href="{link}"') == 1
    for name in NEVER:
        assert MARKERS[name] not in html.text and f"post-{ids[name]}" not in html.text

    page = client.get(f"/events/{chat.event_id}/transcript")
    assert page.status_code == 200
    positions = _positions(page.text, [f'data-status-id="{i}"' for i in order])
    assert positions == sorted(positions)
    assert "Title of https://example.org/exit" in page.text
    assert 'type="application/atom+xml"' in page.text
    for name in NEVER:
        assert MARKERS[name] not in page.text


def test_signed_in_reader_does_not_see_whom_they_block_or_mute(
    client: TestClient,
    runtime: Runtime,
    make_user: Callable[..., User],
    monkeypatch: pytest.MonkeyPatch,
    fake_titles: list[str],
) -> None:
    chat = scripted_chat(runtime, make_user)
    blocked = client.post(f"/api/v1/accounts/{chat.cara.id}/block", headers=chat.vic.headers)
    assert blocked.status_code == 200
    sign_in(client, chat.vic.email, chat.vic.password)
    doc = _json(client, chat)
    assert doc["event"]["in_progress"] is True  # readable, partial, while the chat runs
    posts = [int(p["id"]) for s in doc["sections"] for p in s["posts"]]
    assert posts == [i for i in chat.public_order() if i != chat.ids["cara"]]
    assert "https://carablog.net/post" not in [r["url"] for r in doc["resources"]]
    for export in ("transcript.md", "transcript.html", "transcript"):
        text = client.get(f"/events/{chat.event_id}/{export}").text
        assert MARKERS["cara"] not in text and MARKERS["a2"] in text
    muted = client.post(f"/api/v1/accounts/{chat.ben.id}/mute", headers=chat.vic.headers)
    assert muted.status_code == 200
    posts = [int(p["id"]) for s in _json(client, chat)["sections"] for p in s["posts"]]
    hidden = {chat.ids[n] for n in ("cara", "ben_reply", "ben_agrees")}
    assert posts == [i for i in chat.public_order() if i not in hidden]


def test_no_transcript_before_the_chat_starts(
    client: TestClient,
    runtime: Runtime,
    make_user: Callable[..., User],
    monkeypatch: pytest.MonkeyPatch,
    fake_titles: list[str],
) -> None:
    chat = scripted_chat(runtime, make_user)
    move_clock(monkeypatch, minutes=-30)
    for export in ("transcript", "transcript.json", "transcript.md"):
        answer = client.get(f"/events/{chat.event_id}/{export}")
        assert answer.status_code == 404
    assert "The transcript opens when the chat starts" in answer.text
    assert client.get("/events/12345/transcript").status_code == 404


def test_the_series_feed_lists_ended_occurrences_with_public_data_only(
    client: TestClient,
    runtime: Runtime,
    make_user: Callable[..., User],
    monkeypatch: pytest.MonkeyPatch,
    fake_titles: list[str],
) -> None:
    chat = scripted_chat(runtime, make_user)
    feed_url = f"/series/{chat.series_id}/transcripts.atom"
    root = ET.fromstring(client.get(feed_url).content)
    assert root.findall(f"{ATOM}entry") == []  # the first chat is still running
    move_clock(monkeypatch, days=8)  # two occurrences have ended, the others are ahead
    answer = client.get(feed_url)
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("application/atom+xml")
    root = ET.fromstring(answer.content)
    assert root.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated", "author"):
        assert root.find(f"{ATOM}{required}") is not None
    assert root.find(f"{ATOM}author/{ATOM}name") is not None
    selfs = [k.get("href") for k in root.findall(f"{ATOM}link") if k.get("rel") == "self"]
    assert selfs and selfs[0].endswith(feed_url)
    entries = root.findall(f"{ATOM}entry")
    assert len(entries) == 2
    links = [e.find(f"{ATOM}link").get("href") for e in entries]  # type: ignore[union-attr]
    assert links[1].endswith(f"/events/{chat.event_id}/transcript")  # newest first
    for entry in entries:
        assert re.match(r"EdChat, \d{4}-\d{2}-\d{2}", entry.findtext(f"{ATOM}title") or "")
        assert entry.findtext(f"{ATOM}id") and entry.findtext(f"{ATOM}updated")
    text = answer.text
    for name in ("private", "direct", "deleted", "a1", "cara"):
        assert MARKERS[name] not in text  # no posts at all, only public event data
    assert client.get("/series/999/transcripts.atom").status_code == 404
