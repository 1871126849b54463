"""Domain errors raised by services; the API and web layers turn them into responses."""

from __future__ import annotations


class StaffroomError(Exception):
    """Base class: ``message`` is written for a person to read.

    ``reason`` is the message as the service gave it, before any API prefix: a marked one
    (``staffroom.messages``) keeps what web pages need to translate it."""

    status = 400

    def __init__(self, message: str, **details: object) -> None:
        super().__init__(message)
        self.message = message
        self.reason = message
        self.details = details
        self.headers: dict[str, str] = {}  # sent with the answer (e.g. Retry-After)


class BadRequest(StaffroomError):
    status = 400


class NotAuthenticated(StaffroomError):
    status = 401


class Forbidden(StaffroomError):
    status = 403


class NotFound(StaffroomError):
    status = 404

    def __init__(self, message: str = "Record not found", **details: object) -> None:
        super().__init__(message, **details)


class Gone(StaffroomError):
    status = 410


class Conflict(StaffroomError):
    """409: the thing changed under the request (optimistic locking); try again."""

    status = 409


class ValidationFailed(StaffroomError):
    """422 with Mastodon's ``Validation failed: ...`` message and optional per-field details."""

    status = 422

    def __init__(self, message: str, **details: object) -> None:
        prefix = "Validation failed: "  # (removeprefix would return a plain str, losing a Text)
        reason = message[len(prefix) :] if message.startswith(prefix) else message
        if not message.startswith("Validation failed"):
            message = f"Validation failed: {message}"
        details.setdefault("details", {})  # Mastodon's ValidationError always has the field
        super().__init__(message, **details)
        self.reason = reason


class RateLimited(StaffroomError):
    status = 429

    def __init__(self, message: str = "Too many requests", **details: object) -> None:
        super().__init__(message, **details)
