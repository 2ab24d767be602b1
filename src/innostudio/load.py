"""Load stage: read files safely and parse YAML into plain data that remembers where every node is.

Nothing here knows about studios or rules. A file becomes a :class:`Source` holding the parsed data
(:class:`YMap`, :class:`YList` and plain scalars) and the low-level :class:`Problem` list (parse
errors, duplicate keys, anchors, size, encoding). The rules stage turns problems into findings.

The parser is PyYAML's (libyaml's C parser where available). Plain documents are composed by libyaml
and converted here; anything with anchors, aliases, tags or document markers goes through the event
stream (load_events.py). Either way the tree is built iteratively, so that deep nesting cannot exhaust
the Python stack, aliases are never expanded (no "billion laughs"), duplicate keys are seen, and every
key and value keeps its 1-based line/column. The node types and scalar resolution are in load_nodes.py,
the Chinese-IME slips and the reading of PyYAML's errors in load_slips.py; this module re-exports them.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import ScalarNode, SequenceNode

from .load_events import _flow_too_deep, _parse_events
from .load_nodes import (
    C_LOADER,
    MAX_DEPTH,
    Pos,
    Problem,
    YList,
    YMap,
    line_of,
    resolve_plain,
)
from .load_slips import _parse_problem, _tab, ime_slips

__all__ = [
    "C_LOADER", "FATAL", "MAX_DEPTH", "Pos", "Problem", "Source", "YList", "YMap", "ime_slips", "line_of",
    "load_markdown_file", "load_yaml_file", "parse_yaml", "read_text", "resolve_plain", "split_front_matter",
]


@dataclass(slots=True)
class Source:
    """One file of the repository, read and parsed."""

    path: str  # relative to the repository root, with '/'
    abspath: Path
    text: str | None = None
    data: Any = None
    problems: list[Problem] = field(default_factory=list)
    body: str | None = None  # Markdown after the front matter
    body_line: int = 1  # line number of the body's first line
    parsed: bool = False  # True when data holds a parsed document (possibly None for empty)

    @property
    def ok(self) -> bool:
        return self.parsed and not any(p.kind in FATAL for p in self.problems)


FATAL = frozenset({"parse", "ime", "size", "encoding", "binary", "frontmatter", "deep"})


# Where an anchor, alias or tag could start (after space, a flow indicator or a colon), or a
# document marker. Conservative: a match only means "take the careful path".
_SPECIAL = re.compile(r"(?:^|[\s,\[{:?-])[&*!][^\s*]|^(?:---|\.\.\.)", re.M)


def _maybe_special(text: str) -> bool:
    """_SPECIAL.search, skipped when none of its characters occurs (str.find is much quicker than the
    regex, which tries every position)."""
    if "&" in text or "*" in text or "!" in text or "---" in text or "..." in text:
        return _SPECIAL.search(text) is not None
    return False


def parse_yaml(text: str, line_offset: int = 0) -> tuple[Any, list[Problem]]:
    data, problems = _parse_yaml(text, line_offset)
    slips = ime_slips(text, line_offset)
    parse = [p for p in problems if p.kind == "parse"]
    errors = [p for p in slips if p.kind == "ime"]
    first_parse = parse[0].line if parse else None
    if errors and parse and (first_parse is None or min(p.line or 0 for p in errors) <= first_parse):
        # the slip is the cause: report it at its own line instead of PyYAML's text a line later
        problems = [p for p in problems if p.kind != "parse"]
        slips = [Problem("parse", p.line, p.column, "ime-" + p.detail) if p.kind == "ime" else p for p in slips]
        data = None
    elif parse and first_parse is not None:
        problems = [_tab(text, line_offset, p) if p is parse[0] else p for p in problems]
    return data, problems + slips


def _parse_yaml(text: str, line_offset: int = 0) -> tuple[Any, list[Problem]]:
    """Parse one YAML document into YMap/YList/scalars with positions.

    Returns ``(data, problems)``. ``data`` is None for an empty document. Positions are shifted by
    ``line_offset`` (front matter starts below its ``---`` line).

    Plain documents (no ``&``, ``*``, ``!`` or document markers anywhere) take the fast path:
    libyaml composes the node tree in C and it is converted here. Anything else goes through the
    event stream, which sees anchors, aliases, tags and extra documents for what they are.
    """
    deep_at = _flow_too_deep(text)
    if deep_at is not None:  # libyaml is quadratic in flow nesting: refuse before parsing
        line, col = line_of(text, deep_at)
        return None, [Problem("deep", line + line_offset, col, str(MAX_DEPTH))]
    if C_LOADER and not _maybe_special(text):
        return _parse_composed(text, line_offset)
    return _parse_events(text, line_offset)


_NODE_TAGS = {ScalarNode: "tag:yaml.org,2002:str", SequenceNode: "tag:yaml.org,2002:seq"}

if C_LOADER:
    class _Composer(yaml.cyaml.CParser):  # type: ignore[name-defined]
        """libyaml's composer with no implicit typing: _convert resolves plain scalars itself."""

        def __init__(self, stream):
            yaml.cyaml.CParser.__init__(self, stream)  # type: ignore[attr-defined]

        def resolve(self, kind, value, implicit):
            return _NODE_TAGS.get(kind, "tag:yaml.org,2002:map")

        def descend_resolver(self, current_node, current_index):
            pass

        def ascend_resolver(self):
            pass


