"""``staffroom createuser`` (placeholder until implemented)."""

from __future__ import annotations

import click


@click.command()
def createuser() -> None:
    """Create a user account."""
    raise click.ClickException("not implemented yet")
