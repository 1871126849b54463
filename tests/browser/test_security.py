"""In a real browser: pages run under their Content-Security-Policy without a violation, a
hostile post stays text, the session cookie is out of scripts' reach, and the skip link is
the first stop of the keyboard."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import Contexts, World, sign_in
from tests.browser.test_accessibility import PAGES, open_page

CSP_CASES = [
    pytest.param(name, path, who, id=f"{name}-{who}") for name, path, whom in PAGES for who in whom
]


@pytest.mark.parametrize(("name", "path", "who"), CSP_CASES)
def test_pages_run_under_the_csp_without_violations(
    contexts: Contexts, world: World, name: str, path: str, who: str
) -> None:
    page = open_page(contexts, world, path, who, "en")
    page.wait_for_load_state("networkidle")
    policy = page.evaluate(
        "async () => (await fetch(location.href)).headers.get('content-security-policy')"
    )
    assert policy is not None and "script-src 'self'" in policy, policy
    assert page.evaluate("() => document.scripts.length") >= 1  # the bundle is there
    contexts.watcher.check()


def test_the_watcher_sees_a_csp_violation(contexts: Contexts, world: World) -> None:
    """The check above is live: an injected inline script is refused and reported."""
    page = open_page(contexts, world, "/auth/sign_in", "out", "en")
    page.evaluate(
        """() => { const s = document.createElement('script');
                   s.textContent = 'window.injected = 1'; document.head.append(s); }"""
    )
    page.wait_for_timeout(200)
    assert page.evaluate("() => window.injected") is None
    found = contexts.watcher.take()
    assert any("securitypolicyviolation" in p or "Refused to" in p for p in found), found


HOSTILE = "<script>alert('script')</script> <img src=x onerror=alert('img')> #ELTChat"


def test_a_hostile_post_shows_as_text_and_runs_nothing(contexts: Contexts, world: World) -> None:
    mallory = world.person("mallory")
    status = world.api.post(world.api.token(mallory), HOSTILE)
    dialogs: list[str] = []

    def on_dialog(dialog: Any) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    def look(page: Any, path: str) -> None:
        page.on("dialog", on_dialog)
        response = page.goto(path)
        assert response is not None and response.status == 200
        page.wait_for_load_state("networkidle")
        body = page.locator("article.status .status-body").first
        assert "<script>alert('script')</script>" in body.inner_text()
        assert "<img src=x onerror=alert('img')>" in body.inner_text()
        assert page.locator("img[src='x']").count() == 0
        assert page.locator("script:not([src])").count() == 0

    post_path = f"/@{mallory.username}/{status['id']}"
    look(contexts.page(person=mallory), "/")
    look(contexts.page(person=mallory), post_path)
    look(contexts.page(), post_path)
    assert dialogs == []
    contexts.watcher.check()


def test_the_session_cookie_is_httponly_and_samesite_lax(contexts: Contexts, world: World) -> None:
    context = contexts.new()
    page = context.new_page()
    sign_in(page, world.reader.email, world.reader.password)
    cookies = {c["name"]: c for c in context.cookies()}
    session = cookies["staffroom_session"]
    assert session["httpOnly"] is True
    assert session["sameSite"] == "Lax"
    assert "staffroom_session" not in page.evaluate("() => document.cookie")


@pytest.mark.parametrize("who", ["out", "in"])
def test_tab_reaches_the_skip_link_first_and_it_moves_focus_to_main(
    contexts: Contexts, world: World, who: str
) -> None:
    page = open_page(contexts, world, "/", who, "en")
    page.keyboard.press("Tab")
    focused = page.evaluate("() => document.activeElement.className")
    assert focused == "skip-link", f"the first Tab stop is .{focused}, not the skip link"
    box = page.locator(".skip-link").bounding_box()
    assert box is not None and box["x"] >= 0 and box["width"] > 10, box  # shown when focused
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.activeElement.id === 'main'", timeout=3000)
    assert page.url.endswith("#main")
