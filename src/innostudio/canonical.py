"""The canonical layout of data files: exactly what the browser editor (/admin/) writes.

The editor saves through the custom formats in ``templates/admin/innostudio-format.js``, which
implement the same few rules as this module (tests compare the two on every sample file and
through the real editor):

- keys in the order of the data contract (the model's field order) at every level; keys the
  contract does not name (inside ``private``) keep their order, after the named ones;
- block mappings and block lists, two spaces of indentation, a list's dashes at its key's indentation;
- empty values (null, '' and empty mappings) are left out, as a form leaves an empty field out;
- text is plain where plain YAML reads back the same text under YAML 1.1 and 1.2, else a literal
  block (``|``/``|-``) for several lines, else double quotes with JSON escapes; no line folding;
- an enum written as its Chinese label is written as its code (the form's selects store codes);
- no comments; UTF-8 without byte-order mark, LF line ends, a final newline;
- an achievement is ``---``, the front matter, ``---`` and the Markdown body unchanged.
"""
from __future__ import annotations

import functools
import json
import math
import re
import types
import typing
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from . import model as m
from .load import parse_yaml, read_text, split_front_matter

# What the form for each kind of file edits: the model of the file's top level.
FILE_MODELS: dict[str, type[BaseModel]] = {
    "studio": m.Studio, "achievement": m.Achievement, "ledger": m.Ledger, "decisions": m.Decisions,
    "inspections": m.Inspections, "challenges": m.Challenges, "recognitions": m.Recognitions,
}


# ---------------------------------------------------------------------------------------------
# Shapes: the key order and the enums of every level, derived from the models.

def _unwrap(tp: Any) -> Any:
    """Strip Annotated and Optional."""
    while True:
        origin = typing.get_origin(tp)
        if origin is typing.Annotated:
            tp = typing.get_args(tp)[0]
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(tp) if a is not type(None)]
            if len(args) != 1:
                return tp
            tp = args[0]
        else:
            return tp


def shape_of(tp: Any) -> dict:
    """A JSON-able description of a value: {"keys": {...}} for a model, {"items": ...} for a list,
    {"enum": {label: code}} for an enum, {"dict": key-shape, "values": ...} for a keyed mapping, {} else."""
    tp = _unwrap(tp)
    origin = typing.get_origin(tp)
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        return {"keys": {name: shape_of(f.annotation) for name, f in tp.model_fields.items()}}
    if origin is list:
        return {"items": shape_of(typing.get_args(tp)[0])}
    if origin is dict:
        key_tp, val_tp = typing.get_args(tp)
        key_shape = shape_of(key_tp)
        if "enum" in key_shape:
            return {"dict": key_shape, "values": shape_of(val_tp)}
        return {}
    if isinstance(tp, type) and issubclass(tp, m.Choice):
        return {"enum": tp._by_label_, "order": list(tp.labels())}  # type: ignore[attr-defined]
    return {}


def file_shapes() -> dict[str, dict]:
    return {kind: shape_of(model) for kind, model in FILE_MODELS.items()}


@functools.lru_cache(maxsize=1)
def _shapes() -> dict[str, dict]:
    """file_shapes() once per process (read-only here): W003 asks for it for every file."""
    return file_shapes()


def kind_of(path: str) -> str | None:
    """The kind of a data file from its path relative to the repository, or None if fmt leaves it alone."""
    parts = path.split("/")
    if parts[0] == "studios" and len(parts) == 3 and parts[2] == "studio.yml":
        return "studio"
    if parts[0] == "studios" and len(parts) == 4 and parts[2] == "achievements" and parts[3].endswith(".md"):
        return "achievement"
    if parts[0] == "studios" and len(parts) == 4 and parts[2] == "ledger" and parts[3].endswith(".yml"):
        return "ledger"
    if path == "union/decisions.yml":
        return "decisions"
    if path == "union/challenges.yml":
        return "challenges"
    if path == "union/recognitions.yml":
        return "recognitions"
    if parts[0] == "union" and len(parts) == 3 and parts[1] == "inspections" and parts[2].endswith(".yml"):
        return "inspections"
    return None


