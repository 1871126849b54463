"""Stream names as clients send them, and the broker channels behind them.

A *stream* is what a client asks for (``user``, ``hashtag`` with ``tag=EdChat``...); a
*channel* is where delivery publishes (``timeline:<account_id>``,
``timeline:hashtag:edchat``...). :func:`resolve` checks the caller's scopes, validates the
parameters and answers a :class:`StreamSpec`: the channel, the events the stream may carry and
the ``stream`` label frames carry (the name and parameter exactly as the client sent them).

Every stream needs a user token, as in Mastodon 4.2 and later. Public and hashtag streams need
no particular scope; ``user``, ``direct`` and ``list`` need ``read:statuses`` and
``user:notification`` needs ``read:notifications`` (``read`` covers both); the ``user`` stream
carries notifications only if the token may read them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from staffroom.ids import parse_id
from staffroom.policies.scopes import covers

STATUS_EVENTS = frozenset({"update", "delete", "status.update"})
NOTIFICATION = "notification"
# A Staffroom extension: a read marker moved (payload: the markers hash, as the markers API
# answers it). Mastodon's streaming API has no such event; Mastodon clients ignore it.
MARKER = "staffroom.marker"
# Mastodon's event when the person's filters change (no payload), on the ``user`` stream.
FILTERS_CHANGED = "filters_changed"
MAX_TAG_LENGTH = 100  # tags.name is String(100)

# SSE paths under /api/v1/streaming/ and the stream each one opens.
SSE_PATHS = {
    "user": "user",
    "user/notification": "user:notification",
    "public": "public",
    "public/local": "public:local",
    "public/remote": "public:remote",
    "hashtag": "hashtag",
    "hashtag/local": "hashtag:local",
    "list": "list",
    "direct": "direct",
}
_FALSE = {"", "0", "f", "false", "off", "no"}


class StreamError(Exception):
    """A stream that cannot be opened: ``message`` and the HTTP ``status`` to report."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


@dataclass(frozen=True, slots=True)
class Kind:
    """One stream name's rules."""

    name: str
    scope: str | None  # the scope a token needs (None: any user token)
    events: frozenset[str]
    public: bool  # carries public posts only, filtered per viewer
    param: str | None = None  # "tag" or "list"


_PUBLIC_NAMES = (
    "public",
    "public:local",
    "public:remote",
    "public:media",
    "public:local:media",
    "public:remote:media",
)
KINDS: dict[str, Kind] = {
    "user": Kind(
        "user", "read:statuses", STATUS_EVENTS | {NOTIFICATION, MARKER, FILTERS_CHANGED}, False
    ),
    "user:notification": Kind(
        "user:notification", "read:notifications", frozenset({NOTIFICATION, MARKER}), False
    ),
    "direct": Kind("direct", "read:statuses", STATUS_EVENTS | {"conversation"}, False),
    "list": Kind("list", "read:statuses", STATUS_EVENTS, False, "list"),
    "hashtag": Kind("hashtag", None, STATUS_EVENTS, True, "tag"),
    "hashtag:local": Kind("hashtag:local", None, STATUS_EVENTS, True, "tag"),
    **{name: Kind(name, None, STATUS_EVENTS, True) for name in _PUBLIC_NAMES},
}


@dataclass(frozen=True, slots=True)
class StreamSpec:
    """A resolved subscription: where it listens and what it may pass on."""

    kind: Kind
    key: tuple[str, str]  # identifies the subscription on one connection
    label: tuple[str, ...]  # the ``stream`` value of its frames
    channel: str
    notifications: bool  # may carry notification events
    markers: bool = False  # may carry marker events (the token may read markers)
    list_id: int | None = None  # a ``list`` stream: the caller must own it (checked by the hub)


def stream_for_path(subpath: str, only_media: str | None = None) -> str | None:
    """The stream an SSE path opens (``public/local`` → ``public:local``), or ``None``."""
    name = SSE_PATHS.get(subpath.strip("/"))
    if name is not None and name.startswith("public") and is_truthy(only_media):
        name += ":media"
    return name


def is_truthy(value: str | None) -> bool:
    return value is not None and value.strip().lower() not in _FALSE


def normalize_tag(raw: object) -> str:
    """The channel form of a hashtag parameter: no ``#``, lower case."""
    if not isinstance(raw, str) or not raw.strip().lstrip("#"):
        raise StreamError("No tag for stream provided")
    tag = raw.strip().lstrip("#").lower()
    if len(tag) > MAX_TAG_LENGTH:
        raise StreamError(f"Tag is too long (at most {MAX_TAG_LENGTH} characters)")
    return tag


def subscription_key(name: str, params: Mapping[str, object]) -> tuple[str, str]:
    """What identifies stream ``name`` on a connection (no scope check: for unsubscribing)."""
    kind = KINDS.get(name)
    if kind is None:
        raise StreamError("Unknown stream type")
    if kind.param == "tag":
        return (name, normalize_tag(params.get("tag")))
    if kind.param == "list":
        found = parse_id(str(params.get("list") or "").strip())
        return (name, str(found) if found is not None else "")
    return (name, "")


def resolve(
    name: str, params: Mapping[str, object], *, account_id: int, scopes: frozenset[str]
) -> StreamSpec:
    """The subscription for stream ``name`` with ``params``, for this token's account."""
    kind = KINDS.get(name)
    if kind is None:
        raise StreamError("Unknown stream type")
    if kind.scope is not None and not covers(scopes, kind.scope):
        raise StreamError("This action is outside the authorized scopes", 403)
    notifications = NOTIFICATION in kind.events and covers(scopes, "read:notifications")
    markers = MARKER in kind.events and covers(scopes, "read:statuses")
    if kind.param == "tag":
        raw = params.get("tag")
        tag = normalize_tag(raw)
        suffix = ":local" if name == "hashtag:local" else ""
        return StreamSpec(
            kind, (name, tag), (name, str(raw)), f"timeline:hashtag:{tag}{suffix}", False
        )
    if kind.param == "list":
        raw_list = params.get("list")
        if not isinstance(raw_list, str | int) or not str(raw_list).strip():
            raise StreamError("No list for stream provided")
        list_id = parse_id(str(raw_list).strip())
        if list_id is None:
            raise StreamError("Record not found", 404)
        return StreamSpec(
            kind,
            (name, str(list_id)),
            (name, str(raw_list)),
            f"timeline:list:{list_id}",
            False,
            list_id=list_id,
        )
    if name in ("user", "user:notification"):
        channel = f"timeline:{account_id}"
    elif name == "direct":
        channel = f"timeline:direct:{account_id}"
    else:
        channel = f"timeline:{name}"
    return StreamSpec(kind, (name, ""), (name,), channel, notifications, markers)
