"""S4–S6 of the six accreditation standards (六有): venue and funding, rules and process, results.

Each rule runs per studio (not for revoked ones). Its findings are errors for accredited,
demonstration and rectifying studios and information for candidates. All thresholds come from
union/standards.yml.
"""
from __future__ import annotations

from ..corpus import StudioFolder, resolve_ref
from ..domain.media import file_info
from ..model import STAGES, RuleKind, Stage, VenueFunction
from .base import Context, Hit, profile_hit, rule, studio_of


@rule("S4.1", ("固定场所", "Venue"), {
    "missing": ("没有固定场所信息", "no venue given"),
    "area": ("场所面积 {area} 平方米，不足 {min} 平方米", "venue area {area} m² is below {min} m²"),
    "functions": ("场所缺少功能：{missing}", "venue functions missing: {missing}"),
    "equipment": ("登记的设施设备 {n} 项，少于 {min} 项", "{n} equipment item(s), fewer than {min}"),
}, scope="studio", reads=("venue",),
   clause="S4", thresholds={"area": ("s4.min_area_m2",), "functions": ("s4.functions",),
                                                 "equipment": ("s4.min_equipment",)})
def s4_1(ctx: Context, folder: StudioFolder):
    """## 依据

    {cite:S4}：{quote:S4}场所功能依据：{basis:s4.functions}；
    面积依据：{basis:s4.min_area_m2}；设施设备数量依据：{basis:s4.min_equipment}。

    ## 要求

    登记固定场所（venue）：面积不少于 {value:s4.min_area_m2} 平方米，具备{value:s4.functions}功能，
    至少登记 {value:s4.min_equipment} 项设施设备。

    ## 示例

    不通过（面积不足、缺少展示功能）：

    ```yaml
    venue:
      location: 图书馆 3 楼 305 室
      area_m2: 8
      functions: [study, practice]
      equipment: [会议桌]
    ```

    通过：

    ```yaml
    venue:
      location: 图书馆 3 楼 305 室
      area_m2: 40
      functions: [study, practice, exhibition]
      equipment: [会议桌, 投影仪]
    ```

    ## 如何修改

    按实际情况在 studio.yml 的 venue 中填写地点、面积、功能和设施设备；场所确不达标的，请所在单位协调场地。"""
    std = ctx.std.s4
    venue = studio_of(folder).venue
    if venue is None:
        yield profile_hit("missing", folder, "venue")
        return
    if venue.area_m2 < std.min_area_m2:
        yield profile_hit("area", folder, "venue", area=f"{venue.area_m2:g}", min=f"{std.min_area_m2:g}")
    have = {str(f) for f in venue.functions}
    missing = [str(f) for f in std.functions if str(f) not in have]
    if missing:
        names = "、".join(VenueFunction.label_of(f, ctx.lang) for f in missing)
        yield profile_hit("functions", folder, "venue", missing=names)
    if len(venue.equipment) < std.min_equipment:
        yield profile_hit("equipment", folder, "venue", n=len(venue.equipment), min=std.min_equipment)


@rule("S4.2", ("专项经费", "Funding"), {
    "funding": ("没有 {years} 年度预算大于 0 的经费记录", "no funding record with a budget above 0 for {years}"),
}, scope="studio", reads=("funding",), clause="S4", thresholds={"funding": ("s4.funding_years_back",)})
def s4_2(ctx: Context, folder: StudioFolder):
    """## 依据

    {cite:S4}：{quote:S4}年度范围依据：{basis:s4.funding_years_back}。

    ## 要求

    评价年度或此前 {value:s4.funding_years_back} 个年度内，至少有一条预算（budget_yuan）大于 0 的经费记录。
    经费金额默认不公开，只公开本项是否达标。

    ## 示例

    不通过（评价年度为 2026 年时，最近的经费记录是 2023 年）：

    ```yaml
    funding:
    - {year: 2023, budget_yuan: 20000, spent_yuan: 18000, source: 学校专项经费}
    ```

    通过：

    ```yaml
    funding:
    - year: 2026
      budget_yuan: 20000
      source: 学校专项经费
      expenses:
      - {date: 2026-03-02, amount_yuan: 6000, purpose: equipment, voucher: BX2026-031}
    ```

    ## 如何修改

    在 studio.yml 的 funding 中登记当年（或上一年）的经费预算、来源和支出明细。"""
    back = ctx.std.s4.funding_years_back
    years = range(ctx.as_of.year - back, ctx.as_of.year + 1)
    ok = any(f.year in years and f.budget_yuan > 0 for f in studio_of(folder).funding or [])
    if not ok:
        span = "/".join(str(y) for y in years)
        yield profile_hit("funding", folder, "funding", years=span)


