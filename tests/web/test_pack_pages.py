"""Starter packs on the web, without JavaScript: make a pack with people, reasons,
hashtags and a list; consent refusals in words; the shareable page signed out; follow all,
undo (only those the pack added), follow the ticked ones, follow its hashtags, copy its
list, add all to a list; remove oneself; the setting."""

from __future__ import annotations

from collections.abc import Callable

from starlette.testclient import TestClient

from staffroom.runtime import Runtime
from staffroom.services import collections
from tests.conftest import User
from tests.lists.helpers import add_members, follow, make_list, ok
from tests.oauth.helpers import form_with_button, sign_in

UserFactory = Callable[..., User]


def _submit(client: TestClient, html: str, button: str, **fields: str) -> str:
    form = form_with_button(html, button)
    answer = client.post(form.action, data={**form.fields, **fields}, follow_redirects=False)
    assert answer.status_code == 303, answer.text
    return str(answer.headers["location"])


def _following(client: TestClient, user: User) -> set[str]:
    found = ok(client.get(f"/api/v1/accounts/{user.id}/following", headers=user.headers))
    return {a["username"] for a in found}


def test_a_pack_is_made_shared_followed_and_undone(
    client: TestClient, runtime: Runtime, make_user: UserFactory
) -> None:
    alice, bob, carol, erin = (make_user(n) for n in ("alice", "bob", "carol", "erin"))
    dave = make_user("dave")
    runtime.db.write(collections.set_pack_policy, carol.id, "nobody")
    speakers = make_list(client, alice, "Speakers")
    add_members(client, alice, speakers, erin, carol)

    sign_in(client, alice.email, alice.password)
    page = client.get("/packs")
    assert 'href="/packs" aria-current="page"' in page.text
    edit = _submit(client, page.text, "Make the pack", name="ELT people", description="Teachers")
    pack_id = edit.split("/")[2]
    page = client.get(edit)
    _submit(client, page.text, "Add person", username="@bob", reason="Runs #ELTChat")
    page = client.get(edit)
    _submit(client, page.text, "Add person", username="erin", reason="")
    page = client.get(edit)
    refused = client.post(
        f"/web/packs/{pack_id}/people",
        data={**form_with_button(page.text, "Add person").fields, "username": "carol"},
    )
    assert refused.status_code == 422
    assert "@carol does not want to be added to starter packs" in refused.text
    _submit(client, page.text, "Save", hashtags="#ELTChat #EdTech", list_id=speakers)
    page = client.get(edit)
    assert "#ELTChat #EdTech" in page.text and "Runs #ELTChat" in page.text

    client.cookies.clear()  # signed out: the page, the reasons and a sign-in prompt
    public = client.get(f"/packs/{pack_id}")
    assert public.status_code == 200
    assert "Runs #ELTChat" in public.text and "@bob" in public.text
    assert f"/auth/sign_in?next=/packs/{pack_id}" in public.text
    assert "Follow all" not in public.text
    assert "1 person" in public.text  # the list's people, carol (opted out) left out

    follow(client, dave, erin)  # followed before the pack
    sign_in(client, dave.email, dave.password)
    page = client.get(f"/packs/{pack_id}")
    assert "Follow all (1 new)" in page.text
    _submit(client, page.text, "Follow all (1 new)", all="1")
    assert _following(client, dave) == {"bob", "erin"}
    page = client.get(f"/packs/{pack_id}")
    assert "You followed 1 person from this pack." in page.text
    where = _submit(client, page.text, "Undo")
    assert where == f"/packs/{pack_id}?undone=1"
    assert _following(client, dave) == {"erin"}

    page = client.get(f"/packs/{pack_id}")
    _submit(client, page.text, "Follow the ones ticked", account_id=str(bob.id))
    assert _following(client, dave) == {"bob", "erin"}

    page = client.get(f"/packs/{pack_id}")
    _submit(client, page.text, "Follow these hashtags")
    tags = ok(client.get("/api/v1/followed_tags", headers=dave.headers))
    assert {t["name"] for t in tags} == {"ELTChat", "EdTech"}

    page = client.get(f"/packs/{pack_id}")
    where = _submit(client, page.text, "Subscribe")
    copied = where.split("copied=")[1].split("#")[0]
    members = ok(client.get(f"/api/v1/lists/{copied}/accounts", headers=dave.headers))
    assert [m["username"] for m in members] == ["erin"]

    mine = make_list(client, dave, "Colleagues")
    page = client.get(f"/packs/{pack_id}")
    _submit(client, page.text, "Add them all", list_id=mine)
    members = ok(client.get(f"/api/v1/lists/{mine}/accounts", headers=dave.headers))
    assert {m["username"] for m in members} == {"bob", "erin"}


