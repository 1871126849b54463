"""The links shared in a chat, gathered into a resource list with their titles.

Every URL in the chat's visible posts counts once, normalised (:func:`normalise`), in the
order it was first shared, with who shared it first and how many posts shared it. Titles
come from ``link_titles`` (keyed by the SHA-256 of the normalised URL); a link without one
is listed by its host and path until the ``fetch_link_title`` job has run. The job is
queued when a transcript is first read (decision 0026) and is idempotent: a row already
``fetched`` or ``failed`` is left alone.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from sqlalchemy import Connection, select, update

from staffroom import clock
from staffroom.db.tables_events import link_titles
from staffroom.db.upsert import insert_ignore
from staffroom.jobs.queue import enqueue
from staffroom.jobs.registry import job_handler
from staffroom.services import link_titles as fetching
from staffroom.services.status_views import StatusView
from staffroom.text.extract import extract_urls

if TYPE_CHECKING:
    from staffroom.jobs.queue import Job
    from staffroom.jobs.registry import Lease
    from staffroom.runtime import Runtime

_DEFAULT_PORTS = {"http": 80, "https": 443}


@dataclass(frozen=True, slots=True)
class Resource:
    """One shared link: where, its title if known, who shared it first, how often."""

    url: str
    title: str | None
    state: str  # pending | fetched | failed
    shared_by: Any  # the first sharer's account row
    first_status_id: int
    count: int

    @property
    def label(self) -> str:
        """The title, or until there is one the URL's host and path."""
        return self.title or host_and_path(self.url)


def normalise(url: str) -> str:
    """``url`` with scheme and host lower-case, the default port, the ``#fragment`` and
    ``utm_*`` parameters dropped (``http://`` added when typed without a scheme)."""
    url = url.strip()
    if "://" not in url:
        url = "http://" + url
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    try:
        port = parts.port
    except ValueError:
        port = None
    netloc = host if port in (None, _DEFAULT_PORTS.get(scheme)) else f"{host}:{port}"
    if parts.username or parts.password:
        netloc = parts.netloc.rsplit("@", 1)[0] + "@" + netloc
    query = parts.query
    pairs = parse_qsl(query, keep_blank_values=True)
    if any(k.lower().startswith("utm_") for k, _ in pairs):
        query = urlencode([(k, v) for k, v in pairs if not k.lower().startswith("utm_")])
    return urlunsplit((scheme, netloc, parts.path or "/", query, ""))


def host_and_path(url: str) -> str:
    """``example.org/path`` for ``https://example.org/path?x=1``."""
    parts = urlsplit(url)
    path = parts.path.rstrip("/")
    return (parts.hostname or url) + path


def url_hash(url: str) -> str:
    return hashlib.sha256(url.encode()).hexdigest()


def shared_links(views: Sequence[StatusView]) -> list[tuple[str, StatusView, int]]:
    """(normalised URL, the first post sharing it, how many posts share it), in order of
    first share; a post repeating a link counts once."""
    first: dict[str, StatusView] = {}
    counts: dict[str, int] = {}
    for view in views:
        for url in dict.fromkeys(normalise(u) for u in extract_urls(view.row.text)):
            first.setdefault(url, view)
            counts[url] = counts.get(url, 0) + 1
    return [(url, first[url], counts[url]) for url in first]


def resources(conn: Connection, views: Sequence[StatusView]) -> list[Resource]:
    """The chat's resource list from its visible posts, with the titles known so far."""
    links = shared_links(views)
    known: dict[str, Any] = {}
    hashes = [url_hash(url) for url, _, _ in links]
    for start in range(0, len(hashes), 500):
        rows = conn.execute(
            select(link_titles.c.url_hash, link_titles.c.title, link_titles.c.state).where(
                link_titles.c.url_hash.in_(hashes[start : start + 500])
            )
        )
        known.update({r.url_hash: r for r in rows})
    out = []
    for (url, view, count), digest in zip(links, hashes, strict=True):
        row = known.get(digest)
        out.append(
            Resource(
                url=url,
                title=row.title if row is not None and row.state == "fetched" else None,
                state=row.state if row is not None else "pending",
                shared_by=view.account,
                first_status_id=view.id,
                count=count,
            )
        )
    return out


def request_titles(conn: Connection, urls: Sequence[str]) -> int:
    """Queue ``fetch_link_title`` for each URL not yet known; answers how many were queued.
    Idempotent: a URL with a ``link_titles`` row (any state) is not queued again (two
    readers racing may both queue one; the job skips a row no longer pending)."""
    wanted = {url_hash(url): url for url in urls}
    have = set(
        conn.execute(
            select(link_titles.c.url_hash).where(link_titles.c.url_hash.in_(list(wanted)))
        ).scalars()
    )
    queued = 0
    for digest, url in wanted.items():
        if digest in have:
            continue
        conn.execute(
            insert_ignore(conn, link_titles),
            {"url_hash": digest, "url": url, "title": None, "state": "pending"},
        )
        enqueue(conn, "fetch_link_title", {"url_hash": digest}, max_attempts=2)
        queued += 1
    return queued


def unfetched(items: Sequence[Resource], conn: Connection) -> list[str]:
    """The resources' URLs that have no ``link_titles`` row yet."""
    hashes = {url_hash(r.url): r.url for r in items if r.state == "pending"}
    if not hashes:
        return []
    have = set(
        conn.execute(
            select(link_titles.c.url_hash).where(link_titles.c.url_hash.in_(list(hashes)))
        ).scalars()
    )
    return [url for digest, url in hashes.items() if digest not in have]


@job_handler("fetch_link_title")
def fetch_link_title(rt: Runtime, job: Job, lease: Lease) -> None:
    """Fetch a pending link's title (outside any transaction) and store it or ``failed``."""
    digest = str(job.payload["url_hash"])
    row = rt.db.read(
        lambda conn: conn.execute(
            select(link_titles.c.url, link_titles.c.state).where(link_titles.c.url_hash == digest)
        ).first()
    )
    if row is None or row.state != "pending":
        rt.db.write(lease.complete_in)
        return
    try:
        title = fetching.fetch_title(row.url, allow_private=rt.settings.fetch_private_links)
        state = "fetched" if title else "failed"
    except fetching.FetchRefused:
        title, state = None, "failed"

    def store(conn: Connection) -> None:
        conn.execute(
            update(link_titles)
            .where(link_titles.c.url_hash == digest, link_titles.c.state == "pending")
            .values(title=title, state=state, fetched_at=clock.now())
        )
        lease.complete_in(conn)

    rt.db.write(store)
