"""The directory on the web, without JavaScript: opting in and describing oneself at
/settings/directory, browsing and filtering /directory, following one person, "Follow all
shown" with its undo, paging, and a listed person's fields on their profile."""

from __future__ import annotations

import re
from collections.abc import Callable

import httpx
import pytest
from starlette.testclient import TestClient

from staffroom.runtime import Runtime
from staffroom.services import directory
from tests.conftest import User
from tests.directory.helpers import list_person
from tests.lists.helpers import follow, ok
from tests.oauth.helpers import form_with_button, sign_in

UserFactory = Callable[..., User]


@pytest.fixture
def ana(client: TestClient, make_user: UserFactory) -> User:
    user = make_user("ana")
    sign_in(client, user.email, user.password)
    return user


def _following(client: TestClient, user: User) -> set[str]:
    found = ok(client.get(f"/api/v1/accounts/{user.id}/following", headers=user.headers))
    return {a["username"] for a in found}


def _save(client: TestClient, data: dict[str, object]) -> httpx.Response:
    page = client.get("/settings/directory")
    form = form_with_button(page.text, "Save directory entry")
    token = {"authenticity_token": form.fields["authenticity_token"]}
    answer: httpx.Response = client.post(
        form.action, data={**token, **data}, follow_redirects=False
    )
    return answer


def test_opting_in_describing_oneself_and_opting_out(
    client: TestClient, ana: User, runtime: Runtime
) -> None:
    page = client.get("/settings/directory")
    assert page.status_code == 200
    assert 'href="/settings/directory" aria-current="page"' in page.text
    assert (
        'id="field-listed"' in page.text
        and "checked" not in page.text.split('id="field-listed"')[1][:80]
    )
    saved = _save(
        client,
        {
            "listed": "1",
            "subject": ["elt", "edtech"],
            "country": "ES",
            "languages": ["es", "en"],
            "why_follow": "Weekly phonics games for young learners",
        },
    )
    assert (
        saved.status_code == 303
        and saved.headers["location"] == "/settings/directory?saved=directory"
    )
    page = client.get("/settings/directory?saved=directory")
    assert "Your directory entry is saved." in page.text
    assert re.search(r'value="edtech" checked', page.text)
    assert re.search(r'<option value="ES" selected>Spain</option>', page.text)
    listed = client.get("/directory").text
    assert "Weekly phonics games for young learners" in listed
    assert "English language teaching (ELT/ESL)" in listed and "Spain" in listed
    profile = client.get("/@ana").text
    assert (
        "Weekly phonics games for young learners" in profile and "Educational technology" in profile
    )
    # Refused: nothing changes, the reason is next to the field.
    refused = _save(client, {"listed": "1", "subject": ["elt"], "why_follow": "x" * 161})
    assert refused.status_code == 422
    assert "at most 160 characters" in refused.text
    assert 'id="error-why_follow"' in refused.text
    entry = runtime.db.read(directory.entry_of, ana.id)
    assert entry is not None and entry.why_follow == "Weekly phonics games for young learners"
    too_many = _save(client, {"listed": "1", "role": ["teacher", "leader", "trainer"]})
    assert too_many.status_code == 422 and 'id="error-role"' in too_many.text
    # Opting out removes the entry and the fields.
    assert _save(client, {"subject": ["elt"]}).status_code == 303
    assert runtime.db.read(directory.entry_of, ana.id) is None
    assert "Weekly phonics" not in client.get("/directory").text
    assert "Educational technology" not in client.get("/@ana").text


def test_the_page_filters_sorts_and_works_signed_out(
    client: TestClient, runtime: Runtime, make_user: UserFactory
) -> None:
    ben, cho = make_user("ben"), make_user("cho")
    list_person(runtime, ben, "Maths puzzles", subject="maths", country="ES")
    list_person(runtime, cho, "Science club", subject="science", country="ES")
    page = client.get("/directory")
    assert page.status_code == 200
    assert "Maths puzzles" in page.text and "Science club" in page.text
    assert "Sign in to follow" in page.text
    assert '<select id="filter-subject" name="subject">' in page.text
    only = client.get("/directory?subject=maths&country=ES&order=new").text
    assert "Maths puzzles" in only and "Science club" not in only
    assert '<option value="maths" selected>' in only and '<option value="new" selected>' in only
    assert client.get("/directory?subject=alchemy").status_code == 422
    assert client.get("/directory?order=best").status_code == 422
    assert client.get("/directory?offset=x").status_code == 422
    assert "Nobody listed matches these choices yet." in client.get("/directory?subject=art").text


