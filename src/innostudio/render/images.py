"""Photos for the site: a thumbnail and a full-size copy, both re-encoded without metadata.

Re-encoding drops EXIF (camera GPS positions, owner names) from everything published.
"""
from __future__ import annotations

import io
from pathlib import Path

from PIL import Image, ImageOps

THUMB_SIZE = (640, 640)
FULL_SIZE = (1600, 1600)


def _encode(im: Image.Image, size: tuple[int, int], quality: int) -> bytes:
    im = ImageOps.exif_transpose(im)
    if im.mode not in ("RGB", "L"):
        background = Image.new("RGB", im.size, (255, 255, 255))
        rgba = im.convert("RGBA")
        background.paste(rgba, mask=rgba.getchannel("A"))
        im = background
    im.thumbnail(size, Image.Resampling.LANCZOS)
    out = io.BytesIO()
    im.convert("RGB").save(out, "JPEG", quality=quality, optimize=True, progressive=False)
    return out.getvalue()


def photo_versions(source: Path) -> tuple[bytes, bytes]:
    """(full-size copy, thumbnail) as JPEG bytes without metadata."""
    with Image.open(source) as im:
        im.load()
        return _encode(im.copy(), FULL_SIZE, 85), _encode(im.copy(), THUMB_SIZE, 78)
