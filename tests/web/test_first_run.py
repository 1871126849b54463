"""The first-run path at /welcome, driven through its forms as a browser without JavaScript:
interests, people worth following (one by one, all at once, undo) and a first hello."""

from __future__ import annotations

import re
from collections.abc import Callable
from html.parser import HTMLParser

import httpx
import pytest
from starlette.testclient import TestClient

from staffroom.runtime import Runtime
from staffroom.services import onboarding
from staffroom.services.profiles import set_interests
from tests.conftest import User
from tests.oauth.helpers import form_with_button, sign_in


class _Checkboxes(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.values: dict[str, bool] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "input" and a.get("type") == "checkbox" and a.get("name") == "tag":
            self.values[a.get("value") or ""] = "checked" in a


def _checkboxes(html: str) -> dict[str, bool]:
    parser = _Checkboxes()
    parser.feed(html)
    return parser.values


def _press(client: TestClient, page: httpx.Response, label: str, **fields: str) -> httpx.Response:
    form = form_with_button(page.text, label)
    return client.post(form.action, data={**form.fields, **fields}, follow_redirects=False)


@pytest.fixture
def ana(client: TestClient, make_user: Callable[..., User]) -> User:
    user = make_user("ana")
    sign_in(client, user.email, user.password)
    return user


def _step(runtime: Runtime, user: User) -> str:
    return runtime.db.read(onboarding.current_step, user.id)


def test_sign_up_leads_to_step_one(client: TestClient) -> None:
    page = client.get("/auth/sign_up")
    answer = _press(
        client,
        page,
        "Create account",
        username="newbie",
        email="newbie@example.org",
        password="correct horse battery",
        password_confirmation="correct horse battery",
    )
    assert answer.headers["location"] == "/welcome"
    step_one = client.get("/welcome")
    assert step_one.status_code == 200
    assert "Step 1 of 3" in step_one.text
    assert step_one.text.count("<h1>") == 1


def test_the_whole_path_through_forms(
    client: TestClient,
    runtime: Runtime,
    ana: User,
    make_user: Callable[..., User],
) -> None:
    bea, cai = make_user("bea"), make_user("cai")
    for who, text in ((bea, "Tonight's #ELTChat: feedback"), (cai, "Slides for #ELTChat")):
        client.post("/api/v1/statuses", headers=who.headers, json={"status": text})

    step_one = client.get("/welcome", follow_redirects=True)
    assert _checkboxes(step_one.text) == {"ELTChat": False}
    saved = _press(client, step_one, "Save and continue", tag="ELTChat", other="edtech, #maths")
    assert saved.status_code == 303 and saved.headers["location"] == "/welcome/people"
    assert runtime.db.read(onboarding.interest_names, ana.id) == ["ELTChat", "edtech", "maths"]

    people = client.get("/welcome", follow_redirects=False)
    assert people.headers["location"] == "/welcome/people"  # resumes at step 2
    people = client.get("/welcome/people")
    assert "Step 2 of 3" in people.text
    assert "Posts about #ELTChat (1 post in the last 30 days)" in people.text
    assert "@bea" in people.text and "@cai" in people.text
    assert "Follow all 2 shown" in people.text

    everyone = re.findall(r'name="account_id" value="(\d+)"', people.text)
    assert sorted(everyone) == sorted([str(bea.id), str(cai.id)])
    followed = _press(client, people, "Follow all 2 shown", account_id=everyone)  # type: ignore[arg-type]
    assert followed.status_code == 303
    people = client.get("/welcome/people")
    assert "You followed 2 people." in people.text
    assert people.text.count("Following: unfollow") == 2
    mine = client.get(f"/api/v1/accounts/{ana.id}/following", headers=ana.headers).json()
    assert {a["username"] for a in mine} == {"bea", "cai"}

    undone = _press(client, people, "Undo")
    assert client.get(undone.headers["location"]).text.count("you no longer follow 2 people")
    assert client.get(f"/api/v1/accounts/{ana.id}/following", headers=ana.headers).json() == []

    hello = client.get("/welcome/hello")
    assert "Step 3 of 3" in hello.text
    assert "Hello! I'm new here. #ELTChat</textarea>" in hello.text
    form = form_with_button(hello.text, "Post and finish")
    assert form.action == "/web/statuses" and form.fields["next"] == "/welcome/finished"
    posted = client.post(
        "/web/statuses",
        data={**form.fields, "status": "Hello! I'm new here. #ELTChat"},
        follow_redirects=False,
    )
    assert posted.headers["location"] == "/welcome/finished"
    home = client.get("/welcome/finished", follow_redirects=False)
    assert home.headers["location"] == "/"
    assert _step(runtime, ana) == onboarding.DONE
    assert runtime.db.read(onboarding.first_run_pending, ana.id) is False
    assert client.get("/welcome", follow_redirects=False).headers["location"] == "/"


def test_one_by_one_follow_keeps_the_person_on_the_page(
    client: TestClient, runtime: Runtime, ana: User, make_user: Callable[..., User]
) -> None:
    bea = make_user("bea")
    client.post("/api/v1/statuses", headers=bea.headers, json={"status": "hi"})
    people = client.get("/welcome/people")
    assert "Recently active on this server" in people.text

    answer = _press(client, people, "Follow")
    assert answer.headers["location"].startswith(f"/welcome/people?keep={bea.id}")
    page = client.get(answer.headers["location"])
    assert "@bea" in page.text and "Following: unfollow" in page.text
    assert "You followed" not in page.text  # no follow-all to undo

    back = _press(client, page, "Following: unfollow")
    assert client.get(f"/api/v1/accounts/{ana.id}/following", headers=ana.headers).json() == []
    assert ">Follow<" in client.get(back.headers["location"]).text


def test_friends_of_friends_reason_is_worded_with_plurals(
    client: TestClient, runtime: Runtime, ana: User, make_user: Callable[..., User]
) -> None:
    bo, cy, star = make_user("bo"), make_user("cy"), make_user("star")
    client.post("/api/v1/statuses", headers=star.headers, json={"status": "hi"})
    for friend in (bo, cy):
        client.post(f"/api/v1/accounts/{friend.id}/follow", headers=ana.headers)
        client.post(f"/api/v1/accounts/{star.id}/follow", headers=friend.headers)

    page = client.get("/welcome/people").text
    assert "Followed by 2 people you follow, such as @bo and @cy" in page


def test_skip_moves_on_and_finish_later_keeps_the_step(
    client: TestClient, runtime: Runtime, ana: User
) -> None:
    step_one = client.get("/welcome", follow_redirects=True)
    assert 'href="/"' in step_one.text and "Finish later" in step_one.text
    skipped = _press(client, step_one, "Skip for now")
    assert skipped.headers["location"] == "/welcome/people"
    assert _step(runtime, ana) == "people"
    assert runtime.db.read(onboarding.first_run_pending, ana.id) is True

    skipped = _press(client, client.get("/welcome/people"), "Skip for now")
    assert skipped.headers["location"] == "/welcome/hello"
    assert client.get("/welcome", follow_redirects=False).headers["location"] == "/welcome/hello"
    skipped = _press(client, client.get("/welcome/hello"), "Skip for now")
    assert skipped.headers["location"] == "/"
    assert _step(runtime, ana) == onboarding.DONE


def test_bad_interests_come_back_with_a_clear_message(
    client: TestClient, runtime: Runtime, ana: User
) -> None:
    page = client.get("/welcome/interests")
    answer = _press(client, page, "Save and continue", other="ELTChat, not-a-tag!")
    assert answer.status_code == 422
    assert "is not a hashtag" in answer.text
    assert 'value="ELTChat, not-a-tag!"' in answer.text

    many = ", ".join(f"tag{i}" for i in range(11))
    answer = _press(client, page, "Save and continue", other=many)
    assert answer.status_code == 422 and "Choose at most 10 hashtags." in answer.text
    assert _step(runtime, ana) == "interests"


def test_interests_already_chosen_are_ticked(
    client: TestClient, runtime: Runtime, ana: User
) -> None:
    runtime.db.write(set_interests, ana.id, ["mathschat"])
    assert _checkboxes(client.get("/welcome/interests").text) == {"mathschat": True}


def test_forms_without_the_csrf_token_are_refused(
    client: TestClient, runtime: Runtime, ana: User, make_user: Callable[..., User]
) -> None:
    bea = make_user("bea")
    for path, data in (
        ("/welcome/interests", {"other": "ELTChat"}),
        ("/welcome/skip", {"step": "interests"}),
        (f"/welcome/people/{bea.id}/follow", {}),
        ("/welcome/people/all", {"account_id": str(bea.id)}),
    ):
        assert client.post(path, data=data, follow_redirects=False).status_code == 403
    assert client.get(f"/api/v1/accounts/{ana.id}/following", headers=ana.headers).json() == []
    assert _step(runtime, ana) == "interests"


def test_signed_out_visitors_are_sent_to_sign_in(client: TestClient) -> None:
    answer = client.get("/welcome/people", follow_redirects=False)
    assert answer.headers["location"] == "/auth/sign_in?next=/welcome/people"


def test_subjects_starter_packs_and_the_directory_at_the_first_run(
    client: TestClient, runtime: Runtime, ana: User, make_user: Callable[..., User]
) -> None:
    from staffroom.services import collections, directory
    from tests.directory.helpers import list_person

    curator, bea, cai, dan = (make_user(n) for n in ("curator", "bea", "cai", "dan"))
    for who in (bea, cai, dan):
        posted = client.post("/api/v1/statuses", headers=who.headers, json={"status": "Hello"})
        assert posted.status_code == 200
    pack = runtime.db.write(
        lambda conn: collections.create_pack(
            conn, curator.id, name="ELT people", tag_name="ELTChat", account_ids=[bea.id, cai.id]
        )
    )
    list_person(runtime, dan, subject="elt")

    step_one = client.get("/welcome/interests")
    assert "What you teach" in step_one.text
    saved = _press(client, step_one, "Save and continue", tag="ELTChat", subject="elt", list_me="1")
    assert saved.headers["location"] == "/welcome/people"
    listing = runtime.db.read(directory.entry_of, ana.id)
    assert listing is not None and listing.values == {"subject": ["elt"]}

    people = client.get("/welcome/people")
    assert "Starter packs for your interests" in people.text and "ELT people" in people.text
    assert "In the directory under your subject: English language teaching" in people.text

    followed = _press(client, people, "Follow the whole pack")
    assert followed.headers["location"] == f"/welcome/people#pack-{pack.id}"
    mine = client.get(f"/api/v1/accounts/{ana.id}/following", headers=ana.headers).json()
    assert {a["username"] for a in mine} == {"bea", "cai"}
    home = client.get("/api/v1/timelines/home", headers=ana.headers).json()
    assert {s["account"]["username"] for s in home} == {"bea", "cai"}

    people = client.get("/welcome/people")
    assert "You followed 2 people from this pack." in people.text
    undone = _press(client, people, "Undo")
    assert undone.headers["location"].startswith("/welcome/people?undone=2")
    assert client.get(f"/api/v1/accounts/{ana.id}/following", headers=ana.headers).json() == []


def test_a_subject_the_instance_does_not_offer_is_refused_in_words(
    client: TestClient, runtime: Runtime, ana: User
) -> None:
    from staffroom.services import directory

    step_one = client.get("/welcome/interests")
    answer = _press(client, step_one, "Save and continue", subject="astrology")
    assert answer.status_code == 422
    assert "“astrology” is not one of the choices" in answer.text
    assert runtime.db.read(directory.subjects_of, ana.id) == []


def test_unticking_list_me_leaves_the_directory_and_keeps_the_subjects(
    client: TestClient, runtime: Runtime, ana: User
) -> None:
    from staffroom.services import directory

    step_one = client.get("/welcome/interests")
    _press(client, step_one, "Save and continue", subject="maths", list_me="1")
    assert runtime.db.read(directory.entry_of, ana.id) is not None
    step_one = client.get("/welcome/interests")
    assert 'id="list-me" checked' in step_one.text.replace('value="1" ', "")
    form = form_with_button(step_one.text, "Save and continue")
    fields = {k: v for k, v in form.fields.items() if k != "list_me"}
    answer = client.post(form.action, data={**fields, "subject": "maths"}, follow_redirects=False)
    assert answer.status_code == 303
    assert runtime.db.read(directory.entry_of, ana.id) is None
    assert runtime.db.read(directory.subjects_of, ana.id) == ["maths"]
