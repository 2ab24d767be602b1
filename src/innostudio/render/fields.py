"""The field reference of the contributor guide, generated from the JSON Schemas (so it cannot drift)."""
from __future__ import annotations

from ..schema import SCHEMAS, schema_of

SECTIONS = ["studio", "achievement", "ledger", "decisions", "inspections", "challenges", "recognitions", "team"]
FILES = {"studio": "studios/<工作室>/studio.yml", "achievement": "studios/<工作室>/achievements/*.md（front matter）",
         "ledger": "studios/<工作室>/ledger/<年份>.yml", "decisions": "union/decisions.yml",
         "inspections": "union/inspections/<年份>.yml", "challenges": "union/challenges.yml",
         "recognitions": "union/recognitions.yml", "team": "union/team.yml"}


def _resolve(node: dict, defs: dict) -> dict:
    while "$ref" in node:
        node = defs[node["$ref"].rsplit("/", 1)[1]]
    return node


def _describe(node: dict, defs: dict) -> tuple[str, str, dict | None, bool]:
    """(type text, allowed values text, nested object schema or None, is list)."""
    node = _resolve(node, defs)
    options = node.get("anyOf")
    if options:
        real = [o for o in options if o.get("type") != "null"]
        if len(real) == 1:
            return _describe(real[0], defs)
    if node.get("type") == "array":
        t, allowed, nested, _ = _describe(node.get("items", {}), defs)
        return f"列表（{t}）", allowed, nested, True
    if "enum" in node:
        return "代码", node.get("description", "").replace("；", "；\n"), None, False
    if node.get("type") == "object" and "properties" in node:
        return "映射", "", node, False
    if node.get("type") == "object":
        return "映射（任意键，不公开）", "", None, False
    fmt = node.get("format")
    text = {"string": "文字", "integer": "整数", "number": "数字", "boolean": "true / false"}.get(node.get("type", ""),
                                                                                              "值")
    if fmt == "date" or node.get("pattern", "").startswith("^\\d{4}-\\d{2}"):
        text = "日期" if fmt == "date" else "日期或月份"
    limits = []
    for key, label in (("minimum", "≥"), ("maximum", "≤"), ("exclusiveMinimum", ">"), ("maxLength", "最多字数 ")):
        if key in node:
            limits.append(f"{label}{node[key]:g}" if isinstance(node[key], float) else f"{label}{node[key]}")
    return text, "，".join(limits), None, False


def _table(schema: dict, defs: dict, prefix: str, out: list[dict]) -> None:
    required = set(schema.get("required", []))
    rows = []
    nested = []
    for key, node in schema.get("properties", {}).items():
        t, allowed, obj, is_list = _describe(node, defs)
        name = f"{prefix}{key}"
        rows.append({"key": name, "type": t, "required": key in required, "allowed": allowed})
        if obj is not None:
            nested.append((obj, f"{name}[]." if is_list else f"{name}."))
    out.append({"title": prefix.rstrip(".") or "", "rows": rows})
    for obj, sub in nested:
        _table(obj, defs, sub, out)


def field_reference() -> list[dict]:
    sections = []
    for name in SECTIONS:
        schema = schema_of(name)
        tables: list[dict] = []
        _table(schema, schema.get("$defs", {}), "", tables)
        sections.append({"id": name, "title": SCHEMAS[name][1], "file": FILES[name], "tables": tables})
    return sections