# ---------------------------------------------------------------------------------------------
# Normalising values: order, enum codes, empty values.

def _empty(v: Any) -> bool:
    return v is None or v == "" or (isinstance(v, dict) and not v)


def normalise(value: Any, shape: dict) -> Any:
    if isinstance(value, dict):
        keys = shape.get("keys")
        if keys is not None:
            out = {}
            for k in keys:
                if k in value:
                    out[k] = normalise(value[k], keys[k])
            for k, v in value.items():
                if k not in keys:
                    out[k] = normalise(v, {})
        elif "dict" in shape:
            key_shape, order = shape["dict"], shape["dict"]["order"]
            coded = {}
            for k, v in value.items():
                coded[key_shape["enum"].get(k, k) if isinstance(k, str) else k] = v
            ranked = sorted(coded, key=lambda k: (order.index(k) if k in order else len(order)))
            out = {k: normalise(coded[k], shape.get("values", {})) for k in ranked}
        else:
            out = {k: normalise(v, {}) for k, v in value.items()}
        return {k: v for k, v in out.items() if not _empty(v)}
    if isinstance(value, list):
        item = shape.get("items", {})
        return [normalise(v, item) for v in value]
    if isinstance(value, str) and "enum" in shape:
        return shape["enum"].get(value.strip(), value)
    return value


# ---------------------------------------------------------------------------------------------
# Writing YAML (the same rules as innostudio-format.js).

_SPECIAL_WORDS = re.compile(r"^(?:~|null|Null|NULL|true|True|TRUE|false|False|FALSE|y|Y|yes|Yes|YES|n|N|no|No|NO"
                            r"|on|On|ON|off|Off|OFF)$")
_NUMLIKE = re.compile(r"^[-+]?(?:\.[0-9]|[0-9])[0-9A-Za-z_.:+-]*$|^[-+]?\.(?:inf|Inf|INF|nan|NaN|NAN)$")
_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}(?:-[0-9]{2})?$")
_FIRST_BAD = set("-?:,[]{}#&*!|>'\"%@` \t")
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ufeff\u2028\u2029]")


def _plain_ok(s: str) -> bool:
    if not s or s[0] in _FIRST_BAD or s[-1] in " \t:" or "\n" in s or "\t" in s:
        return False
    if ": " in s or " #" in s or (not s.isprintable() and _CONTROL.search(s)):
        return False
    if s[0] > "~":  # starts with CJK or other non-ASCII text: no special word, number or marker
        return True
    if s.startswith(("---", "...")):
        return False
    if _SPECIAL_WORDS.match(s):
        return False
    if _NUMLIKE.match(s) and not _DATE.match(s):
        return False
    return True


_PLAIN_MEMO: dict[str, bool] = {}


def plain_ok(s: str) -> bool:
    """True when ``s`` can be written as a plain scalar (memoised: keys and codes recur in every file)."""
    ok = _PLAIN_MEMO.get(s)
    if ok is None:
        ok = _plain_ok(s)
        if len(s) <= 64 and len(_PLAIN_MEMO) < 50_000:
            _PLAIN_MEMO[s] = ok
    return ok


def literal_ok(s: str) -> bool:
    if "\n" not in s or _CONTROL.search(s) or "\t" in s or s.strip() == "":
        return False
    if s.endswith("\n\n") or s[0] in " \n":
        return False
    body = s[:-1] if s.endswith("\n") else s
    return all(line == line.rstrip(" ") for line in body.split("\n"))


def quote(s: str) -> str:
    return json.dumps(s, ensure_ascii=False)


