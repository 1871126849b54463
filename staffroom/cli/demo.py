"""``staffroom demo`` (placeholder until implemented)."""

from __future__ import annotations

import click

from staffroom.config import Settings


def fill_demo(settings: Settings, *, only_if_empty: bool = True) -> None:
    raise click.ClickException("not implemented yet")


@click.command()
def demo() -> None:
    """Fill an empty instance with demo data."""
    fill_demo(Settings.from_env())
