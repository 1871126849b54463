"""``staffroom createuser`` against a real (temporary) database."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from sqlalchemy import func, select

from staffroom.cli.users import createuser
from staffroom.db import Database, create_database
from staffroom.db.tables import accounts, users
from staffroom.services.passwords import verify_password

PASSWORD = "correct horse battery"


@pytest.fixture
def db(database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Database]:
    """The database the command is configured to use (through the environment)."""
    monkeypatch.setenv("STAFFROOM_DATABASE_URL", database_url)
    monkeypatch.setenv("STAFFROOM_DATA_DIR", str(tmp_path / "data"))
    database = create_database(database_url, pool_size=1)
    yield database
    database.dispose()


def run(*args: str, input: str | None = None) -> Result:
    return CliRunner().invoke(createuser, list(args), input=input)


def account_count(db: Database) -> int:
    return int(
        db.read(lambda c: c.execute(select(func.count()).select_from(accounts)).scalar_one())
    )


def test_creates_account_and_prints_its_id(db: Database) -> None:
    result = run("alice", "--email", "alice@example.org", "--password", PASSWORD)

    assert result.exit_code == 0, result.output
    row = db.read(
        lambda c: c.execute(
            select(accounts, users.c.email, users.c.admin, users.c.password_hash).join(
                users, users.c.account_id == accounts.c.id
            )
        ).one()
    )
    assert f"(id {row.id})" in result.output
    assert (row.username, row.email, row.admin) == ("alice", "alice@example.org", False)
    assert verify_password(row.password_hash, PASSWORD)


def test_admin_with_display_name(db: Database) -> None:
    result = run(
        "head_jane", "--email", "jane@example.org", "--password", PASSWORD,
        "--admin", "--display-name", "Jane Holloway",
    )  # fmt: skip

    assert result.exit_code == 0, result.output
    assert "Administrator @head_jane created" in result.output
    row = db.read(
        lambda c: c.execute(
            select(accounts.c.display_name, users.c.admin).join(
                users, users.c.account_id == accounts.c.id
            )
        ).one()
    )
    assert tuple(row) == ("Jane Holloway", True)


def test_prompts_twice_for_a_hidden_password(db: Database) -> None:
    result = run("bob", "--email", "bob@example.org", input=f"{PASSWORD}\n{PASSWORD}\n")

    assert result.exit_code == 0, result.output
    assert "Repeat for confirmation" in result.output
    assert PASSWORD not in result.output
    stored = db.read(lambda c: c.execute(select(users.c.password_hash)).scalar_one())
    assert verify_password(stored, PASSWORD)


def test_mismatched_prompts_ask_again(db: Database) -> None:
    typed = f"{PASSWORD}\nsomething else entirely\n{PASSWORD}\n{PASSWORD}\n"
    result = run("bob", "--email", "bob@example.org", input=typed)

    assert result.exit_code == 0, result.output
    assert "do not match" in result.output
    assert account_count(db) == 1


def test_duplicate_username_is_a_clear_error(db: Database) -> None:
    assert run("alice", "--email", "alice@example.org", "--password", PASSWORD).exit_code == 0

    result = run("Alice", "--email", "other@example.org", "--password", PASSWORD)

    assert result.exit_code == 1
    assert "Error: Username is already taken" in result.output
    assert "Traceback" not in result.output
    assert account_count(db) == 1


def test_duplicate_email_is_a_clear_error(db: Database) -> None:
    assert run("alice", "--email", "alice@example.org", "--password", PASSWORD).exit_code == 0

    result = run("alice2", "--email", "ALICE@example.org", "--password", PASSWORD)

    assert result.exit_code == 1
    assert "Email is already registered" in result.output
    assert account_count(db) == 1


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short", "Password is too short (minimum is 8 characters)"),
        ("password123", "Password is one of the most common passwords"),
    ],
)
def test_weak_password_is_refused(db: Database, password: str, message: str) -> None:
    result = run("carol", "--email", "carol@example.org", "--password", password)

    assert result.exit_code == 1
    assert message in result.output
    assert account_count(db) == 0


def test_invalid_username_and_email_are_both_reported(db: Database) -> None:
    result = run("no spaces!", "--email", "not-an-email", "--password", PASSWORD)

    assert result.exit_code == 1
    assert "Username must be 1-30 letters, digits or underscores" in result.output
    assert "Email is not a valid address" in result.output
    assert account_count(db) == 0


def test_email_is_required(db: Database) -> None:
    result = run("dave", "--password", PASSWORD)

    assert result.exit_code == 2
    assert "--email" in result.output
    assert account_count(db) == 0


@pytest.mark.parametrize("name", ["alice\n", "alice ", "al ice", "\u00e5lice", "a" * 31])
def test_usernames_are_checked_exactly_as_sign_up_checks_them(db: Database, name: str) -> None:
    result = run(name, "--email", "a@example.org", "--password", PASSWORD)
    assert result.exit_code != 0
    assert "Username must be" in result.output
    assert account_count(db) == 0
