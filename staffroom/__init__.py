"""Staffroom: microblogging for professional learning networks, with a Mastodon-compatible API."""

__version__ = "0.1.0"
MASTODON_COMPAT_VERSION = f"4.2.0 (compatible; Staffroom {__version__})"

__all__ = ["MASTODON_COMPAT_VERSION", "__version__"]
