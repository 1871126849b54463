"""Browser tests: real headless Chromium (Playwright for Python) against a real server process.

* ``world`` is one live server for the session (``tests.e2e.harness.LiveServer``) holding a
  small staffroom made through the API: an author with posts (a hashtag, a link, a reply),
  a reader who follows her, and a registered OAuth app for the consent page.
* ``browser`` is Debian's Chromium (``/usr/bin/chromium``, or ``STAFFROOM_CHROMIUM``)
  launched once; ``contexts`` opens fresh browser contexts for one test (a language,
  signed in or out, JavaScript on or off, CSP bypassed only for axe) and closes them after.
* Every page of a normal context is watched: a Content-Security-Policy violation, a console
  error or an uncaught script error fails the test (``Watcher``).
* ``check_axe(page)`` runs axe-core (``tests/browser/node_modules``, installed by
  ``scripts/test`` with ``npm ci``) and fails on any serious or critical violation.
* ``screenshot(page, name)`` writes desktop (1280x800) and phone (390x844) captures to
  ``test-artifacts/screenshots/``.

A missing Chromium or axe-core fails the run: these tests are never skipped.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Generator, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, cast

import httpx
import pytest
from sqlalchemy import update

from staffroom.db.engine import create_database
from staffroom.db.tables import users
from staffroom.runtime import Runtime
from staffroom.services import directory, event_topics, trends
from staffroom.services.directory_fields import DEFAULT_FIELDS
from staffroom.services.events import EventDraft, create_event
from tests.browser.wall_events import make_wall_event
from tests.conftest import DatabaseFactory
from tests.e2e.clients import PASSWORD, Person, create_person
from tests.e2e.harness import LiveServer, eventually
from tests.media import images

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
AXE_JS = HERE / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = os.environ.get("STAFFROOM_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = ROOT / "test-artifacts" / "screenshots"
DOCS_SCREENSHOTS = ROOT / "docs" / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
LANGUAGES = ("en", "es")
TAG = "ELTChat"
_names = itertools.count(1)
_SERVER = pytest.StashKey[LiveServer]()


def _missing_tools() -> list[str]:
    problems = []
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        problems.append(
            f"Chromium is not installed at {CHROMIUM} (Debian: apt-get install chromium; "
            "scripts/test installs it)"
        )
    if not AXE_JS.is_file():
        problems.append(
            f"axe-core is missing ({AXE_JS.relative_to(ROOT)}): run `npm ci --prefix tests/browser`"
            " (scripts/test does)"
        )
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        problems.append("the playwright package is missing: pip install -e '.[test]'")
    return problems


@pytest.fixture(scope="session", autouse=True)
def _browser_tools() -> None:
    """Fail, never skip, when Chromium, axe-core or Playwright is missing."""
    problems = _missing_tools()
    if problems:
        pytest.fail(
            "The browser tests need tools that are missing:\n  " + "\n  ".join(problems),
            pytrace=False,
        )


# --- the server and its people -------------------------------------------------------------


class Api:
    """A tiny Mastodon API client (httpx) for arranging what the browser then looks at."""

    def __init__(self, server: LiveServer) -> None:
        self.url = server.url
        app = httpx.post(
            f"{self.url}/api/v1/apps",
            json={
                "client_name": "Browser tests",
                "redirect_uris": "https://client.example/callback",
                "scopes": "read write follow push",
            },
            timeout=10,
        )
        app.raise_for_status()
        self.app: dict[str, Any] = app.json()

    def token(self, person: Person) -> str:
        answer = httpx.post(
            f"{self.url}/oauth/token",
            data={
                "grant_type": "password",
                "username": person.email,
                "password": person.password,
                "client_id": self.app["client_id"],
                "client_secret": self.app["client_secret"],
                "scope": "read write follow push",
            },
            timeout=10,
        )
        answer.raise_for_status()
        raw: str = answer.json()["access_token"]
        return raw

    def call(self, token: str, method: str, path: str, **kwargs: Any) -> Any:
        answer = httpx.request(
            method,
            f"{self.url}{path}",
            headers={"Authorization": f"Bearer {token}"},
            timeout=10,
            **kwargs,
        )
        assert answer.status_code == 200, f"{method} {path} -> {answer.status_code} {answer.text}"
        return answer.json()

    def post(self, token: str, text: str, **extra: Any) -> dict[str, Any]:
        status: dict[str, Any] = self.call(
            token, "POST", "/api/v1/statuses", json={"status": text, **extra}
        )
        return status


@dataclass
class World:
    """The session's server and what lives on it."""

    server: LiveServer
    api: Api
    author: Person
    reader: Person
    author_token: str
    reader_token: str
    post_id: str
    authorize_query: str
    scheduled_id: str = ""
    reader_post_id: str = ""  # the reader's post with two images, edited once
    pack_id: str = ""  # the reader's starter pack, with the author in it
    topic_event_id: str = ""  # an event the reader hosts, its topic call open with proposals
    wall_event_id: str = ""  # an event on #ELTChat running now, hosted by the reader
    event_id: str = ""  # the next chat of the author's weekly series, the reader going
    series_id: str = ""
    tokens: dict[str, str] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return self.server.url

    def person(self, name: str) -> Person:
        """A new account with a unique username (``name`` + a number)."""
        return create_person(self.server, f"{name}{next(_names)}")

    def values(self) -> dict[str, str]:
        """What page paths in the tests' tables may mention: ``{author}``, ``{post_id}``..."""
        return {
            "author": self.author.username,
            "reader": self.reader.username,
            "post_id": self.post_id,
            "tag": TAG,
            "authorize_query": self.authorize_query,
            "scheduled_id": self.scheduled_id,
            "reader_post_id": self.reader_post_id,
            "pack_id": self.pack_id,
            "topic_event_id": self.topic_event_id,
            "wall_event_id": self.wall_event_id,
            "event_id": self.event_id,
            "series_id": self.series_id,
        }


