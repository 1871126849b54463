"""Every operation of the client API: its parameters, who may call it, what it answers.

One :class:`Operation` per method and path the routes answer (``tests/api`` checks that the
two lists agree); :mod:`staffroom.api.openapi.document` turns them into OpenAPI.
"""

from __future__ import annotations

from staffroom.api.openapi.collection_operations import COLLECTION_OPERATIONS
from staffroom.api.openapi.directory_operations import DIRECTORY_OPERATIONS
from staffroom.api.openapi.dsl import (
    BOOLEAN,
    ID,
    INTEGER,
    STRING,
    Operation,
    Schema,
    array,
    enum,
    obj,
    ref,
)
from staffroom.api.openapi.entities import VISIBILITY
from staffroom.api.openapi.filter_operations import FILTER_OPERATIONS
from staffroom.api.openapi.suggestion_operations import SUGGESTION_OPERATIONS

QUOTE_POLICY = enum("public", "followers", "nobody")


_MEDIA_BODY: dict[str, Schema] = {
    "file": {"type": "string", "format": "binary"},
    "description": STRING,
    "focus": STRING,
}
PAGE: dict[str, Schema] = {
    "max_id": STRING,
    "since_id": STRING,
    "min_id": STRING,
    "limit": INTEGER,
}
STATUSES = array(ref("Status"))
ACCOUNTS = array(ref("Account"))
EMPTY = ref("Empty")
POLL_PARAMS = obj(
    {"options": array(STRING), "expires_in": INTEGER},
    {"multiple": BOOLEAN, "hide_totals": BOOLEAN},
)
NOTHING: Schema = {"type": "array", "maxItems": 0}
_TRENDS_QUERY: dict[str, Schema] = {"limit": INTEGER, "offset": INTEGER}
_ADMIN_TRENDS = (
    ("tags", "AdminTag"),
    ("statuses", "AdminTrendsStatus"),
    ("links", "AdminTrendsLink"),
)
NEVER: Schema = {"not": {}}  # no 200 answer at all (the document leaves it out)


def _page(
    method: str,
    path: str,
    summary: str,
    ok: Schema,
    scope: str | None = None,
    *,
    optional_auth: bool = False,
    query: dict[str, Schema] | None = None,
) -> Operation:
    """A paginated list (``max_id``/``since_id``/``min_id``/``limit`` and a ``Link`` header)."""
    return Operation(
        method,
        path,
        summary,
        ok,
        scope,
        optional_auth=optional_auth,
        query={**PAGE, **(query or {})},
        paginated=True,
    )


_LIST_BODY: dict[str, Schema] = {
    "title": STRING,
    "replies_policy": enum("followed", "list", "none"),
    "exclusive": BOOLEAN,
}
_ACCOUNT_IDS: dict[str, Schema] = {"account_ids[]": array(ID)}
_TAG_NAMES: dict[str, Schema] = {"names[]": array(STRING)}
LISTS_AND_TAGS: list[Operation] = [
    Operation("GET", "/api/v1/lists", "Your lists", array(ref("List")), "read:lists"),
    Operation(
        "POST",
        "/api/v1/lists",
        "Make a list",
        ref("List"),
        "write:lists",
        body=_LIST_BODY,
        required_body=("title",),
    ),
    Operation("GET", "/api/v1/lists/{id}", "One of your lists", ref("List"), "read:lists"),
    Operation(
        "PUT", "/api/v1/lists/{id}", "Change a list", ref("List"), "write:lists", body=_LIST_BODY
    ),
    Operation(
        "PATCH", "/api/v1/lists/{id}", "Change a list", ref("List"), "write:lists", body=_LIST_BODY
    ),
    Operation("DELETE", "/api/v1/lists/{id}", "Delete a list", EMPTY, "write:lists"),
    _page("GET", "/api/v1/lists/{id}/accounts", "A list's members", ACCOUNTS, "read:lists"),
    Operation(
        "POST",
        "/api/v1/lists/{id}/accounts",
        "Add members (followed or not)",
        EMPTY,
        "write:lists",
        body=_ACCOUNT_IDS,
    ),
    Operation(
        "DELETE",
        "/api/v1/lists/{id}/accounts",
        "Remove members",
        EMPTY,
        "write:lists",
        body=_ACCOUNT_IDS,
    ),
    Operation(
        "GET",
        "/api/v1/lists/{id}/tags",
        "A list's hashtags (Staffroom)",
        array(ref("Tag")),
        "read:lists",
    ),
    Operation(
        "POST",
        "/api/v1/lists/{id}/tags",
        "Add hashtags to a list (Staffroom)",
        EMPTY,
        "write:lists",
        body=_TAG_NAMES,
    ),
    Operation(
        "DELETE",
        "/api/v1/lists/{id}/tags",
        "Remove hashtags from a list (Staffroom)",
        EMPTY,
        "write:lists",
        body=_TAG_NAMES,
    ),
    Operation(
        "GET",
        "/api/v1/accounts/{id}/lists",
        "Your lists holding an account",
        array(ref("List")),
        "read:lists",
    ),
    _page("GET", "/api/v1/timelines/list/{id}", "List timeline", STATUSES, "read:lists"),
    Operation(
        "POST", "/api/v1/tags/{name}/follow", "Follow a hashtag", ref("Tag"), "write:follows"
    ),
    Operation(
        "POST", "/api/v1/tags/{name}/unfollow", "Unfollow a hashtag", ref("Tag"), "write:follows"
    ),
    _page("GET", "/api/v1/followed_tags", "Followed hashtags", array(ref("Tag")), "read:follows"),
]

