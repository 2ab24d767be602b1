"""Y rules: files that do not parse, or are not plain data (and the problems of reading each file, which the
F rules and the privacy rules share)."""
from __future__ import annotations

from collections.abc import Iterable

from ..load import Problem, Source
from .base import Context, Hit, Kind, Severity, hit, rule
from .refs import checked_refs


def all_sources(ctx: Context) -> Iterable[Source]:
    """Every text the rules read: each file of the repository, and the rules documents of the studios."""
    for doc in ctx.repo.all_docs():
        yield doc.source
    for folder in ctx.repo.studios:
        yield from folder.extra_sources


def _all_problems(ctx: Context) -> list[tuple[str, Problem]]:
    """Every (path, problem) of the repository: the files', the studio folders', then the others' (listed
    once per run; seven rules pick their kinds from it)."""

    def compute() -> list[tuple[str, Problem]]:
        out = [(src.path, p) for src in all_sources(ctx) for p in src.problems]
        for folder in ctx.repo.studios:
            out += folder.problems
        return out + ctx.repo.problems

    return ctx.memo("problems", compute)


def problems_of(ctx: Context, kinds: set[str]) -> Iterable[tuple[str, Problem]]:
    return [(path, p) for path, p in _all_problems(ctx) if p.kind in kinds]


def _at(path: str, p: Problem) -> tuple[str, tuple[int, int] | None]:
    if p.line is None:
        return path, None
    return path, (p.line, p.column or 1)


# Parse problems whose detail is a slip Y001 explains in its own words (load.py names them).
_EXPLAINED = frozenset(("tab", "ime-colon", "ime-space", "ime-spaceafter", "ime-bracket", "colon-value",
                        "unclosed-list", "unclosed-map", "unclosed-quote", "escape", "no-colon", "indent"))


@rule("Y001", ("YAML 或 front matter 无法解析", "YAML or front matter does not parse"), {
    "parse": ("YAML 无法解析：{detail}。请检查缩进（用空格，不用 Tab）、冒号后的空格和引号是否成对",
              "YAML does not parse: {detail}. Check indentation (spaces, not tabs), the space after colons "
              "and matching quotes"),
    "ime-colon": ("这一行用了中文冒号“：”（全角）：YAML 的键后面要用英文冒号“:”再加一个空格，例如 type: paper。"
                  "请切换到英文输入法重新输入冒号",
                  "this line uses the full-width colon '：' (Chinese IME): a key needs the ASCII colon ':' and a "
                  "space, e.g. type: paper"),
    "ime-space": ("这一行的缩进里有中文全角空格（U+3000，“　”）：缩进只能用英文半角空格。请删除后用空格键重新缩进",
                  "the indentation of this line contains a full-width space (U+3000): indent with ASCII spaces"),
    "ime-spaceafter": ("这一行冒号后面是中文全角空格（U+3000，“　”）：YAML 的冒号后要用英文半角空格，例如 type: paper。"
                       "请删除全角空格后用空格键重新输入",
                       "a full-width space (U+3000) follows the colon on this line: use an ASCII space, e.g. "
                       "type: paper"),
    "ime-bracket": ("这一行的列表用了中文方括号或花括号“［］”“｛｝”（全角）：请改成英文的 [ ] 或 {{ }}，例如 "
                    "members: [张三, 李四]",
                    "this list is written with full-width brackets '［］' or '｛｝': use ASCII [ ] or {{ }}"),
    "tab": ("这一行用 Tab 键缩进了：YAML 的缩进只能用空格。请删除 Tab，用空格对齐",
            "this line is indented with a tab: YAML indentation uses spaces only"),
    "colon-value": ("这一行的值里有“冒号加空格”（: ），YAML 把它当成了又一个键。请把整个值放进英文引号，"
                    "例如 title: \"检测方法: 改进\"，或把冒号改成中文冒号“：”",
                    "a value on this line contains ': ' (colon and space), which YAML reads as another key: put "
                    "the whole value in quotes, e.g. title: \"Method: improved\""),
    "unclosed-list": ("这一行的“[”开始的列表没有用“]”结束：请在列表最后一项后面补上“]”，例如 members: [张三, 李四]",
                      "the list opened with '[' on this line is not closed: add ']' after its last item"),
    "unclosed-map": ("这一行的“{{”开始的映射没有用“}}”结束：请在最后一项后面补上“}}”",
                     "the mapping opened with '{{' on this line is not closed: add '}}' after its last item"),
    "unclosed-quote": ("这一行的引号没有成对：从这里开始的引号一直到文件末尾都没有结束。请补上结尾的引号（英文引号）",
                       "the quote that starts on this line is never closed: add the closing quote"),
    "escape": ("双引号里的反斜杠“\\”后面跟了 YAML 不认识的字符：请把双引号改成单引号，或写成两个反斜杠",
               "a backslash inside double quotes starts an unknown escape: use single quotes, or write two "
               "backslashes"),
    "no-colon": ("这一行缺少英文冒号“:”：每一行都应写成“键: 值”。若这是上一行的续写，请写在同一行或用引号括起来",
                 "this line has no ':' : every line is 'key: value'; if it continues the line above, join them"),
    "indent": ("这一行的缩进和上面对不齐：同一层的键（或列表的“- ”）必须从同一列开始。请用空格对齐",
               "this line's indentation does not match the lines above: keys (or '- ' items) of one level start "
               "in the same column"),
    "missing": ("缺少 front matter：成果文件必须以一行 --- 开头，写完字段后再用一行 --- 结束",
                "front matter missing: an achievement file starts with a line '---' and closes it with another"),
    "unclosed": ("front matter 没有结束：字段之后需要一行 ---", "front matter not closed: add a line '---' after "
                 "the fields"),
}, kind=Kind.DATA)
def y001(ctx: Context):
    """## 依据

    本系统的数据格式要求（见贡献指南 /guide/），不涉及政策文件的条款：文件须能被正确读取。

    ## 要求

    YAML 文件和成果文件开头的 front matter（两行 --- 之间）必须是合法的 YAML：缩进用空格，不用制表符；冒号后有空格；引号成对。
    中文输入法下常见的误输入在它所在的行报告并指出是哪个字符：键后面的中文冒号“：”、缩进里或冒号后的全角空格“　”、
    列表两端的“［］”“｛｝”。值中间的中文标点是普通文字，不检查。

    ## 示例

    不通过（用了制表符缩进）：

    ```yaml
    activities:
    	- {date: 2026-01-15, kind: training}
    ```

    通过：

    ```yaml
    activities:
      - {date: 2026-01-15, kind: training, title: 培训, participants: 6, summary: 学习新方法}
    ```

    ## 如何修改

    按提示的行号改正；在编辑器中填写可避免此类错误。成果文件须以 --- 开头、以 --- 结束 front matter。"""
    for path, p in problems_of(ctx, {"parse", "frontmatter", "ime"}):
        if p.kind == "ime":
            key = "ime-" + p.detail
        elif p.kind == "frontmatter" or p.detail in _EXPLAINED:
            key = p.detail
        else:
            key = "parse"
        yield Hit(key, *_at(path, p), {"detail": p.detail})


