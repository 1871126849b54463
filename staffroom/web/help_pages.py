"""Help pages in plain words: ``/help`` lists the topics, ``/help/{topic}`` shows one.

They work signed in and out. A later feature adds a topic by adding ``(slug, title)`` to
:data:`TOPICS` and a template ``templates/help/<slug>.html`` (extending ``help/topic.html``)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from staffroom.errors import NotFound
from staffroom.runtime import runtime_of
from staffroom.web.i18n import N_
from staffroom.web.render import render
from staffroom.web.session import current_user

TOPICS: tuple[tuple[str, str], ...] = (
    ("following", N_("Following people")),
    ("who-to-follow", N_("Who to follow: suggestions and why")),
    ("directory", N_("The directory")),
    ("network", N_("Your network picture")),
    ("packs", N_("Starter packs")),
    ("replies-and-threads", N_("Replies and threads")),
    ("hashtags", N_("Hashtags")),
    ("visibility", N_("Who can see your posts")),
    ("chats", N_("Taking part in hashtag chats")),
    ("wall", N_("Backchannel walls and audience questions")),
    ("events", N_("Events, reminders and calendars")),
    ("deck", N_("The deck and keyboard shortcuts")),
    ("mastodon-apps", N_("Using Mastodon apps")),
)
_TITLES = dict(TOPICS)


async def help_index(request: Request) -> Response:
    """``GET /help``: every topic."""
    viewer = await current_user(request)
    return render(request, "help/index.html", viewer=viewer, nav="help", topics=TOPICS)


async def help_topic(request: Request) -> Response:
    """``GET /help/{topic}``; 404 for a topic that is not in :data:`TOPICS`."""
    slug = request.path_params["topic"]
    if slug not in _TITLES:
        raise NotFound()
    viewer = await current_user(request)
    return render(
        request,
        f"help/{slug}.html",
        viewer=viewer,
        nav="help",
        topics=TOPICS,
        slug=slug,
        topic_title=_TITLES[slug],
        base_url=runtime_of(request).settings.base_url,
    )


routes: list[BaseRoute] = [
    Route("/help", help_index, methods=["GET"]),
    Route("/help/{topic}", help_topic, methods=["GET"]),
]
