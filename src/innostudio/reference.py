"""The project's own reference in docs/reference/, generated: the rule catalogue from the registry and the
data format's fields from the models (through their JSON Schemas), so that neither can drift from the code.

`innostudio schema` writes them with the JSON Schemas; tests/test_docs.py fails when a committed copy is
stale. The prose contract (the design documents) is mirrored in docs/contract/.
"""
from __future__ import annotations

from pathlib import Path

from .render.fields import FILES, field_reference
from .rules.registry import RULES, Severity
from .rules.ruledoc import SEVERITY_NAMES, summary
from .standards import DEFAULTS

FOLDER = Path("docs") / "reference"
_KIND = {"data": "数据（错误阻止生成站点）", "state": "状态（照常发布）"}


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ").strip()


def rules_text() -> str:
    """Every rule of the registry: its code, level, kind, the policy clause key it cites and what it requires."""
    lines = ["# 规则目录（由 `innostudio schema` 根据规则注册表生成，请勿手工修改）", "",
             "条款键指 `union/policy.yml` 的 clauses（docs/contract/policy-profile.md）；没有条款键的规则是本系统的"
             "数据规则或本单位细则。每条规则的完整说明：`innostudio rules 代码`。", "",
             "| 代码 | 规则 | 级别 | 类别 | 条款键 | 要求 |", "|---|---|---|---|---|---|"]
    for code, rule in RULES.items():
        level = SEVERITY_NAMES.get(str(rule.severity), str(rule.severity))
        if rule.severity is Severity.STANDARD:
            level = "“六有”标准"
        lines.append(f"| {code} | {_cell(rule.title[0])} | {_cell(level)} | {_KIND.get(str(rule.kind), '')} | "
                     f"{rule.clause_key or ''} | {_cell(summary(rule, DEFAULTS))} |")
    return "\n".join(lines) + "\n"


def fields_text() -> str:
    """Every field of every data file, from the models' JSON Schemas."""
    out = ["# 数据格式：字段一览（由 `innostudio schema` 根据数据模型生成，请勿手工修改）", "",
           "文件的位置、含义和规则见 docs/contract/data-format.md；这里列出每个字段的类型、是否必填和取值。", ""]
    for section in field_reference():
        out += [f"## {section['title']}", "", f"文件：`{FILES.get(section['id'], section['id'])}`", ""]
        for table in section["tables"]:
            if table["title"]:
                out += [f"### {table['title']}", ""]
            out += ["| 字段 | 类型 | 必填 | 取值 |", "|---|---|---|---|"]
            out += [f"| `{row['key']}` | {_cell(row['type'])} | {'是' if row['required'] else ''} | "
                    f"{_cell(row['allowed'])} |" for row in table["rows"]]
            out.append("")
    return "\n".join(out).rstrip() + "\n"


def reference_texts() -> dict[str, str]:
    return {"rules.md": rules_text(), "fields.md": fields_text()}


def write_reference(root: Path) -> list[Path]:
    folder = root / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in reference_texts().items():
        path = folder / name
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
        written.append(path)
    return written
