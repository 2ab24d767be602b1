"""Load stage: read files safely and parse YAML into plain data that remembers where every node is.

Nothing here knows about studios or rules. A file becomes a :class:`Source` holding the parsed data
(:class:`YMap`, :class:`YList` and plain scalars) and the low-level :class:`Problem` list (parse
errors, duplicate keys, anchors, size, encoding). The rules stage turns problems into findings.

The parser is PyYAML's event stream (libyaml's C parser where available). The tree is built here,
iteratively, so that deep nesting cannot exhaust the Python stack, aliases are never expanded (no
"billion laughs"), duplicate keys are seen, and every key and value keeps its 1-based line/column.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.events import (
    AliasEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
)
from yaml.nodes import ScalarNode, SequenceNode
from yaml.resolver import Resolver

try:  # libyaml's C parser: several times faster than the pure-Python one
    _LOADER: type = yaml.CSafeLoader
    C_LOADER = True
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _LOADER = yaml.SafeLoader
    C_LOADER = False

MAX_DEPTH = 64

Pos = tuple[int, int]  # 1-based (line, column)


class YMap(dict):
    """A mapping from YAML that remembers where its keys and values stand."""

    __slots__ = ("kpos", "vpos", "pos")

    def __init__(self, pos: Pos | None = None):
        super().__init__()
        self.kpos: dict[str, Pos] = {}
        self.vpos: dict[str, Pos] = {}
        self.pos = pos


class YList(list):
    """A sequence from YAML that remembers where its items stand."""

    __slots__ = ("ipos", "pos")

    def __init__(self, pos: Pos | None = None):
        super().__init__()
        self.ipos: list[Pos] = []
        self.pos = pos


@dataclass(frozen=True, slots=True)
class Problem:
    """Something wrong with a file before any meaning is given to it."""

    kind: str  # parse | duplicate | nondata | deep | size | encoding | binary | frontmatter
    line: int | None = None
    column: int | None = None
    detail: str = ""


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

_resolver = Resolver()
_constructor = SafeConstructor()
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_BOOL = "tag:yaml.org,2002:bool"
_NULL = "tag:yaml.org,2002:null"
_STR = "tag:yaml.org,2002:str"


def resolve_plain(value: str) -> Any:
    """A plain scalar's value under YAML 1.1 (as PyYAML's SafeLoader), timestamps kept as text."""
    if not value or value in _NULLS:
        return None
    first = value[0]
    if first > "~":  # CJK and other non-ASCII text: the common case
        return value
    if first in "0123456789+-.":
        if _INT_RE.match(value):
            try:
                return int(value.replace("_", ""))
            except ValueError:  # more digits than Python converts: not a number anyone meant
                return value
        if _FLOAT_RE.match(value):
            try:
                return _constructor.construct_yaml_float(ScalarNode(_FLOAT, value))
            except ValueError:
                return value
        if first in "+-0" and len(value) > 1:  # rarer int forms: 0x, 0o, 0b, sexagesimal
            tag = _resolver.resolve(ScalarNode, value, (True, False))
            if tag == _INT:
                try:
                    return _constructor.construct_yaml_int(ScalarNode(tag, value))
                except ValueError:
                    return value
        return value
    b = _BOOLS.get(value)
    if b is not None:
        return b
    if first in "yYnN" and len(value) == 1:  # PyYAML resolves only the long forms
        return value
    return value


def _scalar(ev: ScalarEvent) -> Any:
    """Resolve a scalar event: quoted and block scalars are text, plain ones go through resolve_plain.

    Dates stay text: the model parses them (strict ISO), so that an impossible date is a clear F004.
    """
    if not ev.implicit[0]:
        return ev.value
    return resolve_plain(ev.value)


def _pos(ev) -> Pos:
    m = ev.start_mark
    return (m.line + 1, m.column + 1) if m is not None else (1, 1)


_SKIP = object()


# Where an anchor, alias or tag could start (after space, a flow indicator or a colon), or a
# document marker. Conservative: a match only means "take the careful path".
_SPECIAL = re.compile(r"(?:^|[\s,\[{:?-])[&*!][^\s*]|^(?:---|\.\.\.)", re.M)


def _maybe_special(text: str) -> bool:
    """_SPECIAL.search, skipped when none of its characters occurs (str.find is much quicker than the
    regex, which tries every position)."""
    if "&" in text or "*" in text or "!" in text or "---" in text or "..." in text:
        return _SPECIAL.search(text) is not None
    return False


_INT_RE = re.compile(r"^[-+]?(?:0|[1-9][0-9_]*)$")
_FLOAT_RE = re.compile(r"^[-+]?(?:[0-9][0-9_]*)?\.[0-9_]*(?:[eE][-+][0-9]+)?$"
                       r"|^[-+]?\.(?:inf|Inf|INF)$|^\.(?:nan|NaN|NAN)$")
_BOOLS = {"yes": True, "Yes": True, "YES": True, "no": False, "No": False, "NO": False, "true": True,
          "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False, "on": True, "On": True,
          "ON": True, "off": False, "Off": False, "OFF": False}
_NULLS = {"", "~", "null", "Null", "NULL"}


_IME_CHARS = re.compile("[：\u3000［｛“]")
_IME_COLON = re.compile(r"^[ \t\u3000]*(?:-[ \t\u3000]+)?[{,]?[ \t]*[A-Za-z_][A-Za-z0-9_]*[ \t\u3000]*(：)", re.M)
_IME_FLOW_COLON = re.compile(r"\{(?:[^}\n]*,)?[ \t]*[A-Za-z_][A-Za-z0-9_]*[ \t]*(：)")
_IME_SPACE = re.compile(r"^[ \t]*(\u3000)", re.M)
_IME_SPACE_AFTER = re.compile(r"^[ \t]*(?:-[ \t]+)?[A-Za-z_][A-Za-z0-9_]*[ \t]*:(\u3000)", re.M)
_IME_BRACKET = re.compile(r"^[ \t]*(?:-[ \t]+|[A-Za-z_][A-Za-z0-9_]*[ \t]*[:：][ \t]*)([［｛]).*[］｝][ \t]*$", re.M)
_IME_QUOTES = re.compile(r"^[ \t]*(?:-[ \t]+)?[A-Za-z_][A-Za-z0-9_]*:[ \t]+(“)[^“”\n]*”[ \t]*$", re.M)


_BLOCK_START = re.compile(r"(?:^|[:\-][ \t]+)[|>][-+0-9]*[ \t]*(?:#.*)?$")


def _block_scalar_lines(text: str) -> set[int]:
    """1-based lines inside a block scalar (``|`` or ``>``): text there is content, not YAML syntax."""
    out: set[int] = set()
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        line = lines[i]
        if _BLOCK_START.search(line.rstrip("\r")):
            indent = len(line) - len(line.lstrip(" "))
            j = i + 1
            while j < len(lines):
                nxt = lines[j].rstrip("\r")
                if nxt.strip() and len(nxt) - len(nxt.lstrip(" ")) <= indent:
                    break
                out.add(j + 1)
                j += 1
            i = j
            continue
        i += 1
    return out


def ime_slips(text: str, line_offset: int = 0) -> list[Problem]:
    """Chinese-IME slips where YAML syntax is expected, each at its own line and column.

    A full-width colon after a key, a full-width space (U+3000) in the indentation or after a key's colon,
    ``［］``/``｛｝`` around a flow list are ``ime`` problems; a value wrapped wholly in “…” is ``quotes`` (a warning).
    Chinese punctuation inside a value is ordinary text and is not looked at.
    """
    if _IME_CHARS.search(text) is None:
        return []
    out: list[Problem] = []
    inside = _block_scalar_lines(text) if ("|" in text or ">" in text) else set()
    for kind, detail, rx in (("ime", "colon", _IME_COLON), ("ime", "colon", _IME_FLOW_COLON),
                             ("ime", "space", _IME_SPACE), ("ime", "spaceafter", _IME_SPACE_AFTER),
                             ("ime", "bracket", _IME_BRACKET),
                             ("quotes", "quotes", _IME_QUOTES)):
        for m in rx.finditer(text):
            line, col = line_of(text, m.start(1))
            if line not in inside:
                out.append(Problem(kind, line + line_offset, col, detail))
    seen: set = set()
    uniq = []
    for p in sorted(out, key=lambda p: (p.line, p.column)):
        if (p.line, p.detail) not in seen:  # one slip per line and kind
            seen.add((p.line, p.detail))
            uniq.append(p)
    return uniq


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


def _tab(text: str, line_offset: int, problem: Problem) -> Problem:
    """A parse error caused by a tab in the indentation (of its line or the one before), named as such."""
    lines = text.split("\n")
    i = (problem.line or 0) - line_offset - 1
    for j in (i, i - 1):
        if 0 <= j < len(lines) and "\t" in lines[j][: len(lines[j]) - len(lines[j].lstrip())]:
            return Problem("parse", j + 1 + line_offset, lines[j].index("\t") + 1, "tab")
    return problem


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


# PyYAML's error texts, read as the slip a person made (Y001 explains each in Chinese): the detail code, and
# whether the line to point at is where the construct began (an unclosed bracket or quote) rather than where
# the parser gave up (the next line).
_SLIPS = (
    ("mapping values are not allowed", None, "colon-value", False),
    ("did not find expected ',' or ']'", None, "unclosed-list", True),
    ("did not find expected ',' or '}'", None, "unclosed-map", True),
    ("found unexpected end of stream", "quoted scalar", "unclosed-quote", True),
    ("found unknown escape character", None, "escape", False),
    ("could not find expected ':'", None, "no-colon", True),
    ("did not find expected key", None, "indent", False),
    ("did not find expected '-' indicator", None, "indent", False),
    ("expected <block end>", None, "indent", False),
)


def _parse_problem(exc: yaml.MarkedYAMLError, off: int, text: str) -> Problem:
    problem, context = str(exc.problem or ""), str(exc.context or "")
    detail, mark = problem or context, exc.problem_mark or exc.context_mark
    for needle, in_context, code, at_start in _SLIPS:
        if needle in problem and (in_context is None or in_context in context):
            detail = code
            if at_start and exc.context_mark is not None:
                mark = exc.context_mark
            break
    if detail == "colon-value" and mark is not None:  # the line's first colon: an indented key, not a value's colon
        rows = text.split("\n")
        row = rows[mark.line] if mark.line < len(rows) else ""
        if row[:1] in (" ", "\t") and ": " not in row[:mark.column]:
            detail = "indent"
    line = mark.line + 1 + off if mark is not None else None
    col = mark.column + 1 if mark is not None else None
    return Problem("parse", line, col, detail)


def _parse_events(text: str, line_offset: int) -> tuple[Any, list[Problem]]:
    problems: list[Problem] = []
    root: Any = None
    # Each frame: [container, pending_key_or_None, key_pos, skipping_flag]
    stack: list[list[Any]] = []
    docs = 0
    too_deep = False
    off = line_offset

    def at(ev) -> Pos:
        p = _pos(ev)
        return (p[0] + off, p[1])

    def nondata(ev, what: str) -> None:
        line, col = at(ev)
        problems.append(Problem("nondata", line, col, what))

    def attach(value: Any, pos: Pos) -> None:
        nonlocal root
        if not stack:
            root = value
            return
        frame = stack[-1]
        container = frame[0]
        if container is _SKIP:
            return
        if isinstance(container, YList):
            container.append(value)
            container.ipos.append(pos)
            return
        # mapping: either this is a key, or the value of the pending key
        if frame[1] is None:
            if isinstance(value, (YMap, YList)) or value is _SKIP:
                problems.append(Problem("nondata", pos[0], pos[1], "complex-key"))
                key = f"<复杂键 {pos[0]}:{pos[1]}>"
            else:
                key = "" if value is None else (value if isinstance(value, str) else str(value))
            frame[1] = key
            frame[2] = pos
            return
        key, kpos = frame[1], frame[2]
        frame[1] = None
        if key in container:
            problems.append(Problem("duplicate", kpos[0], kpos[1], key))
            return
        container[key] = value
        container.kpos[key] = kpos
        container.vpos[key] = pos

    try:
        ev: Any
        for ev in yaml.parse(text, Loader=_LOADER):
            cls = type(ev)
            if cls is ScalarEvent:
                if ev.anchor is not None:
                    nondata(ev, "anchor")
                if ev.tag is not None:
                    nondata(ev, "tag")
                frame = stack[-1] if stack else None
                if frame is not None and isinstance(frame[0], YMap) and frame[1] is None:
                    value: Any = ev.value  # keys stay as written: `on:` is the text "on"
                else:
                    value = _scalar(ev)
                attach(value, at(ev))
            elif cls is MappingStartEvent or cls is SequenceStartEvent:
                if ev.anchor is not None:
                    nondata(ev, "anchor")
                if ev.tag is not None:
                    nondata(ev, "tag")
                p = at(ev)
                parent_skipping = bool(stack) and stack[-1][0] is _SKIP
                if parent_skipping or len(stack) >= MAX_DEPTH:
                    if not parent_skipping and not too_deep:
                        too_deep = True
                        problems.append(Problem("deep", p[0], p[1], str(MAX_DEPTH)))
                    stack.append([_SKIP, None, None, p])
                    continue
                container = YMap(p) if cls is MappingStartEvent else YList(p)
                stack.append([container, None, None, p])
            elif cls is MappingEndEvent or cls is SequenceEndEvent:
                frame = stack.pop()
                value = frame[0]
                if value is _SKIP:
                    if stack and stack[-1][0] is not _SKIP:
                        attach(None, frame[3])
                    continue
                attach(value, frame[3])
            elif cls is AliasEvent:
                nondata(ev, "alias")
                attach(None, at(ev))
            elif cls is DocumentStartEvent:
                docs += 1
                if docs > 1:
                    nondata(ev, "documents")
                    break
    except yaml.MarkedYAMLError as exc:
        problems.append(_parse_problem(exc, off, text))
        return None, problems
    except (yaml.YAMLError, RecursionError, MemoryError, ValueError) as exc:
        problems.append(Problem("parse", None, None, type(exc).__name__))
        return None, problems
    return root, problems


_BRACKETS = re.compile(r"[\[\]{}]")


def _flow_too_deep(text: str) -> int | None:
    """Offset where ``[``/``{`` nesting passes MAX_DEPTH, else None (quotes are not considered)."""
    if text.count("[") + text.count("{") <= MAX_DEPTH:
        return None
    depth = 0
    for m in _BRACKETS.finditer(text):
        if m.group() in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return m.start()
        elif depth:
            depth -= 1
    return None


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


def line_of(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of a character offset in text."""
    line = text.count("\n", 0, offset) + 1
    start = text.rfind("\n", 0, offset) + 1
    return line, offset - start + 1
