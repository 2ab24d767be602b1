"""Model stage: validate parsed data against a model and keep the place of every error.

A file with errors still yields a partial model where possible (offending list items and optional
fields are dropped and validation is retried), so that one bad line does not hide every other
finding of the studio.
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Any, get_args

from pydantic import BaseModel, ValidationError

from .load import Pos, YList, YMap


@dataclass(frozen=True, slots=True)
class FieldError:
    kind: str  # missing | unknown | type | date
    field: str  # dotted path, e.g. members[2].birth_year
    pos: Pos | None
    message: str
    value: str = ""
    etype: str = ""
    ctx: tuple = ()
    suggest: str = ""  # an unknown key: the field of that place it most resembles (titel → title)

    def text(self, lang: str) -> str:
        """The reason in the user's language."""
        table = MESSAGES.get(self.etype)
        if table is None:
            return self.message
        zh, en = table
        params = dict(self.ctx)
        try:
            return (en if lang == "en" else zh).format(**params)
        except (KeyError, IndexError, ValueError):
            return self.message


MESSAGES: dict[str, tuple[str, str]] = {
    "enum_choice": ("取值应为以下之一：{allowed}", "must be one of: {allowed}"),
    "enum_choice_near": ("您是不是要写 {suggest}？取值应为以下之一：{allowed}",
                         "did you mean {suggest}? It must be one of: {allowed}"),
    "date_impossible": ("日期不存在或年份不合理", "no such date, or an impossible year"),
    "date_format": ("日期格式应为 {fmt}", "dates are written {fmt}"),
    "number_finite": ("必须是有限的数", "must be a finite number"),
    "string_type": ("应为文字", "must be text"),
    "int_type": ("应为整数", "must be a whole number"),
    "int_from_float": ("应为整数", "must be a whole number"),
    "float_type": ("应为数字", "must be a number"),
    "bool_type": ("应为 true 或 false", "must be true or false"),
    "list_type": ("应为列表（每项以 - 开头，或写成 [a, b]）", "must be a list"),
    "model_type": ("应为“键: 值”的映射", "must be a mapping of keys and values"),
    "model_attributes_type": ("应为“键: 值”的映射", "must be a mapping of keys and values"),
    "dict_type": ("应为“键: 值”的映射", "must be a mapping of keys and values"),
    "string_too_short": ("不能为空", "must not be empty"),
    "string_too_long": ("不能超过 {max_length} 个字符", "at most {max_length} characters"),
    "too_short": ("至少需要 {min_length} 项", "needs at least {min_length} item(s)"),
    "greater_than_equal": ("不能小于 {ge}", "must be at least {ge}"),
    "greater_than": ("必须大于 {gt}", "must be greater than {gt}"),
    "less_than_equal": ("不能大于 {le}", "must be at most {le}"),
    "string_pattern_mismatch": ("格式不符合要求（{pattern}）", "does not match the pattern {pattern}"),
}


def _field_path(loc: tuple) -> str:
    out = ""
    for part in loc:
        if part == "[key]":
            continue
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


def locate(data: Any, loc: tuple, key_only: bool = False) -> Pos | None:
    """Position of the node at ``loc`` in parsed data; the nearest existing ancestor otherwise."""
    node = data
    pos: Pos | None = getattr(data, "pos", None)
    for i, part in enumerate(loc):
        if part == "[key]":
            continue
        want_key = key_only or (i + 1 < len(loc) and loc[i + 1] == "[key]")
        if isinstance(node, YMap) and isinstance(part, str) and part in node:
            pos = node.kpos[part] if want_key else node.vpos[part]
            node = node[part]
        elif isinstance(node, YList) and isinstance(part, int) and 0 <= part < len(node):
            pos = node.ipos[part]
            node = node[part]
        elif isinstance(node, YMap) and isinstance(part, str):
            # a missing key: point at its parent mapping's key (one line above) or the mapping
            return pos
        else:
            return pos
    return pos


def _kind(err: Any) -> str:
    t = err["type"]
    if t == "missing":
        return "missing"
    if t == "extra_forbidden":
        return "unknown"
    if t.startswith("date") or t.startswith("datetime"):
        return "date"
    return "type"


def _short(value: Any) -> str:
    text = repr(value) if not isinstance(value, str) else value
    return text if len(text) <= 40 else text[:37] + "…"


def _plain(data: Any) -> Any:
    if isinstance(data, dict):
        return {k: _plain(v) for k, v in data.items()}
    if isinstance(data, list):
        return [_plain(v) for v in data]
    return data


_DROP = object()

Kept = dict[tuple, list[int]]  # list path (file coordinates) -> kept indexes (file coordinates)