_POSTS = [
    "Exit tickets today: three words on a sticky note on the way out. Quickest formative "
    "check I know. #ELTChat https://example.org/exit-tickets",
    "Tonight's #ELTChat topic: feedback that students actually read. Join at 8pm GMT; bring "
    "one thing that worked this term.",
    "Reading list for new teachers, short and practical: https://example.org/reading "
    "#lrnchat #ELTChat",
]


def _refresh_trends(database_url: str) -> None:
    """What the server's ``refresh_trends`` job does every five minutes, now."""
    db = create_database(database_url, pool_size=1)
    try:
        db.write(trends.refresh)
    finally:
        db.dispose()


def _make_series(database_url: str, host_id: int, reader_id: int) -> tuple[str, str]:
    """The author's weekly chat series (not announced), co-hosted by the reader, who is
    going to its first chat."""
    from staffroom.services import event_rsvps
    from staffroom.services.events import EventDraft, create_series

    draft = EventDraft(
        title="ELTChat",
        hashtag="ELTChat",
        time_zone="Europe/London",
        start_local=(datetime.now() + timedelta(days=2)).replace(hour=20, minute=0, microsecond=0),
        description="The weekly chat for English language teachers.",
    )
    db = create_database(database_url, pool_size=1)
    try:

        def make(conn: Any) -> tuple[str, str]:
            no_runtime: Any = None  # not announced: no post, so no runtime needed
            series_id, event_id = create_series(
                conn, no_runtime, host_id, draft, "weekly", host_ids=[reader_id], announce=False
            )
            event_rsvps.going(conn, reader_id, event_id, remind_minutes=60)
            return str(series_id), str(event_id)

        return db.write(make)
    finally:
        db.dispose()


def _make_admin(database_url: str, account_id: int) -> None:
    db = create_database(database_url, pool_size=1)
    try:
        db.write(
            lambda conn: conn.execute(
                update(users).where(users.c.account_id == account_id).values(admin=True)
            )
        )
    finally:
        db.dispose()


