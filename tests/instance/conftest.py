"""Fixtures for the instance, discovery, placeholder and rate-limit tests."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest
from starlette.testclient import TestClient

from staffroom.app import create_app
from staffroom.config import Settings
from staffroom.runtime import Runtime
from staffroom.services.registration import SignUp, register
from tests.conftest import BASE_URL

CONTACT_EMAIL = "staff@example.org"


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """The shared test settings plus a contact address (the schema wants a valid e-mail)."""
    return settings.with_overrides(contact_email=CONTACT_EMAIL)


@pytest.fixture
def make_admin(runtime: Runtime) -> Callable[[str], int]:
    """``make_admin("root_user")`` registers an admin and returns the account id."""

    def make(username: str) -> int:
        form = SignUp(
            username=username,
            email=f"{username}@example.org",
            password="correct horse battery",
            admin=True,
        )
        return register(runtime.db, form)

    return make


@contextmanager
def open_app(
    settings: Settings, *, client: tuple[str, int] = ("203.0.113.7", 50000)
) -> Iterator[TestClient]:
    """A test client for an app built from ``settings``, seen as coming from ``client``.

    Leaving the block runs the app's shutdown, which closes its runtime.
    """
    app = create_app(runtime=Runtime.build(settings))
    with TestClient(app, base_url=BASE_URL, raise_server_exceptions=False, client=client) as c:
        yield c
