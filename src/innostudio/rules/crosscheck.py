"""Rules that compare two records the union and a studio keep of the same thing: an inspection result with
the six standards on its date (L008), the challenge board with the studios' projects (W004)."""
from __future__ import annotations

from collections.abc import Iterable

from ..model import InspectionResult
from .base import Context, Hit, Severity, hit, rule
from .lifecycle_rules import _names


@rule("L008", ("检查合格但“六有”未全部达标", "Inspection passed below the six standards"), {
    "unmet": ("检查结果为“{result}”（{date}），但按检查当日评价，{unmet} 未达标；请核实检查结果或补录当时的证据",
              "the inspection of {date} is '{result}', but as of that date {unmet} unmet; check the result or "
              "record the evidence of that time"),
}, severity=Severity.WARNING, clause_key="inspection")
def l008(ctx: Context) -> Iterable[Hit]:
    """## 依据

    {cite:inspection}：{quote:inspection}

    ## 要求

    检查结果为“合格”（`result: pass`）时，工作室在检查当日应达到“六有”全部 6 项（按当日评价，与授牌时的
    L005 相同）。否则提示校工会核实：可能是检查结果录错，也可能是工作室的证据（台账、成果、制度等）没有录入。
    本提示只给校工会看，不在网站上公开。

    ## 示例

    提示（2025 年 12 月检查合格，但近 12 个月的台账活动不足 10 次）：

    ```yaml
    inspections:
    - {studio: alpha, date: 2025-12-12, result: pass, findings: 运行规范}
    ```

    不提示：检查当日“六有”全部达标；或检查结果如实登记为限期整改：

    ```yaml
    inspections:
    - {studio: alpha, date: 2025-12-12, result: rectify, findings: 台账活动不足, deadline: 2026-06-30}
    ```

    ## 如何修改

    运行 `innostudio status 工作室 --as-of 检查日期` 查看当日未达标的标准；补录当时的证据，或改正检查结果。"""
    for folder, ev in ctx.studio_events():
        if not ev.inspection or ev.result != "pass":
            continue
        unmet = ctx.unmet(folder, ev.date)
        if unmet:
            label = "pass" if ctx.lang == "en" else InspectionResult.labels().get("pass", "pass")
            yield hit("unmet", ev.doc, ev.key, ev.index, "result", result=label, date=ev.date,
                      unmet=_names(ctx, unmet))


@rule("W004", ("揭榜记录与课题不一致", "Challenge claims and projects disagree"), {
    "no_project": ("榜单 “{id}” 的 claimed_by 写了工作室 “{slug}”，但该工作室没有 challenge: {id} 的课题",
                   "challenge '{id}' is claimed by '{slug}', but that studio has no project with challenge: {id}"),
    "not_claimed": ("课题 “{project}” 写的是榜单 “{id}”，但 union/challenges.yml 中该榜单的 claimed_by 没有本工作室",
                    "project '{project}' names challenge '{id}', whose claimed_by in union/challenges.yml lacks "
                    "this studio"),
}, severity=Severity.WARNING, clause_key="challenges")
def w004(ctx: Context) -> Iterable[Hit]:
    """## 依据

    {cite:challenges}：{quote:challenges}揭榜的工作室以课题（`source: open_call`）
    承接榜单。

    ## 要求

    union/challenges.yml 中榜单的 `claimed_by` 列出的每个工作室，都有一个 `challenge` 为该榜单编号的课题；
    反过来，写了 `challenge` 的课题，其工作室也列在该榜单的 `claimed_by` 中。

    ## 示例

    提示（工会登记了揭榜，工作室没有对应的课题）：

    ```yaml
    challenges:
    - {id: JB2025-01, title: 病区药品智能补货, posted: 2025-03-01, owner: 药学部, description: …,
       status: claimed, claimed_by: [alpha]}
    ```

    不提示（alpha 的 studio.yml 中有对应课题）：

    ```yaml
    projects:
    - {id: P3, title: 病区药品智能补货, source: open_call, challenge: JB2025-01,
       stages: {collected: 2025-03-10, approved: 2025-04-01}}
    ```

    ## 如何修改

    工作室补登承接榜单的课题（source: open_call，challenge 写榜单编号）；或由校工会改正榜单的 claimed_by。"""
    claims = {c.id: (doc, i, c) for doc, i, c in ctx.repo.challenges}
    folders = ctx.repo.by_slug()
    projects: dict[str, set[str]] = {}
    for folder in ctx.repo.studios:
        for p in (folder.studio.projects or []) if folder.studio is not None else []:
            if p.challenge is not None:
                projects.setdefault(folder.slug, set()).add(p.challenge)
    for cid, (doc, i, c) in claims.items():
        for j, slug in enumerate(c.claimed_by):
            if slug in folders and cid not in projects.get(slug, set()):
                yield hit("no_project", doc, "challenges", i, "claimed_by", j, id=cid, slug=slug)
    for folder in ctx.repo.studios:
        if folder.studio is None or folder.profile is None:
            continue
        for k, p in enumerate(folder.studio.projects or []):
            claimed_by = claims[p.challenge][2].claimed_by if p.challenge in claims else None
            if claimed_by is not None and folder.slug not in claimed_by:
                yield hit("not_claimed", folder.profile, "projects", k, "challenge", project=p.id, id=p.challenge)
