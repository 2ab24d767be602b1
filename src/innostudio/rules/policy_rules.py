"""C and policy W rules: union/policy.yml says only what the document says, and the old forms still work.

docs/contract/policy-profile.md: a clause's ``quote`` is verbatim in the document's own text on its page
(C001); a threshold may cite only clause keys that policy.yml defines (C002); ``init``'s placeholder
document is a reminder (W005); the forms before policy.yml (clause numbers in standards.yml, the lifecycle
inspection keys, ``goals``, ``extra.policy_*`` in mkdocs.yml) keep working with a warning (W006).
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ..corpus import Doc
from ..standards import CLAUSE_KEYS
from .base import Context, Hit, Kind, Severity, hit, rule

POLICY = "union/policy.yml"
STANDARDS = "union/standards.yml"
TEXT_START, TEXT_END = "<!-- policy-text -->", "<!-- /policy-text -->"
PLACEHOLDER_PREFIX = "（待填写"  # init writes 《（待填写：本单位政策文件的全称）》 until the union names its document
# Markdown that is layout, not words: emphasis marks, heading and list markers, block quotes.
_MARKUP = re.compile(r"^\s*(?:#{1,6}\s+|[-*+]\s+|\d+[.)]\s+|>\s*)", re.M)
_EMPHASIS = re.compile(r"[*_`]+")
_SPACE = re.compile(r"\s+")
OLD_LIFECYCLE = {"inspection_due_month": "inspection.due（如 due: \"03-31\"）",
                 "inspection_min_months": "inspection.min_months"}
OLD_EXTRA = ("policy_title", "policy_short", "policy_number")


def plain_words(text: str) -> str:
    """Text as compared for C001: whitespace, Markdown emphasis, heading and list markers ignored."""
    return _SPACE.sub("", _EMPHASIS.sub("", _MARKUP.sub("", text)))


def document_text(root: Path, page: str) -> str | None:
    """The document's own text on its page (between the policy-text markers); None without markers."""
    try:
        text = (root / "content" / page).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError, ValueError):
        return None
    start, end = text.find(TEXT_START), text.find(TEXT_END)
    if start < 0 or end < start:
        return None
    return text[start + len(TEXT_START):end]


def _policy_data(ctx: Context) -> tuple[Doc, dict[str, Any]] | None:
    doc = ctx.repo.policy_doc
    if doc is None or not isinstance(doc.data, dict):
        return None
    return doc, doc.data


@rule("C001", ("政策条款引文不是原文", "Policy quote not verbatim"), {
    "quote": ("union/policy.yml 中 {clause} 的 quote 不是 content/{page} 政策原文中的一字不差的片段：页面不能替政策说它没有说"
              "的话。请从原文复制（空格、Markdown 的强调、标题和列表符号不计）",
              "the quote of {clause} in union/policy.yml is not verbatim in the policy text of content/{page}: copy it "
              "from the document"),
    "nopage": ("content/{page} 中没有找到 <!-- policy-text --> 与 <!-- /policy-text --> 标记之间的政策原文，"
               "无法核对 {clause} 的引文：请把原文粘贴在两行标记之间",
               "content/{page} holds no policy text between the policy-text markers: the quote of {clause} cannot "
               "be checked"),
}, kind=Kind.DATA)
def c001(ctx: Context) -> Iterable[Hit]:
    """## 依据

    本系统的数据要求（政策即数据）：页面和检查提示引用的政策原文必须与政策文件一字不差。

    ## 要求

    union/policy.yml 中每个条款的 `quote`，都是 `document.page`（默认 content/policy.md）里
    `<!-- policy-text -->` 与 `<!-- /policy-text -->` 两行标记之间原文的片段；比较时不计空格、Markdown 的强调、
    标题和列表符号。本平台对条款的理解写在 `reading` 中，不写进 `quote`。

    ## 示例

    不通过（原文没有这句话）：

    ```yaml
    clauses:
      S3: {ref: 第五条第三项, quote: 团队至少三人}
    ```

    通过（从原文复制）：

    ```yaml
    clauses:
      S3: {ref: 第五条第三项, quote: 有创新团队。}
    ```

    ## 如何修改

    打开政策原文页，复制条款的原话粘贴到 quote；若要说明本单位的理解，写在 reading 中。"""
    found = _policy_data(ctx)
    if found is None:
        return
    doc, data = found
    clauses = data.get("clauses")
    if not isinstance(clauses, dict):
        return
    document: dict[str, Any] = data["document"] if isinstance(data.get("document"), dict) else {}
    page = str(document.get("page") or "policy.md")
    source = document_text(ctx.repo.root, page)
    words = plain_words(source) if source is not None else None
    for key, clause in clauses.items():
        if not isinstance(clause, dict) or not isinstance(clause.get("quote"), str):
            continue
        if words is None:
            yield hit("nopage", doc, "clauses", key, "quote", clause=key, page=page)
        elif plain_words(clause["quote"]) not in words:
            yield hit("quote", doc, "clauses", key, "quote", clause=key, page=page)


