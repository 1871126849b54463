"""The image pipeline: decode an upload with Pillow, refuse what is not a safe image, and
re-encode it (metadata stripped, orientation applied) with a small preview and a blurhash.

Pure: bytes in, :class:`ProcessedImage` out, or :class:`ImageRefused` with a sentence a
person understands. Only the four formats Mastodon takes for images are ever handed to a
decoder (``Image.open(formats=...)``), the declared size is checked before any pixel is
decoded, and the whole image is decoded before anything is stored, so a truncated file, a
decompression bomb or a file of another kind is refused with nothing written.

Re-encoding starts from pixels alone (``info`` emptied), so no EXIF (GPS), XMP, ICC profile
or comment survives in any variant. Sizes follow Mastodon: the original is scaled down to at
most 3840x2160 pixels' worth, the preview to 640x360's worth; static GIFs become PNG, and an
animated GIF stays an animated GIF (Mastodon turns it into a video; Staffroom has no video
encoder).
"""

from __future__ import annotations

import io
import math
from collections.abc import Iterator
from dataclasses import dataclass

import blurhash
from PIL import Image, ImageOps, ImageSequence

from staffroom.messages import N_, T_

# Limits advertised in /api/v2/instance (configuration.media_attachments).
SUPPORTED_TYPES = ("image/jpeg", "image/png", "image/gif", "image/webp")
MATRIX_LIMIT = 33_177_600  # pixels a decoded image may have (Mastodon's 7680x4320)
ORIGINAL_PIXELS = 8_294_400  # 3840x2160
SMALL_PIXELS = 230_400  # 640x360
MAX_FRAMES = 500
# Decoded pixels across all frames of an animation (a small GIF of many frames is a bomb too).
ANIMATION_PIXELS = MATRIX_LIMIT

_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "GIF": "image/gif", "WEBP": "image/webp"}
_EXTENSIONS = {"image/jpeg": "jpg", "image/png": "png", "image/gif": "gif", "image/webp": "webp"}
# Types and file extensions clients declare, by the type they name.
_DECLARED = {
    "image/jpeg": "image/jpeg",
    "image/jpg": "image/jpeg",
    "image/pjpeg": "image/jpeg",
    "image/png": "image/png",
    "image/x-png": "image/png",
    "image/gif": "image/gif",
    "image/webp": "image/webp",
}
_SUFFIXES = {
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "jpe": "image/jpeg",
    "png": "image/png",
    "gif": "image/gif",
    "webp": "image/webp",
}
_UNDECLARED = {"", "application/octet-stream", "binary/octet-stream"}
_NAMES = {"image/jpeg": "JPEG", "image/png": "PNG", "image/gif": "GIF", "image/webp": "WebP"}


class ImageRefused(ValueError):
    """The upload is not an image Staffroom takes; :attr:`reason` says why, for a person
    (marked for translation: ``staffroom.messages``)."""

    @property
    def reason(self) -> str:
        found: str = self.args[0]
        return found


@dataclass(frozen=True, slots=True)
class Variant:
    data: bytes
    content_type: str
    width: int
    height: int

    @property
    def extension(self) -> str:
        return _EXTENSIONS[self.content_type]


@dataclass(frozen=True, slots=True)
class ProcessedImage:
    original: Variant
    small: Variant
    blurhash: str


def check_declared(detected: str, content_type: str | None, filename: str | None) -> None:
    """Refuse an upload whose declared type or file name says another kind of file."""
    declared = (content_type or "").split(";")[0].strip().lower()
    if declared not in _UNDECLARED:
        named = _DECLARED.get(declared)
        if named != detected:
            raise ImageRefused(
                T_(
                    "The file's content is a %(kind)s image, but it was sent as %(declared)s",
                    kind=_NAMES[detected],
                    declared=declared[:60],
                )
            )
    suffix = (filename or "").rpartition(".")[2].lower() if "." in (filename or "") else ""
    if suffix and suffix in _SUFFIXES and _SUFFIXES[suffix] != detected:
        raise ImageRefused(
            T_(
                "The file's content is a %(kind)s image, but its name ends in .%(suffix)s",
                kind=_NAMES[detected],
                suffix=suffix,
            )
        )


