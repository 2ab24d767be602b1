"""W003: a data file not in the canonical layout that the browser editor writes."""
from __future__ import annotations

from ..canonical import NotData, first_difference, kind_of
from .base import Context, Hit, Severity, rule


@rule("W003", ("文件不是编辑器写出的标准格式", "File not in the editor's canonical layout"), {
    "layout": ("文件格式不是在线编辑器写出的标准格式：运行 innostudio fmt {path} 整理",
               "file is not in the layout the browser editor writes: run "
               "innostudio fmt {path}"),
}, severity=Severity.WARNING, fork=1)
def w003(ctx: Context):
    """## 依据

    在线编辑器（/admin/）保存文件时按固定格式写出：字段按数据格式规定的顺序、列表逐行书写、缩进两个空格、
    不保留注释、选项写代码。手写文件的格式如果不同，第一次用表单保存时整个文件都会被改写，审查时就看不出
    真正改了什么。

    ## 要求

    工作室文件夹中的档案、成果和台账，以及工会的决定、年度检查、揭榜挂帅和推荐表彰文件，应与
    `innostudio fmt` 整理后的结果完全一致（union/standards.yml 不在此列）。这只是警告：内容本身没有错。

    ## 示例

    不通过：

    ```yaml
    # 工作室档案
    name: 示例创新工作室
    fields: [临床药学, 药物分析]
    ```

    通过：

    ```yaml
    name: 示例创新工作室
    fields:
    - 临床药学
    - 药物分析
    ```

    ## 如何修改

    运行 `innostudio fmt 文件路径`（不带路径则整理全部数据文件），查看改动后提交；字段说明由编辑器根据
    .vscode/settings.json 中的 schema 提示，不必写注释。"""
    for doc in ctx.repo.all_docs():
        src = doc.source
        if src.text is None or not src.ok or kind_of(src.path) is None:
            continue
        try:
            # a BOM and CRLF line ends are accepted (data-format.md): compare after normalising them (the
            # loader read the file as UTF-8 with one BOM removed: the same text as decoding it again)
            text = src.text.lstrip("\ufeff").replace("\r\n", "\n")
            # the loader parsed this very text already (same characters after BOM and line-end clean-up)
            same = src.parsed and text == src.text
            line = first_difference(src.path, text, (src.data, src.problems) if same else None)
        except (UnicodeDecodeError, NotData):
            continue
        if line is None:
            continue
        yield Hit("layout", src.path, (line, 1), {"line": line, "path": src.path})