def _topic_event(database_url: str, host_id: int, proposer_id: int) -> int:
    """An event the host runs in a week, its topic call open, two proposals, one shortlisted
    (the topic page with its host forms)."""
    db = create_database(database_url, pool_size=1)
    start = (datetime.now(UTC) + timedelta(days=7)).replace(tzinfo=None, second=0, microsecond=0)
    draft = EventDraft(title="ELTChat", hashtag="ELTChat", time_zone="UTC", start_local=start)

    def make(conn: Any) -> int:
        # Not announced: create_event then never touches the runtime.
        event_id = create_event(conn, cast(Runtime, None), host_id, draft, announce=False)
        event_topics.open_call(conn, host_id, event_id)
        first, _ = event_topics.propose(conn, proposer_id, event_id, "Feedback on writing")
        event_topics.propose(conn, host_id, event_id, "Songs in class")
        event_topics.set_shortlist(conn, host_id, event_id, [first])
        return event_id

    try:
        return db.write(make)
    finally:
        db.dispose()


def _list_in_directory(database_url: str, account_id: int) -> None:
    """The author in the directory (its page and her profile show her fields)."""
    db = create_database(database_url, pool_size=1)
    try:
        db.write(
            directory.save_entry,
            DEFAULT_FIELDS,
            account_id,
            listed=True,
            values={
                "subject": ["elt"],
                "level": ["secondary"],
                "country": ["ES"],
                "languages": ["en", "es"],
                "role": ["teacher"],
            },
            why_follow="Exit tickets, feedback and #ELTChat every week",
        )
    finally:
        db.dispose()


