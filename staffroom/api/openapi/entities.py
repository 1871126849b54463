"""The entities Staffroom's serializers produce, as JSON Schema (Mastodon's names).

Each schema states what Staffroom always sends (``required``) and what it may send; Mastodon
clients rely on the entity documentation, and ``tests/api/test_openapi_document.py`` checks
that every property Mastodon's description requires of a shared entity is required here too.
"""

from __future__ import annotations

from staffroom.api.openapi.collection_operations import SCHEMAS as COLLECTION_SCHEMAS
from staffroom.api.openapi.directory_operations import SCHEMAS as DIRECTORY_SCHEMAS
from staffroom.api.openapi.dsl import (
    ANY_OBJECT,
    BOOLEAN,
    DATE,
    DATE_TIME,
    ID,
    INTEGER,
    NUMBER,
    STRING,
    URL,
    Schema,
    array,
    empty_object,
    enum,
    nullable,
    obj,
    ref,
)
from staffroom.api.openapi.filter_operations import SCHEMAS as FILTER_SCHEMAS
from staffroom.api.openapi.suggestion_operations import SCHEMAS as SUGGESTION_SCHEMAS

VISIBILITY = enum("public", "unlisted", "private", "direct")

ACCOUNT = obj(
    {
        "id": ID,
        "username": STRING,
        "acct": STRING,
        "display_name": STRING,
        "locked": BOOLEAN,
        "bot": BOOLEAN,
        "discoverable": nullable(BOOLEAN),
        "indexable": BOOLEAN,
        "group": BOOLEAN,
        "created_at": DATE_TIME,
        "note": STRING,
        "url": URL,
        "uri": URL,
        "avatar": URL,
        "avatar_static": URL,
        "header": URL,
        "header_static": URL,
        "followers_count": INTEGER,
        "following_count": INTEGER,
        "statuses_count": INTEGER,
        "last_status_at": nullable(DATE),
        "hide_collections": nullable(BOOLEAN),
        "noindex": nullable(BOOLEAN),
        "emojis": array(ANY_OBJECT),
        "roles": array(ANY_OBJECT),
        "fields": array(
            obj({"name": STRING, "value": STRING}, {"verified_at": nullable(DATE_TIME)})
        ),
    },
    {  # only where one account is asked for (show, lookup): who may add it to a pack
        "feature_approval": obj(
            {
                "automatic": array(enum("public", "followers", "following")),
                "manual": array(STRING),
                "current_user": enum("automatic", "denied", "missing"),
            }
        )
    },
)

MUTED_ACCOUNT: Schema = {"allOf": [ref("Account"), obj({"mute_expires_at": nullable(DATE_TIME)})]}

FAMILIAR_FOLLOWERS = obj({"id": ID, "accounts": array(ref("Account"))})

CREDENTIAL_ACCOUNT: Schema = {
    "allOf": [
        ref("Account"),
        obj(
            {
                "source": obj(
                    {
                        "privacy": VISIBILITY,
                        "sensitive": BOOLEAN,
                        "language": STRING,
                        "note": STRING,
                        "fields": array(ANY_OBJECT),
                        "follow_requests_count": INTEGER,
                    },
                    {
                        "quote_policy": enum("public", "followers", "nobody"),
                        "hide_collections": BOOLEAN,
                        "discoverable": BOOLEAN,
                        "indexable": BOOLEAN,
                        "attribution_domains": array(STRING),
                    },
                ),
                "role": obj(
                    {
                        "id": STRING,
                        "name": STRING,
                        "color": STRING,
                        "permissions": STRING,
                        "highlighted": BOOLEAN,
                    }
                ),
            }
        ),
    ]
}

