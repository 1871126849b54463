"""Searching posts in the browser, with and without JavaScript: a phrase, an operator, the
help that explains them (a native disclosure), results and paging; axe-clean."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import Contexts, World, check_axe


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_a_teacher_searches_posts_with_a_phrase_and_operators(
    contexts: Contexts, world: World, javascript: bool
) -> None:
    page: Any = contexts.page(person=world.reader, javascript=javascript)
    page.goto("/search")
    help_box = page.locator("details.search-help")
    assert not help_box.evaluate("d => d.open")
    help_box.locator("summary").click()  # a <details>: opens without the page's scripts
    assert help_box.evaluate("d => d.open")
    assert help_box.get_by_text("only your posts and those you were mentioned in").is_visible()

    field = page.get_by_label("Search for people, hashtags and posts")
    field.fill('"exit tickets" from:' + world.author.username)
    with page.expect_navigation():
        field.press("Enter")
    posts = page.locator("#posts-heading ~ .timeline article.status")
    assert posts.count() == 1
    assert "three words on a sticky note" in posts.first.inner_text()

    page.goto("/search?type=statuses&q=" + "%23ELTChat%20-is%3Areply")
    found = page.locator("article.status")
    assert found.count() >= 3
    assert page.locator("article.status", has_text="Stealing this for Monday").count() == 0

    page.goto("/search?q=exit%20has%3Acolour")  # a 422 page, which the browser logs
    assert all("422" in problem for problem in contexts.watcher.take())
    alert = page.get_by_role("alert")
    assert "has: takes one of" in alert.inner_text()
    assert (
        page.get_by_label("Search for people, hashtags and posts").get_attribute("aria-invalid")
        == "true"
    )
    contexts.watcher.check()


def test_the_open_operator_help_and_an_error_are_axe_clean(
    contexts: Contexts, world: World
) -> None:
    """axe on the page with its help open and on a refused query (the page table in
    ``test_accessibility`` checks the page with results, help closed)."""
    page: Any = contexts.page(person=world.reader, bypass_csp=True)
    page.goto("/search?q=exit")
    page.locator("details.search-help summary").click()
    check_axe(page)
    page.goto("/search?q=exit%20has%3Acolour")
    assert page.get_by_role("alert").count() == 1
    check_axe(page)
