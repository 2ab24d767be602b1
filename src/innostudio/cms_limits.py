"""What the editor's forms refuse before saving (forms.md, contract v3): the model's constraints as Decap
checks (``required`` is set by ``cms.fields_of``; here ``min``/``max`` and ``pattern``), with the checker's
wording (validate.MESSAGES) where it has one."""
from __future__ import annotations

import typing
from typing import Any

from pydantic.fields import FieldInfo

from . import model as m
from .canonical import _unwrap


def _strip_optional(tp: Any) -> Any:
    if typing.get_origin(tp) in (typing.Union, __import__("types").UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        if len(args) == 1:
            return args[0]
    return tp


YEARS = rf"(?:19\d\d|2[01]\d\d|{m.MAX_YEAR})"
DATE_PATTERN = [rf"^{YEARS}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])$",
                f"日期格式应为 YYYY-MM-DD，年份在 {m.MIN_YEAR}–{m.MAX_YEAR} 之间"]
MONTH_PATTERN = [rf"^{YEARS}-(?:0[1-9]|1[0-2])(?:-(?:0[1-9]|[12]\d|3[01]))?$",
                 f"格式为 YYYY-MM 或 YYYY-MM-DD，年份在 {m.MIN_YEAR}–{m.MAX_YEAR} 之间"]
# The model's patterns, explained (the checker says 格式不符合要求 and shows the expression).
_ID_CHARS = "只用字母、数字、点、下划线和连字符"
PATTERN_WORDS = {
    r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$": f"格式不符合要求：以字母或数字开头，{_ID_CHARS}，最多 40 个字符",
    r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,38}$": f"格式不符合要求：代码托管平台的用户名，以字母或数字开头，{_ID_CHARS}",
    r"^@?[A-Za-z0-9][A-Za-z0-9_./-]{0,80}$": "格式不符合要求：用户名或 @群组名，只用字母、数字、点、下划线、斜杠和"
                                             "连字符",
}
POSITIVE = [r"^(?!-)(?!0*\.?0*$)\d*\.?\d+(?:[eE][-+]?\d+)?$", "必须大于 0"]


def _own_meta(tp: Any, meta: list | None) -> list:
    """The constraints of the value itself (the field's and its Annotated layers'), not of list items."""
    found = list(meta or [])
    tp = _strip_optional(tp)
    while typing.get_origin(tp) is typing.Annotated:
        found += list(tp.__metadata__)
        tp = _strip_optional(typing.get_args(tp)[0])
    out: list = []
    for x in found:
        out += list(x.metadata) if isinstance(x, FieldInfo) else [x]
    return out


def limits(tp: Any, meta: list | None) -> dict:
    """Decap's checks (``min``, ``max``, ``pattern``) for the model's ge/le/gt, max_length and pattern."""
    out: dict = {}
    for c in _own_meta(tp, meta):
        if getattr(c, "ge", None) is not None:
            out["min"] = c.ge
        if getattr(c, "le", None) is not None:
            out["max"] = c.le
        if getattr(c, "gt", None) == 0:
            out["pattern"] = list(POSITIVE)
        if getattr(c, "max_length", None) is not None:
            out["pattern"] = [rf"^[\s\S]{{0,{c.max_length}}}$", f"不能超过 {c.max_length} 个字符"]
        if getattr(c, "pattern", None):
            out["pattern"] = [c.pattern, PATTERN_WORDS.get(c.pattern, f"格式不符合要求（{c.pattern}）")]
    return out


def list_limits(tp: Any, meta: list | None) -> dict:
    """A list's own length (``min``) and its items' pattern (then the items are string fields)."""
    out: dict = {}
    min_len = next((c.min_length for c in _own_meta(tp, meta) if getattr(c, "min_length", None)), None)
    if min_len:
        out["min"] = min_len
    base = _unwrap(_strip_optional(tp))
    if typing.get_origin(base) is list:
        (item,) = typing.get_args(base)
        pattern = limits(item, []).get("pattern")
        if pattern:
            out["field"] = {"name": "item", "label": "一项", "widget": "string", "pattern": pattern}
    return out