STATUS = obj(
    {
        "id": ID,
        "created_at": DATE_TIME,
        "in_reply_to_id": nullable(ID),
        "in_reply_to_account_id": nullable(ID),
        "sensitive": BOOLEAN,
        "spoiler_text": STRING,
        "visibility": VISIBILITY,
        "language": nullable(STRING),
        "uri": URL,
        "url": nullable(URL),
        "replies_count": INTEGER,
        "reblogs_count": INTEGER,
        "favourites_count": INTEGER,
        "edited_at": nullable(DATE_TIME),
        "content": STRING,
        "filtered": array(ANY_OBJECT),
        "application": nullable(obj({"name": STRING}, {"website": nullable(STRING)})),
        "media_attachments": array(ref("MediaAttachment")),
        "mentions": array(obj({"id": ID, "username": STRING, "url": URL, "acct": STRING})),
        "tags": array(obj({"name": STRING, "url": URL})),
        "emojis": array(ANY_OBJECT),
        "card": nullable(ANY_OBJECT),
        "poll": nullable(ref("Poll")),
        "account": ref("Account"),
        "reblog": nullable(ref("Status")),
        "quotes_count": INTEGER,
        "quote": nullable({"oneOf": [ref("Quote"), ref("ShallowQuote")]}),
        "quote_approval": ref("QuoteApproval"),
    },
    {
        "favourited": BOOLEAN,
        "reblogged": BOOLEAN,
        "muted": BOOLEAN,
        "bookmarked": BOOLEAN,
        "pinned": BOOLEAN,
        "text": nullable(STRING),
    },
)

QUOTE_STATE = enum(
    "pending",
    "accepted",
    "rejected",
    "revoked",
    "deleted",
    "unauthorized",
    "blocked_account",
    "blocked_domain",
    "muted_account",
)
QUOTE = obj({"state": QUOTE_STATE, "quoted_status": nullable(ref("Status"))})
SHALLOW_QUOTE = obj({"state": QUOTE_STATE, "quoted_status_id": nullable(ID)})
QUOTE_APPROVAL = obj(
    {
        "automatic": array(enum("public", "followers", "following", "unsupported_policy")),
        "manual": array(enum("public", "followers", "following", "unsupported_policy")),
        "current_user": enum("automatic", "manual", "denied", "unknown"),
    }
)

NOTIFICATION = obj(
    {
        "id": ID,
        "type": STRING,
        "created_at": DATE_TIME,
        "group_key": STRING,
        "account": ref("Account"),
    },
    {"status": ref("Status"), "collection": ref("Collection")},
)

NOTIFICATION_GROUP = obj(
    {
        "group_key": STRING,
        "notifications_count": INTEGER,
        "type": STRING,
        "most_recent_notification_id": INTEGER,
        "sample_account_ids": array(ID),
    },
    {
        "page_min_id": ID,
        "page_max_id": ID,
        "latest_page_notification_at": DATE_TIME,
        "status_id": ID,
        "collection": ref("Collection"),
    },
)
PARTIAL_ACCOUNT = obj(
    {
        "id": ID,
        "acct": STRING,
        "locked": BOOLEAN,
        "bot": BOOLEAN,
        "url": URL,
        "avatar": URL,
        "avatar_static": URL,
    }
)
GROUPED_NOTIFICATIONS = obj(
    {
        "accounts": array(ref("Account")),
        "statuses": array(ref("Status")),
        "notification_groups": array(ref("NotificationGroup")),
    },
    {"partial_accounts": array(ref("PartialAccountWithAvatar"))},
)
_POLICY_VALUE = enum("accept", "filter", "drop")
NOTIFICATION_POLICY = obj(
    {
        "for_not_following": _POLICY_VALUE,
        "for_not_followers": _POLICY_VALUE,
        "for_new_accounts": _POLICY_VALUE,
        "for_private_mentions": _POLICY_VALUE,
        "for_limited_accounts": _POLICY_VALUE,
        "summary": obj({"pending_requests_count": INTEGER, "pending_notifications_count": INTEGER}),
    }
)
NOTIFICATION_REQUEST = obj(
    {
        "id": ID,
        "created_at": DATE_TIME,
        "updated_at": DATE_TIME,
        "account": ref("Account"),
        "notifications_count": STRING,
    },
    {"last_status": ref("Status")},
)

RELATIONSHIP = obj(
    {
        "id": ID,
        "following": BOOLEAN,
        "showing_reblogs": BOOLEAN,
        "notifying": BOOLEAN,
        "languages": nullable(array(STRING)),
        "followed_by": BOOLEAN,
        "blocking": BOOLEAN,
        "blocked_by": BOOLEAN,
        "muting": BOOLEAN,
        "muting_notifications": BOOLEAN,
        "muting_expires_at": nullable(DATE_TIME),
        "requested": BOOLEAN,
        "requested_by": BOOLEAN,
        "domain_blocking": BOOLEAN,
        "endorsed": BOOLEAN,
        "note": STRING,
    }
)

