"""D002 and D003: the records each year needs of a studio holding a plaque (its ledger of the year, the
union's inspection of the year before)."""
from __future__ import annotations

from ..model import HOLDS_PLAQUE
from .base import Context, Hit, Severity, profile_hit, rule


@rule("D002", ("缺少本年度工作台账", "No ledger this year"), {
    "ledger": ("已授牌工作室没有 {year} 年的工作台账（ledger/{year}.yml）", "accredited studio has no ledger for "
               "{year} (ledger/{year}.yml)"),
}, severity=Severity.WARNING, clause_key="ledger")
def d002(ctx: Context):
    """## 依据

    {cite:ledger}：{quote:ledger}

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
}, severity=Severity.WARNING, clause_key="inspection")
def d003(ctx: Context):
    """## 依据

    {cite:inspection}：{quote:inspection}检查结果的登记日期（每年 {value:inspection.due}，即次年的这一天之前）和持牌满 {value:inspection.min_months} 个月的条件依据：{basis:inspection.due}。

    ## 要求

    上一年底前持牌满 {value:inspection.min_months} 个月的工作室（已授牌、示范、整改中），须在当年
    {value:inspection.due}（月-日）之前登记上一年度的检查结果 union/inspections/<上一年>.yml；从这一天的次日起
    没有记录的，提示本规则。网站的“年度检查”页使用同一日期。

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
    prev = ctx.as_of.year - 1
    if ctx.as_of <= ctx.facts.inspection_deadline(prev):
        return
    # inspections/<YYYY>.yml holds the inspection of YYYY's work, held in YYYY or early the next year
    inspected = {ins.studio for doc, _i, ins in ctx.repo.inspections if doc.path.rsplit("/", 1)[-1][:4] == str(prev)}
    folders = ctx.repo.by_slug()
    for slug in ctx.facts.uninspected(prev, inspected):
        folder = folders[slug]
        if folder.profile is not None:
            yield profile_hit("inspection", folder, "name", year=prev)
        else:
            yield Hit("inspection", folder.path, None, {"year": prev})
