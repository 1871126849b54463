"""Everything a newcomer does first works with JavaScript switched off: plain forms and links."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.conftest import TAG, Contexts, World, sign_up
from tests.e2e.clients import Person


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


def test_the_first_run_works_without_javascript(contexts: Contexts, world: World) -> None:
    """Interests, a follow, "Follow all" and its undo, the first hello: plain forms."""
    page = contexts.page(javascript=False)
    username = f"firstrun{world.values()['post_id'][-6:]}"
    sign_up(page, username, f"{username}@example.org")
    assert page.url.endswith("/welcome/interests"), page.url

    form = page.locator("form[action='/welcome/interests']")
    form.get_by_label(f"#{TAG}", exact=True).check()
    with page.expect_navigation():
        form.get_by_role("button", name="Save and continue").click()
    assert page.url.endswith("/welcome/people"), page.url

    author = page.locator(f"#person-{world.author.id}")
    expect(author.locator(".first-run-reasons")).to_contain_text(f"Posts about #{TAG}")
    with page.expect_navigation():
        author.get_by_role("button", name="Follow").click()
    expect(
        page.locator(f"#person-{world.author.id}").get_by_role("button", name="Following: unfollow")
    ).to_be_visible()

    with page.expect_navigation():
        page.get_by_role("button", name=re.compile(r"^Follow all \d+ shown$")).click()
    with page.expect_navigation():
        page.get_by_role("status").get_by_role("button", name="Undo").click()
    expect(page.get_by_role("status")).to_contain_text("Undone: you no longer follow")
    # The undo took back only what "Follow all" did: the author followed one by one stays.
    token = world.api.token(Person("", username, f"{username}@example.org"))
    relation = world.api.call(
        token, "GET", "/api/v1/accounts/relationships", params={"id[]": world.author.id}
    )
    assert relation[0]["following"] is True, relation

    with page.expect_navigation():
        page.get_by_role("link", name="Continue").click()
    with page.expect_navigation():
        page.get_by_role("button", name="Post and finish").click()
    assert page.url.rstrip("/") == world.url.rstrip("/"), page.url
    expect(page.locator("article.status", has_text="Hello! I'm new here.")).to_have_count(1)
    # The followed author's posts are home now.
    expect(page.locator("article.status", has_text="Exit tickets today")).to_have_count(1)
    contexts.watcher.check()


def test_the_deck_works_without_javascript(contexts: Contexts, world: World) -> None:
    """Columns are added, moved and removed with plain forms; the page shows what it has."""
    page = contexts.page(person=world.person("plaindeck"), javascript=False)
    page.goto("/deck")
    expect(page.locator("[data-deck-tabs]")).to_be_hidden()

    form = page.locator("form[data-deck-add]")
    form.locator("#deck-kind").select_option("hashtag")
    form.locator("#deck-arg").fill(TAG)
    with page.expect_navigation():
        form.get_by_role("button", name="Add column").click()
    column = page.locator("[data-column]").filter(
        has=page.get_by_role("heading", name=f"Hashtag #{TAG}", exact=True)
    )
    expect(column.locator("article.status", has_text="Exit tickets today")).to_have_count(1)

    with page.expect_navigation():
        column.get_by_role("button", name=f"Move Hashtag #{TAG} left").click()
    headings = [" ".join(t.split()) for t in page.locator("[data-column] h2").all_inner_texts()]
    assert headings == ["Home", "Notifications", f"Hashtag #{TAG}", "Mentions"]

    with page.expect_navigation():
        page.get_by_role("button", name=f"Remove Hashtag #{TAG}").click()
    headings = [" ".join(t.split()) for t in page.locator("[data-column] h2").all_inner_texts()]
    assert headings == ["Home", "Notifications", "Mentions"]
    contexts.watcher.check()


def test_without_javascript_the_home_page_shows_no_dead_controls(
    contexts: Contexts, world: World
) -> None:
    """What only scripts can drive stays out of sight: the live counter, the "new posts"
    button, the shortcuts hint; the hint above the composer states the limit instead. The
    notification badge is the server's count, so it may show."""
    page = contexts.page(person=world.reader, javascript=False)
    page.goto("/")
    expect(page.locator("#hint-status")).to_contain_text("Up to 140 characters")
    expect(page.locator("#counter-status")).to_be_hidden()
    expect(page.locator("[data-live-new]")).to_be_hidden()
    expect(page.locator("[data-shortcuts-hint]")).to_be_hidden()
    expect(page.get_by_role("dialog")).to_have_count(0)
    # The badge is drawn by the server (notifications newer than the read marker): without
    # a script it is a number inside the Notifications link, or absent; never an empty box.
    badge = page.locator("[data-notification-badge]")
    if badge.is_visible():
        expect(badge.locator("[data-notification-count]")).to_have_text(re.compile(r"^\d+\+?$"))
        expect(page.locator("a[href='/notifications'] [data-notification-badge]")).to_have_count(1)
    expect(page.locator("article.status").first).to_be_visible()

    # Over the limit, the server says so and keeps the text.
    too_long = "Much too long for one post. " * 6
    composer = page.locator("main form[action='/web/statuses']")
    composer.locator("textarea[name=status]").fill(too_long)
    with page.expect_navigation() as refused:
        composer.get_by_role("button", name="Post").click()
    assert refused.value.status == 422
    expect(page.locator("#composer-error")).to_contain_text("character limit of 140")
    expect(page.locator("main textarea[name=status]")).to_have_value(too_long)
    found = contexts.watcher.take()  # Chromium logs the 422 page load itself; only that
    assert len([p for p in found if "status of 422" in p]) == 1, found
    contexts.watcher.problems.extend(p for p in found if "status of 422" not in p)
    contexts.watcher.check()