def number(v: float | int) -> str:
    """A number as JavaScript's String() writes it (the editor's runtime)."""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if math.isnan(v):
        return ".nan"
    if math.isinf(v):
        return ".inf" if v > 0 else "-.inf"
    if v == int(v) and abs(v) < 1e21:
        return str(int(v))
    text = repr(v)
    if "e" in text:
        mant, exp = text.split("e")
        text = f"{mant}e{'+' if not exp.startswith('-') else ''}{int(exp)}"
    return text


def scalar(v: Any, indent: str) -> str:
    if v is None:
        return "null"
    if isinstance(v, (bool, int, float)):
        return number(v)
    s = str(v)
    if plain_ok(s):
        return s
    if literal_ok(s):
        header = "|" if s.endswith("\n") else "|-"
        body = s[:-1] if s.endswith("\n") else s
        lines = [(indent + "  " + line) if line else "" for line in body.split("\n")]
        return header + "\n" + "\n".join(lines)
    return quote(s)


def _key(k: Any) -> str:
    s = str(k)
    return s if plain_ok(s) else quote(s)


# The writers yield lines (a literal block is one item holding its newlines) so that W003 can stop at
# the first line that differs from the file instead of laying out the whole file.

def iter_map(d: dict, indent: str = "") -> Iterator[str]:
    for k, v in d.items():
        head = f"{indent}{_key(k)}:"
        if isinstance(v, dict):
            if v:
                yield head
                yield from iter_map(v, indent + "  ")
            else:
                yield head + " {}"
        elif isinstance(v, list):
            if v:
                yield head
                yield from iter_list(v, indent)
            else:
                yield head + " []"
        else:
            yield head + " " + scalar(v, indent)


def iter_list(items: list, indent: str) -> Iterator[str]:
    for v in items:
        if isinstance(v, dict) and v:
            inner = iter_map(v, indent + "  ")
            yield indent + "- " + next(inner)[len(indent) + 2:]
            yield from inner
        elif isinstance(v, list) and v:
            inner = iter_list(v, indent + "  ")
            yield indent + "- " + next(inner)[len(indent) + 2:]
            yield from inner
        else:
            sub = indent + "  "
            head = indent + "-"
            if isinstance(v, dict):
                yield head + " {}"
            elif isinstance(v, list):
                yield head + " []"
            else:
                yield head + " " + scalar(v, sub)


def iter_dump(data: Any) -> Iterator[str]:
    if isinstance(data, dict):
        if data:
            yield from iter_map(data)
        else:
            yield "{}"
    elif isinstance(data, list):
        if data:
            yield from iter_list(data, "")
        else:
            yield "[]"
    else:
        yield scalar(data, "")


def dump_map(d: dict, indent: str = "") -> list[str]:
    return list(iter_map(d, indent))


def dump_list(items: list, indent: str) -> list[str]:
    return list(iter_list(items, indent))


def dump(data: Any) -> str:
    return "\n".join(iter_dump(data)) + "\n"


# ---------------------------------------------------------------------------------------------
# Files

