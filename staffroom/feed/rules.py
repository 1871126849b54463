"""The feed's pure rules: which list timelines take a post. No database access; delivery,
rebuilds and streaming load the facts and ask here."""

from __future__ import annotations

from dataclasses import dataclass

from staffroom.policies.visibility import DIRECT, PRIVATE, PUBLIC

# A list's ``replies_policy`` (Mastodon's names and default).
FOLLOWED, LIST, NONE = 0, 1, 2
REPLIES_POLICY_NAMES = ("followed", "list", "none")
REPLIES_POLICY_CODES = {name: code for code, name in enumerate(REPLIES_POLICY_NAMES)}


def tag_delivers(*, visibility: int, reblog: bool) -> bool:
    """Only public original posts travel by hashtag (followed hashtags, a list's hashtags),
    as Mastodon's hashtag timelines: never unlisted, followers-only, direct or reposts."""
    return visibility == PUBLIC and not reblog


@dataclass(frozen=True, slots=True)
class ListFacts:
    """What is known about one candidate list for one post."""

    owner_id: int
    policy: int
    owner_hides_author: bool  # the owner blocks or mutes the author, or is blocked by them
    owner_follows_author: bool
    owner_follows_reply_to: bool
    reply_to_is_member: bool


def list_takes(facts: ListFacts, *, author_id: int, visibility: int, reply_to: int | None) -> bool:
    """Does a post by a member (or with one of the list's hashtags) enter the list?

    Never a direct post, nor one the owner could not see (followers-only from someone the
    owner does not follow), nor one by someone the owner blocks or mutes. A reply to
    someone else follows the replies policy: ``followed`` shows replies to people the owner
    follows, ``list`` replies to members, ``none`` none (replies to the owner and to oneself
    always show)."""
    if visibility == DIRECT or facts.owner_hides_author:
        return False
    if visibility == PRIVATE and not facts.owner_follows_author and author_id != facts.owner_id:
        return False
    if reply_to is None or reply_to in (author_id, facts.owner_id):
        return True
    if facts.policy == FOLLOWED:
        return facts.owner_follows_reply_to
    if facts.policy == LIST:
        return facts.reply_to_is_member
    return False
