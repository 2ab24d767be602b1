"""Y and F rules: files that do not parse, and entries that do not fit data-format.md."""
from __future__ import annotations

from typing import Iterable

from ..corpus import Doc, LedgerDoc, file_year
from ..load import Problem, Source
from ..model import MIN_YEAR, STAGES
from . import funding as funding_rules
from .base import Context, Hit, Kind, Severity, hit, rule
from .refs import checked_refs


def _sources(ctx: Context) -> Iterable[Source]:
    for doc in ctx.repo.all_docs():
        yield doc.source
    for folder in ctx.repo.studios:
        yield from folder.extra_sources


def _all_problems(ctx: Context) -> list[tuple[str, Problem]]:
    """Every (path, problem) of the repository: the files', the studio folders', then the others' (listed
    once per run; seven rules pick their kinds from it)."""

    def compute() -> list[tuple[str, Problem]]:
        out = [(src.path, p) for src in _sources(ctx) for p in src.problems]
        for folder in ctx.repo.studios:
            out += folder.problems
        return out + ctx.repo.problems

    return ctx.memo("problems", compute)


def _problems(ctx: Context, kinds: set[str]) -> Iterable[tuple[str, Problem]]:
    return [(path, p) for path, p in _all_problems(ctx) if p.kind in kinds]