@rule("S5.1", ("规章制度齐全", "Rules complete"), {
    "rules": ("缺少以下制度（或其文件不存在）：{missing}", "rules missing (or their file does not exist): {missing}"),
}, scope="studio", reads=("rules",), thresholds={"rules": ("s5.rule_kinds",)})
def s5_1(ctx: Context, folder: StudioFolder):
    """## 依据

    {cite:S5}：{quote:S5}本项依据：{basis:s5.rule_kinds}。

    ## 要求

    studio.yml 的 rules 中有以下每一类制度，且每项制度的文件在工作室文件夹中存在：{value:s5.rule_kinds}。

    ## 示例

    不通过（只有一类制度）：

    ```yaml
    rules:
    - {kind: study, title: 学习研究制度, adopted: 2024-03-01, file: rules/study.md}
    ```

    通过（其余五类同样登记）：

    ```yaml
    rules:
    - {kind: study, title: 学习研究制度, adopted: 2024-03-01, file: rules/study.md}
    - {kind: breakthrough, title: 技术攻关制度, adopted: 2024-03-01, file: rules/breakthrough.md}
    - {kind: collaboration, title: 协同创新制度, adopted: 2024-03-01, file: rules/collaboration.md}
    - {kind: transformation, title: 成果转化制度, adopted: 2024-03-01, file: rules/transformation.md}
    - {kind: incentive, title: 激励机制, adopted: 2024-03-01, file: rules/incentive.md}
    - {kind: management, title: 内部管理制度, adopted: 2024-03-01, file: rules/management.md}
    ```

    ## 如何修改

    把制度全文（Markdown 或 PDF）放到工作室文件夹的 rules/ 下，并在 studio.yml 的 rules 中登记类别、名称、通过日期和文件路径。"""

    have = set()
    for r in studio_of(folder).rules or []:
        if r.adopted > ctx.as_of:  # not yet adopted at the evaluation date
            continue
        target = resolve_ref(folder.abspath, r.file)
        if target is not None and file_info(str(target)).exists:
            have.add(str(r.kind))
    missing = [str(k) for k in ctx.std.s5.rule_kinds if str(k) not in have]
    if missing:
        names = "、".join(RuleKind.label_of(k, ctx.lang) for k in missing)
        yield profile_hit("rules", folder, "rules", missing=names)


def _loop_ok(project) -> bool:
    prev = None
    for n, stage in enumerate(STAGES):
        if stage in project.stages:
            if any(s not in project.stages for s in STAGES[:n]):
                return False
            if prev is not None and project.stages[stage] < project.stages[prev]:
                return False
            prev = stage
    return True


@rule("S5.2", ("闭环管理流程", "Closed-loop process"), {
    "none": ("没有课题达到“{stage}”阶段", "no project has reached the stage '{stage}'"),
    "order": ("课题 {id} 的阶段不符合闭环顺序", "project {id} does not follow the loop order"),
}, scope="studio", reads=("projects",), clause="S5", thresholds={"none": ("s5.min_stage",)})
def s5_2(ctx: Context, folder: StudioFolder):
    """## 依据

    {cite:S5}：{quote:S5}本项依据：{basis:s5.min_stage}。

    ## 要求

    至少一个课题在评价日期前达到“{value:s5.min_stage}”或更后的阶段，且每个课题的阶段按闭环顺序依次推进。

    ## 示例

    不通过（课题只有问题收集）：

    ```yaml
    projects:
    - id: p1
      title: 血药浓度快速检测
      source: problem_collection
      stages: {collected: 2026-01-05}
    ```

    通过：

    ```yaml
    projects:
    - id: p1
      title: 血药浓度快速检测
      source: problem_collection
      stages: {collected: 2026-01-05, approved: 2026-02-20}
    ```

    ## 如何修改

    课题立项后，在 projects 的 stages 中登记立项日期；后续阶段依次补登，日期不早于前一阶段。"""
    projects = studio_of(folder).projects or []
    min_index = STAGES.index(str(ctx.std.s5.min_stage))
    reached = any(any(STAGES.index(str(s)) >= min_index and d <= ctx.as_of for s, d in p.stages.items())
                  for p in projects)
    if not reached:
        yield profile_hit("none", folder, "projects", stage=Stage.label_of(ctx.std.s5.min_stage, ctx.lang))
    for i, p in enumerate(projects):
        if not _loop_ok(p):
            yield profile_hit("order", folder, "projects", i, "stages", id=p.id)


