"""Characters no parameter may carry, refused at the edge (API parameters and web forms)."""

from __future__ import annotations

from typing import Any

from staffroom.errors import ValidationFailed


def refuse_forbidden_characters(value: Any, name: str = "") -> None:
    """422 for a NUL character anywhere in the parameters: no text column may hold one
    (PostgreSQL refuses it outright), so it is refused here, the same on every engine."""
    if isinstance(value, str):
        if "\x00" in value:
            raise ValidationFailed(f"{name or 'a parameter'} contains a NUL character")
    elif isinstance(value, dict):
        for key, item in value.items():
            refuse_forbidden_characters(key, name)
            refuse_forbidden_characters(item, str(key))
    elif isinstance(value, list):
        for item in value:
            refuse_forbidden_characters(item, name)
