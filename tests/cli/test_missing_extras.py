"""An optional engine asked for but not installed stops a command in one line that names
the extra to install (the fresh-environment run is ``scripts/check_start.py``)."""

from __future__ import annotations

import sys

import pytest

from staffroom import extras
from staffroom.cli.main import main
from staffroom.config import Settings
from staffroom.extras import Engine, MissingExtra


@pytest.fixture
def redis_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    absent = Engine("Redis", "staffroom_test_no_such_module", "redis", "STAFFROOM_REDIS_URL")
    monkeypatch.setattr(extras, "REDIS", absent)


@pytest.mark.usefixtures("redis_missing")
@pytest.mark.parametrize("command", [["serve", "--port", "1"], ["migrate"], ["worker"]])
def test_commands_name_the_extra_in_one_line(
    command: list[str],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: object,
) -> None:
    monkeypatch.setenv("STAFFROOM_REDIS_URL", "redis://127.0.0.1:6379/13")
    monkeypatch.setenv("STAFFROOM_DATA_DIR", str(tmp_path))
    monkeypatch.setattr(sys, "argv", ["staffroom", *command])

    with pytest.raises(SystemExit) as stopped:
        main()

    said = capsys.readouterr().err.strip().splitlines()
    assert stopped.value.code == 1
    assert said == [
        "Error: STAFFROOM_REDIS_URL asks for Redis, but its client library "
        "(staffroom_test_no_such_module) is not installed: pip install 'staffroom[redis]'"
    ]


def test_only_configured_engines_are_required(tmp_path: object) -> None:
    embedded = Settings.from_env(database_url="sqlite:///x.sqlite3", redis_url=None, secret_key="t")
    scaled = embedded.with_overrides(
        database_url="postgresql://db/staffroom", redis_url="redis://cache"
    )

    assert extras.engines_for(embedded) == []
    assert extras.engines_for(scaled) == [extras.POSTGRESQL, extras.REDIS]


@pytest.mark.usefixtures("redis_missing")
def test_the_runtime_refuses_a_missing_engine_before_connecting(tmp_path: object) -> None:
    from staffroom.runtime import Runtime

    settings = Settings.from_env(
        database_url="sqlite:///:memory:", redis_url="redis://x", secret_key="t"
    )
    with pytest.raises(MissingExtra, match=r"staffroom\[redis\]"):
        Runtime.build(settings)


@pytest.mark.parametrize(
    ("variable", "url", "said"),
    [
        (
            "STAFFROOM_REDIS_URL",
            "redis://127.0.0.1:1/0",
            "cannot reach Redis at redis://127.0.0.1:1/0",
        ),
        (
            "STAFFROOM_DATABASE_URL",
            "postgresql://staffroom:secret@127.0.0.1:1/nowhere",
            "cannot reach PostgreSQL at postgresql://staffroom:***@127.0.0.1:1/nowhere",
        ),
    ],
)
@pytest.mark.parametrize("command", [["serve", "--port", "1"], ["worker"]])
def test_servers_refuse_to_start_when_an_engine_does_not_answer(
    command: list[str],
    variable: str,
    url: str,
    said: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: object,
) -> None:
    monkeypatch.setenv(variable, url)
    monkeypatch.setenv("STAFFROOM_DATA_DIR", str(tmp_path))
    monkeypatch.setattr(sys, "argv", ["staffroom", *command])

    with pytest.raises(SystemExit) as stopped:
        main()

    lines = capsys.readouterr().err.strip().splitlines()
    assert stopped.value.code == 1
    assert len(lines) == 1, lines
    assert lines[0].startswith(f"Error: {said}: ")
    assert "secret" not in lines[0]
