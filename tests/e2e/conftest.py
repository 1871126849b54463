"""Fixtures for end-to-end tests: a live server process, validated clients, people.

``server`` is a session-wide live server (accounts are unique per test, so tests do not see
each other's people); ``isolated_server`` is a brand-new one for tests that assert on
instance-wide state such as the public timeline. Every JSON response any client receives
is validated against the Mastodon OpenAPI description; a test with schema violations
errors at teardown, listing each request and response. A failing test's report carries
the server log and the HTTP exchanges it made.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Generator, Iterator
from pathlib import Path

import pytest
from mastodon import Mastodon

from tests.conftest import DatabaseFactory
from tests.e2e.clients import Person, Toot, create_person, masto_login
from tests.e2e.harness import Conformance, LiveServer

_names = itertools.count(1)
_LOG_START = pytest.StashKey[dict[str, int]]()


def _note_log_start(request: pytest.FixtureRequest, server: LiveServer) -> None:
    request.node.stash.setdefault(_LOG_START, {})[server.url] = server.log_size()


@pytest.fixture(scope="session")
def live_server(
    database_factory: DatabaseFactory, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveServer]:
    """``python -m staffroom serve`` on a fresh migrated database, shared by the session."""
    server = LiveServer.start(database_factory.fresh(), tmp_path_factory.mktemp("server"))
    yield server
    server.stop()


@pytest.fixture
def conformance() -> Iterator[Conformance]:
    """Collects schema violations; the test errors at teardown if there are any."""
    log = Conformance()
    yield log
    if log.failures:
        pytest.fail(
            f"{len(log.failures)} response(s) do not match the Mastodon OpenAPI description:\n\n"
            + "\n\n".join(log.failures),
            pytrace=False,
        )


@pytest.fixture
def server(
    request: pytest.FixtureRequest, live_server: LiveServer, conformance: Conformance
) -> Iterator[LiveServer]:
    """The shared live server, with toot's proxy reporting to this test's log."""
    _note_log_start(request, live_server)
    live_server.proxy.sink = conformance
    yield live_server
    live_server.proxy.sink = None


@pytest.fixture
def isolated_server(
    database_factory: DatabaseFactory, tmp_path: Path, conformance: Conformance
) -> Iterator[LiveServer]:
    """A live server of this test's own (empty instance)."""
    server = LiveServer.start(database_factory.fresh(), tmp_path / "server")
    server.proxy.sink = conformance
    yield server
    server.stop()


@pytest.fixture
def target(request: pytest.FixtureRequest) -> LiveServer:
    """The server this test talks to: ``isolated_server`` if it asked for one, else ``server``."""
    name = "isolated_server" if "isolated_server" in request.fixturenames else "server"
    found: LiveServer = request.getfixturevalue(name)
    return found


@pytest.fixture
def person(target: LiveServer) -> Callable[[str], Person]:
    """``person("alice")`` registers a unique account (``alice7``) on the test's server."""

    def make(name: str) -> Person:
        return create_person(target, f"{name}{next(_names)}")

    return make


@pytest.fixture
def masto(target: LiveServer, conformance: Conformance) -> Callable[[Person], Mastodon]:
    """``masto(someone)``: Mastodon.py logged in as someone (password grant)."""

    def make(someone: Person) -> Mastodon:
        return masto_login(target, conformance, someone)

    return make


@pytest.fixture
def toot(target: LiveServer, tmp_path: Path) -> Callable[[Person], Toot]:
    """``toot(someone)``: the toot CLI logged in as someone (``toot login_cli``)."""

    logged_in: dict[str, Toot] = {}

    def make(someone: Person) -> Toot:
        if someone.username not in logged_in:
            cli = Toot(target, tmp_path / f"toot-{someone.username}")
            cli.login_cli(someone)
            logged_in[someone.username] = cli
        return logged_in[someone.username]

    return make


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """Attach the server log and the test's HTTP exchanges to failed reports."""
    report = yield
    if report.failed:
        funcargs = getattr(item, "funcargs", {})
        for value in {id(v): v for v in funcargs.values()}.values():
            if isinstance(value, LiveServer):
                since = item.stash.get(_LOG_START, {}).get(value.url, 0)
                log = value.log(since) or "(nothing logged during this test)"
                report.sections.append((f"staffroom server log ({value.url})", log))
            if isinstance(value, Conformance) and value.exchanges:
                report.sections.append(("HTTP exchanges", "\n".join(value.exchanges[-80:])))
    return report
