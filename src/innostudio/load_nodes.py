"""What the load stage builds: YAML containers that remember positions, problems, and plain scalars' values.

:class:`YMap` and :class:`YList` are the parsed containers, each key, value and item with its 1-based
line/column; :class:`Problem` is something wrong with a file before any meaning is given to it.
:func:`resolve_plain` gives a plain scalar its YAML 1.1 value as PyYAML's SafeLoader would (timestamps
kept as text). Also here: which PyYAML parser is used (libyaml's C parser where available).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.events import ScalarEvent
from yaml.nodes import ScalarNode
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


_resolver = Resolver()
_constructor = SafeConstructor()
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"


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


_INT_RE = re.compile(r"^[-+]?(?:0|[1-9][0-9_]*)$")
_FLOAT_RE = re.compile(r"^[-+]?(?:[0-9][0-9_]*)?\.[0-9_]*(?:[eE][-+][0-9]+)?$"
                       r"|^[-+]?\.(?:inf|Inf|INF)$|^\.(?:nan|NaN|NAN)$")
_BOOLS = {"yes": True, "Yes": True, "YES": True, "no": False, "No": False, "NO": False, "true": True,
          "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False, "on": True, "On": True,
          "ON": True, "off": False, "Off": False, "OFF": False}
_NULLS = {"", "~", "null", "Null", "NULL"}


def line_of(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of a character offset in text."""
    line = text.count("\n", 0, offset) + 1
    start = text.rfind("\n", 0, offset) + 1
    return line, offset - start + 1
