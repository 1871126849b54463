"""Error pages for people: the site's layout, the reader's language, and a way on.

The API answers errors as JSON (``api/responses.py``); everything else gets these pages.
A page that fails to render falls back to the plain page of ``middleware.error_page``, so
an error never turns into a second error.
"""

from __future__ import annotations

import logging

from starlette.requests import Request
from starlette.responses import Response

from staffroom.middleware import error_page
from staffroom.web.i18n import N_
from staffroom.web.render import render
from staffroom.web.session import current_user

log = logging.getLogger("staffroom.web")

TITLES = {
    400: N_("That request could not be understood"),
    401: N_("Please sign in"),
    403: N_("That is not allowed"),
    404: N_("Page not found"),
    405: N_("That is not allowed"),
    409: N_("That changed while you were busy"),
    413: N_("That is too large"),
    422: N_("That did not work"),
    429: N_("Too many requests"),
}
# Messages the services raise that people meet on pages, so that the catalogs hold them.
KNOWN_MESSAGES = (N_("Record not found"), N_("Method not allowed"))
HINTS = {
    404: N_("The page may have been deleted, or the address may be mistyped."),
    403: N_("If you think you should be able to do this, sign in with the right account."),
    429: N_("You are doing that too often. Please wait a few minutes."),
}


async def error_page_for(request: Request, status: int, message: str) -> Response:
    """The error page for a web request: title by status, the message, links onwards."""
    try:
        viewer = await current_user(request)
        return render(
            request,
            "error.html",
            viewer=viewer,
            status=status,
            code=status,
            title=TITLES.get(status, N_("Something went wrong")),
            message=message,
            hint=HINTS.get(status),
        )
    except Exception:
        log.exception("the error page for %s failed to render", status)
        return error_page(status, message)
