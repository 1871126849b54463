"""Audience Q&A pages without JavaScript: ask (422 in words), the asker sees "waiting for a
host", others see nothing until a host approves, upvotes order the list, the speaker view
is for speakers and hosts only, hosts close questions."""

from __future__ import annotations

from collections.abc import Callable

from starlette.testclient import TestClient

from staffroom.runtime import Runtime
from tests.conftest import User
from tests.gatherings.wall_helpers import live_event, submit_form
from tests.oauth.helpers import sign_in

UserFactory = Callable[..., User]


def _as(client: TestClient, user: User) -> None:
    client.cookies.clear()
    sign_in(client, user.email, user.password)


def test_ask_screen_upvote_and_the_speaker_view(
    client: TestClient, runtime: Runtime, make_user: UserFactory
) -> None:
    host, ana, ben, cy, speaker = (make_user(n) for n in ("host", "ana", "ben", "cy", "speaker"))
    event_id = live_event(runtime, host, speakers=(speaker,))
    here, base = f"/events/{event_id}/qa", f"/web/events/{event_id}/qa"

    signed_out = client.get(here)
    assert signed_out.status_code == 200
    assert f"/auth/sign_in?next=/events/{event_id}/qa" in signed_out.text

    _as(client, ana)
    page = client.get(here)
    refused = submit_form(client, page.text, base, text="no")
    assert refused.status_code == 422
    assert "Write a question of at least 3 characters" in refused.text
    asked = submit_form(client, page.text, base, text="How do you mark quickly?")
    assert asked.status_code == 303
    page = client.get(asked.headers["location"])
    assert "Your question is waiting for a host" in page.text
    assert "How do you mark quickly?" in page.text and "Waiting for a host" in page.text
    _as(client, ben)
    page = client.get(here)
    assert "How do you mark quickly?" not in page.text
    submit_form(client, page.text, base, text="What about homework?")

    _as(client, host)
    page = client.get(here)
    assert "How do you mark quickly?" in page.text and "What about homework?" in page.text
    ids = [
        part.split("/")[0]
        for part in page.text.split(f'formaction="{base}/')[1:]
        if part.split("/")[1].startswith("approve")
    ]
    assert len(ids) == 2
    for qid in ids:
        page = client.get(here)
        assert submit_form(client, page.text, f"{base}/{qid}/approve").status_code == 303
    _first, second = ids

    for voter in (cy, ana):  # two upvotes on the second question
        _as(client, voter)
        page = client.get(here)
        assert submit_form(client, page.text, f"{base}/{second}/vote").status_code == 303
    _as(client, ben)  # ben asked the second: no button for his own question
    page = client.get(here)
    assert f"{base}/{second}/vote" not in page.text
    assert page.text.index("What about homework?") < page.text.index("How do you mark quickly?")
    assert "2 votes" in page.text
    assert client.get(f"{here}/speaker").status_code == 404

    _as(client, speaker)
    speaker_page = client.get(f"{here}/speaker")
    assert speaker_page.status_code == 200
    text = speaker_page.text
    assert text.index("What about homework?") < text.index("How do you mark quickly?")

    _as(client, host)
    page = client.get(here)
    submit_form(client, page.text, f"{base}/{second}/answer")
    assert "What about homework?" not in client.get(f"{here}/speaker").text
    page = client.get(here)
    submit_form(client, page.text, f"{base}/close")
    _as(client, cy)
    page = client.get(here)
    assert "Questions are closed." in page.text
    assert 'id="qa-text"' not in page.text  # no question box
    refused = submit_form(client, page.text, base, text="Still there?")
    assert refused.status_code == 422 and "Questions are closed for this event" in refused.text
