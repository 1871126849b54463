"""The newcomer's path, end to end in a real browser: sign up, the first-run steps (interests,
people worth following with the reasons why, a first hello), posting from home, a reply
arriving live, a live hashtag column on the deck; then the same person with JavaScript off
reading, posting, replying, following, unfollowing and searching with plain forms."""

from __future__ import annotations

import itertools
import re
from typing import Any

from playwright.sync_api import expect

from tests.browser.conftest import (
    TAG,
    Contexts,
    World,
    screenshot,
    sign_in,
    sign_up,
    watch_stream,
)
from tests.e2e.clients import PASSWORD, Person, create_person
from tests.e2e.harness import eventually

_runs = itertools.count(1)


def _submit(page: Any, form: Any, name: str | re.Pattern[str]) -> None:
    with page.expect_navigation():
        form.get_by_role("button", name=name).click()


def test_a_newcomer_joins_follows_posts_gets_a_live_reply_and_uses_the_deck(
    contexts: Contexts, world: World
) -> None:
    api = world.api
    run = f"{world.post_id[-5:]}n{next(_runs)}"
    interest = f"Phonics{run}"  # a hashtag only this test's mentor posts with
    deck_tag = f"Decodables{run}"
    word = f"quokka{run}"  # the mentor's username, and a word in one of her posts
    mentor = create_person(world.server, word)
    mentor_token = api.token(mentor)
    for text in (
        f"Blending games for early readers, three that worked this week #{interest}",
        f"Sound buttons on every word wall: a small change with a big effect #{interest}",
        f"Why I stopped using levelled readers ({word} notes) #{interest} #{TAG}",
    ):
        api.post(mentor_token, text)

    # --- JavaScript on: sign up and the first run ------------------------------------------
    username = f"newbie{run}"
    email = f"{username}@example.org"
    me = Person("", username, email, PASSWORD)
    page = contexts.page()
    frames = watch_stream(page)
    sign_up(page, username, email)
    assert re.search(r"/welcome(/interests)?$", page.url), page.url
    expect(page.get_by_text("Step 1 of 3")).to_be_visible()
    screenshot(page, "newcomer-welcome")

    # Step 1: interests, one ticked from what people here use, one typed.
    interests = page.locator("form[action='/welcome/interests']")
    interests.get_by_label(f"#{TAG}", exact=True).check()
    interests.get_by_label("Other hashtags (optional)").fill(interest)
    _submit(page, interests, "Save and continue")
    assert page.url.endswith("/welcome/people"), page.url

    # Step 2: people worth following, each with the reason why.
    suggestion = page.locator(f"#person-{mentor.id}")
    expect(suggestion).to_be_visible()
    expect(suggestion.get_by_role("heading")).to_contain_text(f"@{mentor.username}")
    reasons = suggestion.locator(".first-run-reasons")
    expect(reasons).to_contain_text(re.compile(rf"Posts about (#\w+, )*#{interest}\b"))
    # She wrote 3 posts with the newcomer's interests (one has both): the reason says 3.
    # Checked at the very end, so the rest of the path is still exercised if this is wrong.
    reason_text = " ".join(reasons.inner_text().split())
    screenshot(page, "newcomer-people")
    _submit(page, suggestion, "Follow")
    suggestion = page.locator(f"#person-{mentor.id}")
    expect(suggestion.get_by_role("button", name="Following: unfollow")).to_be_visible()

    # "Follow all" can be undone, and undoing it leaves the one-by-one follow alone.
    # (The world's author and reader are suggested too, so there are others to follow.)
    follow_all = page.locator("form[action='/welcome/people/all']")
    expect(follow_all).to_be_visible()
    _submit(page, follow_all, re.compile(r"^Follow all \d+ shown$"))
    notice = page.get_by_role("status").filter(has_text=re.compile(r"You followed \d+"))
    expect(notice).to_be_visible()
    _submit(page, notice, "Undo")
    expect(page.get_by_role("status")).to_contain_text("Undone: you no longer follow")
    my_token = api.token(me)
    me_id = api.call(my_token, "GET", "/api/v1/accounts/verify_credentials")["id"]
    relation = api.call(
        my_token, "GET", "/api/v1/accounts/relationships", params={"id[]": mentor.id}
    )
    assert relation[0]["following"] is True, relation

    # Step 3: a first hello, then home.
    with page.expect_navigation():
        page.get_by_role("link", name="Continue").click()
    assert page.url.endswith("/welcome/hello"), page.url
    hello = page.locator("form[action='/web/statuses']")
    expect(hello.locator("textarea[name=status]")).to_have_value(f"Hello! I'm new here. #{TAG}")
    hello.locator("textarea[name=status]").fill(f"Hello! I'm new here. #{TAG} #{interest}")
    _submit(page, hello, "Post and finish")
    assert page.url.rstrip("/") == world.url.rstrip("/"), page.url
    expect(page.locator("article.status", has_text="Hello! I'm new here.")).to_have_count(1)
    expect(page.get_by_text("Finish setting up")).to_have_count(0)

    # --- home: a post, and a reply arriving live -------------------------------------------
    composer = page.locator("main form[action='/web/statuses']")
    composer.locator("textarea[name=status]").fill(
        f"Any tips for phonics games with a mixed Year 1 class? #{interest}"
    )
    frames.sent.clear()
    _submit(page, composer, "Post")
    mine = page.locator("article.status", has_text="Any tips for phonics games")
    expect(mine).to_have_count(1)
    my_post = mine.get_attribute("data-status-id")
    assert my_post
    frames.wait_subscribed('"user"')

    navigations: list[str] = []
    page.on(
        "framenavigated",
        lambda frame: navigations.append(frame.url) if frame == page.main_frame else None,
    )
    page.evaluate("() => { window.stillTheSamePage = true; }")
    home_url = page.url
    api.post(
        mentor_token,
        f"@{username} try 'phoneme pop' with sound buttons, they love it",
        in_reply_to_id=my_post,
    )
    button = page.locator("[data-live-show]")
    expect(button).to_be_visible(timeout=15_000)
    expect(button).to_have_text("1 new post")
    button.click()
    reply = page.locator("article.status", has_text="phoneme pop")
    expect(reply).to_be_visible()
    expect(reply).to_contain_text(f"@{mentor.username}")
    expect(button).to_be_hidden()
    assert page.url == home_url
    assert navigations == []
    assert page.evaluate("() => window.stillTheSamePage") is True
    screenshot(page, "newcomer-home")

    # --- the deck: a hashtag column, live --------------------------------------------------
    page.goto("/deck")
    add = page.locator("form[data-deck-add]")
    add.get_by_label("What the column shows").select_option("hashtag")
    add.locator("#deck-arg").fill(f"#{deck_tag}")
    frames.sent.clear()
    _submit(page, add, "Add column")
    column = page.locator("[data-column]").filter(
        has=page.get_by_role("heading", name=f"Hashtag #{deck_tag}", exact=True)
    )
    expect(column).to_be_visible()
    frames.wait_subscribed('"hashtag"', deck_tag)
    page.evaluate("() => { window.stillTheSamePage = true; }")
    deck_url = page.url
    stranger = world.person("deck_poster")
    api.post(api.token(stranger), f"Free decodable readers for the summer term #{deck_tag}")
    expect(column.locator("article.status", has_text="Free decodable readers")).to_be_visible(
        timeout=15_000
    )
    assert page.url == deck_url
    assert page.evaluate("() => window.stillTheSamePage") is True
    screenshot(page, "newcomer-deck")
    contexts.watcher.check()

    # --- JavaScript off: the same person, signing in through the form ----------------------
    plain = contexts.new(javascript=False).new_page()
    sign_in(plain, email)
    plain.goto("/")
    expect(plain.locator("article.status", has_text="phoneme pop")).to_have_count(1)
    expect(plain.locator("article.status", has_text="Any tips for phonics games")).to_have_count(1)

    # Posting from home.
    composer = plain.locator("main form[action='/web/statuses']")
    composer.locator("textarea[name=status]").fill("Trying phoneme pop on Monday, no scripts here")
    _submit(plain, composer, "Post")
    expect(plain.locator("article.status", has_text="Trying phoneme pop on Monday")).to_have_count(
        1
    )

    # Replying to a post from its page.
    with plain.expect_navigation():
        plain.locator("article.status", has_text="phoneme pop").filter(
            has_text=f"@{mentor.username}"
        ).locator(".status-meta a").click()
    assert f"/@{mentor.username}/" in plain.url
    reply_form = plain.locator("#reply form")
    expect(reply_form.locator("textarea[name=status]")).to_have_value(
        re.compile(rf"^@{mentor.username}\b")
    )
    reply_form.locator("textarea[name=status]").fill(
        f"@{mentor.username} thank you, will report back!"
    )
    _submit(plain, reply_form, "Post reply")
    expect(plain.locator(".replies article.status", has_text="will report back")).to_have_count(1)

    # Following and unfollowing from a profile page.
    plain.goto(f"/@{mentor.username}")
    expect(plain.get_by_role("heading", level=1)).to_contain_text(f"@{mentor.username}")
    _submit(plain, plain.locator("main"), f"Following @{mentor.username}: unfollow")
    follow = plain.get_by_role("button", name=f"Follow @{mentor.username}", exact=True)
    expect(follow).to_have_attribute("aria-pressed", "false")
    relation = api.call(
        my_token, "GET", "/api/v1/accounts/relationships", params={"id[]": mentor.id}
    )
    assert relation[0]["following"] is False, relation
    _submit(plain, plain.locator("main"), f"Follow @{mentor.username}")
    expect(
        plain.get_by_role("button", name=f"Following @{mentor.username}: unfollow")
    ).to_have_attribute("aria-pressed", "true")
    relation = api.call(
        my_token, "GET", "/api/v1/accounts/relationships", params={"id[]": mentor.id}
    )
    assert relation[0]["following"] is True, relation
    screenshot(plain, "newcomer-profile")

    # Searching: one word finds the person and her post.
    plain.goto("/search")
    search = plain.get_by_role("search")
    search.get_by_label("Search for people, hashtags and posts").fill(word)
    _submit(plain, search, "Search")
    assert f"q={word}" in plain.url, plain.url
    people = plain.locator("section[aria-labelledby=people-heading]")
    expect(people.get_by_role("link", name=mentor.username)).to_be_visible()
    posts = plain.locator("section[aria-labelledby=posts-heading]")
    expect(
        posts.locator("article.status", has_text="Why I stopped using levelled readers")
    ).to_have_count(1)
    screenshot(plain, "newcomer-search")

    def everything_saved() -> None:
        statuses = api.call(my_token, "GET", f"/api/v1/accounts/{me_id}/statuses")
        texts = " ".join(s["content"] for s in statuses)
        for piece in ("Hello! I", "Any tips for phonics", "Trying phoneme pop", "will report back"):
            assert piece in texts, texts

    eventually(everything_saved)
    contexts.watcher.check()
    assert reason_text.endswith("(3 posts in the last 30 days)"), (
        f"the mentor wrote 3 recent posts with the newcomer's interests, but step 2 says: "
        f"{reason_text!r}"
    )
