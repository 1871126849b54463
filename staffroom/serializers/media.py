"""Mastodon's ``MediaAttachment`` entity."""

from __future__ import annotations

from typing import Any

from staffroom.services.media_views import MediaView


def _absolute(base_url: str, url: str | None) -> str | None:
    if url is None:
        return None
    return base_url + url if url.startswith("/") else url


def _size(width: int | None, height: int | None) -> dict[str, Any] | None:
    if not width or not height:
        return None
    return {
        "width": width,
        "height": height,
        "size": f"{width}x{height}",
        "aspect": width / height,
    }


def serialize_media(media: MediaView, base_url: str) -> dict[str, Any]:
    """A ``MediaAttachment``; ``url``, ``preview_url`` and sizes are null while processing."""
    ready = media.ready
    meta: dict[str, Any] = {"focus": {"x": media.focus_x, "y": media.focus_y}}
    if ready:
        original = _size(media.width, media.height)
        small = _size(media.small_width, media.small_height)
        if original is not None:
            meta["original"] = original
        if small is not None:
            meta["small"] = small
    return {
        "id": str(media.id),
        "type": media.kind,
        "url": _absolute(base_url, media.file_url) if ready else None,
        "preview_url": _absolute(base_url, media.preview_url) if ready else None,
        "remote_url": None,
        "preview_remote_url": None,
        "text_url": None,
        "meta": meta,
        "description": media.description or None,
        "blurhash": media.blurhash if ready else None,
    }
