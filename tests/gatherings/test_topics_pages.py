"""The topic page without JavaScript: the call's state in words, proposing by form (and the
hint to propose by post), the host's forms (open, shortlist, vote with its close time, set
the topic), refusals in words (422), 403 for non-hosts and 404 for unknown events."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from starlette.testclient import TestClient

from staffroom import clock
from staffroom.runtime import Runtime
from staffroom.services import event_topics as topics
from staffroom.services.events import EventDraft, create_event, get_event
from tests.conftest import ServerClock, User
from tests.oauth.helpers import form_with_button, sign_in

UserFactory = Callable[..., User]


def _event(runtime: Runtime, host: User) -> int:
    start = (clock.now() + timedelta(days=3)).replace(tzinfo=None)
    draft = EventDraft(title="Edu Q&A", hashtag="EduQA", time_zone="UTC", start_local=start)
    return int(runtime.db.write(create_event, runtime, host.id, draft))


def _as(client: TestClient, user: User) -> None:
    page = client.get("/help").text
    if "Sign out" in page:
        _submit(client, page, "Sign out")
    sign_in(client, user.email, user.password)


def _submit(client: TestClient, page: str, button: str, **fields: object) -> str:
    form = form_with_button(page, button)
    answer = client.post(form.action, data={**form.fields, **fields}, follow_redirects=False)
    assert answer.status_code == 303, answer.text
    return str(answer.headers["location"])


def test_the_topic_call_on_the_web(
    client: TestClient, runtime: Runtime, make_user: UserFactory, server_clock: ServerClock
) -> None:
    host, ana = make_user("host"), make_user("ana")
    event_id = _event(runtime, host)
    url = f"/events/{event_id}/topics"

    signed_out = client.get(url)
    assert signed_out.status_code == 200 and "The topic call is closed." in signed_out.text
    assert "Open the topic call" not in signed_out.text

    _as(client, ana)
    page = client.get(url).text
    assert "Open the topic call" not in page
    csrf = form_with_button(page, "Sign out").fields
    refused = client.post(f"/web/events/{event_id}/topics/open", data=csrf)
    assert refused.status_code == 403

    _as(client, host)
    page = client.get(url).text
    where = _submit(client, page, "Open the topic call")
    page = client.get(where).text
    assert "The topic call is open" in page
    assert "#EduQA topic:" in page  # how to propose by post
    _submit(client, page, "Propose", text="Project work")
    page = client.get(url).text
    _submit(client, page, "Propose", text="Homework")

    _as(client, ana)
    page = client.get(url).text
    assert "Save the shortlist" not in page
    where = _submit(client, page, "Propose", text="Peer feedback")
    assert client.get(where).text.count("your topic is proposed") == 1
    short = client.post(
        f"/web/events/{event_id}/topics/propose",
        data={**form_with_button(page, "Propose").fields, "text": "ab"},
    )
    assert short.status_code == 422 and "from 3 to 200 characters" in short.text
    missing = client.post(
        "/web/events/123456/topics/propose",
        data={**form_with_button(page, "Propose").fields, "text": "Anything"},
    )
    assert missing.status_code == 404
    assert client.get("/events/123456/topics").status_code == 404

    _as(client, host)
    page = client.get(url).text
    ids = [p.id for p in runtime.db.read(topics.proposals, event_id) if p.text != "Homework"]
    _submit(client, page, "Save the shortlist", topic_id=[str(i) for i in ids])
    page = client.get(url).text
    assert page.count("Shortlisted</span>") == 2
    event = runtime.db.read(get_event, event_id)
    assert event is not None
    late = (event.starts_at + timedelta(minutes=5)).strftime("%Y-%m-%dT%H:%M")
    after_start = client.post(
        f"/web/events/{event_id}/topics/vote",
        data={**form_with_button(page, "Start the vote").fields, "closes_at": late},
    )
    assert after_start.status_code == 422
    assert "The vote must close before the event starts" in after_start.text
    _submit(client, page, "Start the vote")  # the default: an hour before
    page = client.get(url).text
    assert "the vote on the shortlisted topics is running" in page
    assert "Peer feedback" in page and 'class="poll' in page  # the poll post, rendered
    _submit(client, page, "Set the topic", text="Peer feedback")
    page = client.get(url).text
    assert "The topic is decided: Peer feedback" in page