def _at(path: str, p: Problem) -> tuple[str, tuple[int, int] | None]:
    if p.line is None:
        return path, None
    return path, (p.line, p.column or 1)


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
    "missing": ("缺少 front matter：成果文件必须以一行 --- 开头，写完字段后再用一行 --- 结束",
                "front matter missing: an achievement file starts with a line '---' and closes it with another"),
    "unclosed": ("front matter 没有结束：字段之后需要一行 ---", "front matter not closed: add a line '---' after "
                 "the fields"),
}, kind=Kind.DATA)
def y001(ctx: Context):
    """## 依据

    本系统的数据格式要求（见贡献指南 /guide/），不涉及《实施意见》条款：文件须能被正确读取。

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
    for path, p in _problems(ctx, {"parse", "frontmatter", "ime"}):
        if p.kind == "ime":
            key = "ime-" + p.detail
        elif p.kind == "frontmatter" or p.detail in ("tab", "ime-colon", "ime-space", "ime-spaceafter",
                                                                   "ime-bracket"):
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

    本系统的填写规范，不涉及《实施意见》条款：中文输入法下输入的引号是全角的“ ”，YAML 不把它们当作引号，
    而是当作文字的一部分，网站上会显示带引号的标题或名称，这通常不是领衔人想要的。

    ## 要求

    一个字段的值如果从头到尾被“…”包住，给出警告（不阻止合并和生成站点）。值中间出现的中文标点
    （如“学习：讨论”“《实施意见》”）是普通文字，不检查。

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
    for path, p in _problems(ctx, {"quotes"}):
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
    for path, p in _problems(ctx, {"duplicate"}):
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
    for path, p in _problems(ctx, {"nondata", "deep"}):
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
    for path, p in _problems(ctx, {"size", "encoding", "binary"}):
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
            yield hit("image", ref.doc, *ref.loc, ref=ref.value, size=_bytes(info.size), limit=_bytes(limit))


def _bytes(n: int) -> str:
    if n >= 1024 * 1024:
        return f"{n / 1024 / 1024:.1f} MiB"
    return f"{n / 1024:.0f} KiB"


def _field_errors(ctx: Context, kinds: set[str]):
    for doc in ctx.repo.all_docs():
        for err in doc.errors:
            if err.kind in kinds:
                yield doc, err


def _conditional_missing(ctx: Context) -> Iterable[Hit]:
    """Keys that are required only in some cases."""
    for folder in ctx.repo.studios:
        studio = folder.studio
        if studio is not None:
            for i, p in enumerate(studio.projects or []):
                if p.source == "open_call" and p.challenge is None:
                    yield hit("cond", folder.profile, "projects", i, field=f"projects[{i}].challenge",
                              why="source 为 open_call（揭榜挂帅）" if ctx.lang != "en" else "source is open_call")
        for doc in folder.achievements:
            a = doc.model
            if a is not None and a.type == "transformation" and a.value_yuan is None:
                yield hit("cond", doc, "type", field="value_yuan",
                          why="type 为 transformation（成果转化）" if ctx.lang != "en" else "type is transformation")
    for doc, i, d in ctx.repo.decisions:
        if d.action == "rectify" and d.deadline is None:
            yield hit("cond", doc, "decisions", i, field=f"decisions[{i}].deadline",
                      why="action 为 rectify（限期整改）" if ctx.lang != "en" else "action is rectify")
    yield from funding_rules.conditional_missing(ctx)
    for doc, i, ins in ctx.repo.inspections:
        if ins.result == "rectify" and ins.deadline is None:
            yield hit("cond", doc, "inspections", i, field=f"inspections[{i}].deadline",
                      why="result 为 rectify（限期整改）" if ctx.lang != "en" else "result is rectify")


@rule("F001", ("缺少必填字段", "Required field missing"), {
    "missing": ("缺少必填字段 {field}", "required field {field} is missing"),
    "cond": ("缺少字段 {field}：{why}时必须填写", "field {field} is missing: required when {why}"),
    "nofile": ("工作室文件夹缺少 studio.yml（可用 innostudio new studio 生成）",
               "studio folder has no studio.yml (innostudio new studio makes one)"),
}, kind=Kind.DATA)
def f001(ctx: Context):
    """## 依据

    本系统的数据格式要求（见贡献指南 /guide/）；经费支出须有凭证号体现《实施意见》三（三）2 的“手续完备”。

    ## 要求

    数据格式中未注明“可选”的字段都必须填写；有些字段在特定情况下必须填写：限期整改须有 deadline，成果转化须有 value_yuan，
    揭榜挂帅课题须有 challenge，经费支出须有 voucher（凭证号），用途为“其他”的支出须有 note，没有支出明细的经费年度须有 spent_yuan，
    推荐优秀成果须有 achievement。筹建中的工作室可以暂缺证明“六有”的部分（那是未达标，不是本错误）。

    ## 示例

    不通过（支出没有凭证号）：

    ```yaml
    expenses:
    - {date: 2026-03-02, amount_yuan: 6000, purpose: equipment}
    ```

    通过：

    ```yaml
    expenses:
    - {date: 2026-03-02, amount_yuan: 6000, purpose: equipment, voucher: BX2026-031}
    ```

    ## 如何修改

    在提示的位置补上缺少的字段。"""
    for doc, err in _field_errors(ctx, {"missing"}):
        yield Hit("missing", doc.path, err.pos, {"field": err.field})
    yield from _conditional_missing(ctx)
    for path, p in _problems(ctx, {"nofile"}):
        yield Hit("nofile", path, None)


@rule("F002", ("未知字段", "Unknown field"), {
    "unknown": ("未知字段 {field}：请检查拼写（字段名见贡献指南）", "unknown field {field}: check the spelling"),
}, kind=Kind.DATA)
def f002(ctx: Context):
    """## 依据

    本系统的数据格式要求：拼错的字段名会让信息悄悄丢失，所以未知字段都报错。

    ## 要求

    只使用数据格式中规定的字段名；给校工会的内部备注写在 private 映射中（从不公开）。

    ## 示例

    不通过：

    ```yaml
    sumary: 围绕临床合理用药开展创新
    ```

    通过：

    ```yaml
    summary: 围绕临床合理用药开展创新
    ```

    ## 如何修改

    按贡献指南中的字段说明改正拼写。"""
    for doc, err in _field_errors(ctx, {"unknown"}):
        yield Hit("unknown", doc.path, err.pos, {"field": err.field})


@rule("F003", ("类型错误或取值不在枚举中", "Wrong type or value not in enum"), {
    "type": ("字段 {field} 的值 “{value}” 不合要求：{msg}", "field {field}: value '{value}' is not valid: {msg}"),
    "toplevel": ("文件顶层必须是“键: 值”的映射，而不是 {value}", "the top level must be a mapping, not {value}"),
    "slug": ("文件夹名 “{value}” 不合要求：只能用小写字母、数字和连字符，2–40 个字符",
             "folder name '{value}' is not a slug: lowercase letters, digits and '-', 2-40 characters"),
    "ledgername": ("文件名 “{value}” 不合要求：应为 年份.yml，例如 2026.yml",
                   "file name '{value}' is not valid: use YEAR.yml, e.g. 2026.yml"),
    "only_rectify": ("只有 result 为 rectify 时才填写 deadline", "deadline belongs only to a rectify result"),
    "challenge_source": ("只有 source 为 open_call（揭榜挂帅）的课题才填写 challenge",
                         "challenge belongs only to an open_call project"),
}, kind=Kind.DATA)
def f003(ctx: Context):
    """## 依据

    本系统的数据格式要求：每个字段有规定的类型（文字、数字、列表、是/否），代码字段只能取规定的代码或其中文名称。

    ## 要求

    值的类型正确；代码字段取允许的值（如 level 可写 municipal 或“市级”）；金额和面积为不小于 0 的有限数；文件夹名只用小写字母、数字和连字符。

    ## 示例

    不通过：

    ```yaml
    honors:
    - {name: 区级先进, kind: advanced_worker, level: 区级, year: 2024}
    ```

    通过：

    ```yaml
    honors:
    - {name: 市级先进工作者, kind: advanced_worker, level: 市级, year: 2024}
    ```

    ## 如何修改

    按提示列出的允许取值改正。"""
    for doc, err in _field_errors(ctx, {"type", "toplevel"}):
        if err.kind == "toplevel":
            yield Hit("toplevel", doc.path, err.pos, {"value": err.value})
        else:
            yield Hit("type", doc.path, err.pos, {"field": err.field, "value": err.value, "msg": err.text(ctx.lang)})
    for path, p in _problems(ctx, {"slug", "ledgername"}):
        yield Hit(p.kind, path, None, {"value": p.detail})
    for doc, i, ins in ctx.repo.inspections:
        if ins.deadline is not None and ins.result != "rectify":
            yield hit("only_rectify", doc, "inspections", i, "deadline")
    for folder in ctx.repo.studios:
        for i, p in enumerate((folder.studio.projects or []) if folder.studio else []):
            if p.challenge is not None and p.source != "open_call":
                yield hit("challenge_source", folder.profile, "projects", i, "challenge")


@rule("F004", ("日期无效或不合理", "Invalid or impossible date"), {
    "date": ("字段 {field} 的日期 “{value}” 无效：{msg}", "field {field}: date '{value}' is invalid: {msg}"),
    "ledger_year": ("台账 {year}.yml 中的日期 {date} 不在 {year} 年内", "date {date} in ledger {year}.yml is "
                    "not in {year}"),
    "inspection_year": ("检查记录 {year}.yml 中的日期 {date} 不在 {year} 年或次年内（检查 {year} 年度工作）",
                        "date {date} in inspections {year}.yml is not in {year} or the year after"),
    "future": ("{what}的日期 {date} 晚于评价日期 {as_of}：未来的记录不能发布，请核对日期",
               "{what} dated {date}, after the evaluation date {as_of}: nothing from the future is published"),
    "stage_gap": ("课题 {id} 的阶段 {stage} 之前缺少阶段 {missing}（闭环顺序：问题收集→课题立项→项目攻关→成果转化→总结推广）",
                  "project {id}: stage {stage} needs the earlier stage {missing} (loop order: collected → "
                  "approved → breakthrough → transformed → promoted)"),
    "stage_date": ("课题 {id} 的阶段 {stage}（{date}）早于前一阶段 {prev}（{prev_date}）",
                   "project {id}: stage {stage} ({date}) is before the earlier stage {prev} ({prev_date})"),
    "birth_year": ("出生年份 {value} 不合理", "birth year {value} is impossible"),
    "left_joined": ("离开日期 {left} 早于加入日期 {joined}", "left {left} is before joined {joined}"),
    "deadline": ("整改期限 {deadline} 早于决定日期 {date}", "deadline {deadline} is before the date {date}"),
    "expense_year": ("{year} 年经费的支出日期 {date} 不在 {year} 年内", "expense date {date} is not in the funding "
                     "year {year}"),
    "expense_future": ("支出日期 {date} 晚于评价日期 {as_of}", "expense date {date} is after the evaluation date "
                       "{as_of}"),
}, kind=Kind.DATA)
def f004(ctx: Context):
    """## 依据

    本系统的数据格式要求；经费支出日期须在其经费年度内（《实施意见》三（三）2 专款专用）；课题阶段顺序依据《实施意见》三（一）5 闭环管理流程。

    ## 要求

    日期真实存在（格式 YYYY-MM-DD）；台账、检查记录中的日期在文件对应的年份内；支出日期在其经费记录的 year 内，且不晚于评价日期；
    课题各阶段按 问题收集 → 课题立项 → 项目攻关 → 成果转化 → 总结推广 的顺序，日期不倒退。

    ## 示例

    不通过（2026 年经费中的支出日期在 2025 年）：

    ```yaml
    funding:
    - year: 2026
      budget_yuan: 10000
      source: 学校专项经费
      expenses:
      - {date: 2025-12-28, amount_yuan: 800, purpose: materials, voucher: BX2025-201}
    ```

    通过：

    ```yaml
    funding:
    - year: 2026
      budget_yuan: 10000
      source: 学校专项经费
      expenses:
      - {date: 2026-01-08, amount_yuan: 800, purpose: materials, voucher: BX2026-003}
    ```

    ## 如何修改

    按凭证或记录改正日期；跨年的支出记入它实际发生年度的经费记录。"""
    for doc, err in _field_errors(ctx, {"date"}):
        yield Hit("date", doc.path, err.pos, {"field": err.field, "value": err.value, "msg": err.text(ctx.lang)})
    for folder in ctx.repo.studios:
        for doc in folder.ledgers:
            yield from _ledger_years(doc)
        studio = folder.studio
        if studio is None:
            continue
        for i, p in enumerate(studio.projects or []):
            yield from _stage_order(folder.profile, i, p)
        for loc, person in _people(studio):
            if not MIN_YEAR <= person.birth_year <= ctx.as_of.year - 14:
                yield hit("birth_year", folder.profile, *loc, "birth_year", value=person.birth_year)
            if person.joined and person.left and person.left < person.joined:
                yield hit("left_joined", folder.profile, *loc, "left", left=person.left, joined=person.joined)
    yield from funding_rules.expense_dates(ctx)
    for doc, i, ins in ctx.repo.inspections:
        year = file_year(doc.path)
        if ins.date.year not in (year, year + 1):
            yield hit("inspection_year", doc, "inspections", i, "date", year=year, date=ins.date)
        if ins.deadline is not None and ins.deadline < ins.date:
            yield hit("deadline", doc, "inspections", i, "deadline", deadline=ins.deadline, date=ins.date)
    for doc, i, d in ctx.repo.decisions:
        if d.deadline is not None and d.deadline < d.date:
            yield hit("deadline", doc, "decisions", i, "deadline", deadline=d.deadline, date=d.date)
    yield from _future(ctx)


FUTURE_WHAT = {"achievement": ("成果", "an achievement"), "activity": ("台账活动", "an activity"),
               "development": ("成员发展记录", "a development entry"), "decisions": ("工会决定", "a union decision"),
               "inspections": ("检查记录", "an inspection record"), "challenges": ("揭榜挂帅榜单", "a challenge")}


def _future(ctx: Context):
    """Records dated after the evaluation date (nothing from the future is published)."""
    as_of = ctx.as_of

    def h(kind: str, doc: Doc, date, *loc):
        zh, en = FUTURE_WHAT[kind]
        return hit("future", doc, *loc, what=en if ctx.lang == "en" else zh, date=date, as_of=as_of)

    for folder in ctx.repo.studios:
        for doc in folder.achievements:
            if doc.model is not None and doc.model.date > as_of:
                yield h("achievement", doc, doc.model.date, "date")
        for doc in folder.ledgers:
            if doc.model is None:
                continue
            for i, a in enumerate(doc.model.activities):
                if a.date > as_of:
                    yield h("activity", doc, a.date, "activities", i, "date")
            for i, d in enumerate(doc.model.development):
                if d.date > as_of:
                    yield h("development", doc, d.date, "development", i, "date")
    for key, items, attr in (("decisions", ctx.repo.decisions, "date"), ("inspections", ctx.repo.inspections, "date"),
                             ("challenges", ctx.repo.challenges, "posted")):
        for doc, i, item in items:
            date = getattr(item, attr)
            if date > as_of:
                yield h(key, doc, date, key, i, attr)


def _people(studio):
    yield ("leader",), studio.leader
    for i, mem in enumerate(studio.members or []):
        yield ("members", i), mem


def _ledger_years(doc: LedgerDoc):
    if doc.model is None:
        return
    for i, a in enumerate(doc.model.activities):
        if a.date.year != doc.year:
            yield hit("ledger_year", doc, "activities", i, "date", year=doc.year, date=a.date)
    for i, d in enumerate(doc.model.development):
        if d.date.year != doc.year:
            yield hit("ledger_year", doc, "development", i, "date", year=doc.year, date=d.date)


def _stage_order(doc: Doc, i: int, project):
    stages = project.stages
    prev = None
    for n, stage in enumerate(STAGES):
        if stage not in stages:
            continue
        gap = next((s for s in STAGES[:n] if s not in stages), None)
        if gap is not None:
            yield hit("stage_gap", doc, "projects", i, "stages", stage, key_pos=True, id=project.id, stage=stage,
                      missing=gap)
        elif prev is not None and stages[stage] < stages[prev]:
            yield hit("stage_date", doc, "projects", i, "stages", stage, id=project.id, stage=stage,
                      date=stages[stage], prev=prev, prev_date=stages[prev])
        prev = stage
