"""Starter packs in a real browser: a newcomer opens a pack's link, follows all, sees
those people's posts at home, then undoes it and follows exactly whom they followed
before; a member removes themselves; someone who opted out cannot be added."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.conftest import Contexts, World


def _following(world: World, token: str, account_id: str) -> set[str]:
    found = world.api.call(token, "GET", f"/api/v1/accounts/{account_id}/following")
    return {a["username"] for a in found}


def test_a_newcomer_follows_a_whole_pack_and_undoes_it(contexts: Contexts, world: World) -> None:
    curator, newcomer = world.person("curator"), world.person("newcomer")
    members = [world.person(n) for n in ("maths", "science", "phonics")]
    already = members[0]
    curator_token, newcomer_token = world.api.token(curator), world.api.token(newcomer)
    for person in members:
        world.api.post(world.api.token(person), f"Hello from @{person.username}'s classroom")
    pack = world.api.call(
        curator_token,
        "POST",
        "/api/v1/collections",
        json={"name": "Primary teachers", "account_ids": [m.id for m in members]},
    )["collection"]
    world.api.call(newcomer_token, "POST", f"/api/v1/accounts/{already.id}/follow")

    page = contexts.page(person=newcomer)
    page.goto(f"/packs/{pack['id']}")
    expect(page.get_by_role("heading", name="Primary teachers")).to_be_visible()
    with page.expect_navigation():
        page.get_by_role("button", name="Follow all (2 new)").click()
    expect(page.get_by_text("You followed 2 people from this pack.")).to_be_visible()
    assert _following(world, newcomer_token, newcomer.id) == {m.username for m in members}

    page.goto("/")
    for person in members:
        expect(page.get_by_text(f"Hello from @{person.username}'s classroom")).to_be_visible()

    page.goto(f"/packs/{pack['id']}")
    with page.expect_navigation():
        page.get_by_role("button", name="Undo").click()
    expect(page.get_by_text("Undone: you no longer follow 2 people.")).to_be_visible()
    assert _following(world, newcomer_token, newcomer.id) == {already.username}
    page.goto("/")
    expect(page.get_by_text(f"Hello from @{already.username}'s classroom")).to_be_visible()
    for person in members[1:]:
        expect(page.get_by_text(f"Hello from @{person.username}'s classroom")).to_have_count(0)
    contexts.watcher.check()


def test_a_member_removes_themselves_from_a_pack(contexts: Contexts, world: World) -> None:
    curator, member = world.person("curator"), world.person("member")
    pack = world.api.call(
        world.api.token(curator),
        "POST",
        "/api/v1/collections",
        json={"name": "Drama teachers", "account_ids": [member.id]},
    )["collection"]
    page = contexts.page(person=member)
    page.goto("/notifications")
    expect(page.get_by_role("link", name="Drama teachers")).to_be_visible()
    page.goto("/packs")
    with page.expect_navigation():
        page.get_by_role("button", name="Remove me from Drama teachers").click()
    expect(page.get_by_text("You removed yourself from that pack.")).to_be_visible()
    expect(page.get_by_text("You are in no starter packs.")).to_be_visible()
    page.goto(f"/packs/{pack['id']}")
    expect(page.get_by_text("Nobody is in this pack yet.")).to_be_visible()
    contexts.watcher.check()


def test_someone_who_opted_out_cannot_be_added(contexts: Contexts, world: World) -> None:
    curator, private = world.person("curator"), world.person("private")
    page = contexts.page(person=private)
    page.goto("/settings/packs")
    page.get_by_label("Nobody: never add me to a starter pack").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Your starter pack settings are saved.")).to_be_visible()

    page = contexts.page(person=curator)
    page.goto("/packs")
    page.get_by_label("Name").fill("Art teachers")
    with page.expect_navigation():
        page.get_by_role("button", name="Make the pack").click()
    page.get_by_label("Add a person by username").fill(f"@{private.username}")
    page.get_by_label("Why follow them (one line)").fill("Great ideas")
    with page.expect_navigation() as refused:
        page.get_by_role("button", name="Add person").click()
    assert refused.value.status == 422
    expect(page.get_by_role("alert")).to_have_text(
        f"@{private.username} does not want to be added to starter packs"
    )
    expect(page.get_by_text("0 of at most 150.", exact=False)).to_be_visible()
    # Chromium logs the 422 the test asked for; anything else stays for the watcher.
    found = contexts.watcher.take()
    asked = [p for p in found if "/people" in p and "status of 422" in p]
    assert len(asked) == 1, found
    contexts.watcher.problems.extend(p for p in found if p not in asked)
    contexts.watcher.check()
