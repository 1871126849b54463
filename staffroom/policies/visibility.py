"""Who may see a post: the single answer used by every endpoint, timeline, search and page.

Pure functions over preloaded facts (:class:`ViewerFacts`), so callers batch their queries.
"""

from __future__ import annotations

from dataclasses import dataclass, field

PUBLIC, UNLISTED, PRIVATE, DIRECT = 0, 1, 2, 3
VISIBILITY_NAMES = ("public", "unlisted", "private", "direct")
VISIBILITY_CODES = {name: code for code, name in enumerate(VISIBILITY_NAMES)}


@dataclass(frozen=True, slots=True)
class ViewerFacts:
    """What we know about the viewer's relations to the accounts on a page.

    ``viewer_id`` is ``None`` for an anonymous reader. ``following``: accounts the viewer
    follows; ``blocked_by``: accounts that block the viewer; ``hidden``: accounts the viewer
    blocks or mutes (their posts stay reachable by ID but leave timelines), derived.
    """

    viewer_id: int | None
    following: frozenset[int] = field(default_factory=frozenset)
    blocked_by: frozenset[int] = field(default_factory=frozenset)
    blocking: frozenset[int] = field(default_factory=frozenset)
    muting: frozenset[int] = field(default_factory=frozenset)
    has_filters: bool = False  # the viewer has keyword or post filters (``filter_rules``)
    hidden: frozenset[int] = field(init=False, default=frozenset())

    def __post_init__(self) -> None:
        # Computed once: the policy functions below run for every post on a page.
        object.__setattr__(self, "hidden", self.blocking | self.muting)


def may_see(
    facts: ViewerFacts, *, author_id: int, visibility: int, mentioned: frozenset[int] | set[int]
) -> bool:
    """May the viewer open this one post (by ID, in a thread, in a timeline)?"""
    viewer = facts.viewer_id
    if viewer is not None and viewer == author_id:
        return True
    if viewer is not None and author_id in facts.blocked_by:
        return False
    if visibility in (PUBLIC, UNLISTED):
        return True
    if viewer is None:
        return False
    if viewer in mentioned:
        return True
    return visibility == PRIVATE and author_id in facts.following


def belongs_in_timeline(
    facts: ViewerFacts,
    *,
    author_id: int,
    mentioned: frozenset[int] | set[int],
    reblog_author_id: int | None = None,
) -> bool:
    """Should a visible post appear in one of the viewer's timelines (blocks and mutes)?"""
    hidden = facts.hidden
    if not hidden and not facts.blocked_by:  # most viewers block and mute no one
        return True
    if facts.viewer_id is not None and author_id == facts.viewer_id and reblog_author_id is None:
        return True
    if author_id in hidden or (reblog_author_id is not None and reblog_author_id in hidden):
        return False
    if reblog_author_id is not None and reblog_author_id in facts.blocked_by:
        return False
    return facts.blocking.isdisjoint(mentioned)


def may_pin(*, visibility: int, author_id: int, pinner_id: int) -> bool:
    """One's own posts can be pinned to one's profile, except direct messages."""
    return author_id == pinner_id and visibility != DIRECT


def may_reblog(*, visibility: int, author_id: int, reblogger_id: int) -> bool:
    """Public and unlisted posts can be reposted; followers-only only by their author."""
    return visibility in (PUBLIC, UNLISTED) or (visibility == PRIVATE and author_id == reblogger_id)


# Who may quote a post (Mastodon 4.5): anyone, the author's followers, or only the author.
QUOTE_PUBLIC, QUOTE_FOLLOWERS, QUOTE_NOBODY = 0, 1, 2
QUOTE_POLICY_NAMES = ("public", "followers", "nobody")
QUOTE_POLICY_CODES = {name: code for code, name in enumerate(QUOTE_POLICY_NAMES)}


def quote_policy(*, policy: int, visibility: int) -> int:
    """The policy in force: followers-only posts and direct messages are ``nobody``'s."""
    return QUOTE_NOBODY if visibility in (PRIVATE, DIRECT) else policy


def quote_approval(facts: ViewerFacts, *, author_id: int, visibility: int, policy: int) -> str:
    """May the viewer quote this post they can see: ``automatic``, ``denied`` or, for an
    anonymous reader, ``unknown`` (Mastodon's ``QuoteApproval.current_user``). Direct
    messages are never quoted; the author may quote any other post of theirs; an author who
    blocks the viewer denies them."""
    viewer = facts.viewer_id
    if viewer is None:
        return "unknown"
    if visibility == DIRECT:
        return "denied"
    if viewer == author_id:
        return "automatic"
    if author_id in facts.blocked_by:
        return "denied"
    policy = quote_policy(policy=policy, visibility=visibility)
    if policy == QUOTE_PUBLIC or (policy == QUOTE_FOLLOWERS and author_id in facts.following):
        return "automatic"
    return "denied"


def quote_state(
    facts: ViewerFacts,
    *,
    stored: str | None,
    author_id: int | None,
    visibility: int,
    mentioned: frozenset[int] | set[int],
) -> str:
    """What the viewer is told of a quote (Mastodon's ``Quote.state``): ``revoked``,
    ``deleted`` (``author_id`` is ``None`` when the quoted post is gone), ``unauthorized``
    when they may not see the quoted post, ``blocked_account`` / ``muted_account`` when they
    block or mute its author, else ``accepted``."""
    if stored != "accepted":
        return "revoked" if stored == "revoked" else "unauthorized"
    if author_id is None:
        return "deleted"
    if not may_see(facts, author_id=author_id, visibility=visibility, mentioned=mentioned):
        return "unauthorized"
    if author_id in facts.blocking:
        return "blocked_account"
    if author_id in facts.muting:
        return "muted_account"
    return "accepted"


# States whose quote carries the quoted post (the reader's client may hide it behind a click).
QUOTE_SHOWN = frozenset({"accepted", "blocked_account", "muted_account"})
