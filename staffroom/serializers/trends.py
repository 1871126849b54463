"""Trends entities: a tag's ``history``, ``Trends::Link`` (a ``PreviewCard`` with its
history) and the admin variants (``Admin::Tag``, the admin's link and post with
``requires_review``)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from staffroom.services.trend_views import Day, TrendingLink, TrendingTag


def serialize_history(days: list[Day]) -> list[dict[str, str]]:
    """Mastodon's tag/link history: newest day first, every number a string."""
    return [{"day": str(d.day), "uses": str(d.uses), "accounts": str(d.accounts)} for d in days]


def serialize_link(link: TrendingLink) -> dict[str, Any]:
    """``Trends::Link``. Staffroom fetches no previews (it does not reach other sites), so
    the card is the URL itself: its address as the title and its site as the provider
    (``author_url`` and ``embed_url`` empty, as Mastodon leaves them for such a link)."""
    parts = urlsplit(link.url)
    title = link.url.split("://", 1)[-1].rstrip("/")
    return {
        "url": link.url,
        "title": title,
        "description": "",
        "language": None,
        "type": "link",
        "author_name": "",
        "author_url": "",
        "provider_name": parts.hostname or "",
        "provider_url": f"{parts.scheme}://{parts.netloc}",
        "html": "",
        "width": 0,
        "height": 0,
        "image": None,
        "image_description": "",
        "embed_url": "",
        "blurhash": None,
        "published_at": None,
        "authors": [],
        "history": serialize_history(link.history),
    }


def serialize_admin_link(link: TrendingLink) -> dict[str, Any]:
    return {"id": str(link.id), **serialize_link(link), "requires_review": link.review is None}


def admin_tag_fields(tag: TrendingTag, require_review: bool) -> dict[str, Any]:
    """What ``Admin::Tag`` adds to ``Tag``."""
    trendable = tag.review == "approved" or (not require_review and tag.review != "rejected")
    return {
        "trendable": trendable,
        "usable": True,
        "requires_review": tag.review is None,
        "listable": True,
    }
