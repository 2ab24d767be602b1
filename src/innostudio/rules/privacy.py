"""P rules: personal data and code that must never reach the public site."""
from __future__ import annotations

import html
import re
from typing import Iterable

from ..load import Source, line_of
from .base import Context, Hit, Kind, rule
from .syntax import all_sources

_ID_RE = re.compile(r"(?<![0-9A-Za-z])([1-9]\d{5}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx])"
                    r"(?![0-9A-Za-z])")
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_MOBILE_RE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")
# Both numbers hold 11 digits in a row that start with 1 or 2 (a mobile number is 1 and ten digits; an
# ID number has its year, 18xx/19xx/20xx, then eight more digits): a file's text without such a run holds
# neither, and the one regex with a class prefix and no lookbehind scans several times quicker than theirs.
_DIGIT_RUN = re.compile(r"[12]\d{10}")


def is_resident_id(text: str) -> bool:
    """GB 11643-1999 checksum of an 18-character resident identity number."""
    total = sum(int(c) * w for c, w in zip(text[:17], _ID_WEIGHTS))
    return _ID_CHECK[total % 11] == text[17].upper()


def _mask(text: str) -> str:
    return text[:3] + "*" * (len(text) - 7) + text[-4:]


@rule("P001", ("文本中含有居民身份证号", "Resident ID number in text"), {
    "id": ("发现居民身份证号 {masked}：身份证号不得写入仓库（包括 private 部分），请删除",
           "resident ID number {masked} found: ID numbers must not be in the repository (not even under "
           "private); delete it"),
}, kind=Kind.DATA, fork=2)
def p001(ctx: Context):
    """## 依据

    个人信息保护（本系统的隐私要求）：身份证号不得出现在任何文件中。

    ## 要求

    任何文本中都不出现 18 位居民身份证号码（校验位有效的）。

    ## 示例

    不通过（示意：x 代表身份证号的各位数字，本页不公开任何真实号码）：

    ```yaml
    summary: 学员身份证 11010519xxxxxxxxxx 已登记
    ```

    通过：

    ```yaml
    summary: 学员信息已由工会登记
    ```

    ## 如何修改

    删去身份证号；确需保存的信息交校工会线下保管，不写入仓库。"""
    for src in all_sources(ctx):
        text = src.text
        if not text or _DIGIT_RUN.search(text) is None:
            continue
        for m in _ID_RE.finditer(text):
            if is_resident_id(m.group(1)):
                yield Hit("id", src.path, line_of(text, m.start(1)), {"masked": _mask(m.group(1))})


_PUBLIC_SKIP_KEYS = {"private", "identifier", "evidence"}


def _public_strings(src: Source) -> Iterable[tuple[str, tuple[int, int]]]:
    """Strings a page may show: parsed values outside ``private``, and Markdown bodies."""
    todo = [src.data]
    while todo:  # identifiers and URLs are not free text
        node = todo.pop()
        if isinstance(node, dict):
            for k, v in node.items():
                if k in _PUBLIC_SKIP_KEYS:
                    continue
                if isinstance(v, (dict, list)):
                    todo.append(v)
                elif isinstance(v, str):
                    yield v, node.vpos[k]
        elif isinstance(node, list):
            for v, pos in zip(node, node.ipos):
                if isinstance(v, (dict, list)):
                    todo.append(v)
                elif isinstance(v, str):
                    yield v, pos
    if src.body:
        yield from _body_lines(src)


def _body_lines(src: Source):
    for n, line in enumerate(src.body.split("\n")):
        yield line, (src.body_line + n, 1)


@rule("P002", ("公开文本中含有手机号码", "Mobile number in public text"), {
    "mobile": ("公开内容中有手机号码 {masked}：联系方式请写在 private 部分（不会发布）",
               "mobile number {masked} in public text: put contact details under private (never published)"),
}, kind=Kind.DATA, fork=5)
def p002(ctx: Context):
    """## 依据

    个人信息保护（本系统的隐私要求）：手机号不得公开。

    ## 要求

    公开的文本（简介、成果正文、台账摘要等）中不出现手机号码。联系方式可写在 private 映射中（从不公开）。

    ## 示例

    不通过（示意：x 代表手机号的各位数字，本页不公开任何真实号码）：

    ```text
    欢迎联系 139xxxxxxxx 参加活动。
    ```

    通过（联系方式写在不公开的 private 中）：

    ```yaml
    private: {contact: 139xxxxxxxx}
    ```

    ## 如何修改

    从公开文本中删去手机号，需要时写入 private 映射。"""
    for src in all_sources(ctx):
        if src.data is None and not src.body:
            continue
        # a parsed string holds such a run only if the file's text does, or an escape (\\) makes one
        if src.text is not None and _DIGIT_RUN.search(src.text) is None and "\\" not in src.text:
            continue
        for text, pos in _public_strings(src):
            for m in _MOBILE_RE.finditer(text):
                where = pos
                if "\n" in text and src.text is not None:
                    where = (pos[0] + text.count("\n", 0, m.start()), pos[1])
                yield Hit("mobile", src.path, where, {"masked": _mask(m.group())})


