"""A typical phone photo, made deterministically, and Pillow's own work on it (the ceiling).

:func:`phone_photo` draws a 4032x3024 JPEG (a 12 MP phone camera's size) of photographic-like
content (smooth colour fields, texture at two scales, sensor grain) at quality 90, about
3 MB, with the EXIF a phone writes: make and model, a capture time, GPS coordinates and an
orientation tag (6: the camera was held upright, so the pixels must be turned 90 degrees).
The same seed gives the same bytes.

:func:`pillow_ceiling` is the essential work of storing such an upload, done with Pillow
directly and nothing else: decode, apply the orientation, scale down to the original's pixel
limit and to the preview's, encode both as JPEG at the qualities Staffroom uses. No checks,
no blurhash, no HTTP, no storage, no database.
"""

from __future__ import annotations

import io
import math
import random

from PIL import Image, ImageOps

WIDTH, HEIGHT = 4032, 3024
ORIGINAL_PIXELS = 3840 * 2160  # as staffroom.media.images
SMALL_PIXELS = 640 * 360


def _noise(rng: random.Random, width: int, height: int, mode: str = "RGB") -> Image.Image:
    return Image.frombytes(mode, (width, height), rng.randbytes(width * height * len(mode)))


def _up(image: Image.Image) -> Image.Image:
    return image.resize((WIDTH, HEIGHT), Image.Resampling.BICUBIC)


def phone_photo(seed: int = 12, quality: int = 90) -> bytes:
    """The photo's JPEG bytes (about 3 MB for the default seed and quality)."""
    rng = random.Random(seed)
    image = _up(_noise(rng, 16, 12))  # broad fields of colour (sky, walls, ground)
    image = Image.blend(image, _up(_noise(rng, 504, 378)), 0.3)  # objects
    image = Image.blend(image, _up(_noise(rng, 1344, 1008)), 0.15)  # texture
    image = Image.blend(image, _noise(rng, WIDTH, HEIGHT, "L").convert("RGB"), 0.025)  # grain
    exif = Image.Exif()
    exif[0x010F] = "Staffroom Phone"  # Make
    exif[0x0110] = "Bench 12"  # Model
    exif[0x0112] = 6  # Orientation: rotate 90 degrees clockwise to display
    exif[0x0132] = "2026:11:21 09:41:00"  # DateTime
    gps = exif.get_ifd(0x8825)
    gps.update({1: "N", 2: (52.0, 31.0, 12.48), 3: "E", 4: (13.0, 24.0, 3.21), 5: 0, 6: 34.0})
    out = io.BytesIO()
    image.save(out, "JPEG", quality=quality, exif=exif)
    return out.getvalue()


def _fit(width: int, height: int, pixels: int) -> tuple[int, int]:
    if width * height <= pixels:
        return width, height
    scale = math.sqrt(pixels / (width * height))
    return max(1, math.floor(width * scale)), max(1, math.floor(height * scale))


def pillow_ceiling(data: bytes) -> tuple[int, int]:
    """Decode, orient, scale to both sizes, encode both (Staffroom's qualities); the two
    encoded sizes in bytes."""
    image = Image.open(io.BytesIO(data))
    image.load()
    oriented = ImageOps.exif_transpose(image)
    size = _fit(*oriented.size, ORIGINAL_PIXELS)
    original = oriented.resize(size, Image.Resampling.LANCZOS)
    small = original.resize(_fit(*size, SMALL_PIXELS), Image.Resampling.LANCZOS)
    encoded = []
    for variant, quality in ((original, 88), (small, 80)):
        out = io.BytesIO()
        variant.save(out, "JPEG", quality=quality)
        encoded.append(len(out.getvalue()))
    return encoded[0], encoded[1]