def to_file(loc: tuple, kept: Kept) -> tuple:
    """Translate a location in the partial model to the file's coordinates."""
    out: list = []
    for part in loc:
        if isinstance(part, int):
            mapping = kept.get(tuple(out))
            if mapping is not None and 0 <= part < len(mapping):
                part = mapping[part]
        out.append(part)
    return tuple(out)


def _drop(marked: Any, loc: tuple, model: type[BaseModel]) -> bool:
    """Mark the smallest droppable part containing ``loc`` (file coordinates); False if none."""
    loc = tuple(p for p in loc if p != "[key]")
    for i in range(len(loc) - 1, -1, -1):  # the deepest list item on the path
        if isinstance(loc[i], int):
            parent = _get(marked, loc[:i])
            if isinstance(parent, list) and 0 <= loc[i] < len(parent) and parent[loc[i]] is not _DROP:
                parent[loc[i]] = _DROP
                return True
    if loc and isinstance(loc[0], str):
        info = model.model_fields.get(loc[0])
        if isinstance(marked, dict) and marked.get(loc[0], _DROP) is not _DROP and (
                info is None or not info.is_required()):
            marked[loc[0]] = _DROP
            return True
    return False


def _get(data: Any, loc: tuple) -> Any:
    node = data
    for part in loc:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            return None
    return node


def _clean(data: Any, path: tuple, kept: Kept) -> Any:
    if isinstance(data, dict):
        return {k: _clean(v, path + (k,), kept) for k, v in data.items() if v is not _DROP}
    if isinstance(data, list):
        idx = [i for i, v in enumerate(data) if v is not _DROP]
        if len(idx) != len(data):
            kept[path] = idx
        return [_clean(data[i], path + (i,), kept) for i in idx]
    return data


def _model_of(annotation: Any) -> type[BaseModel] | None:
    """The model inside an annotation (Optional, list[...], Annotated[...] unwrapped), if any."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in get_args(annotation):
        found = _model_of(arg)
        if found is not None:
            return found
    return None


def _near_field(model: type[BaseModel], loc: tuple) -> str:
    """For an unknown key at ``loc``, the field of that mapping it most resembles ("" when none is close)."""
    current: type[BaseModel] | None = model
    for part in loc[:-1]:
        if isinstance(part, int) or current is None:
            continue
        info = current.model_fields.get(str(part))
        current = _model_of(info.annotation) if info is not None else None
    if current is None or not isinstance(loc[-1], str):
        return ""
    near = difflib.get_close_matches(loc[-1], list(current.model_fields), n=1, cutoff=0.7)
    return near[0] if near else ""


def _errors(exc: ValidationError, data: Any, model: type[BaseModel]) -> list[FieldError]:
    out = []
    for err in exc.errors(include_url=False):
        loc = tuple(err["loc"])
        kind = _kind(err)
        pos = locate(data, loc, key_only=(kind == "unknown"))
        value = "" if kind == "missing" else _short(err.get("input"))
        ctx = tuple(sorted((k, str(v)) for k, v in (err.get("ctx") or {}).items()))
        suggest = _near_field(model, loc) if kind == "unknown" else ""
        out.append(FieldError(kind, _field_path(loc), pos, err["msg"], value, err["type"], ctx, suggest))
    return out


def validate(model: type[BaseModel], data: Any) -> tuple[BaseModel | None, list[FieldError], Kept]:
    """Validate; return ``(model_or_partial_or_None, errors, kept)``.

    With errors, invalid list items and optional fields are dropped and validation retried, so that
    the rest of the file can still be checked. ``kept`` maps each shortened list (by its path in the
    file) to the file indexes of the items the partial model holds.
    """
    if data is None:
        data = YMap((1, 1))
    if not isinstance(data, dict):
        return None, [FieldError("toplevel", "", (1, 1), "", type(data).__name__)], {}
    # Only the errors' lists are kept, never an exception: its traceback holds this frame, whose locals would
    # hold it back, a cycle that kept the whole loaded repository alive until the collector ran (0.3 s of
    # `check`'s exit at 300 studios).
    try:
        return model.model_validate(data), [], {}
    except ValidationError as exc:
        errors = _errors(exc, data, model)
        last = exc.errors(include_url=False)
    marked = _plain(data)
    kept: Kept = {}
    for _ in range(4):
        dropped = False
        for err in last:
            dropped |= _drop(marked, to_file(tuple(err["loc"]), kept), model)
        if not dropped:
            break
        kept = {}
        work = _clean(marked, (), kept)
        try:
            return model.model_validate(work), errors, kept
        except ValidationError as exc:
            last = exc.errors(include_url=False)
    return None, errors, {}