def _thresholds(doc: Doc) -> Iterable[tuple[str, str, str]]:
    """(section, key, clause) of every threshold of standards.yml written as {value, basis, clause}."""
    if not isinstance(doc.data, dict):
        return
    for section, values in doc.data.items():
        if not isinstance(values, dict):
            continue
        for key, value in values.items():
            if isinstance(value, dict) and isinstance(value.get("clause"), str) and value["clause"].strip():
                yield str(section), str(key), value["clause"].strip()


def _standards_doc(ctx: Context) -> Doc | None:
    return next((d for d in ctx.repo.union_docs if d.path == STANDARDS), None)


@rule("C002", ("阈值引用了未定义的条款", "Threshold cites an undefined clause"), {
    "undefined": ("{section}.{name} 的 clause 写的是条款键 {clause}，但 union/policy.yml 的 clauses 中没有它：请在 "
                  "policy.yml 中写明这一条款（ref 和原文 quote），或把依据改为 local",
                  "{section}.{name} cites the clause key {clause}, which union/policy.yml does not define"),
}, kind=Kind.DATA)
def c002(ctx: Context) -> Iterable[Hit]:
    """## 依据

    本系统的数据要求（政策即数据）：说某个阈值出自政策文件，就要指得出是哪一条；指不出的，按本单位细则显示。

    ## 要求

    union/standards.yml 中写明 `basis: policy` 和 `clause: 条款键` 的阈值，其条款键（S1–S6、funding、
    inspection 等）必须在 union/policy.yml 的 clauses 中有定义。默认依据的条款键缺失时不报告：该阈值按
    本单位细则显示。

    ## 示例

    不通过（policy.yml 没有 S4）：

    ```yaml
    s4:
      min_area_m2:
        value: 30
        basis: policy
        clause: S4
    ```

    通过：

    ```yaml
    s4:
      min_area_m2:
        value: 30
        basis: local
    ```

    ## 如何修改

    在 union/policy.yml 的 clauses 中写上这一条款，或把 basis 改为 local。"""
    doc = _standards_doc(ctx)
    if doc is None:
        return
    defined = set(ctx.repo.settings.policy.clauses)
    for section, key, clause in _thresholds(doc):
        if clause in CLAUSE_KEYS and clause not in defined:
            yield hit("undefined", doc, section, key, "clause", section=section, name=key, clause=clause)


@rule("W005", ("政策文件仍是模板占位", "Policy document still the placeholder"), {
    "placeholder": ("union/policy.yml 仍是 innostudio init 生成的占位文件：请写上本单位政策文件的全称、简称和文号，"
                    "并引用条款原文",
                    "union/policy.yml still holds init's placeholder document: name your policy document"),
}, severity=Severity.WARNING)
def w005(ctx: Context) -> Iterable[Hit]:
    """## 依据

    本系统的数据要求（政策即数据）：站点引用的是本单位自己的政策文件。

    ## 要求

    union/policy.yml 的 `document.title` 不再是 innostudio init 写入的占位文字。

    ## 示例

    不通过：

    ```yaml
    document:
      title: （待填写：本单位政策文件的全称）
    ```

    通过：

    ```yaml
    document:
      title: 某某大学劳模和优秀人才创新工作室管理办法
      short: 管理办法
    ```

    ## 如何修改

    按 union/policy.yml 文件开头的说明填写政策文件的名称、简称、文号和条款。"""
    found = _policy_data(ctx)
    if found is None:
        return
    doc, data = found
    document = data.get("document")
    if isinstance(document, dict) and str(document.get("title") or "").startswith(PLACEHOLDER_PREFIX):
        yield hit("placeholder", doc, "document", "title")


