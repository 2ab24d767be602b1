"""P rules: personal data and code that must never reach the public site."""
from __future__ import annotations

import html
import re
from collections.abc import Iterable

from .. import personal
from ..load import Source, YList, YMap, line_of
from .base import Context, Hit, Kind, rule
from .syntax import all_sources


def _may_hold_numbers(src: Source) -> bool:
    """False when a file cannot hold either number: no data, or no run of eleven digits in its text (a
    parsed string holds such a run only if the file's text does, or an escape (\\) makes one)."""
    if src.data is None and not src.body:
        return False
    return src.text is None or personal.DIGIT_RUN.search(src.text) is not None or "\\" in src.text


def _allowed(ctx: Context) -> set[str]:
    """union/privacy.yml: the values the union has reviewed (P001/P002 leave them alone)."""
    return ctx.memo("privacy-allow", lambda: personal.canonical_forms(ctx.repo.privacy_allow))


def _where(src: Source, text: str, pos: tuple[int, int], offset: int) -> tuple[int, int]:
    if "\n" in text and src.text is not None:  # a multi-line string: the line of the number
        return pos[0] + text.count("\n", 0, offset), pos[1]
    return pos


def _personal_hits(ctx: Context, key: str, find) -> Iterable[Hit]:
    allowed = _allowed(ctx)
    for src, text, pos in _number_texts(ctx):
        for offset, number in find(text):
            if number not in allowed:
                yield Hit(key, src.path, _where(src, text, pos, offset), {"masked": personal.mask(number)})


def _number_texts(ctx: Context) -> list[tuple[Source, str, tuple[int, int]]]:
    """The public strings that may hold a personal number (eleven digits in a run), found once for P001 and
    P002 together."""

    def compute() -> list[tuple[Source, str, tuple[int, int]]]:
        run = personal.DIGIT_RUN.search
        return [(src, text, pos) for src in all_sources(ctx) if _may_hold_numbers(src)
                for text, pos in _public_strings(src) if run(text) is not None]

    return ctx.memo("number-texts", compute)


@rule("P001", ("公开文本中含有居民身份证号", "Resident ID number in public text"), {
    "id": ("公开内容中有居民身份证号 {masked}：身份证号不得公开（号码写错了也算），请删除",
           "resident ID number {masked} in public text: ID numbers must not be published (a mistyped one "
           "neither); delete it"),
}, kind=Kind.DATA, fork=2)
def p001(ctx: Context):
    """## 依据

    个人信息保护（本系统的隐私要求）：身份证号不得公开。

    ## 要求

    公开的文本（简介、成果正文、台账摘要等）中不出现居民身份证号码：18 位（17 位数字加一位数字或 X），
    地区码和出生日期成立的都算，即使校验位不对（写错的身份证号仍是个人信息）；全角数字、按 6-8-4
    用一个空格或连字符分组的写法也算。编号类字段（identifier、evidence、document、voucher）、private、
    链接和文件路径不检查；夹在更长的字母数字串中的（如专利号、统一社会信用代码）不算。
    校工会审核后允许公开的号码写在 `union/privacy.yml` 的 `allow` 中。

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
    yield from _personal_hits(ctx, "id", personal.scan_ids)


_PUBLIC_SKIP_KEYS = {"private", "identifier", "evidence", "document", "voucher"}


def _public_strings(src: Source) -> Iterable[tuple[str, tuple[int, int]]]:
    """Strings a page may show: parsed values outside ``private``, and Markdown bodies."""
    todo = [src.data]
    while todo:  # identifiers and URLs are not free text
        node = todo.pop()
        if isinstance(node, YMap):
            for k, v in node.items():
                if k in _PUBLIC_SKIP_KEYS:
                    continue
                if isinstance(v, (dict, list)):
                    todo.append(v)
                elif isinstance(v, str):
                    yield v, node.vpos[k]
        elif isinstance(node, YList):
            for v, pos in zip(node, node.ipos, strict=True):
                if isinstance(v, (dict, list)):
                    todo.append(v)
                elif isinstance(v, str):
                    yield v, pos
    if src.body:
        yield from _body_lines(src)


def _body_lines(src: Source) -> Iterable[tuple[str, tuple[int, int]]]:
    for n, line in enumerate((src.body or "").split("\n")):
        yield line, (src.body_line + n, 1)


@rule("P002", ("公开文本中含有手机号码", "Mobile number in public text"), {
    "mobile": ("公开内容中有手机号码 {masked}：联系方式请写在 private 部分（不会发布）",
               "mobile number {masked} in public text: put contact details under private (never published)"),
}, kind=Kind.DATA, fork=5)
def p002(ctx: Context):
    """## 依据

    个人信息保护（本系统的隐私要求）：手机号不得公开。

    ## 要求

    公开的文本（简介、成果正文、台账摘要等）中不出现手机号码（1 开头、第二位 3–9 的 11 位号码），
    包括 +86、0086、(86) 开头的，全角数字的，按 3-4-4 用空格或连字符分组的（138 1234 5678、138-1234-5678）。
    联系方式可写在 private 映射中（从不公开）。编号类字段（identifier、evidence、document、voucher）、
    链接和文件路径不检查；夹在更长的字母数字串中的不算；办公座机号码不算。
    校工会审核后允许公开的号码（如对外公布的服务电话）写在 `union/privacy.yml` 的 `allow` 中。

    ## 示例

    不通过（示意：x 代表手机号的各位数字，本页不公开任何真实号码）：

    ```text
    欢迎联系 139 xxxx xxxx 参加活动。
    ```

    通过（联系方式写在不公开的 private 中）：

    ```yaml
    private: {contact: 139xxxxxxxx}
    ```

    ## 如何修改

    从公开文本中删去手机号，需要时写入 private 映射；确需公开的服务电话请校工会审核后写入 union/privacy.yml。"""
    yield from _personal_hits(ctx, "mobile", personal.scan_mobiles)


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
        if prof is not None and isinstance(prof.data, YMap) and isinstance(prof.data.get("description"), str):
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