def _parse_composed(text: str, off: int) -> tuple[Any, list[Problem]]:
    problems: list[Problem] = []
    try:
        loader = _Composer(text)
        try:
            node = loader.get_single_node()
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        return None, [_parse_problem(exc, off, text)]
    except (yaml.YAMLError, RecursionError, MemoryError, ValueError) as exc:
        return None, [Problem("parse", None, None, type(exc).__name__)]
    if node is None:
        return None, problems
    return _convert(node, off, problems), problems


def _convert(root_node: Any, off: int, problems: list[Problem]) -> Any:
    """Turn a composed node tree into YMap/YList/scalars (iterative; the hot loop of loading)."""
    scalar_cls, seq_cls = ScalarNode, SequenceNode
    plain = resolve_plain
    m = root_node.start_mark
    root_pos = (m.line + 1 + off, m.column + 1)
    kind = type(root_node)
    if kind is scalar_cls:
        return root_node.value if root_node.style else plain(root_node.value)
    root: Any = YList(root_pos) if kind is seq_cls else YMap(root_pos)
    todo = [(root_node, root, 1)]
    pop, append_todo = todo.pop, todo.append
    too_deep = False
    while todo:
        node, out, depth = pop()
        if depth >= MAX_DEPTH:  # children of this container would be too deep: keep none of them
            if not too_deep:
                too_deep = True
                m = node.start_mark
                problems.append(Problem("deep", m.line + 1 + off, m.column + 1, str(MAX_DEPTH)))
            continue

        if type(out) is YList:
            append, pos_append = out.append, out.ipos.append
            for child in node.value:
                m = child.start_mark
                pos = (m.line + 1 + off, m.column + 1)
                ck = type(child)
                if ck is scalar_cls:
                    append(child.value if child.style else plain(child.value))
                else:
                    value = YList(pos) if ck is seq_cls else YMap(pos)
                    append(value)
                    append_todo((child, value, depth + 1))
                pos_append(pos)
            continue
        kpos_d, vpos_d = out.kpos, out.vpos
        for knode, vnode in node.value:
            km = knode.start_mark
            kpos = (km.line + 1 + off, km.column + 1)
            if type(knode) is not scalar_cls:
                problems.append(Problem("nondata", kpos[0], kpos[1], "complex-key"))
                continue
            key = knode.value
            if key in out:
                problems.append(Problem("duplicate", kpos[0], kpos[1], key))
                continue
            m = vnode.start_mark
            pos = (m.line + 1 + off, m.column + 1)
            vk = type(vnode)
            if vk is scalar_cls:
                out[key] = vnode.value if vnode.style else plain(vnode.value)
            else:
                value = YList(pos) if vk is seq_cls else YMap(pos)
                out[key] = value
                append_todo((vnode, value, depth + 1))
            kpos_d[key] = kpos
            vpos_d[key] = pos
    return root


