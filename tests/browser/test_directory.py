"""The directory in a real browser: a colleague lists herself at /settings/directory (subject,
country, "why follow me"), and a newcomer finds her in /directory by subject and country,
among others who do not match, and follows her; both pages axe-clean."""

from __future__ import annotations

import uuid

from playwright.sync_api import expect

from tests.browser.conftest import Contexts, World, check_axe


def _list_in_browser(
    contexts: Contexts, world: World, someone: object, subject: str, country: str, why: str
) -> None:
    page = contexts.page(person=someone, bypass_csp=True)
    page.goto("/settings/directory")
    page.get_by_label("List me in the directory").check()
    page.get_by_role("group", name="Subject").get_by_label(subject, exact=True).check()
    page.get_by_label("Country", exact=True).select_option(label=country)
    page.get_by_label("Why follow me").fill(why)
    with page.expect_navigation():
        page.get_by_role("button", name="Save directory entry").click()
    expect(page.get_by_text("Your directory entry is saved.")).to_be_visible()
    check_axe(page)


def test_a_newcomer_finds_a_colleague_in_the_directory_by_subject_and_country(
    contexts: Contexts, world: World
) -> None:
    run = uuid.uuid4().hex[:6]
    colleague, elsewhere, other_subject = (
        world.person(n) for n in ("colleague", "elsewhere", "othersubject")
    )
    newcomer = world.person("newcomer")
    why = f"Phonics games that work with forty children ({run})"
    _list_in_browser(contexts, world, colleague, "Early literacy", "Spain", why)
    _list_in_browser(contexts, world, elsewhere, "Early literacy", "Chile", f"Chile {run}")
    _list_in_browser(contexts, world, other_subject, "Music", "Spain", f"Songs {run}")

    page = contexts.page(person=newcomer, bypass_csp=True)
    page.goto("/")
    with page.expect_navigation():
        page.get_by_role("navigation", name="Main").get_by_role("link", name="Directory").click()
    page.get_by_label("Subject", exact=True).select_option(label="Early literacy")
    page.get_by_label("Country", exact=True).select_option(label="Spain")
    with page.expect_navigation():
        page.get_by_role("button", name="Show", exact=True).click()
    found = page.locator("article.person", has_text=run)
    expect(found).to_have_count(1)
    card = page.locator("article.person", has_text=why)
    expect(card.get_by_role("link", name=colleague.username)).to_be_visible()
    expect(card.get_by_text("Early literacy")).to_be_visible()
    check_axe(page)
    with page.expect_navigation():
        card.get_by_role("button", name=f"Follow @{colleague.username}").click()
    card = page.locator("article.person", has_text=why)
    expect(
        card.get_by_role("button", name=f"Following @{colleague.username}: unfollow")
    ).to_be_visible()
    page.goto(f"/@{newcomer.username}/following")
    expect(page.get_by_role("link", name=colleague.username)).to_be_visible()
    contexts.watcher.check()