@rule("W006", ("旧的写法", "Older form"), {
    "clause": ("{section}.{name} 的 clause 写的是条款编号 {clause}：新写法是 union/policy.yml 的条款键（如 clause: S4），"
               "条款编号写在 policy.yml 的 ref 中",
               "{section}.{name} cites the clause number {clause}: cite a clause key of union/policy.yml (clause: S4)"),
    "lifecycle": ("lifecycle.{name} 是旧写法，仍然有效：新写法是 {new}",
                  "lifecycle.{name} is the older form and still works: write {new}"),
    "goals": ("standards.yml 的 goals 是旧写法，仍然有效：新写法是 union/policy.yml 的 targets",
              "goals in standards.yml is the older form: write targets in union/policy.yml"),
    "extra": ("mkdocs.yml 的 extra.{name} 是旧写法，仍然有效：政策文件的名称、简称和文号写在 union/policy.yml 的 document 中",
              "extra.{name} in mkdocs.yml is the older form: name the document in union/policy.yml"),
}, severity=Severity.WARNING)
def w006(ctx: Context) -> Iterable[Hit]:
    """## 依据

    本系统的数据格式要求：旧的写法仍然有效，但新的写法让政策文件成为唯一的出处。

    ## 要求

    union/standards.yml 用条款键（clause: S4）而不是条款编号引用政策；年度检查的设置写在 inspection 下；
    工作目标写在 union/policy.yml 的 targets 中；政策文件的名称写在 union/policy.yml 的 document 中，而不是
    mkdocs.yml 的 extra.policy_title 等。

    ## 示例

    旧写法（仍然有效，给出警告）：

    ```yaml
    s4:
      functions:
        value: [study, practice, display]
        basis: policy
        clause: 第五条第四项
    ```

    新写法：

    ```yaml
    s4:
      functions:
        value: [study, practice, display]
        basis: policy
        clause: S4
    ```

    ## 如何修改

    按提示改成新写法；含义不变。"""
    doc = _standards_doc(ctx)
    if doc is not None and isinstance(doc.data, dict):
        for section, key, clause in _thresholds(doc):
            if clause not in CLAUSE_KEYS:
                yield hit("clause", doc, section, key, "clause", section=section, name=key, clause=clause)
        lifecycle = doc.data.get("lifecycle")
        for key, new in OLD_LIFECYCLE.items():
            if isinstance(lifecycle, dict) and key in lifecycle:
                yield hit("lifecycle", doc, "lifecycle", key, key_pos=True, name=key, new=new)
        if "goals" in doc.data:
            yield hit("goals", doc, "goals", key_pos=True)
    yield from _old_extra(ctx)


def _old_extra(ctx: Context) -> Iterable[Hit]:
    """extra.policy_* in mkdocs.yml, at their lines (mkdocs.yml is read as text: it is no data file)."""
    extra = ctx.repo.settings.extra
    if not any(key in extra for key in OLD_EXTRA):
        return
    try:
        lines = (ctx.repo.root / "mkdocs.yml").read_text(encoding="utf-8").split("\n")
    except (OSError, UnicodeDecodeError):
        lines = []
    for key in OLD_EXTRA:
        if key in extra:
            line = next((i + 1 for i, text in enumerate(lines) if re.match(rf"\s+{key}\s*:", text)), None)
            yield Hit("extra", "mkdocs.yml", (line, 3) if line else None, {"name": key})