def test_a_member_removes_themselves_and_sets_who_may_add_them(
    client: TestClient, make_user: UserFactory
) -> None:
    alice, bob = make_user("alice"), make_user("bob")
    made = ok(
        client.post(
            "/api/v1/collections",
            json={"name": "ELT people", "account_ids": [str(bob.id)]},
            headers=alice.headers,
        )
    )["collection"]
    sign_in(client, bob.email, bob.password)
    page = client.get("/packs")
    assert "ELT people" in page.text and "by @alice" in page.text
    assert _submit(client, page.text, "Remove me") == f"/packs?left={made['id']}"
    page = client.get("/packs")
    assert "You are in no starter packs." in page.text
    assert ok(client.get(f"/api/v1/collections/{made['id']}"))["collection"]["items"] == []

    page = client.get("/settings/packs")
    assert page.status_code == 200
    assert _submit(client, page.text, "Save", pack_policy="followed") == "/settings/packs?saved=1"
    assert 'value="followed" checked' in client.get("/settings/packs").text
    bad = client.post(
        "/web/settings/packs",
        data={**form_with_button(page.text, "Save").fields, "pack_policy": "maybe"},
    )
    assert bad.status_code == 422


def test_profiles_link_to_packs_and_others_cannot_edit(
    client: TestClient, make_user: UserFactory
) -> None:
    alice, bob = make_user("alice"), make_user("bob")
    made = ok(
        client.post("/api/v1/collections", json={"name": "Maths folk"}, headers=alice.headers)
    )["collection"]
    assert 'href="/@alice/packs"' in client.get("/@alice").text
    assert "Maths folk" in client.get("/@alice/packs").text
    assert client.get("/@nobody/packs").status_code == 404
    assert client.get("/packs/12345").status_code == 404
    sign_in(client, bob.email, bob.password)
    assert client.get(f"/packs/{made['id']}/edit").status_code == 403
    page = client.get(f"/packs/{made['id']}")
    assert "Edit this pack" not in page.text


def test_the_notification_page_says_who_added_you(
    client: TestClient, make_user: UserFactory
) -> None:
    alice, bob = make_user("alice"), make_user("bob")
    made = ok(
        client.post(
            "/api/v1/collections",
            json={"name": "ELT people", "account_ids": [str(bob.id)]},
            headers=alice.headers,
        )
    )["collection"]
    sign_in(client, bob.email, bob.password)
    page = client.get("/notifications")
    assert "added you to the starter pack" in page.text
    assert f'href="/packs/{made["id"]}"' in page.text


def test_one_person_is_followed_from_the_pack_page(
    client: TestClient, make_user: UserFactory
) -> None:
    alice, bob, reader = make_user("alice"), make_user("bob"), make_user("reader")
    made = ok(
        client.post(
            "/api/v1/collections",
            json={"name": "ELT people", "account_ids": [str(bob.id)]},
            headers=alice.headers,
        )
    )["collection"]
    sign_in(client, reader.email, reader.password)
    page = client.get(f"/packs/{made['id']}")
    where = _submit(client, page.text, "Follow")
    assert where == f"/packs/{made['id']}#person-{bob.id}"
    assert _following(client, reader) == {"bob"}
    assert "You follow them" in client.get(f"/packs/{made['id']}").text