TAG_HISTORY = obj({"day": STRING, "uses": STRING, "accounts": STRING})

TAG = obj(
    {"id": STRING, "name": STRING, "url": URL, "history": array(ref("TagHistory"))},
    {"following": BOOLEAN, "featuring": BOOLEAN},
)

ADMIN_TAG = {
    "allOf": [
        ref("Tag"),
        obj(
            {
                "trendable": BOOLEAN,
                "usable": BOOLEAN,
                "requires_review": BOOLEAN,
                "listable": BOOLEAN,
            }
        ),
    ]
}

TRENDS_LINK = obj(
    {
        "url": URL,
        "title": STRING,
        "description": STRING,
        "type": enum("link", "photo", "video", "rich"),
        "author_name": STRING,
        "author_url": STRING,
        "provider_name": STRING,
        "provider_url": STRING,
        "html": STRING,
        "width": INTEGER,
        "height": INTEGER,
        "image": nullable(STRING),
        "embed_url": STRING,
        "blurhash": nullable(STRING),
        "authors": array(ANY_OBJECT),
        "history": array(ref("TagHistory")),
    },
    {
        "language": nullable(STRING),
        "image_description": STRING,
        "published_at": nullable(STRING),
    },
)

ADMIN_TRENDS_LINK = {"allOf": [ref("TrendsLink"), obj({"id": ID, "requires_review": BOOLEAN})]}

ADMIN_TRENDS_STATUS = {"allOf": [ref("Status"), obj({"requires_review": BOOLEAN})]}

LIST = obj(
    {
        "id": ID,
        "title": STRING,
        "replies_policy": enum("followed", "list", "none"),
        "exclusive": BOOLEAN,
    }
)

FEATURED_TAG = obj(
    {
        "id": ID,
        "name": STRING,
        "url": URL,
        "statuses_count": STRING,
        "last_status_at": nullable(DATE),
    }
)

APPLICATION = obj(
    {
        "id": ID,
        "name": STRING,
        "website": nullable(STRING),
        "scopes": array(STRING),
        "redirect_uri": STRING,
        "redirect_uris": array(STRING),
        "vapid_key": STRING,
    },
)

CREDENTIAL_APPLICATION: Schema = {
    "allOf": [
        ref("Application"),
        obj({"client_id": STRING, "client_secret": STRING}, {"client_secret_expires_at": INTEGER}),
    ]
}

TOKEN = obj({"access_token": STRING, "token_type": STRING, "scope": STRING, "created_at": INTEGER})

ERROR = obj({"error": STRING}, {"error_description": nullable(STRING), "details": ANY_OBJECT})

POLL = obj(
    {
        "id": ID,
        "expires_at": nullable(DATE_TIME),
        "expired": BOOLEAN,
        "multiple": BOOLEAN,
        "votes_count": INTEGER,
        "voters_count": nullable(INTEGER),
        "options": array(obj({"title": STRING, "votes_count": nullable(INTEGER)})),
        "emojis": array(ANY_OBJECT),
    },
    {"voted": BOOLEAN, "own_votes": array(INTEGER)},
)

STATUS_EDIT = obj(
    {
        "content": STRING,
        "spoiler_text": STRING,
        "sensitive": BOOLEAN,
        "created_at": DATE_TIME,
        "account": ref("Account"),
        "media_attachments": array(ANY_OBJECT),
        "emojis": array(ANY_OBJECT),
    },
    {"poll": nullable(obj({"options": array(obj({"title": STRING}))}))},
)

SCHEDULED_STATUS = obj(
    {
        "id": ID,
        "scheduled_at": DATE_TIME,
        "params": obj(
            {"text": STRING, "visibility": VISIBILITY},
            {
                "poll": nullable(
                    obj(
                        {"options": array(STRING), "expires_in": INTEGER},
                        {"multiple": BOOLEAN, "hide_totals": BOOLEAN},
                    )
                ),
                "media_ids": nullable(array(STRING)),
                "sensitive": nullable(BOOLEAN),
                "spoiler_text": nullable(STRING),
                "in_reply_to_id": nullable(STRING),
                "language": nullable(STRING),
                "application_id": nullable(INTEGER),
                "scheduled_at": nullable(STRING),
                "idempotency": nullable(STRING),
                "with_rate_limit": BOOLEAN,
            },
        ),
        "media_attachments": array(ANY_OBJECT),
    }
)