_MAGIC_BINARY = b"\x00"
_O_READ = os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_NOCTTY", 0)


def read_text(abspath: Path, limit: int) -> tuple[str | None, list[Problem]]:
    """Read a text file as UTF-8 (BOM and CRLF accepted), refusing it before reading when too big."""
    try:  # one open, fstat and read (pathlib's stat + read_bytes cost twice as much over thousands of files)
        fd = os.open(abspath, _O_READ)
    except OSError as exc:
        return None, [Problem("parse", None, None, f"unreadable: {exc.strerror}")]
    try:
        size = os.fstat(fd).st_size
        if size > limit:
            return None, [Problem("size", None, None, f"{size}/{limit}")]
        raw = os.read(fd, size + 1)
        if len(raw) > size:  # the file grew (or st_size lies, as for /proc): read the rest as it comes
            parts, total = [raw], len(raw)
            while chunk := os.read(fd, 1 << 16):
                parts.append(chunk)
                total += len(chunk)
                if total > limit:
                    return None, [Problem("size", None, None, f"{total}/{limit}")]
            raw = b"".join(parts)
    except OSError as exc:
        return None, [Problem("parse", None, None, f"unreadable: {exc.strerror}")]
    finally:
        os.close(fd)
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")) or (len(raw) >= 4 and _MAGIC_BINARY in raw and (
            raw[1::2].count(0) > len(raw) // 4 or raw[0::2].count(0) > len(raw) // 4)):
        return None, [Problem("encoding", None, None, "utf16")]  # Notepad's "Unicode": UTF-16
    if _MAGIC_BINARY in raw:
        return None, [Problem("binary", None, None, "")]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        hint = ""
        try:
            raw.decode("gb18030")
            hint = "gbk"
        except UnicodeDecodeError:
            pass
        return None, [Problem("encoding", line, None, hint)]
    return text, []


_FM_OPEN = re.compile(r"\A---[ \t]*\r?\n")
_FM_CLOSE = re.compile(r"^(?:---|\.\.\.)[ \t]*\r?$", re.M)


def split_front_matter(text: str) -> tuple[str | None, str, int, Problem | None]:
    """Split ``---`` front matter from a Markdown body.

    Returns ``(front_matter, body, body_first_line, problem)``.
    """
    m = _FM_OPEN.match(text)
    if not m:
        return None, text, 1, Problem("frontmatter", 1, 1, "missing")
    close = _FM_CLOSE.search(text, m.end())
    if not close:
        return None, "", 1, Problem("frontmatter", 1, 1, "unclosed")
    fm = text[m.end() : close.start()]
    rest_start = close.end()
    if text.startswith("\n", rest_start):
        rest_start += 1
    body_line = text.count("\n", 0, rest_start) + 1
    return fm, text[rest_start:], body_line, None


def _read_source(root: Path, rel: str, limit: int) -> Source:
    src = Source(rel, root / rel)
    src.text, problems = read_text(src.abspath, limit)
    src.problems.extend(problems)
    return src


def _parse_into(src: Source, text: str, line_offset: int = 0) -> Source:
    src.data, problems = parse_yaml(text, line_offset)
    src.problems.extend(problems)
    src.parsed = not any(p.kind == "parse" for p in problems)
    if any(p.kind == "ime" for p in problems):  # parsed, but a key or an indent is not what was meant
        src.parsed = False
    return src


def load_yaml_file(root: Path, rel: str, limit: int) -> Source:
    src = _read_source(root, rel, limit)
    return src if src.text is None else _parse_into(src, src.text)


def load_markdown_file(root: Path, rel: str, limit: int) -> Source:
    src = _read_source(root, rel, limit)
    if src.text is None:
        return src
    fm, body, body_line, problem = split_front_matter(src.text)
    src.body, src.body_line = body, body_line
    if problem is not None or fm is None:
        if problem is not None:
            src.problems.append(problem)
        return src
    return _parse_into(src, fm, line_offset=1)
