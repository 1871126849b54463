"""``/settings/notifications``: who can notify you (the notification policy the API's
``/api/v2/notifications/policy`` reads and changes): for each kind of stranger, show their
notifications, hold them back (``/notifications/requests``) or ignore them."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from staffroom.runtime import runtime_of
from staffroom.services import notification_policy
from staffroom.services.login import SessionUser
from staffroom.web.i18n import N_
from staffroom.web.render import redirect
from staffroom.web.session import current_user
from staffroom.web.settings_common import (
    Errors,
    checked_form,
    render_settings,
    sign_in_first,
    text,
)

# (field, label, hint); Staffroom has no moderator limits, so ``for_limited_accounts`` keeps
# its value and is not offered.
FIELDS = (
    ("for_not_following", N_("People you don't follow"), ""),
    (
        "for_not_followers",
        N_("People who don't follow you"),
        N_("Including people who started following you less than 3 days ago."),
    ),
    ("for_new_accounts", N_("New accounts"), N_("Accounts made in the last 30 days.")),
    (
        "for_private_mentions",
        N_("Unsolicited private mentions"),
        N_("Private mentions from people you don't follow, unless they answer you."),
    ),
)
CHOICES = (
    ("accept", N_("Show")),
    ("filter", N_("Hold back for review")),
    ("drop", N_("Ignore")),
)


async def _page(
    request: Request, viewer: SessionUser, *, errors: Errors | None = None, status: int = 200
) -> Response:
    policy = await runtime_of(request).db.aread(notification_policy.get_policy, viewer.account_id)
    return render_settings(
        request,
        "settings_notifications.html",
        viewer,
        status=status,
        fields=FIELDS,
        choices=CHOICES,
        policy=policy,
        errors=errors or {},
    )


async def policy_form(request: Request) -> Response:
    viewer = await current_user(request)
    if viewer is None:
        return sign_in_first(request)
    return await _page(request, viewer)


async def save_policy(request: Request) -> Response:
    """``POST /settings/notifications``: every field at once; nothing saved on a bad one."""
    checked = await checked_form(request)
    if isinstance(checked, Response):
        return checked
    viewer, form = checked
    changes = {name: text(form, name) for name, _, _ in FIELDS}
    errors: Errors = {
        name: (N_("Please choose one of the options."), {})
        for name, value in changes.items()
        if value not in notification_policy.CHOICES
    }
    if errors:
        return await _page(request, viewer, errors=errors, status=422)
    await runtime_of(request).db.awrite(
        notification_policy.update_policy, viewer.account_id, changes
    )
    return redirect("/settings/notifications?saved=policy")


routes: list[BaseRoute] = [
    Route("/settings/notifications", policy_form, methods=["GET"]),
    Route("/settings/notifications", save_policy, methods=["POST"]),
]
