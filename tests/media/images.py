"""Image files for the media tests, made with Pillow (no binary fixtures in the repository)."""

from __future__ import annotations

import io
import struct
import zlib

from PIL import Image

GPS_LATITUDE = ((51, 1), (30, 1), (0, 1))


def jpeg(
    width: int = 120, height: int = 80, *, orientation: int | None = None, gps: bool = False
) -> bytes:
    """A JPEG whose left half is red and right half blue, with EXIF if asked."""
    image = Image.new("RGB", (width, height), (200, 30, 30))
    image.paste((30, 30, 200), (width // 2, 0, width, height))
    exif = Image.Exif()
    if orientation is not None:
        exif[0x0112] = orientation
    if gps:
        exif[0x010F] = "PhoneMaker"  # Make
        gps_ifd = {1: "N", 2: (51.0, 30.0, 0.0), 3: "W", 4: (0.0, 7.0, 0.0)}
        exif[0x8825] = gps_ifd
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes() if (orientation or gps) else b"", quality=90)
    return out.getvalue()


def png(width: int = 64, height: int = 48, *, alpha: bool = False) -> bytes:
    mode = "RGBA" if alpha else "RGB"
    image = Image.new(mode, (width, height), (10, 120, 40, 128) if alpha else (10, 120, 40))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def webp(width: int = 50, height: int = 50) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (250, 200, 0)).save(out, "WEBP")
    return out.getvalue()


def gif(frames: int = 1, width: int = 40, height: int = 30) -> bytes:
    images = [
        Image.new("RGB", (width, height), (20 * n % 255, 100, 200)).convert("P")
        for n in range(frames)
    ]
    out = io.BytesIO()
    if frames == 1:
        images[0].save(out, "GIF", comment=b"made by a secret camera")
    else:
        images[0].save(
            out,
            "GIF",
            save_all=True,
            append_images=images[1:],
            duration=80,
            loop=0,
            comment=b"made by a secret camera",
        )
    return out.getvalue()


def png_declaring(width: int, height: int) -> bytes:
    """A tiny PNG whose header declares ``width`` x ``height`` (a decompression bomb)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00" * 64)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )
