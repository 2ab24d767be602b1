"""D rules on funding (the funding clause: money spent on its purpose, with its vouchers, lawfully).

Each funding year may list its expenses (date, amount, purpose, voucher). Spending is their sum where
they are given. Expenses are private unless the site configuration publishes funding.
"""
from __future__ import annotations

from collections.abc import Iterable

from ..corpus import Doc, StudioFolder
from ..model import HOLDS_PLAQUE, ExpensePurpose, Funding
from .base import Context, Hit, Severity, hit, rule


def _funding(ctx: Context) -> Iterable[tuple[StudioFolder, Doc, int, Funding]]:
    """Each funding record: its studio folder, studio.yml, its index there and the record."""
    for folder in ctx.repo.studios:
        studio, prof = folder.studio, folder.profile
        if studio is None or prof is None:
            continue
        for i, f in enumerate(studio.funding or []):
            yield folder, prof, i, f


def _purpose(ctx: Context, code: str) -> str:
    return code if ctx.lang == "en" else f"{ExpensePurpose.labels().get(code, code)}"


def _money(v: float) -> str:
    return f"{v:,.2f}".rstrip("0").rstrip(".")


def conditional_missing(ctx: Context) -> Iterable[Hit]:
    """F001 cases of funding: ``spent_yuan`` when no expenses are listed; ``note`` for an ``other`` expense."""
    en = ctx.lang == "en"
    for _folder, prof, i, f in _funding(ctx):
        if f.spent_yuan is None and not f.expenses:
            yield hit("cond", prof, "funding", i, field=f"funding[{i}].spent_yuan",
                      why="没有列出支出明细（expenses）" if not en else "no expenses are listed")
        for j, e in enumerate(f.expenses or []):
            if e.purpose == "other" and not (e.note or "").strip():
                yield hit("cond", prof, "funding", i, "expenses", j, "purpose",
                          field=f"funding[{i}].expenses[{j}].note",
                          why="用途为 other（其他）" if not en else "purpose is other")
    yield from recognition_missing(ctx)


def recognition_missing(ctx: Context) -> Iterable[Hit]:
    """F001 case of union/recognitions.yml: a recommended achievement names its achievement."""
    for doc, i, r in ctx.repo.recognitions:
        if r.kind == "recommend_achievement" and r.achievement is None:
            yield hit("cond", doc, "recognitions", i, field=f"recognitions[{i}].achievement",
                      why="kind 为 recommend_achievement（推荐优秀成果）" if ctx.lang != "en"
                      else "kind is recommend_achievement")


def expense_dates(ctx: Context) -> Iterable[Hit]:
    """F004 cases of funding: an expense outside its funding record's year, or after the evaluation date."""
    for _folder, prof, i, f in _funding(ctx):
        for j, e in enumerate(f.expenses or []):
            if e.date.year != f.year:
                yield hit("expense_year", prof, "funding", i, "expenses", j, "date", year=f.year,
                          date=e.date)
            elif e.date > ctx.as_of:
                yield hit("expense_future", prof, "funding", i, "expenses", j, "date", date=e.date,
                          as_of=ctx.as_of)


@rule("D001", ("经费支出超出预算或与明细不符", "Spending over budget or not matching its expenses"), {
    "over": ("{year} 年经费支出 {spent} 元超过预算 {budget} 元", "{year}: spent {spent} yuan, over the budget of "
             "{budget} yuan"),
    "sum": ("{year} 年填写的支出 {spent} 元与支出明细合计 {total} 元不一致", "{year}: spent_yuan {spent} differs "
            "from the sum of the expenses, {total}"),
})
def d001(ctx: Context):
    """## 依据

    {cite:funding}：{quote:funding}

    ## 要求

    每个经费年度的支出（列出支出明细时为明细金额之和，否则为填写的支出金额）不超过当年预算；
    同时填写了支出金额和支出明细时，两者必须一致。

    ## 示例

    不通过（明细合计 12,000 元，超过预算 10,000 元）：

    ```yaml
    funding:
      - year: 2026
        budget_yuan: 10000
        source: 学校专项经费
        expenses:
          - {date: 2026-03-02, amount_yuan: 8000, purpose: equipment, voucher: BX2026-031}
          - {date: 2026-05-20, amount_yuan: 4000, purpose: training, voucher: BX2026-087}
    ```

    通过：

    ```yaml
    funding:
      - year: 2026
        budget_yuan: 10000
        source: 学校专项经费
        expenses:
          - {date: 2026-03-02, amount_yuan: 6000, purpose: equipment, voucher: BX2026-031}
          - {date: 2026-05-20, amount_yuan: 4000, purpose: training, voucher: BX2026-087}
    ```

    ## 如何修改

    核对报销单据：支出确实超出预算的，请校工会调整预算（修改 budget_yuan）；明细与填写的支出金额不一致时，
    以明细为准，删去或改正 spent_yuan。"""
    for _folder, prof, i, f in _funding(ctx):
        total = sum(e.amount_yuan for e in f.expenses) if f.expenses else None
        if f.spent_yuan is not None and total is not None and abs(f.spent_yuan - total) > 0.005:
            yield hit("sum", prof, "funding", i, "spent_yuan", year=f.year, spent=_money(f.spent_yuan),
                      total=_money(total))
        spent = total if total is not None else f.spent_yuan
        if spent is not None and spent > f.budget_yuan:
            where = ("spent_yuan",) if total is None else ("expenses",)
            yield hit("over", prof, "funding", i, *where, key_pos=total is not None, year=f.year,
                      spent=_money(spent), budget=_money(f.budget_yuan))