OPERATIONS: list[Operation] = [
    *LISTS_AND_TAGS,
    *FILTER_OPERATIONS,
    *SUGGESTION_OPERATIONS,
    *DIRECTORY_OPERATIONS,
    *COLLECTION_OPERATIONS,
    # --- timelines --------------------------------------------------------------------------
    _page("GET", "/api/v1/timelines/home", "Home timeline", STATUSES, "read:statuses"),
    _page(
        "GET",
        "/api/v1/timelines/public",
        "Public timeline",
        STATUSES,
        "read:statuses",
        optional_auth=True,
        query={"local": BOOLEAN, "remote": BOOLEAN, "only_media": BOOLEAN},
    ),
    _page(
        "GET",
        "/api/v1/timelines/tag/{hashtag}",
        "Hashtag timeline",
        STATUSES,
        "read:statuses",
        optional_auth=True,
        query={
            "local": BOOLEAN,
            "only_media": BOOLEAN,
            "any[]": array(STRING),
            "all[]": array(STRING),
            "none[]": array(STRING),
        },
    ),
    _page(
        "GET",
        "/api/v1/accounts/{id}/statuses",
        "An account's posts",
        STATUSES,
        "read:statuses",
        optional_auth=True,
        query={
            "exclude_replies": BOOLEAN,
            "exclude_reblogs": BOOLEAN,
            "only_media": BOOLEAN,
            "pinned": BOOLEAN,
            "tagged": STRING,
        },
    ),
    # --- statuses ---------------------------------------------------------------------------
    Operation(
        "GET",
        "/api/v1/statuses",
        "Several posts (at most 20; those you may not see left out)",
        STATUSES,
        "read:statuses",
        optional_auth=True,
        query={"id[]": array(STRING)},
    ),
    Operation(
        "POST",
        "/api/v1/statuses",
        "Post (with scheduled_at: schedule, answered with a ScheduledStatus)",
        {"anyOf": [ref("Status"), ref("ScheduledStatus")]},
        "write:statuses",
        body={
            "status": STRING,
            "in_reply_to_id": STRING,
            "sensitive": BOOLEAN,
            "spoiler_text": STRING,
            "visibility": VISIBILITY,
            "language": STRING,
            "scheduled_at": STRING,
            "media_ids": array(STRING),
            "poll": POLL_PARAMS,
            "quoted_status_id": STRING,
            "quote_approval_policy": QUOTE_POLICY,
        },
    ),
    _page(
        "GET",
        "/api/v1/statuses/{id}/quotes",
        "Accepted quotes of one's own post",
        array(ref("Status")),
        "read:statuses",
    ),
    Operation(
        "POST",
        "/api/v1/statuses/{id}/quotes/{quoting_status_id}/revoke",
        "Revoke a quote of one's own post",
        ref("Status"),
        "write:statuses",
    ),
    Operation(
        "PUT",
        "/api/v1/statuses/{id}/interaction_policy",
        "Change who may quote one's own post",
        ref("Status"),
        "write:statuses",
        body={"quote_approval_policy": QUOTE_POLICY},
    ),
    Operation(
        "GET", "/api/v1/statuses/{id}", "A post", ref("Status"), "read:statuses", optional_auth=True
    ),
    Operation("DELETE", "/api/v1/statuses/{id}", "Delete a post", ref("Status"), "write:statuses"),
    Operation(
        "PUT",
        "/api/v1/statuses/{id}",
        "Edit one's own post",
        ref("Status"),
        "write:statuses",
        body={
            "status": STRING,
            "sensitive": BOOLEAN,
            "spoiler_text": STRING,
            "language": STRING,
            "poll": POLL_PARAMS,
        },
    ),
    Operation(
        "GET",
        "/api/v1/statuses/{id}/history",
        "A post's versions, oldest first",
        array(ref("StatusEdit")),
        "read:statuses",
        optional_auth=True,
    ),
    Operation(
        "GET", "/api/v1/polls/{id}", "A poll", ref("Poll"), "read:statuses", optional_auth=True
    ),
    Operation(
        "POST",
        "/api/v1/polls/{id}/votes",
        "Vote in a poll",
        ref("Poll"),
        "write:statuses",
        body={"choices": array(INTEGER)},
        required_body=("choices",),
    ),
    Operation(
        "GET",
        "/api/v1/statuses/{id}/source",
        "One's own post as written",
        ref("StatusSource"),
        "read:statuses",
    ),
    Operation(
        "GET",
        "/api/v1/statuses/{id}/context",
        "A post's thread",
        ref("Context"),
        "read:statuses",
        optional_auth=True,
    ),
    Operation(
        "POST",
        "/api/v1/statuses/{id}/reblog",
        "Repost",
        ref("Status"),
        "write:statuses",
        body={"visibility": VISIBILITY},
    ),
    Operation(
        "POST", "/api/v1/statuses/{id}/unreblog", "Undo a repost", ref("Status"), "write:statuses"
    ),
    Operation(
        "POST", "/api/v1/statuses/{id}/favourite", "Favourite", ref("Status"), "write:favourites"
    ),
    Operation(
        "POST",
        "/api/v1/statuses/{id}/unfavourite",
        "Undo a favourite",
        ref("Status"),
        "write:favourites",
    ),
    Operation(
        "POST", "/api/v1/statuses/{id}/bookmark", "Bookmark", ref("Status"), "write:bookmarks"
    ),
    Operation(
        "POST",
        "/api/v1/statuses/{id}/unbookmark",
        "Remove a bookmark",
        ref("Status"),
        "write:bookmarks",
    ),
    Operation(
        "POST",
        "/api/v1/statuses/{id}/pin",
        "Feature one's own post on one's profile",
        ref("Status"),
        "write:accounts",
    ),
    Operation(
        "POST",
        "/api/v1/statuses/{id}/unpin",
        "Take a post off one's profile",
        ref("Status"),
        "write:accounts",
    ),
    _page(
        "GET",
        "/api/v1/statuses/{id}/reblogged_by",
        "Who reposted",
        ACCOUNTS,
        "read:statuses",
        optional_auth=True,
    ),
    _page(
        "GET",
        "/api/v1/statuses/{id}/favourited_by",
        "Who favourited",
        ACCOUNTS,
        "read:statuses",
        optional_auth=True,
    ),
    _page("GET", "/api/v1/favourites", "Your favourites", STATUSES, "read:favourites"),
    _page("GET", "/api/v1/bookmarks", "Your bookmarks", STATUSES, "read:bookmarks"),
    # --- notifications ----------------------------------------------------------------------
    _page(
        "GET",
        "/api/v1/notifications",
        "Your notifications",
        array(ref("Notification")),
        "read:notifications",
        query={
            "types[]": array(STRING),
            "exclude_types[]": array(STRING),
            "account_id": STRING,
            "include_filtered": BOOLEAN,
        },
    ),
    _page(
        "GET",
        "/api/v2/notifications",
        "Your notifications, grouped (limit counts groups)",
        ref("GroupedNotificationsResults"),
        "read:notifications",
        query={
            "types[]": array(STRING),
            "exclude_types[]": array(STRING),
            "account_id": STRING,
            "grouped_types[]": array(STRING),
            "include_filtered": BOOLEAN,
            "expand_accounts": enum("full", "partial_avatars"),
        },
    ),
    Operation(
        "GET",
        "/api/v2/notifications/unread_count",
        "Unread notification groups (newer than the notifications marker)",
        ref("UnreadCount"),
        "read:notifications",
        query={
            "limit": INTEGER,
            "types[]": array(STRING),
            "exclude_types[]": array(STRING),
            "account_id": STRING,
            "grouped_types[]": array(STRING),
        },
    ),
    Operation(
        "GET",
        "/api/v2/notifications/policy",
        "Your notification policy",
        ref("NotificationPolicy"),
        "read:notifications",
    ),
    Operation(
        "PATCH",
        "/api/v2/notifications/policy",
        "Change your notification policy (accept, filter or drop)",
        ref("NotificationPolicy"),
        "write:notifications",
        body={
            "for_not_following": STRING,
            "for_not_followers": STRING,
            "for_new_accounts": STRING,
            "for_private_mentions": STRING,
            "for_limited_accounts": STRING,
        },
    ),
    Operation(
        "PUT",
        "/api/v2/notifications/policy",
        "Change your notification policy (as PATCH)",
        ref("NotificationPolicy"),
        "write:notifications",
        body={
            "for_not_following": STRING,
            "for_not_followers": STRING,
            "for_new_accounts": STRING,
            "for_private_mentions": STRING,
            "for_limited_accounts": STRING,
        },
    ),
    Operation(
        "GET",
        "/api/v2/notifications/{group_key}",
        "One notification group",
        ref("GroupedNotificationsResults"),
        "read:notifications",
    ),
    Operation(
        "GET",
        "/api/v2/notifications/{group_key}/accounts",
        "Everyone in a notification group, newest first",
        ACCOUNTS,
        "read:notifications",
    ),
    Operation(
        "POST",
        "/api/v2/notifications/{group_key}/dismiss",
        "Dismiss a notification group",
        EMPTY,
        "write:notifications",
    ),
    _page(
        "GET",
        "/api/v1/notifications/requests",
        "People whose notifications your policy holds back",
        array(ref("NotificationRequest")),
        "read:notifications",
    ),
    Operation(
        "GET",
        "/api/v1/notifications/requests/merged",
        "Whether accepted requests are merged (always)",
        obj({"merged": BOOLEAN}),
        "read:notifications",
    ),
    Operation(
        "POST",
        "/api/v1/notifications/requests/accept",
        "Accept several requests",
        EMPTY,
        "write:notifications",
        body={"id[]": array(STRING)},
        required_body=("id[]",),
    ),
    Operation(
        "POST",
        "/api/v1/notifications/requests/dismiss",
        "Dismiss several requests",
        EMPTY,
        "write:notifications",
        body={"id[]": array(STRING)},
        required_body=("id[]",),
    ),
    Operation(
        "GET",
        "/api/v1/notifications/requests/{id}",
        "One notification request",
        ref("NotificationRequest"),
        "read:notifications",
    ),
    Operation(
        "POST",
        "/api/v1/notifications/requests/{id}/accept",
        "Accept a request (its notifications show; the sender is not filtered again)",
        EMPTY,
        "write:notifications",
    ),
    Operation(
        "POST",
        "/api/v1/notifications/requests/{id}/dismiss",
        "Dismiss a request (its notifications are deleted)",
        EMPTY,
        "write:notifications",
    ),
    Operation("POST", "/api/v1/notifications/clear", "Dismiss all", EMPTY, "write:notifications"),
    Operation(
        "POST",
        "/api/v1/notifications/dismiss",
        "Dismiss one (old form)",
        EMPTY,
        "write:notifications",
        body={"id": STRING},
    ),
    Operation(
        "GET",
        "/api/v1/notifications/unread_count",
        "Unread notifications",
        ref("UnreadCount"),
        "read:notifications",
        query={
            "limit": INTEGER,
            "types[]": array(STRING),
            "exclude_types[]": array(STRING),
            "account_id": STRING,
        },
    ),
    Operation(
        "GET",
        "/api/v1/notifications/{id}",
        "One notification",
        ref("Notification"),
        "read:notifications",
    ),
    Operation(
        "POST", "/api/v1/notifications/{id}/dismiss", "Dismiss one", EMPTY, "write:notifications"
    ),
    # --- accounts ---------------------------------------------------------------------------
    Operation(
        "POST",
        "/api/v1/accounts",
        "Sign up",
        ref("Token"),
        "write:accounts",
        body={
            "username": STRING,
            "email": STRING,
            "password": STRING,
            "agreement": BOOLEAN,
            "locale": STRING,
            "reason": STRING,
            "date_of_birth": STRING,
        },
        required_body=("username", "email", "password", "agreement", "locale"),
    ),
    Operation(
        "GET",
        "/api/v1/accounts",
        "Several accounts",
        ACCOUNTS,
        "read:accounts",
        optional_auth=True,
        query={"id[]": array(STRING)},
    ),
    Operation(
        "GET",
        "/api/v1/accounts/verify_credentials",
        "Who you are",
        ref("CredentialAccount"),
        "read:accounts",
    ),
    Operation(
        "PATCH",
        "/api/v1/accounts/update_credentials",
        "Update your profile",
        ref("CredentialAccount"),
        "write:accounts",
        body={
            "display_name": STRING,
            "note": STRING,
            "locked": BOOLEAN,
            "bot": BOOLEAN,
            "discoverable": BOOLEAN,
            "indexable": BOOLEAN,
            "source[privacy]": VISIBILITY,
            "source[sensitive]": BOOLEAN,
            "source[language]": STRING,
            "source[quote_policy]": QUOTE_POLICY,
        },
    ),
    Operation(
        "GET",
        "/api/v1/accounts/lookup",
        "Find by handle",
        ref("Account"),
        required_query=("acct",),
        query={"acct": STRING},
    ),
    Operation(
        "GET",
        "/api/v1/accounts/search",
        "Search accounts",
        ACCOUNTS,
        "read:accounts",
        optional_auth=True,
        required_query=("q",),
        query={
            "q": STRING,
            "limit": INTEGER,
            "offset": INTEGER,
            "resolve": BOOLEAN,
            "following": BOOLEAN,
        },
    ),
    Operation(
        "POST",
        "/api/v1/accounts/delete_self",
        "Delete your account",
        EMPTY,
        "write:accounts",
        body={"password": STRING},
        required_body=("password",),
    ),
    Operation(
        "GET",
        "/api/v1/accounts/{id}",
        "An account",
        ref("Account"),
        "read:accounts",
        optional_auth=True,
    ),
    Operation(
        "GET",
        "/api/v1/accounts/{id}/featured_tags",
        "An account's featured tags",
        array(ref("FeaturedTag")),
        "read:accounts",
        optional_auth=True,
    ),
    Operation(
        "GET",
        "/api/v1/featured_tags",
        "Your featured tags",
        array(ref("FeaturedTag")),
        "read:accounts",
    ),
    Operation(
        "POST",
        "/api/v1/featured_tags",
        "Feature a tag",
        ref("FeaturedTag"),
        "write:accounts",
        body={"name": STRING},
        required_body=("name",),
    ),
    Operation(
        "DELETE", "/api/v1/featured_tags/{id}", "Stop featuring a tag", EMPTY, "write:accounts"
    ),
    Operation(
        "GET",
        "/api/v1/featured_tags/suggestions",
        "Your most used hashtags not yet featured",
        array(ref("Tag")),
        "read:accounts",
    ),
    Operation(
        "POST", "/api/v1/tags/{name}/feature", "Feature a hashtag", ref("Tag"), "write:accounts"
    ),
    Operation(
        "POST",
        "/api/v1/tags/{name}/unfeature",
        "Stop featuring a hashtag",
        ref("Tag"),
        "write:accounts",
    ),
    # --- media ---------------------------------------------------------------------------
    Operation(
        "POST",
        "/api/v1/media",
        "Upload an image (multipart: file, description, focus), processed at once",
        ref("MediaAttachment"),
        "write:media",
        body=_MEDIA_BODY,
    ),
    Operation(
        "POST",
        "/api/v2/media",
        "Upload an image (multipart: file, description, focus), processed in the background",
        ref("MediaAttachment"),
        "write:media",
        body=_MEDIA_BODY,
        also_ok={"202": "Accepted: still processing (url is null)"},
    ),
    Operation(
        "GET",
        "/api/v1/media/{id}",
        "One of your attachments, before it is posted",
        ref("MediaAttachment"),
        "write:media",
        also_ok={"206": "Still processing (url is null)"},
    ),
    Operation(
        "PUT",
        "/api/v1/media/{id}",
        "Change the alt text or focus point of an attachment before it is posted",
        ref("MediaAttachment"),
        "write:media",
        body={"description": STRING, "focus": STRING},
    ),
    Operation(
        "DELETE",
        "/api/v1/media/{id}",
        "Delete an attachment that no post has taken",
        EMPTY,
        "write:media",
    ),
    # --- relationships ----------------------------------------------------------------------
    Operation(
        "GET",
        "/api/v1/accounts/relationships",
        "Your relationships",
        array(ref("Relationship")),
        "read:follows",
        query={"id[]": array(STRING), "with_suspended": BOOLEAN},
    ),
    Operation(
        "POST",
        "/api/v1/accounts/{id}/follow",
        "Follow",
        ref("Relationship"),
        "write:follows",
        body={"reblogs": BOOLEAN, "notify": BOOLEAN, "languages": array(STRING)},
    ),
    Operation(
        "POST", "/api/v1/accounts/{id}/unfollow", "Unfollow", ref("Relationship"), "write:follows"
    ),
    Operation(
        "POST",
        "/api/v1/accounts/{id}/remove_from_followers",
        "Remove a follower",
        ref("Relationship"),
        "write:follows",
    ),
    Operation("POST", "/api/v1/accounts/{id}/block", "Block", ref("Relationship"), "write:blocks"),
    Operation(
        "POST", "/api/v1/accounts/{id}/unblock", "Unblock", ref("Relationship"), "write:blocks"
    ),
    Operation(
        "POST",
        "/api/v1/accounts/{id}/mute",
        "Mute",
        ref("Relationship"),
        "write:mutes",
        body={"notifications": BOOLEAN, "duration": INTEGER},
    ),
    Operation("POST", "/api/v1/accounts/{id}/unmute", "Unmute", ref("Relationship"), "write:mutes"),
    _page(
        "GET",
        "/api/v1/accounts/{id}/followers",
        "Followers",
        ACCOUNTS,
        "read:accounts",
        optional_auth=True,
    ),
    _page(
        "GET",
        "/api/v1/accounts/{id}/following",
        "Following",
        ACCOUNTS,
        "read:accounts",
        optional_auth=True,
    ),
    # --- endorsements ----------------------------------------------------------------------
    *(
        Operation(
            "POST",
            f"/api/v1/accounts/{{id}}/{action}",
            summary,
            ref("Relationship"),
            "write:accounts",
        )
        for action, summary in (
            ("endorse", "Feature an account you follow on your profile"),
            ("unendorse", "Stop featuring an account"),
            ("pin", "Feature an account (the path before Mastodon 4.4)"),
            ("unpin", "Stop featuring an account (the path before Mastodon 4.4)"),
        )
    ),
    _page("GET", "/api/v1/endorsements", "Accounts you feature", ACCOUNTS, "read:accounts"),
    _page(
        "GET",
        "/api/v1/accounts/{id}/endorsements",
        "Accounts an account features",
        ACCOUNTS,
        "read:accounts",
        optional_auth=True,
    ),
    _page("GET", "/api/v1/blocks", "Your blocks", ACCOUNTS, "read:blocks"),
    _page("GET", "/api/v1/mutes", "Your mutes", array(ref("MutedAccount")), "read:mutes"),
    Operation(
        "GET",
        "/api/v1/accounts/familiar_followers",
        "Accounts you follow that follow these accounts",
        array(ref("FamiliarFollowers")),
        "read:follows",
        query={"id[]": array(STRING)},
    ),
    _page("GET", "/api/v1/follow_requests", "Follow requests", ACCOUNTS, "read:follows"),
    # --- search -----------------------------------------------------------------------------
    Operation(
        "GET",
        "/api/v2/search",
        "Search",
        ref("Search"),
        "read:search",
        optional_auth=True,
        required_query=("q",),
        query={
            "q": STRING,
            "type": enum("accounts", "hashtags", "statuses"),
            "resolve": BOOLEAN,
            "following": BOOLEAN,
            "account_id": STRING,
            "exclude_unreviewed": BOOLEAN,
            "max_id": STRING,
            "min_id": STRING,
            "limit": INTEGER,
            "offset": INTEGER,
        },
    ),
    Operation(
        "GET", "/api/v1/tags/{name}", "A hashtag", ref("Tag"), "read:follows", optional_auth=True
    ),
    # --- OAuth and apps ---------------------------------------------------------------------
    Operation(
        "POST",
        "/oauth/token",
        "Obtain a token",
        ref("Token"),
        body={
            "grant_type": enum("authorization_code", "password", "client_credentials"),
            "code": STRING,
            "client_id": STRING,
            "client_secret": STRING,
            "redirect_uri": STRING,
            "scope": STRING,
            "code_verifier": STRING,
            "username": STRING,
            "password": STRING,
        },
        required_body=("grant_type",),
    ),
    Operation(
        "POST",
        "/oauth/revoke",
        "Revoke a token",
        EMPTY,
        body={"client_id": STRING, "client_secret": STRING, "token": STRING},
        required_body=("client_id", "client_secret", "token"),
    ),
    Operation("GET", "/oauth/userinfo", "Who the token is for", ref("UserInfo"), "profile"),
    Operation("POST", "/oauth/userinfo", "Who the token is for", ref("UserInfo"), "profile"),
    Operation(
        "GET",
        "/.well-known/oauth-authorization-server",
        "OAuth server metadata",
        ref("OAuthServerConfiguration"),
    ),
    Operation(
        "POST",
        "/api/v1/apps",
        "Register an app",
        ref("CredentialApplication"),
        body={"client_name": STRING, "redirect_uris": STRING, "scopes": STRING, "website": STRING},
        required_body=("client_name", "redirect_uris"),
    ),
    Operation(
        "GET", "/api/v1/apps/verify_credentials", "The calling app", ref("Application"), "read"
    ),
    # --- instance ---------------------------------------------------------------------------
    Operation("GET", "/api/openapi.json", "This description", {"type": "object"}),
    Operation("GET", "/api/v1/instance", "The server (v1)", ref("V1_Instance")),
    Operation("GET", "/api/v2/instance", "The server", ref("Instance")),
    Operation("GET", "/api/v1/instance/peers", "Federated peers", array(STRING)),
    Operation("GET", "/api/v1/instance/rules", "Server rules", NOTHING),
    Operation("GET", "/api/v1/instance/domain_blocks", "Blocked domains", NOTHING),
    Operation("GET", "/api/v1/instance/activity", "Weekly activity", array(ref("Activity"))),
    Operation(
        "GET",
        "/api/v1/instance/extended_description",
        "About the server",
        ref("ExtendedDescription"),
    ),
    Operation("GET", "/api/v1/instance/translation_languages", "Translation languages", EMPTY),
    Operation(
        "GET",
        "/.well-known/webfinger",
        "WebFinger",
        ref("Webfinger"),
        required_query=("resource",),
        query={"resource": STRING},
        media_type="application/jrd+json",
    ),
    Operation(
        "GET", "/.well-known/host-meta", "host-meta", STRING, media_type="application/xrd+xml"
    ),
    Operation("GET", "/.well-known/nodeinfo", "NodeInfo links", ref("NodeInfoLinks")),
    Operation("GET", "/nodeinfo/{version}", "NodeInfo", ref("NodeInfo")),
    Operation(
        "GET", "/api/v1/preferences", "Your preferences", ref("Preferences"), "read:accounts"
    ),
    Operation(
        "GET", "/api/v1/streaming/health", "Streaming health", STRING, media_type="text/plain"
    ),
    # --- features Staffroom has no data for yet: the shapes Mastodon clients expect -------
    Operation("GET", "/api/v1/custom_emojis", "Custom emoji", NOTHING),
    # --- trends -----------------------------------------------------------------------------
    *(
        Operation("GET", path, summary, array(ref(entity)), query=_TRENDS_QUERY)
        for path, summary, entity in (
            ("/api/v1/trends", "Trending tags (the path before Mastodon 3.5)", "Tag"),
            ("/api/v1/trends/tags", "Hashtags used by more people than usual", "Tag"),
            ("/api/v1/trends/statuses", "Posts many people interact with", "Status"),
            ("/api/v1/trends/links", "Links many people share", "TrendsLink"),
        )
    ),
    *(
        Operation(
            "GET",
            f"/api/v1/admin/trends/{kind}",
            f"Trending {kind}, allowed or not (administrators)",
            array(ref(entity)),
            "admin:read",
            query=_TRENDS_QUERY,
        )
        for kind, entity in _ADMIN_TRENDS
    ),
    *(
        Operation(
            "POST",
            f"/api/v1/admin/trends/{kind}/{{id}}/{action}",
            f"{action.capitalize()} trending (administrators)",
            ref(entity),
            "admin:write",
        )
        for kind, entity in _ADMIN_TRENDS
        for action in ("approve", "reject")
    ),
    Operation("GET", "/api/v1/announcements", "Announcements", NOTHING, "read"),
    Operation("GET", "/api/v1/filters", "Filters (v1)", NOTHING, "read:filters"),
    Operation("GET", "/api/v2/filters", "Filters", NOTHING, "read:filters"),
    Operation(
        "GET",
        "/api/v1/markers",
        "Your read markers for the timelines named (home, notifications; others ignored)",
        ref("Markers"),
        "read:statuses",
        query={"timeline[]": array(enum("home", "notifications"))},
    ),
    Operation(
        "POST",
        "/api/v1/markers",
        "Save your position in home and/or notifications (409 if changed meanwhile)",
        ref("Markers"),
        "write:statuses",
        body={
            "home": obj({"last_read_id": ID}),
            "notifications": obj({"last_read_id": ID}),
        },
    ),
    _page(
        "GET",
        "/api/v1/conversations",
        "Your direct conversations",
        array(ref("Conversation")),
        "read:statuses",
    ),
    Operation(
        "POST",
        "/api/v1/conversations/{id}/read",
        "Mark a conversation as read",
        ref("Conversation"),
        "write:conversations",
    ),
    Operation(
        "DELETE",
        "/api/v1/conversations/{id}",
        "Remove a conversation from your list",
        EMPTY,
        "write:conversations",
    ),
    _page(
        "GET",
        "/api/v1/scheduled_statuses",
        "One's scheduled posts",
        array(ref("ScheduledStatus")),
        "read:statuses",
    ),
    Operation(
        "GET",
        "/api/v1/scheduled_statuses/{id}",
        "A scheduled post",
        ref("ScheduledStatus"),
        "read:statuses",
    ),
    Operation(
        "PUT",
        "/api/v1/scheduled_statuses/{id}",
        "Move a scheduled post to another time",
        ref("ScheduledStatus"),
        "write:statuses",
        body={"scheduled_at": STRING},
        required_body=("scheduled_at",),
    ),
    Operation(
        "DELETE",
        "/api/v1/scheduled_statuses/{id}",
        "Cancel a scheduled post",
        EMPTY,
        "write:statuses",
    ),
    Operation("GET", "/api/v1/domain_blocks", "Your blocked domains", NOTHING, "read:blocks"),
    # Staffroom keeps no Web Push subscriptions: this always answers 404.
    Operation("GET", "/api/v1/push/subscription", "Web Push subscription", NEVER, "push"),
    Operation(
        "DELETE", "/api/v1/push/subscription", "Remove the Web Push subscription", EMPTY, "push"
    ),
]