@rule("Y005", ("值被中文引号包住", "Value wrapped in Chinese quotes"), {
    "quotes": ("这个值被中文引号“…”整个包住了：引号会成为内容的一部分显示在网站上。若只是想写文字，去掉引号；"
               "若需要引号，请用英文引号 \"…\"",
               "this value is wrapped in Chinese quotes “…”: they become part of the text; drop them, or use "
               "ASCII quotes"),
}, severity=Severity.WARNING, kind=Kind.DATA)
def y005(ctx: Context):
    """## 依据

    本系统的填写规范，不涉及政策文件的条款：中文输入法下输入的引号是全角的“ ”，YAML 不把它们当作引号，
    而是当作文字的一部分，网站上会显示带引号的标题或名称，这通常不是领衔人想要的。

    ## 要求

    一个字段的值如果从头到尾被“…”包住，给出警告（不阻止合并和生成站点）。值中间出现的中文标点
    （如“学习：讨论”“《管理办法》”）是普通文字，不检查。

    ## 示例

    不通过（警告）：

    ```yaml
    title: “智能输液提醒装置”
    ```

    通过：

    ```yaml
    title: 智能输液提醒装置
    summary: 基于“互联网+”的护理服务
    ```

    ## 如何修改

    去掉两端的中文引号。如果确实需要引号，用英文引号把整个值包住。"""
    for path, p in problems_of(ctx, {"quotes"}):
        yield Hit("quotes", *_at(path, p))


@rule("Y002", ("映射中出现重复键", "Duplicate key in a mapping"), {
    "dup": ("键 “{key}” 重复出现：同一层只能写一次，请合并或删除其中一个",
            "key '{key}' appears twice at the same level: merge or delete one"),
}, kind=Kind.DATA)
def y002(ctx: Context):
    """## 依据

    本系统的数据格式要求：同一映射中的键只能出现一次，否则后一个值会悄悄覆盖前一个。

    ## 要求

    同一层级中每个字段名只出现一次。

    ## 示例

    不通过：

    ```yaml
    unit: 药学院分工会
    unit: 临床医学院分工会
    ```

    通过：

    ```yaml
    unit: 药学院分工会
    ```

    ## 如何修改

    删去重复的一行，保留正确的值。"""
    for path, p in problems_of(ctx, {"duplicate"}):
        yield Hit("dup", *_at(path, p), {"key": p.detail})