def _open(data: bytes) -> Image.Image:
    try:
        image = Image.open(io.BytesIO(data), formats=list(_FORMATS))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ImageRefused(_too_many_pixels()) from None
    except Exception:
        raise ImageRefused(
            N_("The file is not an image Staffroom can take: JPEG, PNG, GIF and WebP are supported")
        ) from None
    if image.format not in _FORMATS:  # pragma: no cover - formats= already ensures it
        raise ImageRefused(N_("The file is not a JPEG, PNG, GIF or WebP image"))
    return image


def _too_many_pixels() -> str:
    return T_(
        "The image has too many pixels (at most %(limit)s are allowed)", limit=f"{MATRIX_LIMIT:,}"
    )


def inspect(data: bytes) -> tuple[str, int, int]:
    """(content type, width, height) read from the file's header, limits checked; no pixel
    is decoded."""
    image = _open(data)
    width, height = image.size
    if width < 1 or height < 1 or width * height > MATRIX_LIMIT:
        raise ImageRefused(_too_many_pixels())
    frames = int(getattr(image, "n_frames", 1))
    if frames > MAX_FRAMES or frames * width * height > ANIMATION_PIXELS:
        raise ImageRefused(
            T_(
                "The animation is too large (at most %(frames)s frames and %(pixels)s pixels "
                "in all)",
                frames=MAX_FRAMES,
                pixels=f"{ANIMATION_PIXELS:,}",
            )
        )
    return _FORMATS[str(image.format)], width, height


def _fit(width: int, height: int, pixels: int) -> tuple[int, int]:
    if width * height <= pixels:
        return width, height
    scale = math.sqrt(pixels / (width * height))
    return max(1, math.floor(width * scale)), max(1, math.floor(height * scale))


def _has_alpha(image: Image.Image) -> bool:
    return image.mode in ("RGBA", "LA", "PA", "RGBa", "La") or (
        image.mode == "P" and "transparency" in image.info
    )


def _pixels(image: Image.Image, mode: str) -> Image.Image:
    """The image's pixels in ``mode`` with nothing else (no EXIF, ICC, XMP, comments)."""
    try:
        converted = image.convert(mode)
    except ValueError:  # modes Pillow cannot convert directly (16-bit greyscale)
        converted = image.convert("I").point(lambda v: v / 256).convert("L").convert(mode)
    converted.info = {}
    return converted


def _encode(image: Image.Image, content_type: str, *, small: bool = False) -> bytes:
    out = io.BytesIO()
    image.info = {}
    if content_type == "image/jpeg":  # baseline: progressive costs 5x the encoding time
        image.save(out, "JPEG", quality=80 if small else 88, optimize=small)
    elif content_type == "image/png":
        image.save(out, "PNG", optimize=small)
    elif content_type == "image/webp":
        image.save(out, "WEBP", quality=80 if small else 88, method=4)
    else:  # pragma: no cover - animations use _encode_animation
        raise ValueError(content_type)
    return out.getvalue()


def _frames(image: Image.Image, size: tuple[int, int]) -> Iterator[tuple[Image.Image, int]]:
    for frame in ImageSequence.Iterator(image):
        duration = int(frame.info.get("duration", 100) or 100)
        pixels = _pixels(frame, "RGBA")
        if pixels.size != size:
            pixels = pixels.resize(size, Image.Resampling.LANCZOS)
        yield pixels, duration


def _encode_animation(image: Image.Image, content_type: str, size: tuple[int, int]) -> bytes:
    frames = list(_frames(image, size))
    first, rest = frames[0][0], [f for f, _ in frames[1:]]
    out = io.BytesIO()
    kind = "GIF" if content_type == "image/gif" else "WEBP"
    first.save(
        out,
        kind,
        save_all=True,
        append_images=rest,
        duration=[d for _, d in frames],
        loop=0,
        disposal=2 if kind == "GIF" else 0,
    )
    return out.getvalue()


def _decoded(data: bytes) -> tuple[Image.Image, str, bool]:
    content_type, width, height = inspect(data)
    image = _open(data)
    try:
        if content_type == "image/jpeg":  # decode at 1/2, 1/4 or 1/8 scale when that is enough
            image.draft(None, _fit(width, height, ORIGINAL_PIXELS))
        image.load()
        animated = bool(getattr(image, "is_animated", False))
        if animated:
            for frame in ImageSequence.Iterator(image):
                frame.load()
            image.seek(0)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ImageRefused(_too_many_pixels()) from None
    except Exception:
        raise ImageRefused(N_("The image is damaged or incomplete and could not be read")) from None
    return image, content_type, animated


