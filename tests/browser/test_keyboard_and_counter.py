"""Keyboard shortcuts (40-keys.js) and the composer's character counter (10-counter.js) in a
real browser: what a keyboard user and a writer actually see and get."""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import expect

from tests.browser.conftest import Contexts, World
from tests.e2e.clients import Person
from tests.e2e.harness import eventually

URL = "https://example.org/" + "lesson-plans/" * 5  # 85 characters typed, 23 counted


def _home_with_posts(
    contexts: Contexts, world: World, name: str
) -> tuple[Any, Person, str, list[str]]:
    viewer, author = world.person(f"{name}_viewer"), world.person(f"{name}_author")
    viewer_token, author_token = world.api.token(viewer), world.api.token(author)
    world.api.call(viewer_token, "POST", f"/api/v1/accounts/{author.id}/follow")
    ids = [
        world.api.post(author_token, f"Shortcut practice post {n}: retrieval every lesson")["id"]
        for n in range(1, 5)
    ]

    def delivered() -> None:
        home = world.api.call(viewer_token, "GET", "/api/v1/timelines/home")
        assert {s["id"] for s in home} >= set(ids)

    eventually(delivered)
    page = contexts.page(person=viewer)
    page.goto("/")
    return page, viewer, viewer_token, list(reversed(ids))  # newest first, as shown


def test_keyboard_shortcuts_move_favourite_open_help_and_stay_out_of_the_composer(
    contexts: Contexts, world: World
) -> None:
    page, _viewer, token, ids = _home_with_posts(contexts, world, "keys")
    posts = page.locator("main article.status")
    expect(posts).to_have_count(4)
    first, second = (page.locator(f'article.status[data-status-id="{i}"]') for i in ids[:2])

    # j: the first post, then the next; k: back.
    page.keyboard.press("j")
    expect(first).to_be_focused()
    page.keyboard.press("j")
    expect(second).to_be_focused()
    page.keyboard.press("k")
    expect(first).to_be_focused()

    # ?: the shortcuts dialog; Escape closes it and focus goes back to the post.
    dialog = page.get_by_role("dialog", name="Keyboard shortcuts")
    expect(dialog).to_be_hidden()
    page.keyboard.press("?")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("Next post")
    page.keyboard.press("j")  # shortcuts are off while the dialog is open
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(first).to_be_focused()

    # Keys typed in the composer are text, not shortcuts.
    box = page.locator("main textarea[name=status]")
    box.click()
    box.press_sequentially("jkfbn? ok")
    expect(box).to_have_value("jkfbn? ok")
    expect(box).to_be_focused()
    expect(dialog).to_be_hidden()
    assert page.url.rstrip("/") == world.url.rstrip("/")

    # n: from anywhere else, to the composer.
    page.locator("main h1").click()
    expect(box).not_to_be_focused()
    page.keyboard.press("n")
    expect(box).to_be_focused()
    box.fill("")

    # f: favourite the focused post (a plain form post, so the page comes back).
    page.keyboard.press("Escape")
    page.locator("main h1").click()
    page.keyboard.press("j")
    page.keyboard.press("j")
    expect(second).to_be_focused()
    with page.expect_navigation():
        page.keyboard.press("f")
    pressed = page.locator(
        f'article.status[data-status-id="{ids[1]}"] button[data-key-unfavourite]'
    )
    expect(pressed).to_have_attribute("aria-pressed", "true")
    assert world.api.call(token, "GET", f"/api/v1/statuses/{ids[1]}")["favourited"] is True
    assert world.api.call(token, "GET", f"/api/v1/statuses/{ids[0]}")["favourited"] is False
    contexts.watcher.check()


def _expect_one_console_error(contexts: Contexts, where: str, what: str) -> None:
    """Chromium logs a console error for a page answered with an error status: that one is
    what the test asked for; anything else stays for the watcher to report."""
    found = contexts.watcher.take()
    asked = [p for p in found if where in p and what in p]
    assert len(asked) == 1, found
    contexts.watcher.problems.extend(p for p in found if p not in asked)


def _counter(page: Any) -> Any:
    return page.locator("#counter-status-text")


def test_the_counter_counts_like_the_server(contexts: Contexts, world: World) -> None:
    viewer = world.person("counter")
    token = world.api.token(viewer)
    page = contexts.page(person=viewer)
    page.goto("/")
    box = page.locator("main textarea[name=status]")
    counter = _counter(page)
    expect(counter).to_have_text("140 characters left")

    box.click()
    box.press_sequentially("Homework club " * 9 + "run")  # 126 + 3 = 129
    box.press("!")
    assert len(box.input_value()) == 130
    expect(counter).to_have_text("10 characters left")
    expect(box).not_to_have_attribute("aria-invalid", "true")
    expect(box).to_have_attribute("aria-describedby", re.compile(r"\bcounter-status-text\b"))

    # A link counts 23, however long it is typed.
    box.fill(f"Read this: {URL}")  # 11 + 23 = 34
    expect(counter).to_have_text("106 characters left")

    # Exactly at the limit with a link: the counter says 0 and the server takes it.
    at_limit = "a" * 116 + " " + URL
    assert len(at_limit) > 140
    box.fill(at_limit)
    expect(counter).to_have_text("0 characters left")
    expect(box).not_to_have_attribute("aria-invalid", "true")
    with page.expect_navigation() as taken:
        page.locator("form[action='/web/statuses'] button[type=submit]").click()
    assert taken.value.status == 200  # after the 303 back home
    mine = world.api.call(token, "GET", f"/api/v1/accounts/{viewer.id}/statuses")
    assert mine and mine[0]["content"].count("a" * 116) == 1

    # Over the limit: marked invalid; the server refuses with 422 and keeps the text.
    over = "b" * 120 + " " + URL  # 121 + 23 = 144
    box = page.locator("main textarea[name=status]")
    box.fill(over)
    expect(_counter(page)).to_have_text("4 characters over")
    expect(box).to_have_attribute("aria-invalid", "true")
    with page.expect_navigation() as refused:
        page.locator("form[action='/web/statuses'] button[type=submit]").click()
    assert refused.value.status == 422
    _expect_one_console_error(contexts, "/web/statuses", "status of 422")
    error = page.locator("#composer-error")
    expect(error).to_be_visible()
    expect(error).to_contain_text("this post has 144")  # the server counts as the counter did
    box = page.locator("main textarea[name=status]")
    expect(box).to_have_value(over)
    expect(_counter(page)).to_have_text("4 characters over")
    expect(box).to_have_attribute("aria-invalid", "true")
    assert len(world.api.call(token, "GET", f"/api/v1/accounts/{viewer.id}/statuses")) == 1
    contexts.watcher.check()


def test_the_counter_speaks_spanish(contexts: Contexts, world: World) -> None:
    viewer = world.person("contador")
    page = contexts.page(person=viewer, lang="es")
    page.goto("/")
    assert page.evaluate("() => document.documentElement.lang").startswith("es")
    box = page.locator("main textarea[name=status]")
    counter = _counter(page)
    expect(counter).to_have_text("Quedan 140 caracteres")
    box.fill("x" * 130)
    expect(counter).to_have_text("Quedan 10 caracteres")
    box.fill("x" * 139)
    expect(counter).to_have_text("Queda 1 carácter")
    box.fill("x" * 143)
    expect(counter).to_have_text("3 caracteres de más")
    expect(box).to_have_attribute("aria-invalid", "true")
    contexts.watcher.check()
