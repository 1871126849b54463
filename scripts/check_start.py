"""Prove the README's start command on a clean copy, as a newcomer would run it.

Copies the checkout's files (tracked and untracked, not ignored: no .venv, no data) into a
temporary folder, then, with a Python that has never seen the project:

1. runs ``./scripts/start --demo --port P`` exactly as the README says (a fresh .venv with no
   extras), waits for its last lines (the address and the demo logins), for the home page
   and for ``/api/v1/instance``, and signs in over the API with the printed login;
2. checks that the fresh environment has neither optional client (redis, psycopg), that
   ``staffroom --help`` and ``staffroom migrate`` work there, and that asking for Redis or
   PostgreSQL without its extra, or for a port in use, fails in one line, not a traceback;
3. stops the server, starts it again and checks that the second start installs nothing and
   is quick.

Any step that does not happen fails the run (exit 1); nothing is skipped. Run it with a
Python that has httpx (the test environment): ``.venv/bin/python scripts/check_start.py``.
``PYTHON`` picks the interpreter handed to ``scripts/start`` (default ``python3``).
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
FIRST_START_TIMEOUT = 900.0  # a fresh install from the package index
SECOND_START_LIMIT = 30.0  # no install: migrations are current, the demo is already there
PIP_NOISE = ("Collecting ", "Downloading ", "Requirement already", "Successfully installed")


class CheckFailed(AssertionError):
    pass


def check(condition: object, message: str) -> None:
    if not condition:
        raise CheckFailed(message)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def copy_checkout(dest: Path) -> None:
    """Copy what a clone of this checkout would hold, with uncommitted edits included."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        check=True,
        capture_output=True,
    ).stdout.decode()
    for name in filter(None, listed.split("\0")):
        source = ROOT / name
        if not source.is_file():
            continue  # deleted but not yet committed
        target = dest / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target)


