"""Mastodon's ``Marker`` entities, as the hash keyed by timeline the markers API answers."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from staffroom.serializers.common import iso
from staffroom.services.markers import Marker


def serialize_marker(marker: Marker) -> dict[str, Any]:
    return {
        "last_read_id": str(marker.last_read_id),
        "version": marker.version,
        "updated_at": iso(marker.updated_at),
    }


def serialize_markers(found: Mapping[str, Marker]) -> dict[str, Any]:
    """``{"home": Marker, "notifications": Marker}``, only the timelines that have one."""
    return {timeline: serialize_marker(marker) for timeline, marker in found.items()}
