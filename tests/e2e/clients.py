"""Real clients against a live server: Mastodon.py, the toot CLI, and a scripted browser.

* ``Person`` is an account created the way an admin would (``staffroom createuser``'s
  service) directly in the server's database; clients then log in over HTTP.
* ``masto_login`` gives a Mastodon.py client logged in with the password grant, on a
  validating session.
* ``Toot`` runs the ``toot`` executable (a subprocess, own ``XDG_CONFIG_HOME``) against the
  server's recording proxy.
* ``approve_in_browser`` plays the user in the OAuth authorisation-code flow: it follows the
  authorize URL with httpx, fills the login form, approves the consent form and reads the
  code from the element with ``id="authorization-code"``.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import httpx
from mastodon import Mastodon

from staffroom.db import create_database
from staffroom.services.registration import SignUp, register
from tests.e2e.harness import Conformance, LiveServer

PASSWORD = "correct horse battery staple"
TOOT = shutil.which("toot", path=str(Path(sys.executable).parent)) or "toot"


@dataclass(frozen=True)
class Person:
    """A registered account and its credentials."""

    id: str
    username: str
    email: str
    password: str = PASSWORD


def create_person(server: LiveServer, username: str) -> Person:
    """Register ``username`` in the server's database (as ``staffroom createuser`` does)."""
    db = create_database(server.database_url, pool_size=1)
    try:
        email = f"{username.lower()}@example.org"
        account_id = register(db, SignUp(username=username, email=email, password=PASSWORD))
    finally:
        db.dispose()
    return Person(str(account_id), username, email)


def masto_app(server: LiveServer, conformance: Conformance) -> Mastodon:
    """A Mastodon.py client with a freshly registered app and no user token yet."""
    session = conformance.session()
    client_id, client_secret = Mastodon.create_app(
        "staffroom e2e", api_base_url=server.url, session=session
    )
    return Mastodon(
        client_id=client_id,
        client_secret=client_secret,
        api_base_url=server.url,
        session=session,
        ratelimit_method="throw",
    )


def masto_login(server: LiveServer, conformance: Conformance, person: Person) -> Mastodon:
    """A Mastodon.py client logged in as ``person`` with the password grant."""
    client = masto_app(server, conformance)
    client.log_in(username=person.email, password=person.password, allow_http=True)
    return client


# --- the scripted browser ---------------------------------------------------------------


@dataclass
class _Form:
    action: str
    method: str
    fields: dict[str, str] = field(default_factory=dict)
    kinds: dict[str, str] = field(default_factory=dict)
    buttons: list[tuple[str, str, str]] = field(default_factory=list)  # name, value, label
    hidden: bool = False


class _PageParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.forms: list[_Form] = []
        self.code_parts: list[str] = []
        self.code_value: str | None = None
        self._in_code = 0
        self._button: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if self._in_code:
            self._in_code += 1
        if a.get("id") == "authorization-code":
            if "value" in a:
                self.code_value = a["value"]
            else:
                self._in_code = 1
        if tag == "form":
            form = _Form(a.get("action", ""), a.get("method", "get").lower())
            form.hidden = "hidden" in a  # e.g. the form posts' buttons submit: nobody sees it
            self.forms.append(form)
        elif tag in ("input", "textarea", "select") and self.forms and a.get("name"):
            kind = a.get("type", "text").lower()
            if kind in ("submit", "button", "image"):
                self.forms[-1].buttons.append((a["name"], a.get("value", ""), a.get("value", "")))
            elif kind not in ("checkbox", "radio") or "checked" in a:
                self.forms[-1].fields[a["name"]] = a.get("value", "")
                self.forms[-1].kinds[a["name"]] = kind
        elif tag == "button" and self.forms:
            self._button = [a.get("name", ""), a.get("value", ""), ""]

    def handle_data(self, data: str) -> None:
        if self._in_code:
            self.code_parts.append(data)
        if self._button is not None:
            self._button[2] += data

    def handle_endtag(self, tag: str) -> None:
        if self._in_code:
            self._in_code -= 1
        if tag == "button" and self._button is not None and self.forms:
            name, value, label = self._button
            self.forms[-1].buttons.append((name, value, label.strip()))
            self._button = None

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if self._in_code:
            self._in_code -= 1


def _parse(html: str) -> _PageParser:
    parser = _PageParser()
    parser.feed(html)
    return parser


_DENY = re.compile(r"deny|reject|cancel|decline", re.I)


