"""The slips a person makes in YAML, found or read out of PyYAML's errors: each with its own line and column.

:func:`ime_slips` finds Chinese-IME slips where YAML syntax is expected (a full-width colon, space or
bracket, curly quotes around a value). :func:`_parse_problem` reads PyYAML's error text as the slip
behind it (Y001 explains each detail code in Chinese), and :func:`_tab` names a tab in the indentation.
"""
from __future__ import annotations

import re

import yaml

from .load_nodes import Problem, line_of

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


def _tab(text: str, line_offset: int, problem: Problem) -> Problem:
    """A parse error caused by a tab in the indentation (of its line or the one before), named as such."""
    lines = text.split("\n")
    i = (problem.line or 0) - line_offset - 1
    for j in (i, i - 1):
        if 0 <= j < len(lines) and "\t" in lines[j][: len(lines[j]) - len(lines[j].lstrip())]:
            return Problem("parse", j + 1 + line_offset, lines[j].index("\t") + 1, "tab")
    return problem


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
