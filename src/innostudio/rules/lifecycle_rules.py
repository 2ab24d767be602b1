"""L and D rules: the plaque's lifecycle and daily management (policy section 三（三）)."""
from __future__ import annotations

import datetime as dt

from ..lifecycle import Event, has_honor_at, unknown_studio_events, years_between
from ..model import HOLDS_PLAQUE, Action, Level, Status
from .base import Context, Hit, hit, profile_hit, rule



def _ev_hit(key: str, ev: Event, field: str, **params) -> Hit:
    return hit(key, ev.doc, ev.key, ev.index, field, **params)


@rule("L001", ("工会记录与工作室状态不符", "Union record impossible"), {
    "unknown": ("工作室 “{slug}” 不存在（应为 studios/ 下的文件夹名）", "studio '{slug}' does not exist (a folder "
                "name under studios/)"),
    "impossible": ("工作室当时的状态是“{status}”，不能执行“{action}”", "the studio was '{status}' then: "
                   "'{action}' is not possible"),
})
def l001(ctx: Context):
    """## 依据

    《实施意见》三（二）创建选树程序与三（三）3 动态管理：授牌、推荐、示范、整改、摘牌各有其前提。

    ## 要求

    校工会的决定和检查记录写明存在的工作室（studios/ 下的文件夹名），且该操作在当时的状态下可行：
    对筹建中（或已摘牌）的工作室授牌，对已授牌的工作室推荐或评为示范，只对整改中的工作室作整改通过，只对持牌工作室限期整改或摘牌。

    ## 示例

    不通过（工作室从未整改，却记了整改通过）：

    ```yaml
    decisions:
    - {studio: alpha, action: restore, date: 2024-01-10, document: 校工字〔2024〕1号}
    ```

    通过：

    ```yaml
    decisions:
    - {studio: alpha, action: accredit, date: 2022-05-10, document: 校工字〔2022〕3号}
    ```

    ## 如何修改

    核对文件夹名和决定的日期、类别；按实际发文顺序登记。"""
    for ev in unknown_studio_events(ctx.repo):
        yield _ev_hit("unknown", ev, "studio", slug=ev.doc.data[ev.key][ev.index].get("studio"))
    for slug, info in ctx.statuses.items():
        for ev, before in info.impossible:
            field = "action" if ev.key == "decisions" else "result"
            yield _ev_hit("impossible", ev, field, status=Status.label_of(before, ctx.lang),
                          action=Action.label_of(ev.action, ctx.lang))


@rule("L002", ("整改期限已过", "Rectification overdue"), {
    "overdue": ("整改期限 {deadline} 已过，仍没有“整改通过”或“摘牌”决定", "the rectification deadline {deadline} "
                "has passed with no restore or revoke decision"),
})
def l002(ctx: Context):
    """## 依据

    《实施意见》三（三）3：检查不达标的限期整改，整改不达标的予以摘牌（本系统对原文的理解，见 /inspections/）。

    ## 要求

    整改期限届满后，校工会须登记复查结果：整改通过（restore，或复查合格）或摘牌（revoke，或复查不合格）。

    ## 示例

    不通过（期限已过，没有复查结果）：

    ```yaml
    decisions:
    - {studio: alpha, action: rectify, date: 2026-01-10, document: 校工字〔2026〕1号, deadline: 2026-03-31}
    ```

    通过：

    ```yaml
    decisions:
    - {studio: alpha, action: rectify, date: 2026-01-10, document: 校工字〔2026〕1号, deadline: 2026-03-31}
    - {studio: alpha, action: restore, date: 2026-03-28, document: 校工字〔2026〕4号}
    ```

    ## 如何修改

    按复查结果在 union/decisions.yml 或检查记录中登记整改通过或摘牌。"""
    for slug, info in ctx.statuses.items():
        ev = info.rectify
        if info.status == "rectifying" and ev is not None and ev.deadline is not None and ev.deadline < ctx.as_of:
            yield _ev_hit("overdue", ev, "deadline", deadline=ev.deadline)


