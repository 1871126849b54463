"""``GET /api/v1/directory``: only people who opted in (and stay discoverable), filtered by
the instance's fields, ordered by last post or by listing, paged by offset; blocks either way
and mutes hide people from a signed-in viewer; bad parameters are 422."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from staffroom.config import Settings
from staffroom.errors import ValidationFailed
from staffroom.runtime import Runtime
from staffroom.services import directory
from staffroom.services.directory_fields import DEFAULT_FIELDS, FieldsFileError, parse_fields
from tests.conftest import ServerClock, User
from tests.directory.helpers import list_person, names
from tests.lists.helpers import ok, post

UserFactory = Callable[..., User]


def test_only_people_who_opted_in_are_listed_and_anyone_may_look(
    client: TestClient, runtime: Runtime, make_user: UserFactory
) -> None:
    ana, ben, cho = make_user("ana"), make_user("ben"), make_user("cho")
    assert names(client) == []
    list_person(runtime, ana, "Phonics ideas every week", subject="english", country="ES")
    list_person(runtime, cho, subject="maths")
    assert sorted(names(client)) == ["ana", "cho"]  # no token, as Mastodon
    assert sorted(names(client, user=ben)) == ["ana", "cho"]
    account = ok(client.get("/api/v1/directory"))[0]
    assert {"id", "username", "acct", "url", "followers_count"} <= set(account)
    # Turning discoverability off hides a listed person; opting out removes them.
    ok(
        client.patch(
            "/api/v1/accounts/update_credentials", json={"discoverable": False}, headers=cho.headers
        )
    )
    assert names(client) == ["ana"]
    runtime.db.write(
        directory.save_entry, DEFAULT_FIELDS, ana.id, listed=False, values={}, why_follow=""
    )
    assert names(client) == []
    assert runtime.db.read(directory.entry_of, ana.id) is None


def test_filters_by_any_field_values_of_one_field_are_alternatives(
    client: TestClient, runtime: Runtime, make_user: UserFactory
) -> None:
    ana, ben, cho, dan = (make_user(n) for n in ("ana", "ben", "cho", "dan"))
    list_person(runtime, ana, subject=["elt", "edtech"], country="ES", languages=["es", "en"])
    list_person(runtime, ben, subject="maths", country="ES", level="secondary")
    list_person(runtime, cho, subject="elt", country="AR", role="trainer")
    list_person(runtime, dan, subject="science", country="GB", level="primary")
    assert sorted(names(client, "subject=elt")) == ["ana", "cho"]
    assert sorted(names(client, "country=ES")) == ["ana", "ben"]
    assert names(client, "subject=elt&country=ES") == ["ana"]
    assert sorted(names(client, "subject=maths&subject=science")) == ["ben", "dan"]
    assert sorted(names(client, "subject[]=maths&subject[]=elt")) == ["ana", "ben", "cho"]
    assert names(client, "languages=es") == ["ana"]
    assert names(client, "role=trainer&level=primary") == []
    assert names(client, "level=primary") == ["dan"]
    assert sorted(names(client, "subject=")) == ["ana", "ben", "cho", "dan"]  # "any"


def test_orders_active_and_new_with_offset_and_limit(
    client: TestClient, runtime: Runtime, make_user: UserFactory, server_clock: ServerClock
) -> None:
    people = [make_user(n) for n in ("ana", "ben", "cho", "dan")]
    for person in people:  # listed in this order
        list_person(runtime, person, subject="maths")
        server_clock.advance(minutes=1)
    for person in (people[2], people[0], people[3]):  # ben never posts
        post(client, person, f"Hello from {person.username}")
        server_clock.advance(minutes=1)
    assert names(client) == ["dan", "ana", "cho", "ben"]  # last post first, silent last
    assert names(client, "order=active") == ["dan", "ana", "cho", "ben"]
    assert names(client, "order=new") == ["dan", "cho", "ben", "ana"]
    assert names(client, "order=new&limit=2") == ["dan", "cho"]
    assert names(client, "order=new&limit=2&offset=2") == ["ben", "ana"]
    assert names(client, "order=new&offset=4") == []
    assert names(client, "limit=0") == ["dan"]  # clamped to 1..80
    many = client.get("/api/v1/directory?limit=1000")
    assert many.status_code == 200 and len(many.json()) == 4


def test_blocks_either_way_and_mutes_hide_people_from_the_viewer(
    client: TestClient, runtime: Runtime, make_user: UserFactory
) -> None:
    viewer, blocked, blocker, muted, other = (
        make_user(n) for n in ("viewer", "blocked", "blocker", "muted", "other")
    )
    for person in (blocked, blocker, muted, other):
        list_person(runtime, person, subject="art")
    ok(client.post(f"/api/v1/accounts/{blocked.id}/block", headers=viewer.headers))
    ok(client.post(f"/api/v1/accounts/{viewer.id}/block", headers=blocker.headers))
    ok(client.post(f"/api/v1/accounts/{muted.id}/mute", headers=viewer.headers))
    assert names(client, "subject=art", viewer) == ["other"]
    assert sorted(names(client, "subject=art")) == ["blocked", "blocker", "muted", "other"]
    assert "viewer" not in names(client, user=blocker)
    ok(client.post(f"/api/v1/accounts/{muted.id}/unmute", headers=viewer.headers))
    assert sorted(names(client, "subject=art", viewer)) == ["muted", "other"]


def test_a_deleted_account_leaves_the_directory(
    client: TestClient, runtime: Runtime, make_user: UserFactory
) -> None:
    from staffroom.services.accounts import delete_account

    ana = make_user("ana")
    list_person(runtime, ana, subject="music")
    runtime.db.write(delete_account, ana.id)
    assert names(client) == []
    assert names(client, "subject=music") == []


@pytest.mark.parametrize(
    "query",
    [
        "order=best",
        "subject=underwater_basket_weaving",
        "country=Spain",
        "offset=-1",
        "offset=abc",
        "limit=x",
        "local=maybe",
        "offset=100000000",
        "subject=" + "&subject=".join(f"x{i}" for i in range(30)),
    ],
)
def test_bad_parameters_are_422(client: TestClient, query: str) -> None:
    answer = client.get(f"/api/v1/directory?{query}")
    assert answer.status_code == 422, answer.text
    assert answer.json()["error"].startswith("Validation failed")


def test_a_bad_token_is_401_as_anywhere(client: TestClient) -> None:
    answer = client.get("/api/v1/directory", headers={"Authorization": "Bearer nope"})
    assert answer.status_code == 401


def test_the_fields_are_listed_with_their_choices(client: TestClient) -> None:
    fields = ok(client.get("/api/v1/staffroom/directory_fields"))
    assert [f["name"] for f in fields] == ["subject", "level", "country", "languages", "role"]
    by_name = {f["name"]: f for f in fields}
    assert by_name["subject"]["max_values"] == 5 and by_name["country"]["max_values"] == 1
    assert {"value": "ES", "label": "Spain"} in by_name["country"]["choices"]
    assert {"value": "es", "label": "Spanish"} in by_name["languages"]["choices"]
    assert {"value": "maths", "label": "Mathematics"} in by_name["subject"]["choices"]


def test_saving_checks_every_value_and_saves_nothing_when_one_is_refused(
    runtime: Runtime, make_user: UserFactory
) -> None:
    ana = make_user("ana")
    list_person(runtime, ana, "Maths puzzles", subject="maths")

    def save(values: dict[str, list[str]], why: str = "") -> None:
        runtime.db.write(
            directory.save_entry,
            DEFAULT_FIELDS,
            ana.id,
            listed=True,
            values=values,
            why_follow=why,
        )

    refusals = [
        ({"subject": ["maths", "art", "music", "drama", "pe", "science"]}, ""),  # max 5
        ({"country": ["ES", "FR"]}, ""),  # one country
        ({"subject": ["alchemy"]}, ""),
        ({}, "x" * 161),
        ({}, "nul\x00"),
    ]
    for values, why in refusals:
        with pytest.raises(ValidationFailed):
            save(values, why)
    entry = runtime.db.read(directory.entry_of, ana.id)
    assert entry is not None and entry.values == {"subject": ["maths"]}
    assert entry.why_follow == "Maths puzzles"
    save({"subject": ["art", "art"], "country": ["FR"]}, "  Two\nlines  ")
    entry = runtime.db.read(directory.entry_of, ana.id)
    assert entry is not None and entry.why_follow == "Two lines"
    assert entry.values == {"subject": ["art"], "country": ["FR"]}


def test_an_instance_defines_its_own_fields(
    runtime: Runtime, make_user: UserFactory, tmp_path: Path, client: TestClient
) -> None:
    path = tmp_path / "fields.json"
    path.write_text(
        '[{"name": "faculty", "label": "Faculty", "max": 2,'
        ' "choices": [["law", "Law"], ["medicine", "Medicine"]]},'
        ' {"name": "country", "label": "Country", "choices": "countries"}]'
    )
    runtime.settings = runtime.settings.with_overrides(directory_fields_file=path)
    ana, ben = make_user("ana"), make_user("ben")
    list_person(runtime, ana, faculty=["law", "medicine"], country="PT")
    list_person(runtime, ben, faculty="medicine")
    assert names(client, "faculty=law") == ["ana"]
    assert sorted(names(client, "faculty=medicine")) == ["ana", "ben"]
    assert client.get("/api/v1/directory?faculty=art").status_code == 422
    fields = ok(client.get("/api/v1/staffroom/directory_fields"))
    assert [f["name"] for f in fields] == ["faculty", "country"]


@pytest.mark.parametrize(
    "text",
    [
        "not json",
        "[]",
        '[{"name": "Bad Name", "choices": ["a"]}]',
        '[{"name": "a", "choices": []}]',
        '[{"name": "a", "max": 0, "choices": ["x"]}]',
        '[{"name": "a", "choices": [["x", 1]]}]',
        '[{"name": "a", "choices": ["x"]}, {"name": "a", "choices": ["y"]}]',
    ],
)
def test_a_bad_fields_file_is_refused(text: str) -> None:
    with pytest.raises(FieldsFileError):
        parse_fields(text.encode())


def test_a_bad_fields_file_stops_start_up(tmp_path: Path, settings: Settings) -> None:
    path = tmp_path / "fields.json"
    path.write_text('[{"name": "x", "choices": []}]')
    with pytest.raises(FieldsFileError):
        Runtime.build(settings.with_overrides(directory_fields_file=path))
