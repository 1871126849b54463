"""The composer's images in a form: new files, each with its alt text, and images already
uploaded that the form holds (hidden ids, their alt text, a "remove" box).

New files come in the slots ``image`` / ``image_description`` and ``image_2`` …
``image_4`` with ``image_description_2`` …; held images as repeated ``media_ids`` with
``media_description_<id>`` and ``remove_media=<id>``. Nothing here trusts an id: the services
check that each is the author's own (``services.media_drafts``, ``services.edit_media``).
"""

from __future__ import annotations

from dataclasses import dataclass

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, UploadFile

from staffroom.errors import ValidationFailed
from staffroom.ids import parse_id
from staffroom.messages import T_
from staffroom.runtime import Runtime
from staffroom.services import media
from staffroom.services.media_views import MediaView
from staffroom.web.forms import form_text

MAX_IMAGES = media.MAX_ATTACHMENTS
SLOTS = ("", "_2", "_3", "_4")


@dataclass(frozen=True, slots=True)
class Choice:
    """The images a composer's form asks for."""

    held: list[int]
    removed: set[int]
    descriptions: dict[int, str]
    uploads: list[media.Upload]

    @property
    def kept(self) -> list[int]:
        return [i for i in self.held if i not in self.removed]


def _ids(values: list[object]) -> list[int]:
    found: dict[int, None] = {}
    for value in values:
        parsed = parse_id(form_text(value).strip())
        if parsed is not None:
            found[parsed] = None
    return list(found)


async def read_choice(form: FormData, limit: int) -> Choice:
    """The held images and the new files of ``form`` (empty file fields skipped)."""
    held = _ids(list(form.getlist("media_ids")))[:MAX_IMAGES]
    descriptions = {
        i: form_text(form.get(f"media_description_{i}")).strip()
        for i in held
        if f"media_description_{i}" in form
    }
    uploads = []
    for suffix in SLOTS:
        found = form.get(f"image{suffix}")
        if not isinstance(found, UploadFile) or not found.filename:
            continue
        data = await found.read(limit + 1)
        if data:
            uploads.append(
                media.Upload(
                    data=data,
                    content_type=found.content_type,
                    filename=found.filename,
                    description=form_text(form.get(f"image_description{suffix}")).strip(),
                )
            )
    return Choice(held, set(_ids(list(form.getlist("remove_media")))), descriptions, uploads)


def check_count(kept: int, uploads: int) -> None:
    if kept + uploads > MAX_IMAGES:
        raise ValidationFailed(T_("Cannot attach more than %(most)s files", most=MAX_IMAGES))


async def upload_all(
    rt: Runtime, account_id: int, uploads: list[media.Upload], into: list[MediaView]
) -> None:
    """Store each new file as an unattached attachment, appending it to ``into`` as it is
    stored, so that a refusal (a damaged file) keeps those before it."""
    for upload in uploads:
        into.append(await run_in_threadpool(media.upload_media, rt, account_id, upload, wait=True))