def plain_data(value: Any) -> Any:
    """The loader's YMap/YList tree as plain dicts and lists."""
    if isinstance(value, dict):
        return {k: plain_data(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain_data(v) for v in value]
    return value


class NotData(Exception):
    """The file does not parse: fmt leaves it alone (check reports it)."""


def _canonical_parts(path: str, text: str, parsed: tuple[Any, list] | None,
                     lazy: bool = False) -> tuple[str, Any, str | None]:
    """(kind, normalised data or None when the file has no data, the achievement body)."""
    kind = kind_of(path)
    if kind is None:
        raise NotData(path)
    shape = _shapes()[kind]
    text = text.lstrip("\ufeff").replace("\r\n", "\n")
    if kind == "achievement":
        fm, body, _line, problem = split_front_matter(text)
        if problem is not None or fm is None:
            raise NotData(path)
        data, problems = parsed if parsed is not None else parse_yaml(fm)
    else:
        body = None
        data, problems = parsed if parsed is not None else parse_yaml(text)
    if any(p.kind in ("parse", "deep", "nondata", "duplicate") for p in problems):
        raise NotData(path)
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise NotData(path)
    if lazy:  # the raw tree and its shape: first_difference normalises one top-level key at a time
        return kind, ((data, shape) if data else None), body
    # normalise builds plain dicts and lists from the loader's YMap/YList tree
    return kind, (normalise(data, shape) if data else None), body


def _lazy_top(value: dict, shape: dict) -> Iterator[str]:
    """The lines of iter_map(normalise(value, shape)), normalising a top-level key at a time and a list
    (a ledger's activities) an item at a time, so that first_difference stops early on a long file."""
    keys = shape.get("keys")
    if keys is None:
        yield from iter_map(normalise(value, shape))
        return
    for k in keys:
        if k in value:
            yield from _lazy_item(k, value[k], keys[k])
    for k, v in value.items():
        if k not in keys:
            yield from _lazy_item(k, v, {})


def _lazy_item(k: Any, raw: Any, shape: dict) -> Iterator[str]:
    if isinstance(raw, list):  # normalise keeps every list (an empty one is written "[]")
        if not raw:
            yield f"{_key(k)}: []"
            return
        yield f"{_key(k)}:"
        item = shape.get("items", {})
        for v in raw:
            yield from iter_list([normalise(v, item)], "")
        return
    v = normalise(raw, shape)
    if not _empty(v):
        yield from iter_map({k: v})


def canonical_text(path: str, text: str, parsed: tuple[Any, list] | None = None) -> str:
    """The canonical layout of a data file's text. Raises NotData when it does not parse. ``parsed``:
    the loader's (data, problems) for exactly this text, to save parsing it again."""
    kind, data, body = _canonical_parts(path, text, parsed)
    out = dump(data) if data is not None else ""
    if kind == "achievement":
        return "---\n" + (out if out else "") + "---\n" + (body or "")
    return out


def first_difference(path: str, text: str, parsed: tuple[Any, list] | None = None) -> int | None:
    """The 1-based line where ``text`` first differs from its canonical layout, None when it is canonical.
    The same line as comparing ``text`` with canonical_text() line by line, but the layout stops at
    that line. Raises NotData as canonical_text does."""
    kind, data, body = _canonical_parts(path, text, parsed, lazy=True)
    have = text.split("\n")
    n = len(have)
    i = 0

    def want() -> Iterator[str]:
        if kind == "achievement":
            yield "---"
        if data is not None:
            written = False
            for line in _lazy_top(*data):  # a literal block is one item with newlines: split it
                written = True
                yield from line.split("\n") if "\n" in line else (line,)
            if not written:
                yield "{}"
        if kind == "achievement":
            yield "---"
            yield from (body or "").split("\n")
        else:
            yield ""

    for line in want():
        if i == n or have[i] != line:
            return i + 1 if i < n else n
        i += 1
    return None if i == n else i


def data_files(root: Path) -> list[Path]:
    found: list[Path] = []
    studios = root / "studios"
    if studios.is_dir():
        found += sorted(studios.glob("*/studio.yml")) + sorted(studios.glob("*/achievements/*.md")) + sorted(
            studios.glob("*/ledger/*.yml"))
    union = root / "union"
    for name in ("decisions.yml", "challenges.yml", "recognitions.yml"):
        if (union / name).is_file():
            found.append(union / name)
    found += sorted((union / "inspections").glob("*.yml")) if (union / "inspections").is_dir() else []
    return found


def format_file(root: Path, path: Path, write: bool = True) -> bool | None:
    """Rewrite one file in canonical layout. True if changed, False if already canonical, None if skipped."""
    rel = path.resolve().relative_to(root.resolve()).as_posix()
    if kind_of(rel) is None:
        return None
    text, problems = read_text(path, 10 * 1024 * 1024)
    if text is None:
        return None
    try:
        new = canonical_text(rel, text)
    except NotData:
        return None
    raw = path.read_bytes()
    if raw == new.encode("utf-8"):
        return False
    if write:
        path.write_bytes(new.encode("utf-8"))
    return True