def verify(data: bytes) -> None:
    """Decode ``data`` whole (every frame), refusing what :func:`process` would refuse to
    read; nothing is re-encoded."""
    _decoded(data)


def process(data: bytes) -> ProcessedImage:
    """Decode ``data`` whole and re-encode it as Staffroom stores it (see the module)."""
    image, content_type, animated = _decoded(data)
    try:
        return _reencode(image, content_type, animated)
    except ImageRefused:
        raise
    except Exception:
        raise ImageRefused(N_("The image could not be processed")) from None


_ORIENTATIONS = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}


def _scaled_upright(image: Image.Image) -> Image.Image:
    """The still image's pixels alone, scaled to the original's limit, then turned as its
    EXIF orientation says (turning the smaller image is cheaper; the limit is a pixel count,
    so it does not depend on the orientation)."""
    mode = "RGBA" if _has_alpha(image) else "RGB"
    size = _fit(*image.size, ORIGINAL_PIXELS)
    if image.mode == mode and size != image.size:
        pixels = image.resize(size, Image.Resampling.LANCZOS)  # a new image: no file behind it
    else:
        pixels = _pixels(image, mode)
        if size != pixels.size:
            pixels = pixels.resize(size, Image.Resampling.LANCZOS)
    turn = _ORIENTATIONS.get(int(image.getexif().get(0x0112) or 1))
    if turn is not None:
        pixels = pixels.transpose(turn)
    pixels.info = {}
    return pixels


def _hash_source(small: Image.Image) -> Image.Image:
    """The preview at most 64 pixels wide for the blurhash: 4x4 components describe colours
    over quarters of the image, which 64 pixels hold as well as 640 (12x faster)."""
    source = small.convert("RGB")
    if source.width > 64:
        source.thumbnail((64, 64 * source.height // source.width or 1), Image.Resampling.BOX)
    return source


def _reencode(image: Image.Image, content_type: str, animated: bool) -> ProcessedImage:
    if animated:  # frames as they are (GIF and WebP animations carry no orientation)
        size = _fit(*image.size, ORIGINAL_PIXELS)
        original_type = content_type
        original = _encode_animation(image, content_type, size)
        image.seek(0)
        first = _pixels(image, "RGBA" if _has_alpha(image) else "RGB")
    else:
        first = _scaled_upright(image)
        size = first.size
        original_type = "image/png" if content_type == "image/gif" else content_type
        original = _encode(first, original_type)
    if first.size != size:
        first = first.resize(size, Image.Resampling.LANCZOS)
    small_size = _fit(*size, SMALL_PIXELS)
    small = (
        first.resize(small_size, Image.Resampling.LANCZOS, reducing_gap=3.0)
        if small_size != size
        else first
    )
    small_type = "image/png" if small.mode == "RGBA" else "image/jpeg"
    small_bytes = _encode(small.copy(), small_type, small=True)
    hashed = blurhash.encode(_hash_source(small), x_components=4, y_components=4)
    return ProcessedImage(
        original=Variant(original, original_type, size[0], size[1]),
        small=Variant(small_bytes, small_type, small_size[0], small_size[1]),
        blurhash=str(hashed),
    )


def profile_image(data: bytes, box: tuple[int, int]) -> Variant:
    """An avatar or header re-encoded like an attachment (metadata stripped, orientation
    applied, the first frame of an animation), cropped to fill ``box`` when larger, as
    Mastodon crops them (400x400 avatars, 1500x500 headers)."""
    image, content_type, _ = _decoded(data)
    try:
        oriented = ImageOps.exif_transpose(image) or image
        alpha = _has_alpha(oriented)
        pixels = _pixels(oriented, "RGBA" if alpha else "RGB")
        if pixels.width > box[0] or pixels.height > box[1]:
            pixels = ImageOps.fit(pixels, box, Image.Resampling.LANCZOS)
        kind = "image/png" if content_type == "image/gif" else content_type
        return Variant(_encode(pixels, kind), kind, pixels.width, pixels.height)
    except Exception:
        raise ImageRefused(N_("The image could not be processed")) from None
