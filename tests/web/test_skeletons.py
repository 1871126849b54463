"""The home page filled into a skeleton shared by every viewer (web/skeletons.py) is byte for
byte the page a full rendering gives that viewer: other viewers' names, CSRF tokens and posts
never show, and what the template decides on (older posts, the first-run notice, the default
visibility, the language, an empty timeline) is never taken from another viewer's page."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

import pytest
from starlette.testclient import TestClient

from staffroom.app import create_app
from staffroom.runtime import Runtime
from staffroom.web import render, skeletons
from tests.conftest import BASE_URL, User
from tests.oauth.helpers import form_with_button, sign_in


@pytest.fixture
def browser(client: TestClient, runtime: Runtime) -> Iterator[Callable[[User], TestClient]]:
    """A browser of its own (cookies, CSRF token) per person, signed in; the runtime is the
    one ``client`` started."""
    opened: list[TestClient] = []
    app = create_app(runtime=runtime)

    def open_for(user: User) -> TestClient:
        other = TestClient(app, base_url=BASE_URL)
        opened.append(other)
        sign_in(other, user.email, user.password)
        return other

    yield open_for
    for other in opened:
        other.close()


def _both(client: TestClient, path: str, monkeypatch: pytest.MonkeyPatch, **headers: str) -> str:
    """The page from its skeleton, after checking it equals the full rendering."""
    kept = client.get(path, headers=headers)
    with monkeypatch.context() as patched:
        patched.setattr(render, "_from_skeleton", lambda *args: None)
        full = client.get(path, headers=headers)
    assert kept.status_code == full.status_code == 200
    assert kept.text == full.text
    return kept.text


def _save(client: TestClient, page: str, button: str, **fields: str) -> None:
    form = form_with_button(client.get(page).text, button)
    answer = client.post(form.action, data={**form.fields, **fields}, follow_redirects=False)
    assert answer.status_code == 303, answer.text


def _sign_up(other: TestClient, username: str) -> None:
    """Through the form, as a newcomer: their first-run path is then pending."""
    _save(
        other,
        "/auth/sign_up",
        "Create account",
        username=username,
        email=f"{username}@example.org",
        password="correct horse battery",
        password_confirmation="correct horse battery",
    )


def test_every_viewer_gets_their_own_page_from_a_shared_skeleton(
    client: TestClient,
    runtime: Runtime,
    make_user: Callable[..., User],
    browser: Callable[[User], TestClient],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    skeletons.forget_skeletons()
    ana, ben, cleo = make_user("ana"), make_user("ben"), make_user("cleo")
    for n in range(23):  # more than a page: an "Older posts" link
        client.post("/api/v1/statuses", headers=ana.headers, json={"status": f"Note {n} <b>"})
    client.post(f"/api/v1/accounts/{ana.id}/follow", headers=ben.headers)
    ana_browser, ben_browser, cleo_browser = browser(ana), browser(ben), browser(cleo)
    _save(ana_browser, "/settings/profile", "Save profile", display_name='Ana <i>"&', note="")
    _save(ben_browser, "/settings/profile", "Save profile", display_name="Ben", note="")
    dora_browser = TestClient(create_app(runtime=runtime), base_url=BASE_URL)
    _sign_up(dora_browser, "dora")
    assert "Step 1 of 3" in dora_browser.get("/welcome").text  # started, not finished
    _save(dora_browser, "/@ana", "Follow @ana")

    # ana's and ben's pages have the same shape: ben's is filled into the skeleton of ana's
    ana_page = _both(ana_browser, "/", monkeypatch)
    ben_page = _both(ben_browser, "/", monkeypatch)
    dora_page = _both(dora_browser, "/", monkeypatch)  # the same, but her first run is pending
    cleo_page = _both(cleo_browser, "/", monkeypatch)  # nothing followed: an empty timeline
    older = re.search(r'href="/\?max_id=(\d+)"', ana_page)
    assert older is not None
    ana_older = _both(ana_browser, f"/?max_id={older[1]}", monkeypatch)
    ben_older = _both(ben_browser, f"/?max_id={older[1]}", monkeypatch)
    cleo_spanish = _both(cleo_browser, "/", monkeypatch, **{"Accept-Language": "es"})
    cleo_paged_empty = _both(cleo_browser, "/?max_id=1", monkeypatch)
    _save(ben_browser, "/settings/account", "Save preferences", default_visibility="private")
    ben_private = _both(ben_browser, "/", monkeypatch)
    dora_browser.close()

    assert "Signed in as <strong>@ana</strong>" in ana_page and "@ben" not in ana_page
    assert "Signed in as <strong>@ben</strong>" in ben_page
    assert "Signed in as <strong>@ana</strong>" not in ben_page
    assert "Finish setting up" in dora_page and "Finish setting up" not in ben_page
    assert '<option value="public" selected>' in ben_page
    assert '<option value="private" selected>' in ben_private
    assert ana_page.count("<article") == ben_page.count("<article") == 20
    assert cleo_page.count("<article") == 0 and "Nothing here yet" in cleo_page
    assert "max_id=" not in cleo_page and "Older posts" in ana_page
    assert ana_older.count("<article") == ben_older.count("<article") == 3
    assert "Back to the newest posts" in ben_older
    assert "<h1>Inicio</h1>" in cleo_spanish
    assert "No older posts." in cleo_paged_empty
    tokens = {
        re.findall(r'name="authenticity_token" value="([^"]+)"', page)[0]
        for page in (ana_page, ben_page, cleo_page, dora_page)
    }
    assert len(tokens) == 4  # each browser's own token, though the skeleton is shared


def test_a_page_with_a_draft_is_rendered_in_full(
    client: TestClient, make_user: Callable[..., User], browser: Callable[[User], TestClient]
) -> None:
    """After an error the composer holds the draft: not a key a skeleton can have."""
    dan = make_user("dan")
    dan_browser = browser(dan)
    form = form_with_button(dan_browser.get("/").text, "Post")
    answer = dan_browser.post(
        "/web/statuses", data={**form.fields, "status": "x" * 141, "spoiler_text": "<cw>"}
    )

    assert answer.status_code == 422
    assert "x" * 141 in answer.text and 'value="&lt;cw&gt;"' in answer.text


@pytest.mark.parametrize(
    ("path", "query"),
    [
        ("/", b""),
        ("/a b", b"x=1&y=%20"),
        ("/tags/caf\u00e9", b"q=%E2%9C%93"),
        ("//evil.example", b""),
        ("/x\\y", b"a=b"),
        ("/p%3Fq", b""),
    ],
)
def test_the_pages_own_address_is_read_as_starlette_reads_it(path: str, query: bytes) -> None:
    from starlette.requests import Request

    scope = {
        "type": "http",
        "path": path,
        "query_string": query,
        "headers": [(b"host", b"staff.example")],
        "scheme": "http",
        "server": ("staff.example", 80),
    }
    request = Request(scope)
    url = request.url
    assert render.current_path(request) == url.path + (f"?{url.query}" if url.query else "")
