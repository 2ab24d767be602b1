"""The careful YAML path: the tree built from PyYAML's event stream, one event at a time.

Documents with anchors, aliases, tags or document markers come here (plain ones take libyaml's composer
in load.py, which gives the same tree). Aliases are never expanded (no "billion laughs"), anchors, tags
and extra documents are ``nondata`` problems, duplicate keys are seen, containers nested past
:data:`MAX_DEPTH` are dropped with one ``deep`` problem, and every key and value keeps its position.
The tree is built iteratively, so deep nesting cannot exhaust the Python stack.
"""
from __future__ import annotations

import re
from typing import Any

import yaml
from yaml.events import (
    AliasEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
)

from .load_nodes import _LOADER, _SKIP, MAX_DEPTH, Pos, Problem, YList, YMap, _pos, _scalar
from .load_slips import _parse_problem


class _EventParser:
    """One document's events turned into YMap/YList/scalars, with the problems met on the way.

    Each frame of ``stack`` is ``[container, pending_key_or_None, key_pos, container_pos]``; the container
    is ``_SKIP`` for one nested too deep (or inside such a one), whose contents are dropped.
    """

    __slots__ = ("text", "off", "problems", "root", "stack", "docs", "too_deep")

    def __init__(self, text: str, line_offset: int) -> None:
        self.text = text
        self.off = line_offset
        self.problems: list[Problem] = []
        self.root: Any = None
        self.stack: list[list[Any]] = []
        self.docs = 0
        self.too_deep = False

    def run(self) -> tuple[Any, list[Problem]]:
        problems = self.problems
        try:
            ev: Any
            for ev in yaml.parse(self.text, Loader=_LOADER):
                cls = type(ev)
                if cls is ScalarEvent:
                    self.scalar(ev)
                elif cls is MappingStartEvent or cls is SequenceStartEvent:
                    self.start(ev, cls is MappingStartEvent)
                elif cls is MappingEndEvent or cls is SequenceEndEvent:
                    self.end()
                elif cls is AliasEvent:
                    self.nondata(ev, "alias")
                    self.attach(None, self.at(ev))
                elif cls is DocumentStartEvent:
                    self.docs += 1
                    if self.docs > 1:
                        self.nondata(ev, "documents")
                        break
        except yaml.MarkedYAMLError as exc:
            problems.append(_parse_problem(exc, self.off, self.text))
            return None, problems
        except (yaml.YAMLError, RecursionError, MemoryError, ValueError) as exc:
            problems.append(Problem("parse", None, None, type(exc).__name__))
            return None, problems
        return self.root, problems

    def at(self, ev: Any) -> Pos:
        p = _pos(ev)
        return (p[0] + self.off, p[1])

    def nondata(self, ev: Any, what: str) -> None:
        line, col = self.at(ev)
        self.problems.append(Problem("nondata", line, col, what))

    def anchor_and_tag(self, ev: Any) -> None:
        """An anchor or a tag on a node: not data (the node itself is kept)."""
        if ev.anchor is not None:
            self.nondata(ev, "anchor")
        if ev.tag is not None:
            self.nondata(ev, "tag")

    def scalar(self, ev: Any) -> None:
        self.anchor_and_tag(ev)
        stack = self.stack
        frame = stack[-1] if stack else None
        if frame is not None and isinstance(frame[0], YMap) and frame[1] is None:
            value: Any = ev.value  # keys stay as written: `on:` is the text "on"
        else:
            value = _scalar(ev)
        self.attach(value, self.at(ev))

    def start(self, ev: Any, mapping: bool) -> None:
        self.anchor_and_tag(ev)
        p = self.at(ev)
        stack = self.stack
        parent_skipping = bool(stack) and stack[-1][0] is _SKIP
        if parent_skipping or len(stack) >= MAX_DEPTH:
            if not parent_skipping and not self.too_deep:
                self.too_deep = True
                self.problems.append(Problem("deep", p[0], p[1], str(MAX_DEPTH)))
            stack.append([_SKIP, None, None, p])
            return
        container = YMap(p) if mapping else YList(p)
        stack.append([container, None, None, p])

    def end(self) -> None:
        stack = self.stack
        frame = stack.pop()
        value = frame[0]
        if value is _SKIP:
            if stack and stack[-1][0] is not _SKIP:
                self.attach(None, frame[3])
            return
        self.attach(value, frame[3])

    def attach(self, value: Any, pos: Pos) -> None:
        """Put a finished node where it belongs: the root, an item, a mapping's key or its value."""
        if not self.stack:
            self.root = value
            return
        frame = self.stack[-1]
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
                self.problems.append(Problem("nondata", pos[0], pos[1], "complex-key"))
                key = f"<复杂键 {pos[0]}:{pos[1]}>"
            else:
                key = "" if value is None else (value if isinstance(value, str) else str(value))
            frame[1] = key
            frame[2] = pos
            return
        key, kpos = frame[1], frame[2]
        frame[1] = None
        if key in container:
            self.problems.append(Problem("duplicate", kpos[0], kpos[1], key))
            return
        container[key] = value
        container.kpos[key] = kpos
        container.vpos[key] = pos


def _parse_events(text: str, line_offset: int) -> tuple[Any, list[Problem]]:
    """Parse one document through the event stream: ``(data, problems)``, positions shifted by line_offset."""
    return _EventParser(text, line_offset).run()


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