def clean_env() -> dict[str, str]:
    """This environment without the test suite's settings or an active virtualenv."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("STAFFROOM_") and key not in ("VIRTUAL_ENV", "PYTHONPATH")
    }
    venv_bin = str(ROOT / ".venv" / "bin")
    env["PATH"] = os.pathsep.join(p for p in env.get("PATH", "").split(os.pathsep) if p != venv_bin)
    return env


class Started:
    """``./scripts/start`` in its own process group, its output collected line by line."""

    def __init__(self, workdir: Path, args: list[str], env: dict[str, str]) -> None:
        self.lines: list[str] = []
        self.eof = False
        self._changed = threading.Condition()
        self.began = time.monotonic()
        self.proc = subprocess.Popen(
            ["./scripts/start", *args],
            cwd=workdir,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            with self._changed:
                self.lines.append(line.rstrip("\n"))
                self._changed.notify_all()
        with self._changed:
            self.eof = True
            self._changed.notify_all()

    def wait_for_line(self, needle: str, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        with self._changed:
            while not any(needle in line for line in self.lines):
                left = deadline - time.monotonic()
                if self.eof:
                    raise CheckFailed(
                        f"./scripts/start exited ({self.proc.wait()}) before printing "
                        f"{needle!r}:\n{self.output()}"
                    )
                if left <= 0:
                    raise CheckFailed(f"no {needle!r} within {timeout:.0f} s:\n{self.output()}")
                self._changed.wait(min(left, 1.0))

    def output(self) -> str:
        return "\n".join(self.lines)

    def stop(self) -> int:
        """Ctrl+C, as a person stops it; the server must exit by itself within 20 s."""
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGINT)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
                raise CheckFailed("the server did not stop within 20 s of Ctrl+C") from None
        return self.proc.returncode


def check_last_lines(started: Started) -> dict[str, str]:
    """The output ends with the address and the demo logins; pip stays quiet."""
    lines = [line for line in started.lines if line.strip()]
    noisy = [line for line in lines if line.startswith(PIP_NOISE)]
    check(not noisy, f"pip's output leaked into the start output: {noisy[:3]}")
    tail = lines[-5:]
    check(len(tail) == 5, f"too little output:\n{started.output()}")
    address = re.match(r"Staffroom is running at (\S+)", tail[0])
    admin = re.match(r"Admin login: (\S+) / (\S+)$", tail[3])
    check(address, f"the address is not among the last lines:\n{started.output()}")
    check("password is:" in tail[1], f"the demo password is not printed:\n{started.output()}")
    check(admin, f"the admin login is not among the last lines:\n{started.output()}")
    check(tail[4].startswith("Press Ctrl+C"), f"unexpected last line: {tail[4]!r}")
    assert address and admin
    return {"url": address.group(1), "email": admin.group(1), "password": admin.group(2)}


def wait_until_answering(url: str) -> None:
    deadline = time.monotonic() + 30
    while True:
        try:
            home = httpx.get(url + "/", timeout=5, follow_redirects=True)
            instance = httpx.get(url + "/api/v1/instance", timeout=5)
            break
        except httpx.TransportError:
            check(time.monotonic() < deadline, f"{url} does not answer")
            time.sleep(0.2)
    check(home.status_code == 200, f"home page answered {home.status_code}")
    check("text/html" in home.headers.get("content-type", ""), "the home page is not HTML")
    check(instance.status_code == 200, f"/api/v1/instance answered {instance.status_code}")
    check(instance.json().get("uri"), "/api/v1/instance has no uri")


def sign_in(url: str, email: str, password: str) -> None:
    """Register an app, take a token with the printed login, read who we are and home."""
    app = httpx.post(
        url + "/api/v1/apps",
        json={
            "client_name": "check_start",
            "redirect_uris": "urn:ietf:wg:oauth:2.0:oob",
            "scopes": "read write",
        },
        timeout=10,
    )
    check(app.status_code == 200, f"POST /api/v1/apps answered {app.status_code}: {app.text}")
    token = httpx.post(
        url + "/oauth/token",
        data={
            "grant_type": "password",
            "client_id": app.json()["client_id"],
            "client_secret": app.json()["client_secret"],
            "username": email,
            "password": password,
            "scope": "read write",
        },
        timeout=10,
    )
    check(token.status_code == 200, f"sign-in with the printed login failed: {token.text}")
    headers = {"Authorization": f"Bearer {token.json()['access_token']}"}
    me = httpx.get(url + "/api/v1/accounts/verify_credentials", headers=headers, timeout=10)
    check(me.status_code == 200, f"verify_credentials answered {me.status_code}")
    home = httpx.get(url + "/api/v1/timelines/home", headers=headers, timeout=10)
    check(home.status_code == 200 and home.json(), "the demo admin's home timeline is empty")
    print(f"ok - signed in as @{me.json()['username']}; home has {len(home.json())} posts")


def run_staffroom(
    workdir: Path, args: list[str], env: dict[str, str]
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(workdir / ".venv" / "bin" / "staffroom"), *args],
        cwd=workdir,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        stdin=subprocess.DEVNULL,
    )


def check_fresh_environment(workdir: Path, env: dict[str, str], scratch: Path) -> None:
    python = str(workdir / ".venv" / "bin" / "python")
    for module in ("redis", "psycopg"):
        probe = subprocess.run([python, "-c", f"import {module}"], capture_output=True, check=False)
        check(probe.returncode != 0, f"{module} is installed: the start command installed extras")
    print("ok - the start environment has no optional extra (no redis, no psycopg)")

    shown = run_staffroom(workdir, ["--help"], env)
    check(shown.returncode == 0 and "serve" in shown.stdout, f"staffroom --help: {shown.stderr}")
    migrated = run_staffroom(workdir, ["migrate"], {**env, "STAFFROOM_DATA_DIR": str(scratch)})
    check(migrated.returncode == 0, f"staffroom migrate failed:\n{migrated.stderr}")
    check((scratch / "staffroom.sqlite3").is_file(), "staffroom migrate made no database")
    print("ok - staffroom --help and staffroom migrate work without extras")

    cases = {
        "redis": {"STAFFROOM_REDIS_URL": "redis://127.0.0.1:6379/13"},
        "postgresql": {"STAFFROOM_DATABASE_URL": "postgresql://postgres@127.0.0.1:5432/test"},
    }
    for extra, settings in cases.items():
        for command in (["serve", "--port", str(free_port())], ["migrate"], ["worker"]):
            result = run_staffroom(workdir, command, {**env, **settings})
            said = result.stderr.strip().splitlines()
            check(result.returncode != 0, f"staffroom {command[0]} with {settings} exited 0")
            check(
                len(said) == 1 and f"pip install 'staffroom[{extra}]'" in said[0],
                f"staffroom {command[0]} with {settings} should say in one line which extra "
                f"to install; it said:\n{result.stderr}",
            )
        print(f"ok - without the {extra} extra, serve, migrate and worker say: {said[0]}")

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        taken = run_staffroom(workdir, ["serve", "--port", str(port)], env)
    said = taken.stderr.strip().splitlines()
    check(taken.returncode != 0 and len(said) == 1, f"port in use:\n{taken.stderr}")
    check("--port" in said[0], f"a port in use should suggest --port: {said[0]}")
    print(f"ok - a port in use gives one line: {said[0]}")


def main() -> int:
    python = os.environ.get("PYTHON", "python3")
    with tempfile.TemporaryDirectory(prefix="staffroom-start-") as tmp:
        workdir = Path(tmp) / "staffroom"
        copy_checkout(workdir)
        env = {**clean_env(), "PYTHON": python}
        port = free_port()
        started = Started(workdir, ["--demo", "--port", str(port)], env)
        try:
            started.wait_for_line("Press Ctrl+C", FIRST_START_TIMEOUT)
            first = time.monotonic() - started.began
            found = check_last_lines(started)
            check(found["url"] == f"http://127.0.0.1:{port}", f"address {found['url']}")
            print(f"ok - ./scripts/start --demo --port {port} answered in {first:.0f} s")
            print("     its last lines:\n     " + "\n     ".join(started.lines[-5:]))
            wait_until_answering(found["url"])
            print("ok - the home page and /api/v1/instance answer")
            sign_in(found["url"], found["email"], found["password"])
            check_fresh_environment(workdir, env, Path(tmp) / "scratch")
        finally:
            code = started.stop()
        check(code in (0, -signal.SIGINT, 130), f"Ctrl+C ended the server with {code}")
        print("ok - Ctrl+C stopped the server")

        again = Started(workdir, ["--demo", "--port", str(port)], env)
        try:
            again.wait_for_line("Press Ctrl+C", SECOND_START_LIMIT)
            second = time.monotonic() - again.began
            check(not any("Installing" in line for line in again.lines), "reinstalled")
            check_last_lines(again)
            wait_until_answering(f"http://127.0.0.1:{port}")
        finally:
            again.stop()
        print(f"ok - the second start installed nothing and answered in {second:.1f} s")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except CheckFailed as failure:
        print(f"FAILED - {failure}", file=sys.stderr)
        sys.exit(1)
