"""The transcript's summary, edited on the page without JavaScript: hosts and people who
took part may, a stranger is refused in words (403), too long is a 422; it renders safely."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from starlette.testclient import TestClient

from staffroom.runtime import Runtime
from staffroom.services import link_titles
from staffroom.services.events import require_event
from tests.conftest import User
from tests.gatherings.transcript_helpers import Chat, move_clock, scripted_chat
from tests.oauth.helpers import form_with_button, sign_in


@pytest.fixture
def chat(runtime: Runtime, make_user: Callable[..., User], monkeypatch: pytest.MonkeyPatch) -> Chat:
    monkeypatch.setattr(link_titles, "fetch_title", lambda url, **_: None)
    found = scripted_chat(runtime, make_user)
    move_clock(monkeypatch, hours=2)
    return found


def _save(client: TestClient, chat: Chat, text: str) -> object:
    page = client.get(f"/events/{chat.event_id}/transcript")
    form = form_with_button(page.text, "Save summary")
    return client.post(form.action, data={**form.fields, "summary": text}, follow_redirects=False)


def test_host_and_volunteer_edit_the_summary_through_the_form(
    client: TestClient, runtime: Runtime, chat: Chat
) -> None:
    sign_in(client, chat.host.email, chat.host.password)
    saved = _save(client, chat, "We talked about openings.\n\nSee https://example.org/notes")
    assert saved.status_code == 303  # type: ignore[attr-defined]
    page = client.get(saved.headers["location"])  # type: ignore[attr-defined]
    assert "The summary was saved." in page.text
    assert "<p>We talked about openings.</p>" in page.text
    assert 'href="https://example.org/notes"' in page.text
    assert "Last edited by @host" in page.text

    client.cookies.clear()
    sign_in(client, chat.ben.email, chat.ben.password)  # took part: a volunteer
    saved = _save(client, chat, "Ben's notes <script>alert(1)</script> **bold**")
    assert saved.status_code == 303  # type: ignore[attr-defined]
    event = runtime.db.read(require_event, chat.event_id)
    assert event.summary.startswith("Ben's notes") and event.summary_account_id == chat.ben.id
    assert event.summary_updated_at is not None
    page = client.get(f"/events/{chat.event_id}/transcript")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text
    assert "<script>alert" not in page.text
    assert "Last edited by @ben" in page.text
    exported = client.get(f"/events/{chat.event_id}/transcript.json").json()
    assert exported["event"]["summary"].startswith("Ben's notes")
    md = client.get(f"/events/{chat.event_id}/transcript.md").text
    assert "\\<script\\>" in md  # Markdown escaped too


def test_a_stranger_is_refused_and_a_long_summary_is_a_422(
    client: TestClient, runtime: Runtime, chat: Chat
) -> None:
    sign_in(client, chat.vic.email, chat.vic.password)  # never posted in the chat
    page = client.get(f"/events/{chat.event_id}/transcript")
    assert "Save summary" not in page.text
    token = form_with_button(page.text, "Sign out").fields  # the page's CSRF field
    refused = client.post(
        f"/events/{chat.event_id}/transcript/summary", data={**token, "summary": "mine now"}
    )
    assert refused.status_code == 403
    assert "Only the hosts and people who took part in the chat can edit its summary" in (
        refused.text
    )
    assert runtime.db.read(require_event, chat.event_id).summary == ""

    client.cookies.clear()
    sign_in(client, chat.host.email, chat.host.password)
    too_long = _save(client, chat, "x" * 5001)
    assert too_long.status_code == 422  # type: ignore[attr-defined]
    assert "A summary has at most 5,000 characters" in too_long.text  # type: ignore[attr-defined]
    assert runtime.db.read(require_event, chat.event_id).summary == ""
    assert _save(client, chat, "y" * 5000).status_code == 303  # type: ignore[attr-defined]


def test_signed_out_the_form_sends_one_to_sign_in(client: TestClient, chat: Chat) -> None:
    page = client.get(f"/events/{chat.event_id}/transcript")
    assert page.status_code == 200 and "Save summary" not in page.text
    answer = client.post(
        f"/events/{chat.event_id}/transcript/summary", data={"summary": "x"}, follow_redirects=False
    )
    assert answer.status_code == 303
    assert answer.headers["location"].startswith("/auth/sign_in?next=/events/")
