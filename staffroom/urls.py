"""Public addresses of this server's pages, built in one place."""

from __future__ import annotations

from urllib.parse import quote


def tag_url(base_url: str, name: str) -> str:
    """A hashtag's page: ``/tags/caf%C3%A9`` (non-ASCII names percent-encoded, as Mastodon
    sends them, so the URL is valid wherever it is used)."""
    return f"{base_url}/tags/{quote(name, safe='')}"