def _submit(
    browser: httpx.Client, page: httpx.Response, form: _Form, data: dict[str, str]
) -> httpx.Response:
    target = urljoin(str(page.url), form.action or str(page.url))
    return browser.request(form.method.upper(), target, data=data)


def approve_in_browser(authorize_url: str, person: Person) -> str:
    """Log in and approve at ``authorize_url`` like a user would; return the shown code."""
    with httpx.Client(follow_redirects=True, timeout=15) as browser:
        page = browser.get(authorize_url)
        for _ in range(4):
            assert page.status_code == 200, (
                f"GET {page.url} -> {page.status_code}: {page.text[:500]}"
            )
            parsed = _parse(page.text)
            code = parsed.code_value or "".join(parsed.code_parts).strip()
            if code:
                return code
            login = next((f for f in parsed.forms if "password" in f.kinds.values()), None)
            if login is not None:
                data = dict(login.fields)
                for name, kind in login.kinds.items():
                    if kind == "password":
                        data[name] = person.password
                    elif kind in ("email", "text") and not data[name]:
                        data[name] = person.email
                page = _submit(browser, page, login, data)
                continue
            approve = [
                f
                for f in parsed.forms
                if not f.hidden
                and f.fields.get("_method", "post").lower() != "delete"
                and (
                    not f.buttons
                    or any(not _DENY.search(label or value) for _, value, label in f.buttons)
                )
            ]
            assert approve, f"no approve form on {page.url}:\n{page.text[:2000]}"
            data = dict(approve[0].fields)
            for name, value, label in approve[0].buttons:
                if name and not _DENY.search(label or value):
                    data[name] = value
                    break
            page = _submit(browser, page, approve[0], data)
        raise AssertionError(f"no authorization code shown at {page.url}:\n{page.text[:2000]}")


# --- toot ----------------------------------------------------------------------------


class Toot:
    """The ``toot`` CLI with a private config directory, talking to the recording proxy."""

    def __init__(self, server: LiveServer, home: Path) -> None:
        self.server = server
        self.home = home
        self.env = {
            **os.environ,
            "XDG_CONFIG_HOME": str(home),
            "PYTHONUNBUFFERED": "1",
            "COLUMNS": "120",
            "LINES": "100000",
            "NO_COLOR": "1",
        }

    @property
    def url(self) -> str:
        return self.server.proxy.url

    def run(
        self, *args: str, input: str | None = None, ok: bool = True
    ) -> subprocess.CompletedProcess[str]:
        """Run ``toot ARGS``; with ``ok`` a non-zero exit fails the test with the output."""
        done = subprocess.run(
            [TOOT, *args],
            env=self.env,
            input=input if input is not None else "",
            capture_output=True,
            text=True,
            timeout=60,
        )
        if ok:
            assert done.returncode == 0, (
                f"toot {' '.join(args)} exited {done.returncode}\n"
                f"stdout: {done.stdout}\nstderr: {done.stderr}"
            )
        return done

    def json(self, *args: str) -> Any:
        """Run a ``--json`` command and parse its output."""
        return json.loads(self.run(*args, "--json").stdout)

    def login_cli(self, person: Person) -> subprocess.CompletedProcess[str]:
        return self.run(
            "login_cli",
            "--instance",
            self.url,
            "--email",
            person.email,
            "--password",
            person.password,
        )

    def login_browser(self, person: Person) -> subprocess.CompletedProcess[str]:
        """``toot login``: read the URL it prints, approve it, type the code back in."""
        process = subprocess.Popen(
            [TOOT, "login", "--instance", self.url],
            env=self.env,
            text=True,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        assert process.stdout is not None and process.stdin is not None
        url = ""
        while not url:
            line = process.stdout.readline()
            if not line:
                break
            if "/oauth/authorize" in line:
                url = line.strip()
        if not url:
            _, err = process.communicate(timeout=30)
            raise AssertionError(f"toot login printed no URL (exit {process.returncode}): {err}")
        code = approve_in_browser(url, person)
        out, err = process.communicate(f"n\n{code}\n", timeout=60)
        return subprocess.CompletedProcess(process.args, process.returncode, out, err)

    def config(self) -> dict[str, Any]:
        loaded: dict[str, Any] = json.loads((self.home / "toot" / "config.json").read_text())
        return loaded

    def save_config(self, config: dict[str, Any]) -> None:
        (self.home / "toot" / "config.json").write_text(json.dumps(config))
