"""Everything a newcomer does first works with JavaScript switched off: plain forms and links."""

from __future__ import annotations

from tests.browser.conftest import Contexts, World, sign_up


def test_a_newcomer_signs_up_reads_posts_and_replies_without_javascript(
    contexts: Contexts, world: World
) -> None:
    page = contexts.page(javascript=False)
    assert page.evaluate("() => 1") == 1  # Playwright's own scripts still run; the page's don't
    username = f"newcomer{world.values()['post_id'][-6:]}"
    sign_up(page, username, f"{username}@example.org")

    # The home timeline, with its composer.
    page.goto("/")
    assert page.locator("body[data-signed-in]").count() == 1
    composer = page.locator("form[action='/web/statuses']")
    assert composer.count() == 1

    # Post, and see the post in the timeline.
    text = "First post from the staffroom, no scripts needed #ELTChat"
    composer.locator("textarea[name=status]").fill(text)
    with page.expect_navigation():
        composer.locator("button[type=submit]").click()
    mine = page.locator("article.status", has_text="First post from the staffroom")
    mine.first.wait_for()
    assert mine.count() == 1

    # Open its page (the date links to it) and reply there.
    with page.expect_navigation():
        mine.locator(".status-meta a").click()
    assert f"/@{username}/" in page.url
    reply_form = page.locator("#reply form")
    reply_form.locator("textarea[name=status]").fill("And a reply to myself, still without scripts")
    with page.expect_navigation():
        reply_form.locator("button[type=submit]").click()
    replies = page.locator(".replies article.status", has_text="And a reply to myself")
    replies.first.wait_for()
    assert replies.count() == 1
    contexts.watcher.check()
