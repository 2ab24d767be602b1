"""The image and link targets written in a studio's public Markdown (an achievement's body, the studio's
description, its rules documents): which are files of the studio folder, which point elsewhere (R008).
The rules check them (R001–R003, W001, R008); the page views publish the local images and files."""
from __future__ import annotations

import re
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass

from ..corpus import Doc, StudioFolder
from ..load import line_of

# ![alt](target "title") and [text](target): the target is <…> or has no spaces and balanced parentheses
_INLINE = re.compile(r"(!?)\[((?:[^\[\]\n]|\[[^\[\]\n]*\])*)\]\(\s*(<[^<>\n]*>|(?:[^\s()]|\([^\s()]*\))+)"
                     r"(?:\s+(?:\"[^\"\n]*\"|'[^'\n]*'|\([^()\n]*\)))?\s*\)")
_IMAGE_REF = re.compile(r"!\[(?:[^\[\]\n]|\[[^\[\]\n]*\])*\]\[([^\[\]\n]*)\]")
_REF_DEF = re.compile(r"^ {0,3}\[([^\[\]\n]+)\]:[ \t]*(<[^<>\n]*>|\S+)", re.M)
_AUTOLINK = re.compile(r"<([A-Za-z][A-Za-z0-9+.-]{1,31}:[^<>\s]*)>")
_CODE = re.compile(r"(`+)[^\n]*?\1")
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
SCRIPT_SCHEMES = {"javascript", "vbscript", "data", "livescript"}  # P003's, not R008's


@dataclass(frozen=True, slots=True)
class Target:
    kind: str  # image | link
    value: str  # as written (angle brackets removed, %-escapes decoded)
    line: int  # in the file
    column: int

    @property
    def scheme(self) -> str:
        m = _SCHEME.match(self.value)
        return m.group(1).lower() if m else ""

    @property
    def local(self) -> bool:
        """A path in the studio folder (no scheme, not //host, not only an #anchor)."""
        return not self.scheme and not self.value.startswith(("//", "#")) and bool(self.value.strip())

    @property
    def allowed(self) -> bool:
        """R008: an image must be a file of the studio folder; a link a file of it, an https link or an
        anchor of the page. Script URLs are P003's."""
        if self.local or self.scheme in SCRIPT_SCHEMES:
            return True
        if self.kind == "image":
            return False
        return self.scheme == "https" or self.value.startswith("#")


def _clean(raw: str) -> str:
    raw = raw.strip()
    if raw.startswith("<") and raw.endswith(">"):
        raw = raw[1:-1].strip()
    return urllib.parse.unquote(raw) if "%" in raw else raw


def targets(text: str, first_line: int = 1, node_pos: tuple[int, int] | None = None) -> list[Target]:
    """Every image and link target of a Markdown ``text`` whose first line is ``first_line`` of its file
    (``node_pos``: the YAML position of a plain scalar, whose first line starts at that column)."""
    if "](" not in text and "]:" not in text and "<" not in text:
        return []
    masked = _CODE.sub(lambda m: " " * len(m.group(0)), text)  # nothing in a code span is a target

    def place(offset: int) -> tuple[int, int]:
        line, col = line_of(text, offset)
        if node_pos is not None and line == 1:
            col += node_pos[1] - 1
        return first_line + line - 1, col

    found: list[tuple[int, str, str]] = []
    for m in _INLINE.finditer(masked):
        found.append((m.start(3), "image" if m.group(1) else "link", m.group(3)))
    image_ids = {m.group(1).strip().lower() for m in _IMAGE_REF.finditer(masked)}
    for m in _REF_DEF.finditer(masked):
        found.append((m.start(2), "image" if m.group(1).strip().lower() in image_ids else "link", m.group(2)))
    for m in _AUTOLINK.finditer(masked):
        found.append((m.start(1), "link", m.group(1)))
    return [Target(kind, _clean(raw), *place(offset)) for offset, kind, raw in sorted(found)]


@dataclass(frozen=True, slots=True)
class Body:
    """One public Markdown text of a studio: where it is, and the targets it names."""

    path: str
    doc: Doc | None  # the achievement or studio.yml (None: a rules document)
    targets: list[Target]


def description_start(doc: Doc) -> tuple[int, tuple[int, int] | None] | None:
    """(first line, position of a plain scalar) of studio.yml's description, or None when it has none."""
    data = doc.data
    if not isinstance(data, dict) or not isinstance(data.get("description"), str):
        return None
    line, col = data.vpos["description"]  # type: ignore[attr-defined]  # the loader's positioned mapping
    raw_line = (doc.source.text or "").split("\n")[line - 1] if doc.source.text else ""
    if raw_line[col - 1: col].strip() in ("|", ">"):  # a block scalar: the text starts below
        return line + 1, None
    return line, (line, col)


def bodies(folder: StudioFolder) -> Iterator[Body]:
    """The studio's public Markdown texts with their targets."""
    prof = folder.profile
    if prof is not None:
        start = description_start(prof)
        if start is not None:
            yield Body(prof.path, prof, targets(prof.data["description"], *start))
    for doc in folder.achievements:
        if doc.source.body:
            yield Body(doc.path, doc, targets(doc.source.body, doc.source.body_line))
    for src in folder.extra_sources:
        if src.text:
            yield Body(src.path, None, targets(src.text))