@rule("L003", ("不具备示范推荐条件", "Not eligible for demonstration"), {
    "young": ("{action}时工作室授牌不满 {years} 年（授牌于 {since}）", "{action} less than {years} years after "
              "accreditation ({since})"),
    "never": ("{action}时工作室尚未授牌", "{action} before the studio was accredited"),
    "honor": ("{action}需要领衔人有{level}及以上荣誉", "{action} needs a leader honor at {level} level or above"),
}, thresholds={"young": ("lifecycle.demonstrate_min_years",), "honor": ("lifecycle.demonstrate_leader_honor_level",)})
def l003(ctx: Context):
    """## 依据

    《实施意见》三（二）：达到“六有”标准的授牌，再择优推荐示范。授牌年限（{value:lifecycle.demonstrate_min_years} 年）和领衔人荣誉级别（{value:lifecycle.demonstrate_leader_honor_level}）依据：{basis:lifecycle.demonstrate_min_years}。

    ## 要求

    推荐或评为示范的工作室须已授牌，授牌满 {value:lifecycle.demonstrate_min_years} 年，领衔人有{value:lifecycle.demonstrate_leader_honor_level}及以上荣誉。

    ## 示例

    不通过（授牌不满年限即推荐）：

    ```yaml
    decisions:
    - {studio: alpha, action: accredit, date: 2022-05-10, document: 校工字〔2022〕3号}
    - {studio: alpha, action: recommend, date: 2024-01-10, document: 校工字〔2024〕1号}
    ```

    通过：

    ```yaml
    decisions:
    - {studio: alpha, action: accredit, date: 2022-05-10, document: 校工字〔2022〕3号}
    - {studio: alpha, action: recommend, date: 2025-06-10, document: 校工字〔2025〕8号}
    ```

    ## 如何修改

    核对推荐日期和授牌日期；条件不足的，待条件具备后再推荐。"""
    std = ctx.std.lifecycle
    folders = ctx.repo.by_slug()
    for slug, info in ctx.statuses.items():
        accredited: dt.date | None = None
        for ev, _after in info.history:
            if ev.action == "accredit":
                accredited = ev.date
            if ev.action not in ("demonstrate", "recommend"):
                continue
            action = Action.label_of(ev.action, ctx.lang)
            if accredited is None:
                yield _ev_hit("never", ev, "action", action=action)
            elif years_between(accredited, ev.date) < std.demonstrate_min_years:
                yield _ev_hit("young", ev, "action", action=action, years=std.demonstrate_min_years,
                              since=accredited)
            studio = folders[slug].studio
            if studio is not None and not has_honor_at(studio.leader, std.demonstrate_leader_honor_level):
                yield _ev_hit("honor", ev, "action", action=action,
                              level=Level.label_of(str(std.demonstrate_leader_honor_level), ctx.lang))


@rule("D002", ("缺少本年度工作台账", "No ledger this year"), {
    "ledger": ("已授牌工作室没有 {year} 年的工作台账（ledger/{year}.yml）", "accredited studio has no ledger for "
               "{year} (ledger/{year}.yml)"),
}, severity="warning")
def d002(ctx: Context):
    """## 依据

    《实施意见》三（三）1：创新工作室须建立工作台账。

    ## 要求

    持牌（已授牌、示范、整改中）的工作室有评价年度的台账文件 ledger/<年份>.yml。

    ## 示例

    不通过：2026 年已授牌，studios/alpha/ledger/ 下只有 2025.yml。

    ```text
    studios/alpha/ledger/2025.yml
    ```

    通过：

    ```text
    studios/alpha/ledger/2025.yml
    studios/alpha/ledger/2026.yml
    ```

    ## 如何修改

    新建当年的台账文件（可用 innostudio new activity 或编辑器登记第一次活动）。"""
    for folder in ctx.repo.studios:
        if ctx.statuses[folder.slug].status in HOLDS_PLAQUE and not any(
                d.year == ctx.as_of.year for d in folder.ledgers):
            yield Hit("ledger", f"{folder.path}/ledger/{ctx.as_of.year}.yml", None, {"year": ctx.as_of.year})


@rule("D003", ("缺少上年度检查记录", "No inspection last year"), {
    "inspection": ("已授牌工作室没有 {year} 年度检查记录（union/inspections/{year}.yml）",
                   "accredited studio has no inspection record for {year} (union/inspections/{year}.yml)"),
}, severity="warning")
def d003(ctx: Context):
    """## 依据

    《实施意见》三（三）3：学校工会每年对创新工作室进行检查。完成检查的月份（{value:lifecycle.inspection_due_month} 月底）和授牌满 {value:lifecycle.inspection_min_months} 个月的条件依据：{basis:lifecycle.inspection_due_month}。

    ## 要求

    每年 {value:lifecycle.inspection_due_month} 月之后，上一年授牌满 {value:lifecycle.inspection_min_months} 个月的持牌工作室须有上一年度的检查记录 union/inspections/<上一年>.yml。

    ## 示例

    不通过：2026 年 6 月，union/inspections/2025.yml 中没有该工作室。

    ```yaml
    inspections:
    - {studio: beta, date: 2026-01-12, result: pass, findings: 六有达标}
    ```

    通过：

    ```yaml
    inspections:
    - {studio: alpha, date: 2026-01-12, result: pass, findings: 六有达标，台账完整}
    - {studio: beta, date: 2026-01-12, result: pass, findings: 六有达标}
    ```

    ## 如何修改

    校工会完成检查后，把结果登记在对应年度的检查文件中。"""
    std = ctx.std.lifecycle
    if ctx.as_of.month <= std.inspection_due_month:
        return
    prev = ctx.as_of.year - 1
    inspected = {ins.studio for _doc, _i, ins in ctx.repo.inspections if ins.date.year == prev}
    cutoff_month = 12 - std.inspection_min_months
    cutoff = dt.date(prev, max(cutoff_month, 1), 1) if cutoff_month >= 1 else dt.date(prev - 1, 12, 31)
    for folder in ctx.repo.studios:
        info = ctx.statuses[folder.slug]
        if info.status in HOLDS_PLAQUE and info.accredited_on is not None and info.accredited_on < cutoff \
                and folder.slug not in inspected:
            if folder.profile is not None:
                yield profile_hit("inspection", folder, "name", year=prev)
            else:
                yield Hit("inspection", folder.path, None, {"year": prev})