CONVERSATION = obj(
    {
        "id": ID,
        "unread": BOOLEAN,
        "accounts": array(ref("Account")),
        "last_status": nullable(ref("Status")),
    }
)

MARKER = obj({"last_read_id": ID, "version": INTEGER, "updated_at": DATE_TIME})
# The markers API's answer: a hash keyed by timeline, only the timelines that have a marker.
MARKERS = {
    **obj({}, {"home": ref("Marker"), "notifications": ref("Marker")}),
    "additionalProperties": False,
}

STATUS_SOURCE = obj({"id": ID, "text": STRING, "spoiler_text": STRING})

CONTEXT = obj({"ancestors": array(ref("Status")), "descendants": array(ref("Status"))})

SEARCH = obj(
    {
        "accounts": array(ref("Account")),
        "statuses": array(ref("Status")),
        "hashtags": array(ref("Tag")),
    }
)

PREFERENCES = obj(
    {
        "posting:default:visibility": VISIBILITY,
        "posting:default:quote_policy": enum("public", "followers", "nobody"),
        "posting:default:sensitive": BOOLEAN,
        "posting:default:language": nullable(STRING),
        "reading:expand:media": enum("default", "show_all", "hide_all"),
        "reading:expand:spoilers": BOOLEAN,
    }
)

_LIMITS = obj(
    {
        "max_characters": INTEGER,
        "max_media_attachments": INTEGER,
        "characters_reserved_per_url": INTEGER,
    }
)

V1_INSTANCE = obj(
    {
        "uri": STRING,
        "title": STRING,
        "short_description": STRING,
        "description": STRING,
        "email": STRING,
        "version": STRING,
        "urls": obj({"streaming_api": STRING}),
        "stats": obj({"user_count": INTEGER, "status_count": INTEGER, "domain_count": INTEGER}),
        "thumbnail": nullable(URL),
        "languages": array(STRING),
        "registrations": BOOLEAN,
        "approval_required": BOOLEAN,
        "invites_enabled": BOOLEAN,
        "configuration": obj(
            {
                "accounts": ANY_OBJECT,
                "statuses": _LIMITS,
                "media_attachments": ANY_OBJECT,
                "polls": ANY_OBJECT,
            }
        ),
        "contact_account": nullable(ref("Account")),
        "rules": array(ANY_OBJECT),
    }
)

INSTANCE = obj(
    {
        "domain": STRING,
        "title": STRING,
        "version": STRING,
        "source_url": URL,
        "description": STRING,
        "usage": obj({"users": obj({"active_month": INTEGER})}),
        "thumbnail": obj({"url": URL}, {"blurhash": nullable(STRING), "versions": ANY_OBJECT}),
        "icon": array(obj({"src": URL, "size": STRING})),
        "languages": array(STRING),
        "configuration": obj(
            {
                "urls": obj({"streaming": STRING}, {"status": nullable(STRING)}),
                "accounts": ANY_OBJECT,
                "statuses": _LIMITS,
                "media_attachments": ANY_OBJECT,
                "polls": ANY_OBJECT,
                "translation": obj({"enabled": BOOLEAN}),
            },
            {"collections": ANY_OBJECT},
        ),
        "registrations": obj(
            {
                "enabled": BOOLEAN,
                "approval_required": BOOLEAN,
                "message": nullable(STRING),
            },
            {"url": nullable(STRING)},
        ),
        "api_versions": obj({"mastodon": INTEGER}),
        "contact": obj({"email": STRING, "account": nullable(ref("Account"))}),
        "rules": array(ANY_OBJECT),
    }
)

ACTIVITY = obj({"week": STRING, "statuses": STRING, "logins": STRING, "registrations": STRING})

EXTENDED_DESCRIPTION = obj({"updated_at": DATE_TIME, "content": STRING})

OAUTH_SERVER = obj(
    {
        "issuer": URL,
        "service_documentation": URL,
        "authorization_endpoint": URL,
        "token_endpoint": URL,
        "app_registration_endpoint": URL,
        "revocation_endpoint": URL,
        "userinfo_endpoint": URL,
        "scopes_supported": array(STRING),
        "response_types_supported": array(STRING),
        "response_modes_supported": array(STRING),
        "code_challenge_methods_supported": array(STRING),
        "grant_types_supported": array(STRING),
        "token_endpoint_auth_methods_supported": array(STRING),
    }
)