@rule("D004", ("经费用途不在允许范围（专款专用）", "Expense purpose not allowed"), {
    "purpose": ("{year} 年的支出（凭证 {voucher}）用途为“{purpose}”，不在校工会允许的经费用途内（允许：{allowed}）",
                "{year}: the expense with voucher {voucher} has the purpose '{purpose}', which is not allowed "
                "(allowed: {allowed})"),
}, thresholds={"purpose": ("funding.allowed_purposes",)}, clause_key="funding")
def d004(ctx: Context):
    """## 依据

    {cite:funding}：{quote:funding}允许的用途由校工会在 union/standards.yml 的
    funding.allowed_purposes 中设定（依据：{basis:funding.allowed_purposes}）。

    ## 要求

    每笔支出的用途必须是允许的用途之一：{value:funding.allowed_purposes}。没有凭证号（报销单号）的支出
    不满足“手续完备”，按缺少必填字段（F001）报告。

    ## 示例

    不通过（允许的用途中没有“场地建设”时）：

    ```yaml
    expenses:
      - {date: 2026-04-08, amount_yuan: 3000, purpose: venue, voucher: BX2026-052}
    ```

    通过：

    ```yaml
    expenses:
      - {date: 2026-04-08, amount_yuan: 3000, purpose: materials, voucher: BX2026-052}
    ```

    ## 如何修改

    按实际用途改正 purpose；确属不允许的用途，应从工作室经费中调出，由其他经费列支。"""
    allowed = [str(p) for p in ctx.std.funding.allowed_purposes]
    names = "、".join(_purpose(ctx, p) for p in allowed) or "无"
    for _folder, prof, i, f in _funding(ctx):
        for j, e in enumerate(f.expenses or []):
            if str(e.purpose) not in allowed:
                yield hit("purpose", prof, "funding", i, "expenses", j, "purpose", year=f.year,
                          voucher=e.voucher, purpose=_purpose(ctx, str(e.purpose)), allowed=names)


@rule("D005", ("其他用途的支出待工会审核", "Expense of purpose other"), {
    "other": ("{year} 年的支出（凭证 {voucher}，{amount} 元）用途为“其他”：{note}。请校工会审核",
              "{year}: the expense with voucher {voucher} ({amount} yuan) has the purpose 'other': {note}. The "
              "union reviews it"),
}, severity=Severity.WARNING, clause_key="funding")
def d005(ctx: Context):
    """## 依据

    {cite:funding}：{quote:funding}用途为“其他”的支出由校工会逐笔审核
    （本校细则）。

    ## 要求

    用途为“其他”（other）的支出必须在 note 中写明是什么支出（缺少时为 F001），并作为警告提示校工会审核；
    它不阻止合并。允许的用途为：{value:funding.allowed_purposes}。

    ## 示例

    提示（用途为其他）：

    ```yaml
    expenses:
      - {date: 2026-06-12, amount_yuan: 800, purpose: other, voucher: BX2026-101, note: 成果展板制作}
    ```

    不提示（归入已有用途）：

    ```yaml
    expenses:
      - {date: 2026-06-12, amount_yuan: 800, purpose: promotion, voucher: BX2026-101, note: 成果展板制作}
    ```

    ## 如何修改

    能归入设备购置、耗材资料、学习培训、交流研讨、课题研究、成果推广、场地建设之一的，改正 purpose；
    确属其他的，保留并在 note 中写清用途，由校工会审核。"""
    for _folder, prof, i, f in _funding(ctx):
        for j, e in enumerate(f.expenses or []):
            if e.purpose == "other":
                yield hit("other", prof, "funding", i, "expenses", j, "purpose", year=f.year,
                          voucher=e.voucher, amount=_money(e.amount_yuan), note=e.note or "未写明")


@rule("D006", ("经费支出没有明细（手续完备）", "Spending without itemised expenses"), {
    "itemise": ("{year} 年的经费只写了支出总额 spent_yuan（{spent} 元），没有逐笔的支出明细 expenses（日期、金额、"
                "用途、凭证号），无法说明手续完备", "{year}: only the total spent_yuan ({spent} yuan) is given, "
                "with no itemised expenses (date, amount, purpose, voucher): 手续完备 cannot be shown"),
}, severity=Severity.WARNING, clause_key="funding")
def d006(ctx: Context):
    """## 依据

    {cite:funding}：{quote:funding}

    ## 要求

    持牌工作室（已授牌、示范、整改中）的经费记录有支出（`spent_yuan` 大于 0）时，须逐笔列出支出明细
    `expenses`（日期、金额、用途、凭证号）；只写总额无法说明每笔支出的用途和凭证。

    ## 示例

    提示（只有总额）：

    ```yaml
    funding:
      - {year: 2026, budget_yuan: 20000, spent_yuan: 8000, source: 校工会专项}
    ```

    不提示：

    ```yaml
    funding:
      - year: 2026
        budget_yuan: 20000
        source: 校工会专项
        expenses:
          - {date: 2026-04-10, amount_yuan: 8000, purpose: equipment, voucher: BX2026-031}
    ```

    ## 如何修改

    按报销单逐笔补登 expenses；补齐后 spent_yuan 可以删去（支出按明细合计）。"""
    for folder, prof, i, f in _funding(ctx):
        if ctx.statuses[folder.slug].status not in HOLDS_PLAQUE or f.expenses:
            continue
        if f.spent_yuan is not None and f.spent_yuan > 0:
            yield hit("itemise", prof, "funding", i, "spent_yuan", year=f.year, spent=_money(f.spent_yuan))
