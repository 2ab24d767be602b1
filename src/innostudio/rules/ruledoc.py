"""Rule documentation for people (a union officer, a studio lead), shaped like Ruff's rule docs.

A rule's docstring is Chinese Markdown with four sections, in this order::

    ## 依据      the policy clause ({cite:S4} and {quote:S4} from union/policy.yml) or the local label
    ## 要求      what must hold, quoting the live thresholds of union/standards.yml
    ## 示例      a failing snippet and a passing one (fenced code blocks)
    ## 如何修改  what to change, and where

Live values are placeholders filled from union/standards.yml when the doc is shown:

* ``{value:s3.min_members}`` - the configured value (enum codes as their Chinese labels, lists joined
  with 、, ratios as percentages);
* ``{basis:s3.min_members}`` - its basis: the policy's short name with the clause's ref, or the local label;
* ``{name:s3.min_members}`` - the key's short Chinese name;
* ``{cite:S4}`` - a clause of union/policy.yml: 《short》ref, or the local label where policy.yml lacks it;
* ``{quote:S4}`` - that clause's verbatim quote (and the portal's reading of it, where it has one).

A placeholder that names no key of standards.yml is an error (:class:`DocError`), and so is a missing
section: tests/test_policy_config.py checks every registered rule.
"""
from __future__ import annotations

import re
from enum import Enum
from typing import Any

from ..model import Choice
from ..standards import CLAUSE_KEYS, KEYS, Standards, short_name

SECTIONS = ("依据", "要求", "示例", "如何修改")
PLACEHOLDER = re.compile(r"\{(value|basis|name):([a-z0-9_]+\.[a-z0-9_]+)\}")
CLAUSE_PLACEHOLDER = re.compile(r"\{(cite|quote):([A-Za-z0-9_]+)\}")
_HEADING = re.compile(r"^## (.+?)\s*$", re.M)
_CODE_SPAN = re.compile(r"`([^`]+)`")


class DocError(ValueError):
    pass


def format_value(path: str, value: Any) -> str:
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, Choice):
        return value.label
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, (list, tuple)):
        return "、".join(format_value(path, v) for v in value) or "（无）"
    if path.endswith("_ratio") and isinstance(value, (int, float)):
        return f"{value * 100:g}%"
    if isinstance(value, float):
        return f"{value:g}"
    if value is None:
        return "（未设置）"
    return str(value)


def sections(doc: str) -> dict[str, str]:
    """The doc's ``## `` sections by heading (text before the first heading is ignored)."""
    parts = _HEADING.split(doc)
    return {parts[i].strip(): parts[i + 1].strip() for i in range(1, len(parts) - 1, 2)}


def problems(doc: str) -> list[str]:
    """What is wrong with a rule doc: missing or empty sections, unknown placeholders, no examples."""
    out = []
    found = sections(doc)
    for name in SECTIONS:
        if not found.get(name):
            out.append(f"缺少“{name}”一节")
    headings = [h for h in found if h in SECTIONS]
    if headings != [h for h in SECTIONS if h in found]:
        out.append("各节顺序应为 依据、要求、示例、如何修改")
    if found.get("示例", "").count("```") < 4:
        out.append("“示例”一节应有不通过和通过两段代码")
    for _kind, path in PLACEHOLDER.findall(doc):
        if path not in KEYS:
            out.append(f"占位符 {path} 不是 standards.yml 的键")
    for _kind, key in CLAUSE_PLACEHOLDER.findall(doc):
        if key not in CLAUSE_KEYS and key != "targets":
            out.append(f"占位符 {key} 不是 union/policy.yml 的条款键")
    return out


def _clause_text(kind: str, key: str, std: Standards, lang: str) -> str:
    if kind == "cite":
        return std.clause(key).label(lang)
    quote, reading = std.quote_of(key)
    if not quote:
        return "政策文件的相应条款尚未写入 union/policy.yml。" if lang != "en" else "(not quoted in union/policy.yml)"
    return f"“{quote}”" + (f"（本平台的理解：{reading}）" if reading else "")


def fill(doc: str, std: Standards, lang: str = "zh") -> str:
    """The doc with its live values filled in from ``std``."""

    def sub(match: re.Match) -> str:
        kind, path = match.groups()
        if path not in KEYS:
            raise DocError(f"unknown standards key in rule doc: {path}")
        if kind == "value":
            return format_value(path, std.value(path))
        if kind == "basis":
            return std.basis(path).label(lang)
        return short_name(path)

    filled = PLACEHOLDER.sub(sub, doc)
    filled = CLAUSE_PLACEHOLDER.sub(lambda m: _clause_text(m.group(1), m.group(2), std, lang), filled)
    return std.cite(filled)


# A line break between two Chinese characters inside a paragraph: a browser shows it as a space.
_CJK_BREAK = re.compile(r"(?<=[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef])\n(?=[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef])")


def render(rule, std: Standards, lang: str = "zh") -> str:
    """A rule's doc as Markdown with live values (headings demoted one level under the rule's title). A paragraph
    wrapped between two Chinese characters is joined there (code blocks are left as they are)."""
    parts = fill(rule.doc, std, lang).split("```")
    return "```".join(_CJK_BREAK.sub("", part) if i % 2 == 0 else part for i, part in enumerate(parts))


def summary(rule, std: Standards) -> str:
    """The first paragraph of the 要求 section, with live values (one line for tables)."""
    text = sections(fill(rule.doc, std)).get("要求", "")
    return _CODE_SPAN.sub(r"\1", text.split("\n\n", 1)[0].replace("\n", ""))  # plain text: no `code` marks


SEVERITY_NAMES = {"error": "错误（阻止合并）", "warning": "警告", "info": "提示",
                  "standard": "“六有”标准：筹建中为提示，持牌工作室为错误"}
_MESSAGE_FIELD = re.compile(r"(?<!\{)\{[A-Za-z_][A-Za-z0-9_]*\}(?!\})")


def explain(rule, std: Standards) -> str:
    """One rule as `innostudio rules CODE` shows it: its level and basis, its documentation and its messages."""
    basis = rule.basis(std)
    out = [f"# {rule.code} {rule.title[0]}", "",
           f"级别：{SEVERITY_NAMES.get(rule.severity, rule.severity)}" + (f"；依据：{basis}" if basis else ""), "",
           render(rule, std), "", "## 提示信息", "", "检查时显示以下提示，“…”处填入具体的数值、字段或文件名：", ""]
    for zh, _en in rule.messages.values():  # placeholders shown as …, literal braces unescaped
        out.append("- " + _MESSAGE_FIELD.sub("…", zh).replace("{{", "{").replace("}}", "}"))
    return "\n".join(out)


def catalogue(rules, std: Standards) -> str:
    """Every rule on a line, as `innostudio rules` lists them."""
    out = []
    for rule in rules:
        basis = rule.basis(std)
        line = f"{rule.code:6} {rule.severity:8} {rule.title[0]} / {rule.title[1]}"
        out.append(line + (f"  〔{basis}〕" if basis else ""))
    return "".join(line + "\n" for line in out)