USERINFO = obj({"iss": URL, "sub": URL}, {"name": STRING, "preferred_username": STRING})

WEBFINGER = obj(
    {"subject": STRING, "links": array(obj({"rel": STRING}, {"type": STRING, "href": URL}))},
    {"aliases": array(URL)},
)

NODEINFO_LINKS = obj({"links": array(obj({"rel": URL, "href": URL}))})

NODEINFO = obj(
    {
        "version": STRING,
        "software": obj({"name": STRING, "version": STRING}),
        "protocols": array(STRING),
        "usage": ANY_OBJECT,
        "openRegistrations": BOOLEAN,
    },
    {"services": ANY_OBJECT, "metadata": ANY_OBJECT},
)

UNREAD_COUNT = obj({"count": INTEGER})

_META_SIZE = obj({"width": INTEGER, "height": INTEGER, "size": STRING, "aspect": NUMBER})
MEDIA_ATTACHMENT = obj(
    {
        "id": ID,
        "type": enum("image", "gifv", "video", "audio", "unknown"),
        "url": nullable(URL),
        "preview_url": nullable(URL),
        "remote_url": nullable(URL),
        "meta": obj(
            {"focus": obj({"x": NUMBER, "y": NUMBER})},
            {"original": _META_SIZE, "small": _META_SIZE},
        ),
        "description": nullable(STRING),
        "blurhash": nullable(STRING),
    },
    {"preview_remote_url": nullable(URL), "text_url": nullable(URL)},
)

EMPTY = empty_object()

SCHEMAS: dict[str, Schema] = {
    "Account": ACCOUNT,
    "CredentialAccount": CREDENTIAL_ACCOUNT,
    "MutedAccount": MUTED_ACCOUNT,
    "FamiliarFollowers": FAMILIAR_FOLLOWERS,
    "Status": STATUS,
    "Poll": POLL,
    "Quote": QUOTE,
    "ShallowQuote": SHALLOW_QUOTE,
    "QuoteApproval": QUOTE_APPROVAL,
    "Notification": NOTIFICATION,
    "NotificationGroup": NOTIFICATION_GROUP,
    "PartialAccountWithAvatar": PARTIAL_ACCOUNT,
    "GroupedNotificationsResults": GROUPED_NOTIFICATIONS,
    "NotificationPolicy": NOTIFICATION_POLICY,
    "NotificationRequest": NOTIFICATION_REQUEST,
    "Relationship": RELATIONSHIP,
    "Tag": TAG,
    "TagHistory": TAG_HISTORY,
    "AdminTag": ADMIN_TAG,
    "TrendsLink": TRENDS_LINK,
    "AdminTrendsLink": ADMIN_TRENDS_LINK,
    "AdminTrendsStatus": ADMIN_TRENDS_STATUS,
    "FeaturedTag": FEATURED_TAG,
    "List": LIST,
    "Application": APPLICATION,
    "CredentialApplication": CREDENTIAL_APPLICATION,
    "Token": TOKEN,
    "Error": ERROR,
    "Context": CONTEXT,
    "StatusEdit": STATUS_EDIT,
    "StatusSource": STATUS_SOURCE,
    "ScheduledStatus": SCHEDULED_STATUS,
    "Conversation": CONVERSATION,
    "Marker": MARKER,
    "Markers": MARKERS,
    "Search": SEARCH,
    "Preferences": PREFERENCES,
    "V1_Instance": V1_INSTANCE,
    "Instance": INSTANCE,
    "Activity": ACTIVITY,
    "ExtendedDescription": EXTENDED_DESCRIPTION,
    "OAuthServerConfiguration": OAUTH_SERVER,
    "UserInfo": USERINFO,
    "Webfinger": WEBFINGER,
    "NodeInfoLinks": NODEINFO_LINKS,
    "NodeInfo": NODEINFO,
    "UnreadCount": UNREAD_COUNT,
    "MediaAttachment": MEDIA_ATTACHMENT,
    "Empty": EMPTY,
    **FILTER_SCHEMAS,
    **SUGGESTION_SCHEMAS,
    **DIRECTORY_SCHEMAS,
    **COLLECTION_SCHEMAS,
}
