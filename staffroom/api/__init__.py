"""The Mastodon-compatible client API (REST, OAuth2) and the ASGI application."""
