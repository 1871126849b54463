"""The room on the web, without JavaScript: post through the form (the hashtag added), a
host's numbered question and the grouped view, refusals in words (422, 429), "Mute in this
room", slow mode, the fragment the live page reads (same filtering), signed-out reading,
and the deck's chat column."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from starlette.testclient import TestClient

from staffroom.runtime import Runtime
from staffroom.services import blocks, interactions
from tests.gatherings.room_helpers import live_event, plain_post, say, text_of
from tests.oauth.helpers import form_with_button, sign_in

UserFactory = Callable[..., Any]


def _submit(client: TestClient, html: str, button: str, **fields: str) -> Any:
    form = form_with_button(html, button)
    return client.post(form.action, data={**form.fields, **fields}, follow_redirects=False)


def _post_ids(html: str) -> list[int]:
    return [int(i) for i in re.findall(r'data-room-post="(\d+)"', html)]


def test_posting_asking_answering_and_the_grouped_view(
    client: TestClient, runtime: Runtime, make_user: UserFactory
) -> None:
    host, ana = make_user("host"), make_user("ana")
    event = live_event(runtime, host)
    room = f"/events/{event.id}/room"
    sign_in(client, host.email, host.password)
    page = client.get(room)
    assert page.status_code == 200
    assert "#EdChat will be added if you leave it out" in page.text
    assert 'data-append="EdChat"' in page.text
    assert "Post as the next question (Q1)" in page.text
    done = _submit(
        client, page.text, "Post to the chat", status="Where do you teach?", question="1"
    )
    assert done.status_code == 303 and done.headers["location"] == room
    page = client.get(room)
    assert "Post as the next question (Q2)" in page.text
    assert '<option value="1">Q1</option>' in page.text
    [q1] = _post_ids(page.text)
    assert text_of(runtime, q1) == "Q1 Where do you teach? #EdChat"
    assert "Host" in page.text.split(f'data-room-post="{q1}"')[1].split("</li>")[0]

    client.cookies.clear()
    sign_in(client, ana.email, ana.password)
    page = client.get(room)
    assert "Post as the next question" not in page.text  # hosts only
    assert "Set slow mode" not in page.text
    _submit(client, page.text, "Post to the chat", status="In Leeds", answering="1")
    _submit(client, client.get(room).text, "Post to the chat", status="Hello everyone")
    page = client.get(room)
    a1, hello = _post_ids(page.text)[:2][::-1]
    assert text_of(runtime, a1) == "A1 In Leeds #EdChat"
    assert _post_ids(page.text) == [hello, a1, q1]  # newest first
    grouped = client.get(room + "?view=questions").text
    assert "Question 1" in grouped
    assert _post_ids(grouped) == [q1, a1, hello]
    people = grouped.split('id="room-people-heading"')[1]
    assert "@ana" in people and "@host" in people

    refused = _submit(client, page.text, "Post to the chat", status="x" * 140)
    assert refused.status_code == 422
    assert "with the room's #EdChat it has 148 characters" in refused.text
    assert "x" * 140 in refused.text  # the text is kept


def test_slow_mode_on_the_page_and_its_refusal(
    client: TestClient, runtime: Runtime, make_user: UserFactory
) -> None:
    host, ana = make_user("host"), make_user("ana")
    event = live_event(runtime, host)
    room = f"/events/{event.id}/room"
    sign_in(client, host.email, host.password)
    bad = _submit(client, client.get(room).text, "Set slow mode", seconds="9999")
    assert bad.status_code == 422 and "from 0 (off) to 600 seconds" in bad.text
    _submit(client, client.get(room).text, "Set slow mode", seconds="120")
    assert "one post every 120 seconds (hosts excepted)" in client.get(room).text
    client.cookies.clear()
    sign_in(client, ana.email, ana.password)
    _submit(client, client.get(room).text, "Post to the chat", status="one")
    held = _submit(client, client.get(room).text, "Post to the chat", status="two")
    assert held.status_code == 429
    assert "Slow mode is on: one post every 120 seconds. You can post again in" in held.text
    forbidden = client.post(
        f"/web/events/{event.id}/room/slow_mode",
        data={**form_with_button(client.get(room).text, "Post to the chat").fields, "seconds": "0"},
        follow_redirects=False,
    )
    assert forbidden.status_code == 403
    assert "Only the chat" in forbidden.text


def test_mute_in_this_room_and_the_fragment_filters_as_the_page(
    client: TestClient, runtime: Runtime, make_user: UserFactory
) -> None:
    host, ana, ben, cat = (make_user(n) for n in ("host", "ana", "ben", "cat"))
    event = live_event(runtime, host)
    room = f"/events/{event.id}/room"
    first = say(runtime, ana, event, "first")
    sign_in(client, ana.email, ana.password)
    page = client.get(room)
    fragment = f"/web/fragments/room?event={event.id}&since_id={first}"
    assert _post_ids(client.get(fragment).text) == []
    bens = say(runtime, ben, event, "from ben")
    cats = say(runtime, cat, event, "from cat")
    plain_post(runtime, cat, "followers #EdChat", "private")
    plain_post(runtime, cat, "just ana @ana #EdChat", "direct")
    runtime.db.write(blocks.block, runtime.timelines, ana.id, cat.id)
    answer = client.get(fragment)
    assert _post_ids(answer.text) == [bens]
    # the newest the page need not ask about again: cat's post too, which it does not show
    assert answer.headers["x-newest"] == str(cats)
    page = client.get(room)
    assert "Mute @ben in this room" in page.text
    assert "Mute @ana in this room" not in page.text  # not oneself
    # (the button carries the person: name="account_id", as a browser sends the submitter)
    done = _submit(client, page.text, "Mute @ben in this room", account_id=str(ben.id))
    assert done.status_code == 303
    page = client.get(room)
    assert _post_ids(page.text) == [first]
    assert _post_ids(client.get(fragment).text) == []
    assert "Muted here: unmute" in page.text
    _submit(client, page.text, "Muted here: unmute")
    assert _post_ids(client.get(room).text) == [bens, first]

    client.cookies.clear()  # signed out: the public room, no composer, no cat filter
    page = client.get(room)
    assert page.status_code == 200
    assert _post_ids(page.text) == [cats, bens, first]
    assert "Post to the chat" not in page.text and "Sign in to take part" in page.text
    assert _post_ids(client.get(fragment).text) == [cats, bens]
    assert client.get("/events/123/room").status_code == 404


def test_an_ended_room_links_its_transcript_and_takes_no_posts(
    client: TestClient, runtime: Runtime, make_user: UserFactory
) -> None:
    host = make_user("host")
    event = live_event(runtime, host, started_minutes_ago=200)
    sign_in(client, host.email, host.password)
    page = client.get(f"/events/{event.id}/room")
    assert "This chat has ended." in page.text
    assert f'href="/events/{event.id}/transcript"' in page.text
    assert "Post to the chat" not in page.text
    refused = client.post(
        f"/web/events/{event.id}/room/posts",
        data={**form_with_button(page.text, "Add to the deck").fields, "status": "late"},
    )
    assert refused.status_code == 422 and "This chat has ended" in refused.text


def test_the_room_as_a_deck_column(
    client: TestClient, runtime: Runtime, make_user: UserFactory
) -> None:
    host, ana = make_user("host"), make_user("ana")
    event = live_event(runtime, host, hashtag="ELTchat")
    said = say(runtime, ana, event, "hello deck")
    plain_post(runtime, ana, "not in the room #EdChat")
    sign_in(client, ana.email, ana.password)
    page = client.get(f"/events/{event.id}/room")
    added = _submit(client, page.text, "Add to the deck")
    assert added.status_code == 303
    deck = client.get("/deck").text
    assert "Chat: Edchat live #ELTchat" in deck
    assert f'data-key="chat:{event.id}-ELTchat"' in deck
    assert '"stream": "hashtag", "tag": "ELTchat"' in deck
    assert f'data-status-id="{said}"' in deck
    by_tag = client.post(
        "/deck/columns",
        data={**form_with_button(deck, "Add column").fields, "kind": "chat", "arg": "#nosuch"},
    )
    assert by_tag.status_code == 422 and "no chat with that hashtag now" in by_tag.text


def test_live_pieces_are_shared_without_anyones_flags_and_own_posts_are_ones_own(
    client: TestClient, runtime: Runtime, make_user: UserFactory
) -> None:
    """The fragment's posts are rendered once for every viewer: nobody's bookmark shows in
    someone else's, while one's own post comes with its author's controls."""
    host, ana, ben = (make_user(n) for n in ("host", "ana", "ben"))
    event = live_event(runtime, host)
    first = say(runtime, host, event, "welcome")
    bens = say(runtime, ben, event, "from ben")
    anas = say(runtime, ana, event, "from ana")
    runtime.db.write(interactions.bookmark, runtime, ben.id, bens)
    fragment = f"/web/fragments/room?event={event.id}&since_id={first}"

    sign_in(client, ben.email, ben.password)
    as_ben = client.get(fragment).text  # ben's own post: his controls and his bookmark
    assert _post_ids(as_ben) == [anas, bens]
    assert "Bookmarked: undo" in _piece(as_ben, bens) and "Delete" in _piece(as_ben, bens)
    client.cookies.clear()
    sign_in(client, ana.email, ana.password)
    as_ana = client.get(fragment).text
    assert _post_ids(as_ana) == [anas, bens]
    assert "Bookmarked: undo" not in as_ana  # ben's bookmark is his
    assert "Delete" in _piece(as_ana, anas) and "Delete" not in _piece(as_ana, bens)
    assert "Mute @ben in this room" in _piece(as_ana, bens)
    assert "Mute @ana in this room" not in as_ana


def _piece(html: str, status_id: int) -> str:
    start = html.index(f'data-room-post="{status_id}"')
    end = html.find("data-room-post=", start + 20)
    return html[start : end if end != -1 else len(html)]
