"""Media files a studio refers to: which extensions are images, and what a file really is (its type and
size read from its first bytes, without decoding it)."""
from __future__ import annotations

import functools
import os
import stat
from dataclasses import dataclass
from typing import Any

IMAGE_EXT = {".jpg": "jpeg", ".jpeg": "jpeg", ".png": "png", ".webp": "webp", ".gif": "gif"}

@dataclass(frozen=True, slots=True)
class Sniffed:
    """What a file's first bytes say it is."""

    real_type: str | None = None  # jpeg/png/webp/gif/pdf/svg/None
    width: int = 0
    height: int = 0


_NOTHING = Sniffed()


@dataclass(frozen=True, slots=True)
class FileInfo:
    """A file's existence and size (one stat); its real type and image size are read from its first bytes
    only when a rule asks (R001 needs none of them, R003 and W001 do: they can run in another process)."""

    exists: bool
    size: int = 0
    path: str = ""
    mtime_ns: int = 0

    @property
    def sniffed(self) -> Sniffed:
        return _sniff_file(self.path, self.mtime_ns, self.size) if self.exists else _NOTHING

    @property
    def real_type(self) -> str | None:
        return self.sniffed.real_type

    @property
    def width(self) -> int:
        return self.sniffed.width

    @property
    def height(self) -> int:
        return self.sniffed.height


def _sniff(head: bytes) -> str | None:
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "gif"
    if head.startswith(b"%PDF-"):
        return "pdf"
    low = head.lstrip().lower()
    if low.startswith(b"<svg") or (low.startswith(b"<?xml") and b"<svg" in low):
        return "svg"
    return None


def file_info(path: str) -> FileInfo:
    """Whether ``path`` is a regular file, and its size; its content is read when first asked for."""
    try:
        st = os.stat(path)
    except OSError:
        return FileInfo(False)
    if not stat.S_ISREG(st.st_mode):  # os.path.isfile's test, on the same stat
        return FileInfo(False)
    return FileInfo(True, st.st_size, path, st.st_mtime_ns)


_PNG_MODES = {(1, 0), (2, 0), (4, 0), (8, 0), (16, 0), (8, 2), (16, 2), (1, 3), (2, 3), (4, 3), (8, 3), (8, 4),
              (16, 4), (8, 6), (16, 6)}  # (bit depth, colour type) Pillow opens


def _jpeg_size(fh) -> tuple[int, int] | None:
    """Width and height from a JPEG's frame header (SOFn), walking the markers as Pillow does."""
    fh.seek(2)
    while True:
        b = fh.read(1)
        while b == b"\xff":
            b = fh.read(1)
        if not b:
            return None
        marker = b[0]
        if marker in (0x01,) or 0xD0 <= marker <= 0xD7:  # TEM, RSTn: no length
            continue
        if marker == 0xD9 or marker == 0xDA:  # EOI or scan before any frame header
            return None
        seg = fh.read(2)
        if len(seg) < 2:
            return None
        length = int.from_bytes(seg, "big")
        if length < 2:
            return None
        if marker in (0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF):
            data = fh.read(6)
            if len(data) < 6 or data[5] not in (1, 3, 4):  # layouts Pillow opens
                return None
            height, width = int.from_bytes(data[1:3], "big"), int.from_bytes(data[3:5], "big")
            return (width, height) if width and height else None
        fh.seek(length - 2, 1)


_SOF = frozenset((0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF))
_MORE = object()


def _jpeg_size_in(buf: bytes, whole: bool) -> Any:
    """_jpeg_size over bytes already read: the same walk, or _MORE when it would read past ``buf`` and
    ``buf`` is not the whole file."""
    n = len(buf)
    end = None if whole else _MORE
    i = 2
    while True:
        if i >= n:
            return end
        b = buf[i]
        i += 1
        while b == 0xFF:
            if i >= n:
                return end
            b = buf[i]
            i += 1
        if b == 0x01 or 0xD0 <= b <= 0xD7:  # TEM, RSTn: no length
            continue
        if b == 0xD9 or b == 0xDA:
            return None
        if i + 2 > n:
            return end
        length = int.from_bytes(buf[i:i + 2], "big")
        i += 2
        if length < 2:
            return None
        if b in _SOF:
            if i + 6 > n:
                return end
            data = buf[i:i + 6]
            if data[5] not in (1, 3, 4):
                return None
            height, width = int.from_bytes(data[1:3], "big"), int.from_bytes(data[3:5], "big")
            return (width, height) if width and height else None
        i += length - 2


def _image_size(fh, real: str, head: bytes) -> tuple[int, int] | None:
    """Read the size from the header without Pillow; None when unsure (Pillow decides then)."""
    if real == "png" and len(head) >= 26 and head[12:16] == b"IHDR" and (head[24], head[25]) in _PNG_MODES:
        w, h = int.from_bytes(head[16:20], "big"), int.from_bytes(head[20:24], "big")
        return (w, h) if w and h else None
    if real == "gif" and len(head) >= 10:
        w, h = int.from_bytes(head[6:8], "little"), int.from_bytes(head[8:10], "little")
        return (w, h) if w and h else None
    if real == "jpeg":
        return _jpeg_size(fh)  # (reads from the file: _sniff_file tries the bytes it has first)
    return None


_CHUNK = 8192


@functools.lru_cache(maxsize=8192)
def _sniff_file(path: str, _mtime: int, _size: int) -> Sniffed:
    """Sniffed for one version of a file (cached while its modification time and size stay the same)."""
    p = path
    try:
        with open(p, "rb") as fh:
            buf = fh.read(_CHUNK)  # the buffered reader reads this much anyway
            head = buf[:512]
            real = _sniff(head)
            width = height = 0
            size_wh = None
            if real == "jpeg":  # the frame header is usually within the first few KiB
                size_wh = _jpeg_size_in(buf, len(buf) < _CHUNK)
                if size_wh is _MORE:
                    size_wh = _jpeg_size(fh)
            elif real in ("png", "gif"):
                size_wh = _image_size(fh, real, head)
    except OSError:  # gone or unreadable since the stat: nothing is known of its content
        return _NOTHING
    if size_wh is not None:  # the common case: read from the header, no decoder loaded
        width, height = size_wh
    elif real in ("jpeg", "png", "webp", "gif"):
        try:
            from PIL import Image

            with Image.open(p) as im:  # reads the header only
                width, height = im.size
        except Exception:  # noqa: BLE001 - any broken image is "not a real image"
            real = None
    return Sniffed(real, width, height)
