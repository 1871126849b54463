"""``staffroom createuser``: make an account from the command line (e.g. the first admin)."""

from __future__ import annotations

import click

from staffroom.config import Settings
from staffroom.db import create_database
from staffroom.db import migrate as run_migrations
from staffroom.errors import ValidationFailed
from staffroom.services.registration import SignUp, register


@click.command()
@click.argument("username")
@click.option("--email", required=True, help="The login e-mail address.")
@click.option(
    "--password",
    default=None,
    help="The password (asked for twice, hidden, when left out).",
)
@click.option("--admin", is_flag=True, help="Give the account administrator rights.")
@click.option("--display-name", default="", help="The name shown on posts.")
def createuser(
    username: str, email: str, password: str | None, admin: bool, display_name: str
) -> None:
    """Create the account USERNAME in the configured database."""
    settings = Settings.from_env()
    run_migrations(settings.database_url)
    if password is None:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    form = SignUp(
        username=username,
        email=email,
        password=password,
        display_name=display_name,
        admin=admin,
    )
    db = create_database(settings.database_url, pool_size=1)
    try:
        account_id = register(db, form)
    except ValidationFailed as exc:
        raise click.ClickException(_without_prefix(exc.message)) from None
    finally:
        db.dispose()
    role = "Administrator" if admin else "Account"
    click.echo(f"{role} @{username} created (id {account_id}).")


def _without_prefix(message: str) -> str:
    """``Validation failed: Username is already taken`` → ``Username is already taken``."""
    return message.removeprefix("Validation failed: ")