@rule("Y003", ("不允许的 YAML 结构", "Non-data YAML"), {
    "anchor": ("不允许使用锚点（&）", "anchors (&) are not allowed"),
    "alias": ("不允许使用别名（*）：请把内容直接写出来", "aliases (*) are not allowed: write the value out"),
    "tag": ("不允许使用标签（! 或 !!）", "tags (! or !!) are not allowed"),
    "documents": ("一个文件只能有一个 YAML 文档（不要再写 ---）", "one YAML document per file (no second ---)"),
    "complex-key": ("键必须是简单的文字", "keys must be plain text"),
    "deep": ("嵌套层数超过 {detail} 层", "nesting deeper than {detail} levels"),
}, kind=Kind.DATA)
def y003(ctx: Context):
    """## 依据

    本系统的数据格式要求：数据文件只使用普通的映射、列表和值，便于人工审阅和自动检查。

    ## 要求

    不使用锚点（&）、别名（*）、标签（!）等 YAML 高级写法。

    ## 示例

    不通过：

    ```yaml
    activities:
      - &a {date: 2026-01-15, kind: training, title: 培训, participants: 6, summary: 学习}
      - *a
    ```

    通过：

    ```yaml
    activities:
      - {date: 2026-01-15, kind: training, title: 培训, participants: 6, summary: 学习}
      - {date: 2026-02-15, kind: training, title: 培训, participants: 6, summary: 学习}
    ```

    ## 如何修改

    把别名展开成完整的内容，删去 &、* 和 ! 标记。"""
    for path, p in problems_of(ctx, {"nondata", "deep"}):
        key = "deep" if p.kind == "deep" else p.detail
        yield Hit(key, *_at(path, p), {"detail": p.detail})


@rule("Y004", ("文件过大或不是 UTF-8", "File too large or not UTF-8"), {
    "size": ("文件过大（{size}，上限 {limit}）", "file too large ({size}, limit {limit})"),
    "encoding": ("文件不是 UTF-8 编码{hint}：请用记事本“另存为”并选择 UTF-8 编码",
                 "file is not UTF-8{hint}: save it again as UTF-8"),
    "binary": ("文本文件中含有二进制内容（NUL 字节）", "text file contains binary data (NUL bytes)"),
    "image": ("图片 {ref} 过大（{size}，上限 {limit}）：请压缩后再提交", "image {ref} is too large ({size}, "
              "limit {limit}): compress it"),
}, kind=Kind.DATA)
def y004(ctx: Context):
    """## 依据

    本系统的设置（文件大小上限，系统设置）：文本文件不超过 {value:limits.text_kib} KiB，图片不超过 {value:limits.image_mib} MiB，文本须为 UTF-8 编码。

    ## 要求

    文本文件为 UTF-8 编码且不超过 {value:limits.text_kib} KiB；图片和 PDF 不超过 {value:limits.image_mib} MiB。

    ## 示例

    不通过：用记事本以 GBK（ANSI）编码保存的 achievements/2026-paper.md。

    ```text
    ---
    title: ����
    ```

    通过：同一文件另存为 UTF-8 编码。

    ```yaml
    ---
    title: 论文
    ```

    ## 如何修改

    在编辑器中“另存为”UTF-8 编码；过大的图片先压缩，过长的文本拆分或精简。"""
    lang_en = ctx.lang == "en"
    for path, p in problems_of(ctx, {"size", "encoding", "binary"}):
        if p.kind == "size":
            size, limit = (int(x) for x in p.detail.split("/"))
            yield Hit("size", *_at(path, p), {"size": _bytes(size), "limit": _bytes(limit)})
        elif p.kind == "encoding":
            hint = {"gbk": " (looks like GBK)" if lang_en else "（看起来是 GBK/GB18030）",
                    "utf16": " (it is UTF-16, Notepad's \"Unicode\")" if lang_en else
                    "（它是 UTF-16 编码，即记事本中的“Unicode”）"}.get(p.detail, "")
            yield Hit("encoding", *_at(path, p), {"hint": hint})
        else:
            yield Hit("binary", *_at(path, p))
    limit = int(ctx.std.limits.image_mib * 1024 * 1024)
    for ref, _target, info in checked_refs(ctx):
        if info is not None and info.exists and info.size > limit and ref.kind == "image":
            size_s, limit_s = _bytes(info.size), _bytes(limit)
            if ref.doc is None:  # an image of a rules document (Markdown, no YAML): its place in the text
                yield Hit("image", ref.path, ref.pos, {"ref": ref.value, "size": size_s, "limit": limit_s})
            else:
                yield hit("image", ref.doc, *ref.loc, ref=ref.value, size=size_s, limit=limit_s)


def _bytes(n: int) -> str:
    if n >= 1024 * 1024:
        return f"{n / 1024 / 1024:.1f} MiB"
    return f"{n / 1024:.0f} KiB"