@rule("S6.1", ("有明确的创新课题", "Active project"), {
    "stale": ("近 {months} 个月内没有新立项的课题，也没有在研（已立项、未推广）的课题",
              "no project approved in the last {months} months and none still open (approved, not promoted)"),
}, scope="studio", reads=("projects",), clause="S6", thresholds={"stale": ("s6.project_window_months",)})
def s6_1(ctx: Context, folder: StudioFolder):
    """## 依据

    {cite:S6}：{quote:S6}时间窗依据：{basis:s6.project_window_months}。

    ## 要求

    近 {value:s6.project_window_months} 个月内有立项的课题，或有已立项、尚未总结推广（仍在研）的课题。

    ## 示例

    不通过（唯一的课题多年前已结题推广）：

    ```yaml
    projects:
    - id: p1
      title: 旧课题
      source: assigned
      stages: {collected: 2020-01-01, approved: 2020-02-01, breakthrough: 2020-03-01,
               transformed: 2020-04-01, promoted: 2020-05-01}
    ```

    通过：

    ```yaml
    projects:
    - id: p2
      title: 新课题
      source: problem_collection
      stages: {collected: 2025-12-01, approved: 2026-01-10}
    ```

    ## 如何修改

    在 projects 中登记新立项的课题及其立项日期。"""
    since = ctx.months_before(ctx.std.s6.project_window_months)
    ok = False
    for p in studio_of(folder).projects or []:
        approved = p.stages.get("approved")
        if approved is None or approved > ctx.as_of:
            continue
        promoted = p.stages.get("promoted")
        if approved > since or promoted is None or promoted > ctx.as_of:
            ok = True
    if not ok:
        yield profile_hit("stale", folder, "projects", months=ctx.std.s6.project_window_months)


@rule("S6.2", ("定期开展活动（月月有活动）", "Regular activity"), {
    "ledger": ("近 {window} 个月的台账只有 {n} 次活动、分布在 {m} 个月（需要至少 {min_n} 次、{min_m} 个月）",
               "the ledger of the last {window} months has {n} activities in {m} months (at least {min_n} in "
               "{min_m} months needed)"),
}, scope="studio", reads=("ledger",),
   clause="S6", thresholds={"ledger": ("s6.ledger_window_months", "s6.min_activities",
                                                             "s6.min_active_months")})
def s6_2(ctx: Context, folder: StudioFolder):
    """## 依据

    {cite:S6}：{quote:S6}次数、月份数和时间窗依据：{basis:s6.min_activities}。

    ## 要求

    近 {value:s6.ledger_window_months} 个月的工作台账中至少有 {value:s6.min_activities} 次活动，
    分布在至少 {value:s6.min_active_months} 个不同的月份。

    ## 示例

    不通过（studios/<工作室>/ledger/2026.yml 全年只记了两次活动）：

    ```yaml
    activities:
    - {date: 2026-03-10, kind: meeting, title: 例会, participants: 6, summary: 讨论课题}
    - {date: 2026-03-24, kind: training, title: 培训, participants: 8, summary: 学习新方法}
    ```

    通过（每月都有活动，此处只列出两条）：

    ```yaml
    activities:
    - {date: 2026-01-12, kind: meeting, title: 例会, participants: 6, summary: 讨论课题}
    - {date: 2026-02-16, kind: training, title: 培训, participants: 8, summary: 学习新方法}
    ```

    ## 如何修改

    每次活动后在当年的台账文件 ledger/<年份>.yml 中登记日期、类别、主题、人数和摘要（也可在编辑器中填写）。"""
    std = ctx.std.s6
    acts = ctx.facts.activities_in_window(folder, std.ledger_window_months)
    months = {(a.date.year, a.date.month) for a in acts}
    if len(acts) < std.min_activities or len(months) < std.min_active_months:
        doc = max(folder.ledgers, key=lambda d: d.year, default=None)
        path = doc.path if doc is not None else folder.path + "/ledger"
        yield Hit("ledger", path, None, {"window": std.ledger_window_months, "n": len(acts), "m": len(months),
                                         "min_n": std.min_activities, "min_m": std.min_active_months})


@rule("S6.3", ("取得创新成效", "Recent achievement"), {
    "none": ("近 {months} 个月没有成果记录", "no achievement in the last {months} months"),
}, scope="studio", reads=("achievements",), clause="S6", thresholds={"none": ("s6.achievement_window_months",)})
def s6_3(ctx: Context, folder: StudioFolder):
    """## 依据

    {cite:S6}：{quote:S6}时间窗依据：{basis:s6.achievement_window_months}。

    ## 要求

    近 {value:s6.achievement_window_months} 个月内至少有 1 项成果（achievements/ 下的成果文件，以成果日期计）。

    ## 示例

    不通过（最近的成果在多年前）：

    ```yaml
    ---
    title: 一种试剂盒
    type: utility_patent
    date: 2020-03-01
    ---
    ```

    通过：

    ```yaml
    ---
    title: 一种试剂盒
    type: utility_patent
    date: 2026-03-01
    ---
    ```

    ## 如何修改

    把近期取得的成果（专利、论文、奖项、成果转化等）登记为 achievements/ 下的 Markdown 文件（可用 innostudio new achievement 生成）。"""
    if not ctx.facts.achievements_in_window(folder, ctx.std.s6.achievement_window_months):
        yield Hit("none", folder.path + "/achievements", None, {"months": ctx.std.s6.achievement_window_months})