def test_follow_one_then_follow_all_shown_and_undo_exactly_those(
    client: TestClient, ana: User, runtime: Runtime, make_user: UserFactory
) -> None:
    ben, cho, dan, eve = (make_user(n) for n in ("ben", "cho", "dan", "eve"))
    for person in (ben, cho, dan, eve):
        list_person(runtime, person, subject="elt")
    list_person(runtime, ana, subject="elt")
    follow(client, ana, ben)  # before: stays after the undo
    page = client.get("/directory?subject=elt")
    one = form_with_button(page.text, "Follow @cho")
    assert one.action == f"/web/accounts/{cho.id}/follow"
    answer = client.post(one.action, data=one.fields, follow_redirects=False)
    assert answer.headers["location"] == "/directory?subject=elt"
    assert _following(client, ana) == {"ben", "cho"}
    page = client.get("/directory?subject=elt")
    everyone = form_with_button(page.text, "Follow all 2 shown")
    shown = set(re.findall(r'name="account_id" value="(\d+)"', page.text))
    assert shown == {str(dan.id), str(eve.id)}  # not oneself, not those already followed
    answer = client.post(
        everyone.action,
        data={**everyone.fields, "account_id": sorted(shown)},
        follow_redirects=False,
    )
    assert answer.status_code == 303 and answer.headers["location"] == "/directory?subject=elt"
    assert _following(client, ana) == {"ben", "cho", "dan", "eve"}
    page = client.get("/directory?subject=elt")
    assert "You followed 2 people." in page.text
    undo = form_with_button(page.text, "Undo")
    answer = client.post(undo.action, data=undo.fields, follow_redirects=False)
    assert answer.headers["location"] == "/directory?subject=elt&undone=2"
    assert _following(client, ana) == {"ben", "cho"}
    page = client.get(answer.headers["location"])
    assert "Undone: you no longer follow 2 people." in page.text
    again = client.post(undo.action, data=undo.fields, follow_redirects=False)
    assert again.headers["location"].endswith("undone=0")  # once only


def test_paging_by_offset(client: TestClient, runtime: Runtime, make_user: UserFactory) -> None:
    for i in range(23):
        list_person(runtime, make_user(f"teacher{i:02d}"), subject="music")
    first = client.get("/directory?subject=music&order=new").text
    assert first.count('class="person"') == 20
    more = re.search(r'<a href="([^"]+)" rel="next">', first)
    assert more is not None and "offset=20" in more.group(1)
    second = client.get(more.group(1).replace("&amp;", "&")).text
    assert second.count('class="person"') == 3
    assert 'rel="prev"' in second and 'rel="next"' not in second


def test_forms_need_sign_in_and_csrf(client: TestClient, make_user: UserFactory) -> None:
    assert client.get("/settings/directory", follow_redirects=False).status_code == 302
    refused = client.post("/web/directory/follow_all", data={}, follow_redirects=False)
    assert refused.status_code == 303 and "/auth/sign_in" in refused.headers["location"]
    user = make_user("zed")
    sign_in(client, user.email, user.password)
    assert client.post("/settings/directory", data={"listed": "1"}).status_code == 403


def test_fields_and_choices_read_in_spanish(
    client: TestClient, runtime: Runtime, make_user: UserFactory
) -> None:
    list_person(runtime, make_user("eva"), "Juegos de fonética", subject="maths", country="ES")
    page = client.get("/directory", headers={"Accept-Language": "es"}).text
    assert "Materia" in page and "Matemáticas" in page and "España" in page
    assert '<option value="">Cualquiera</option>' in page
    refused = client.get("/directory?order=best", headers={"Accept-Language": "es"})
    assert refused.status_code == 422 and "order debe ser active o new" in refused.text
