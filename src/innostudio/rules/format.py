"""F rules: entries that do not fit the data format (required, unknown, wrongly typed fields and dates)."""
from __future__ import annotations

from collections.abc import Iterable

from ..corpus import Doc, LedgerDoc, file_year
from ..model import MIN_YEAR, STAGES
from . import funding as funding_rules
from .base import Context, Hit, Kind, hit, rule
from .syntax import problems_of


def _field_errors(ctx: Context, kinds: set[str]):
    for doc in ctx.repo.all_docs():
        for err in doc.errors:
            if err.kind in kinds:
                yield doc, err


def _conditional_missing(ctx: Context) -> Iterable[Hit]:
    """Keys that are required only in some cases."""
    for folder in ctx.repo.studios:
        studio, prof = folder.studio, folder.profile
        if studio is not None and prof is not None:
            for i, p in enumerate(studio.projects or []):
                if p.source == "open_call" and p.challenge is None:
                    yield hit("cond", prof, "projects", i, field=f"projects[{i}].challenge",
                              why="source 为 open_call（揭榜挂帅）" if ctx.lang != "en" else "source is open_call")
        for adoc in folder.achievements:
            a = adoc.model
            if a is not None and a.type == "transformation" and a.value_yuan is None:
                yield hit("cond", adoc, "type", field="value_yuan",
                          why="type 为 transformation（成果转化）" if ctx.lang != "en" else "type is transformation")
    since = ctx.std.lifecycle.enforce_from
    for doc, i, d in ctx.repo.decisions:
        if d.document is None and (since is None or d.date >= since):  # optional only in history from paper
            yield hit("cond", doc, "decisions", i, "action", field=f"decisions[{i}].document",
                      why="文号；只有 lifecycle.enforce_from 之前的记录可以不写" if ctx.lang != "en"
                      else "the 文号; only records before lifecycle.enforce_from may omit it")
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

    本系统的数据格式要求（见贡献指南 /guide/）；经费支出须有凭证号体现{cite:funding} 的“手续完备”。

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
    for path, _p in problems_of(ctx, {"nofile"}):
        yield Hit("nofile", path, None)


@rule("F002", ("未知字段", "Unknown field"), {
    "unknown": ("未知字段 {field}：请检查拼写（字段名见贡献指南）", "unknown field {field}: check the spelling"),
    "unknown-near": ("未知字段 {field}：您是不是要写 {suggest}？", "unknown field {field}: did you mean {suggest}?"),
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
        if err.suggest:
            yield Hit("unknown-near", doc.path, err.pos, {"field": err.field, "suggest": err.suggest})
        else:
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
    for path, p in problems_of(ctx, {"slug", "ledgername"}):
        yield Hit(p.kind, path, None, {"value": p.detail})
    for doc, i, ins in ctx.repo.inspections:
        if ins.deadline is not None and ins.result != "rectify":
            yield hit("only_rectify", doc, "inspections", i, "deadline")
    for folder in ctx.repo.studios:
        studio, prof = folder.studio, folder.profile
        if studio is None or prof is None:
            continue
        for i, proj in enumerate(studio.projects or []):
            if proj.challenge is not None and proj.source != "open_call":
                yield hit("challenge_source", prof, "projects", i, "challenge")


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

    本系统的数据格式要求；经费支出日期须在其经费年度内（{cite:funding} 专款专用）；课题阶段顺序依据{cite:S5} 闭环管理流程。

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
        studio, prof = folder.studio, folder.profile
        if studio is None or prof is None:
            continue
        for i, p in enumerate(studio.projects or []):
            yield from _stage_order(prof, i, p)
        for loc, person in _people(studio):
            if not MIN_YEAR <= person.birth_year <= ctx.as_of.year - 14:
                yield hit("birth_year", prof, *loc, "birth_year", value=person.birth_year)
            if person.joined and person.left and person.left < person.joined:
                yield hit("left_joined", prof, *loc, "left", left=person.left, joined=person.joined)
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
        for adoc in folder.achievements:
            if adoc.model is not None and adoc.model.date > as_of:
                yield h("achievement", adoc, adoc.model.date, "date")
        for ldoc in folder.ledgers:
            if ldoc.model is None:
                continue
            for i, a in enumerate(ldoc.model.activities):
                if a.date > as_of:
                    yield h("activity", ldoc, a.date, "activities", i, "date")
            for i, d in enumerate(ldoc.model.development):
                if d.date > as_of:
                    yield h("development", ldoc, d.date, "development", i, "date")
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