_CTRL = re.compile(r"[\x00-\x20\x7f]+")
_DANGER = [
    ("script", re.compile(r"<\s*/?\s*(script|iframe|frame|frameset|object|embed|applet|base|form|meta|link)\b", re.I)),
    ("handler", re.compile(r"<[^>]*?[\s/\"']on[a-z]+\s*=", re.I | re.S)),
]
_URL = re.compile(r"(?:\(|<|=|[\"']|\]:|^|\s)(javascript|vbscript|data|livescript)\s*:", re.I | re.M)
# Each of those schemes ends in a or t: a text with no a or t before a colon has none of them, and this
# regex with a class prefix scans several times quicker than _URL, which tries every position.
_SCHEME_END = re.compile(r"[aAtT]\s*:")


def dangerous_html(text: str) -> list[tuple[int, str]]:
    """Offsets and kinds of raw HTML that could run code (also after entity decoding)."""
    found: list[tuple[int, str]] = []
    for kind, rx in _DANGER:
        for m in rx.finditer(text):
            found.append((m.start(), kind))
    if ":" in text and _SCHEME_END.search(text) is not None:
        for m in _URL.finditer(text):
            found.append((m.start(1), "url"))
    if "&" in text:  # entity-encoded javascript: and friends; report on the line of the entity
        decoded_lines = text.split("\n")
        offset = 0
        for line in decoded_lines:
            if "&" in line:
                plain = _CTRL.sub("", html.unescape(html.unescape(line)))
                if re.search(r"(javascript|vbscript|data|livescript):", plain, re.I) or \
                        re.search(r"<\s*(script|iframe)", plain, re.I):
                    found.append((offset + line.index("&"), "entity"))
            offset += len(line) + 1
    return sorted(set(found))


def markdown_sources(ctx: Context) -> Iterable[tuple[str, str, int, tuple[int, int] | None]]:
    """(path, markdown text, first line, node position) of every contributor Markdown text."""
    for folder in ctx.repo.studios:
        for doc in folder.achievements:
            if doc.source.body:
                yield doc.path, doc.source.body, doc.source.body_line, None
        prof = folder.profile
        if prof is not None and isinstance(prof.data, dict) and isinstance(prof.data.get("description"), str):
            line, col = prof.data.vpos["description"]
            raw_line = (prof.source.text or "").split("\n")[line - 1] if prof.source.text else ""
            if raw_line[col - 1: col].strip() in ("|", ">"):  # block scalar: text starts below
                yield prof.path, prof.data["description"], line + 1, None
            else:
                yield prof.path, prof.data["description"], line, (line, col)
        for src in folder.extra_sources:
            if src.text:
                yield src.path, src.text, 1, None


@rule("P003", ("Markdown 中含有可执行代码的 HTML", "Raw HTML that can run code"), {
    "script": ("不允许的 HTML 标签（script、iframe、object、form 等）", "forbidden HTML tag (script, iframe, "
               "object, form ...)"),
    "handler": ("不允许的 HTML 事件属性（on...=）", "forbidden HTML event attribute (on...=)"),
    "url": ("不允许 javascript:、vbscript: 或 data: 链接", "javascript:, vbscript: and data: links are not allowed"),
    "entity": ("用 HTML 实体编码隐藏的脚本链接", "script link hidden with HTML entities"),
}, kind=Kind.DATA, fork=3)
def p003(ctx: Context):
    """## 依据

    网站安全（本系统的安全要求）：公开页面不得运行任何提交者写入的代码。

    ## 要求

    Markdown 中不出现能运行代码的 HTML：script、iframe 标签，on 开头的事件属性，javascript: 或 data: 链接。其他 HTML 原样转义显示。

    ## 示例

    不通过：

    ```markdown
    点击 <a href="javascript:alert(1)">这里</a>
    ```

    通过：

    ```markdown
    点击 [成果介绍](https://example.org/result)
    ```

    ## 如何修改

    改用普通的 Markdown 文字、链接和图片。"""
    for path, text, first_line, node_pos in markdown_sources(ctx):
        seen: set[tuple[int, str]] = set()
        for offset, kind in dangerous_html(text):
            line, col = line_of(text, offset)
            if (line, kind) in seen:  # one finding per kind and line
                continue
            seen.add((line, kind))
            if node_pos is not None and line == 1:
                col += node_pos[1] - 1
            yield Hit(kind, path, (first_line + line - 1, col))

