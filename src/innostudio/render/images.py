"""Photos for the site: a full-size copy and two smaller widths for srcset, all re-encoded without metadata.

Re-encoding drops EXIF (camera GPS positions, owner names) from everything published. Each size is
scaled down from the previous one (the source is decoded and oriented once).
"""
from __future__ import annotations

import io
from pathlib import Path

from PIL import Image, ImageOps

FULL_SIZE = (1600, 1600)
THUMB_SIZE = (640, 640)
SMALL_SIZE = (320, 320)
QUALITY = {FULL_SIZE: 85, THUMB_SIZE: 78, SMALL_SIZE: 76}


def fitted(width: int, height: int, box: tuple[int, int]) -> tuple[int, int]:
    """The size Pillow's thumbnail() gives an image of ``width`` x ``height`` inside ``box``."""
    if not width or not height:
        return box
    if width <= box[0] and height <= box[1]:
        return width, height
    scale = min(box[0] / width, box[1] / height)
    return max(1, round(width * scale)), max(1, round(height * scale))


def _rgb(im: Image.Image) -> Image.Image:
    im = ImageOps.exif_transpose(im)
    if im.mode not in ("RGB", "L"):
        background = Image.new("RGB", im.size, (255, 255, 255))
        rgba = im.convert("RGBA")
        background.paste(rgba, mask=rgba.getchannel("A"))
        im = background
    return im.convert("RGB")


def _jpeg(im: Image.Image, quality: int) -> bytes:
    out = io.BytesIO()
    im.save(out, "JPEG", quality=quality, optimize=True, progressive=False)
    return out.getvalue()


def photo_versions(source: Path) -> tuple[bytes, bytes, bytes]:
    """(full-size copy, 640 px thumbnail, 320 px thumbnail) as JPEG bytes without metadata."""
    with Image.open(source) as im:
        im.load()
        im = _rgb(im)
    out = []
    for box in (FULL_SIZE, THUMB_SIZE, SMALL_SIZE):
        im.thumbnail(box, Image.Resampling.LANCZOS)
        out.append(_jpeg(im, QUALITY[box]))
    return out[0], out[1], out[2]