@pytest.fixture(scope="session")
def world(
    database_factory: DatabaseFactory, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[World]:
    """One live server for the session, with an author, a reader who follows her, posts."""
    server = LiveServer.start(database_factory.fresh(), tmp_path_factory.mktemp("browser-server"))
    try:
        api = Api(server)
        author = create_person(server, "ana_rivera")
        reader = create_person(server, "ben_okafor")
        author_token, reader_token = api.token(author), api.token(reader)
        api.call(reader_token, "POST", f"/api/v1/accounts/{author.id}/follow")
        _list_in_directory(server.database_url, int(author.id))
        posts = [api.post(author_token, text) for text in _POSTS]
        first = posts[0]
        photo = api.call(
            author_token,
            "POST",
            "/api/v1/media",
            files={"file": ("corner.jpg", images.jpeg(800, 600), "image/jpeg")},
            data={"description": "Beanbags under a shelf of picture books"},
        )
        api.post(author_token, "Our new reading corner", media_ids=[photo["id"]])
        api.post(reader_token, "Stealing this for Monday, thank you!", in_reply_to_id=first["id"])
        # Polls: one open to vote in (the form), one the reader voted in (the results).
        api.post(
            author_token,
            "Next week's #ELTChat topic?",
            poll={"options": ["Drama games", "Minimal pairs"], "expires_in": 86400},
        )
        voted = api.post(
            author_token,
            "Homework on Fridays?",
            poll={"options": ["Yes", "No", "Only reading"], "expires_in": 86400, "multiple": True},
        )
        api.call(
            reader_token,
            "POST",
            f"/api/v1/polls/{voted['poll']['id']}/votes",
            json={"choices": [0, 2]},
        )
        # A direct conversation between the two (the conversations page).
        api.post(
            author_token,
            f"@{reader.username} could you cover my Year 9 class on Friday?",
            visibility="direct",
        )

        # The reader's scheduled post (the page that changes one).
        scheduled = api.call(
            reader_token,
            "POST",
            "/api/v1/statuses",
            json={"status": "Reminder: #ELTChat tonight", "scheduled_at": "2099-01-01T20:00:00Z"},
        )
        shots = [
            api.call(
                reader_token,
                "POST",
                "/api/v1/media",
                files={"file": (f"{n}.png", images.png(), "image/png")},
                data={"description": alt},
            )
            for n, alt in enumerate(("A seating plan", ""))
        ]
        own = api.post(reader_token, "Seating plans", media_ids=[m["id"] for m in shots])
        api.call(
            reader_token,
            "PUT",
            f"/api/v1/statuses/{own['id']}",
            json={
                "status": "Seating plans for Monday",
                "media_ids": [shots[0]["id"]],
                "media_attributes": [{"id": shots[0]["id"], "description": "A seating plan, v2"}],
            },
        )
        # A group of favourites (the notifications page's grouped sentence and avatars) and a
        # stranger's private mention, held back by the default policy (the requests page).
        for name in ("chloe_martin", "dev_patel"):
            fan = create_person(server, name)
            api.call(api.token(fan), "POST", f"/api/v1/statuses/{own['id']}/favourite")
        api.call(author_token, "POST", f"/api/v1/statuses/{own['id']}/favourite")
        stranger = create_person(server, "eli_stranger")
        api.post(
            api.token(stranger),
            f"@{reader.username} may I borrow your seating plans?",
            visibility="direct",
        )

        # Trends (the Explore page and its review): five more teachers share a hashtag and a
        # link and favourite the first post; the reader features the author and the tag and
        # is the admin who reviews trends.
        for n in range(5):
            colleague = create_person(server, f"colleague_{n}")
            token = api.token(colleague)
            api.post(token, "Trying this today https://example.org/exit-tickets #ELTChat")
            api.call(token, "POST", f"/api/v1/statuses/{first['id']}/favourite")
        api.call(reader_token, "POST", f"/api/v1/accounts/{author.id}/endorse")
        api.call(reader_token, "POST", "/api/v1/tags/ELTChat/feature")
        _make_admin(server.database_url, int(reader.id))

        def trending() -> None:
            _refresh_trends(server.database_url)
            assert api.call(reader_token, "GET", "/api/v1/trends/tags"), "nothing trends yet"

        eventually(trending)

        def delivered() -> None:
            home = api.call(reader_token, "GET", "/api/v1/timelines/home")
            assert len(home) >= len(_POSTS) + 4, home

        eventually(delivered)
        # A starter pack (its pages): the reader's, with the author in it for a reason.
        pack = api.call(
            reader_token,
            "POST",
            "/api/v1/collections",
            json={"name": "ELT people", "description": "Teachers worth following"},
        )["collection"]
        api.call(
            reader_token,
            "POST",
            f"/api/v1/collections/{pack['id']}/items",
            json={"account_id": str(author.id), "reason": "Runs #ELTChat on Wednesdays"},
        )
        topic_event = _topic_event(server.database_url, int(reader.id), int(author.id))
        # An event on the hashtag, running now (the wall and Q&A pages), hosted by the reader.
        wall_event_id = make_wall_event(
            server.database_url,
            int(reader.id),
            TAG,
            question=(int(author.id), "How do you get students to act on feedback?"),
        )
        series_id, event_id = _make_series(server.database_url, int(author.id), int(reader.id))
        query = httpx.QueryParams(
            {
                "response_type": "code",
                "client_id": api.app["client_id"],
                "redirect_uri": "https://client.example/callback",
                "scope": "read write follow",
            }
        )
        yield World(
            server,
            api,
            author,
            reader,
            author_token,
            reader_token,
            first["id"],
            str(query),
            scheduled_id=scheduled["id"],
            reader_post_id=own["id"],
            pack_id=pack["id"],
            topic_event_id=str(topic_event),
            wall_event_id=wall_event_id,
            event_id=event_id,
            series_id=series_id,
        )
    finally:
        server.stop()


@pytest.fixture(autouse=True)
def _server_log_on_failure(request: pytest.FixtureRequest) -> None:
    """Remember the server so a failed test's report can carry its log."""
    if "world" in request.fixturenames:
        world: World = request.getfixturevalue("world")
        request.node.stash[_SERVER] = world.server


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report = yield
    server = item.stash.get(_SERVER, None)
    if report.failed and server is not None:
        report.sections.append(("staffroom server log (tail)", server.log(tail=6000)))
    return report


# --- the browser ---------------------------------------------------------------------------


@pytest.fixture(scope="package")
def browser(_browser_tools: None) -> Iterator[Any]:
    """Headless Debian Chromium, launched once for these tests.

    Package scope, not session: Playwright's sync API keeps an event loop running in the
    main thread while it is open, and the tests collected after these ones (``asyncio.run``
    in tests/db, tests/events, tests/streaming) would fail if it stayed open to the end."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


_WATCH_SCRIPT = """
document.addEventListener('securitypolicyviolation', (e) => {
  console.error('securitypolicyviolation: ' + e.violatedDirective + ' blocked ' +
                (e.blockedURI || '(inline)') + ' at ' + e.sourceFile + ':' + e.lineNumber);
});
"""


@dataclass
class Watcher:
    """Console errors, CSP violations and uncaught errors seen by a context's pages."""

    problems: list[str] = field(default_factory=list)

    def attach(self, page: Any) -> None:
        def on_console(message: Any) -> None:
            if message.type == "error":
                self.problems.append(f"console error on {page.url}: {message.text}")

        def on_error(error: Any) -> None:
            self.problems.append(f"uncaught error on {page.url}: {error}")

        page.on("console", on_console)
        page.on("pageerror", on_error)

    def take(self) -> list[str]:
        found, self.problems = self.problems, []
        return found

    def check(self) -> None:
        found = self.take()
        if found:
            pytest.fail(
                f"{len(found)} console/CSP problem(s):\n  " + "\n  ".join(found), pytrace=False
            )


@dataclass
class Contexts:
    """Opens browser contexts for one test; ``watcher`` sees every normal context's pages."""

    browser: Any
    world: World
    states: dict[str, Any]
    watcher: Watcher = field(default_factory=Watcher)
    opened: list[Any] = field(default_factory=list)

    def new(
        self,
        *,
        lang: str = "en",
        person: Person | None = None,
        bypass_csp: bool = False,
        javascript: bool = True,
        viewport: dict[str, int] | None = None,
        timezone_id: str | None = None,
    ) -> Any:
        """A fresh context: ``person`` signed in (through the form, once per session)."""
        options: dict[str, Any] = {
            "base_url": self.world.url,
            "locale": lang,
            "extra_http_headers": {"Accept-Language": lang},
            "viewport": viewport or DESKTOP,
            "java_script_enabled": javascript,
            "bypass_csp": bypass_csp,
        }
        if timezone_id is not None:
            options["timezone_id"] = timezone_id
        if person is not None:
            options["storage_state"] = self.signed_in_state(person)
        context = self.browser.new_context(**options)
        context.set_default_timeout(15_000)
        self.opened.append(context)
        if not bypass_csp:
            context.add_init_script(_WATCH_SCRIPT)
            context.on("page", self.watcher.attach)
        return context

    def page(self, **options: Any) -> Any:
        return self.new(**options).new_page()

    def signed_in_state(self, person: Person) -> Any:
        if person.username not in self.states:
            context = self.browser.new_context(base_url=self.world.url)
            try:
                page = context.new_page()
                sign_in(page, person.email, person.password)
                self.states[person.username] = context.storage_state()
            finally:
                context.close()
        return self.states[person.username]

    def close(self) -> None:
        for context in self.opened:
            context.close()
        self.opened.clear()


@pytest.fixture(scope="session")
def _signed_in_states() -> dict[str, Any]:
    return {}


@pytest.fixture
def contexts(browser: Any, world: World, _signed_in_states: dict[str, Any]) -> Iterator[Contexts]:
    """Fresh contexts for this test; any console/CSP problem left unchecked fails it."""
    opened = Contexts(browser, world, _signed_in_states)
    yield opened
    opened.close()
    opened.watcher.check()


# --- helpers -------------------------------------------------------------------------------


def sign_up(page: Any, username: str, email: str, password: str = PASSWORD) -> None:
    """Create an account through the sign-up form (works without JavaScript)."""
    page.goto("/auth/sign_up")
    form = page.locator("form[action='/auth/sign_up']")
    form.locator("#field-username").fill(username)
    form.locator("#field-email").fill(email)
    form.locator("#field-password").fill(password)
    form.locator("#field-password_confirmation").fill(password)
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    assert page.locator("body[data-signed-in]").count() == 1, page.content()[:3000]


def sign_in(page: Any, email: str, password: str = PASSWORD) -> None:
    """Sign in through the sign-in form."""
    page.goto("/auth/sign_in")
    form = page.locator("form[action='/auth/sign_in']")
    form.locator("#field-email").fill(email)
    form.locator("#field-password").fill(password)
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    assert page.locator("body[data-signed-in]").count() == 1, page.content()[:3000]


_SERIOUS = ("serious", "critical")


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """axe-core's serious and critical violations on the page (needs a bypass_csp context)."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.add_script_tag(content=AXE_JS.read_text(encoding="utf-8"))
    found: list[dict[str, Any]] = page.evaluate(
        "() => axe.run(document, {resultTypes: ['violations']}).then((r) => r.violations)"
    )
    return [v for v in found if v.get("impact") in _SERIOUS]


def describe_violations(violations: list[dict[str, Any]]) -> str:
    lines = []
    for violation in violations:
        lines.append(
            f"- [{violation['impact']}] {violation['id']}: {violation['help']} "
            f"({violation['helpUrl']})"
        )
        for node in violation["nodes"][:8]:
            target = " ".join(str(t) for t in node.get("target", []))
            summary = " ".join(str(node.get("failureSummary", "")).split())
            lines.append(f"    at {target}: {node.get('html', '')[:160]}")
            if summary:
                lines.append(f"      {summary[:400]}")
        if len(violation["nodes"]) > 8:
            lines.append(f"    ... and {len(violation['nodes']) - 8} more")
    return "\n".join(lines)


def check_axe(page: Any) -> None:
    """Fail listing every serious or critical axe-core violation on the page."""
    violations = axe_violations(page)
    if violations:
        pytest.fail(
            f"axe-core: {len(violations)} serious/critical violation(s) on {page.url}:\n"
            + describe_violations(violations),
            pytrace=False,
        )


def screenshot(page: Any, name: str) -> list[Path]:
    """Full-page captures at desktop and phone width in ``test-artifacts/screenshots/``."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    before = page.viewport_size or DESKTOP
    written = []
    for label, size in (("desktop", DESKTOP), ("phone", PHONE)):
        page.set_viewport_size(size)
        path = ARTIFACTS / f"{name}-{label}.png"
        page.screenshot(path=str(path), full_page=True)
        written.append(path)
    page.set_viewport_size(before)
    return written


def publish_screenshots(page: Any, name: str) -> None:
    """With STAFFROOM_UPDATE_SCREENSHOTS=1, write the whole page at desktop width and its
    first screen at phone width to ``docs/screenshots/<name>-desktop.png`` and ``-phone.png``
    (for the README)."""
    if os.environ.get("STAFFROOM_UPDATE_SCREENSHOTS") != "1":
        return
    DOCS_SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    before = page.viewport_size or DESKTOP
    for label, size in (("desktop", DESKTOP), ("phone", PHONE)):
        page.set_viewport_size(size)
        path = DOCS_SCREENSHOTS / f"{name}-{label}.png"
        page.screenshot(path=str(path), full_page=label == "desktop")
    page.set_viewport_size(before)


# --- live pages ------------------------------------------------------------------------------


@dataclass
class StreamFrames:
    """What a page's WebSockets sent (subscribe messages), recorded from before it loads."""

    page: Any
    sent: list[str] = field(default_factory=list)
    received: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        def on_socket(socket: Any) -> None:
            socket.on("framesent", lambda payload: self.sent.append(str(payload)))
            socket.on("framereceived", lambda payload: self.received.append(str(payload)))

        self.page.on("websocket", on_socket)

    def wait_subscribed(self, *needles: str, timeout: float = 15.0) -> None:
        """Wait until a subscribe message containing every needle has been sent (the page's
        stream is live: the server handles a socket's messages in order, and a post's
        fan-out runs in a background job after the API call returns)."""
        import time

        deadline = time.monotonic() + timeout
        while not any(
            '"subscribe"' in frame and all(n in frame for n in needles) for frame in self.sent
        ):
            assert time.monotonic() < deadline, (
                f"no subscribe frame with {needles} was sent; sent: {self.sent}"
            )
            self.page.wait_for_timeout(50)  # lets Playwright deliver the socket's events


def watch_stream(page: Any) -> StreamFrames:
    """Record ``page``'s WebSocket frames; call before ``page.goto``."""
    return StreamFrames(page)
