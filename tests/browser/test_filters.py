"""Filters in a real browser: a filter made in the settings collapses a home post behind
"Filtered: <title>", which "Show anyway" opens (a ``details``, so without script too); the
filter pages (list, new, edit, delete confirmation, "Filter this post") pass axe-core in
English and Spanish; deleting asks first."""

from __future__ import annotations

import itertools

from playwright.sync_api import expect

from tests.browser.conftest import LANGUAGES, Contexts, World, check_axe

_words = itertools.count(1)


def test_a_filter_from_the_settings_collapses_a_home_post(contexts: Contexts, world: World) -> None:
    reader = world.person("filterer")
    token = world.api.token(reader)
    world.api.call(token, "POST", f"/api/v1/accounts/{world.author.id}/follow")
    word = f"inspection{world.post_id[-4:]}x{next(_words)}"
    post = world.api.post(world.author_token, f"Notes from today's {word}, and a plan")
    page = contexts.page(person=reader)

    page.goto("/settings/profile")
    page.get_by_role("navigation", name="Settings sections").get_by_role(
        "link", name="Filters"
    ).click()
    page.get_by_role("link", name="New filter").click()
    page.get_by_label("Title", exact=True).fill("Ofsted")
    page.locator("#kw-0-keyword").fill(word)
    expect(page.get_by_label("Home timeline and lists")).to_be_checked()
    expect(page.get_by_label("Hide with a warning")).to_be_checked()
    page.get_by_label("Expire after").select_option(label="1 week")
    with page.expect_navigation():
        page.get_by_role("button", name="Create filter").click()
    expect(page.get_by_role("status")).to_have_text("Your new filter is saved.")
    expect(page.get_by_text("Expires in 1 week")).to_be_visible()

    page.goto("/")
    article = page.locator(f'article[data-post-id="{post["id"]}"]')
    summary = page.locator("details.filtered-post > summary", has_text="Filtered: Ofsted")
    expect(summary).to_be_visible()
    expect(article).to_be_hidden()
    summary.get_by_text("Show anyway").click()
    expect(article).to_be_visible()
    expect(article).to_contain_text(word)

    [made] = world.api.call(token, "GET", "/api/v2/filters")
    pages = [
        "/settings/filters",
        "/settings/filters/new",
        f"/settings/filters/{made['id']}/edit",
        f"/settings/filters/{made['id']}/delete",
        f"/@{world.author.username}/{world.post_id}/filter",
        f"/@{world.author.username}/{world.post_id}",
    ]
    for lang in LANGUAGES:
        checker = contexts.page(person=reader, lang=lang, bypass_csp=True)
        for path in pages:
            answer = checker.goto(path)
            assert answer is not None and answer.status == 200, path
            if path.endswith(world.post_id):
                checker.get_by_text(
                    "Filter this post" if lang == "en" else "Filtrar esta publicación"
                ).first.click()
            check_axe(checker)

    page.goto(f"/settings/filters/{made['id']}/edit")
    page.get_by_role("link", name="Delete this filter…").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Delete the filter “Ofsted”")
    with page.expect_navigation():
        page.get_by_role("button", name="Delete this filter").click()
    expect(page.get_by_role("status")).to_have_text("The filter is deleted.")
    assert world.api.call(token, "GET", "/api/v2/filters") == []
    page.goto("/")
    expect(article).to_be_visible()
    contexts.watcher.check()
