"""Mastodon entities, shaped from rows. The only code that decides JSON shapes."""
