"""``/@username/network``: the network picture (``services/network.py``), drawn by
``network_svg`` beside tables with the same facts. The owner always sees it; others only
when the owner shows it (``/settings/account``), else 404."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from staffroom.runtime import runtime_of
from staffroom.services import network
from staffroom.web.network_svg import network_svg
from staffroom.web.render import render
from staffroom.web.session import current_user


async def network_page(request: Request) -> Response:
    """``GET /@username/network``."""
    rt = runtime_of(request)
    viewer = await current_user(request)
    picture = await rt.db.aread(
        network.network_picture,
        viewer.account_id if viewer else None,
        request.path_params["username"],
    )
    return render(
        request,
        "network.html",
        viewer=viewer,
        nav="profile" if picture.own else None,
        picture=picture,
        network_svg=network_svg,
    )


routes: list[BaseRoute] = [
    Route("/@{username}/network", network_page, methods=["GET"]),
]
