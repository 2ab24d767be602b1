"""Photos for the site: a full-size copy and two smaller widths for srcset, all re-encoded without metadata.

Re-encoding drops EXIF (camera GPS positions, owner names) from everything published. Each size is
scaled down from the previous one (the source is decoded and oriented once).
"""
from __future__ import annotations

import hashlib
import io
import os
from pathlib import Path

from PIL import Image, ImageOps
from PIL import __version__ as PIL_VERSION

from ..forking import cores

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
    with Image.open(source) as opened:
        opened.load()
        im = _rgb(opened)
    out = []
    for box in (FULL_SIZE, THUMB_SIZE, SMALL_SIZE):
        im.thumbnail(box, Image.Resampling.LANCZOS)
        out.append(_jpeg(im, QUALITY[box]))
    return out[0], out[1], out[2]


# Re-encoding is most of a site build's work: the results are cached by the source's content (and the
# encoder's settings), and photos are encoded on all cores. Output bytes are the same either way.
ENCODER = f"{PIL_VERSION}|{FULL_SIZE}{THUMB_SIZE}{SMALL_SIZE}|{QUALITY}"
NAMES = ("full", "thumb", "small")


Versions = tuple[bytes, bytes, bytes] | tuple[Path, Path, Path]


def cached_versions(source: Path, cache: Path | None, as_files: bool = False) -> Versions:
    """photo_versions of ``source``, from the cache when it has them; with ``as_files``, the cached files
    themselves (their bytes are the versions) when the cache holds them, else the bytes."""
    if cache is None:
        return photo_versions(source)
    key = hashlib.sha256(ENCODER.encode() + b"\0" + source.read_bytes()).hexdigest()
    paths = [cache / key[:2] / f"{key}.{name}.jpg" for name in NAMES]
    if as_files and all(p.is_file() for p in paths):
        return paths[0], paths[1], paths[2]
    try:
        return tuple(p.read_bytes() for p in paths)  # type: ignore[return-value]
    except OSError:
        pass
    out = photo_versions(source)
    try:
        paths[0].parent.mkdir(parents=True, exist_ok=True)
        for p, data in zip(paths, out, strict=True):
            tmp = p.with_name(f".{p.name}.{os.getpid()}")
            tmp.write_bytes(data)
            os.replace(tmp, p)  # never rewritten in place: a site may hold hard links to it
    except OSError:
        return out  # a read-only cache only costs time
    return (paths[0], paths[1], paths[2]) if as_files else out


def _one(args: tuple[Path, Path | None, bool]) -> Versions | None:
    try:
        return cached_versions(*args)
    except Exception:  # noqa: BLE001 - a broken image (already an R003) is not published
        return None


def many_versions(sources: list[Path], cache: Path | None = None, as_files: bool = False) -> list[Versions | None]:
    """cached_versions of every source, in order (None for one that cannot be decoded)."""
    jobs = min(cores(), 4) if len(sources) >= 16 else 1
    args = [(s, cache, as_files) for s in sources]
    if jobs > 1:
        import multiprocessing

        try:
            ctx = multiprocessing.get_context("fork")
        except ValueError:
            jobs = 1
    if jobs <= 1:
        return [_one(a) for a in args]
    with ctx.Pool(jobs) as pool:
        return pool.map(_one, args, chunksize=4)
