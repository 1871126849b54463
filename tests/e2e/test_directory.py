"""The profile directory with a real client against a live server: Mastodon.py's
``directory()`` signed out and signed in (orders, paging, blocks), and Staffroom's field
filters through the same validated HTTP session; every JSON answer is checked against the
Mastodon OpenAPI description."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest
from mastodon import Mastodon

from staffroom.db import create_database
from staffroom.services import directory
from staffroom.services.directory_fields import DEFAULT_FIELDS
from tests.e2e.clients import Person, masto_app
from tests.e2e.harness import Conformance, LiveServer

pytestmark = pytest.mark.e2e

Masto = Callable[[Person], Mastodon]


def _list(server: LiveServer, someone: Person, **values: str) -> None:
    db = create_database(server.database_url, pool_size=1)
    try:
        db.write(
            directory.save_entry,
            DEFAULT_FIELDS,
            int(someone.id),
            listed=True,
            values={k: [v] for k, v in values.items()},
            why_follow=f"{someone.username} shares lesson plans",
        )
    finally:
        db.dispose()


def test_mastodon_py_reads_the_directory(
    isolated_server: LiveServer,
    conformance: Conformance,
    person: Callable[[str], Person],
    masto: Masto,
) -> None:
    ana, ben, cho, viewer = person("ana"), person("ben"), person("cho"), person("viewer")
    _list(isolated_server, ana, subject="elt", country="ES")
    _list(isolated_server, ben, subject="maths", country="ES")
    _list(isolated_server, cho, subject="elt", country="MX")
    as_ben, as_viewer = masto(ben), masto(viewer)
    as_ben.status_post("A maths puzzle for Monday")
    anyone = masto_app(isolated_server, conformance)  # no user token: public, as Mastodon

    newest = [a["username"] for a in anyone.directory(order="new")]
    assert newest == [cho.username, ben.username, ana.username]
    assert anyone.directory(order="active", limit=1)[0]["username"] == ben.username
    assert [a["username"] for a in anyone.directory(order="new", offset=1, limit=1)] == [
        ben.username
    ]
    assert len(anyone.directory(local=True)) == 3

    as_viewer.account_block(ana.id)
    seen = {a["username"] for a in as_viewer.directory()}
    assert seen == {ben.username, cho.username}

    session = conformance.session()
    url = f"{isolated_server.url}/api/v1/directory"
    found = session.get(url, params={"subject": "elt", "country": "ES"})
    assert found.status_code == 200
    assert [a["username"] for a in found.json()] == [ana.username]
    both = session.get(url, params=[("subject", "elt"), ("subject", "maths"), ("order", "new")])
    assert [a["username"] for a in both.json()] == [cho.username, ben.username, ana.username]
    refused = session.get(url, params={"subject": "alchemy"})
    assert refused.status_code == 422
    # Staffroom's own endpoint: not in Mastodon's description, so read outside the session.
    fields = httpx.get(f"{isolated_server.url}/api/v1/staffroom/directory_fields").json()
    assert [f["name"] for f in fields] == ["subject", "level", "country", "languages", "role"]
