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
    """Union records (decisions and inspections) must name an existing studio folder and an action that is
    possible from the studio's status at that date: accredit a candidate (or a revoked studio again),
    recommend or demonstrate an accredited one, restore only a rectifying one, rectify or revoke only a
    studio that holds a plaque."""
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
    """检查不达标的限期整改，整改不达标的予以摘牌: once a rectification deadline has passed, the union must
    record the re-inspection's outcome: ``restore`` (整改通过) or ``revoke`` (摘牌)."""
    for slug, info in ctx.statuses.items():
        ev = info.rectify
        if info.status == "rectifying" and ev is not None and ev.deadline is not None and ev.deadline < ctx.as_of:
            yield _ev_hit("overdue", ev, "deadline", deadline=ev.deadline)


@rule("L003", ("不具备示范推荐条件", "Not eligible for demonstration"), {
    "young": ("{action}时工作室授牌不满 {years} 年（授牌于 {since}）", "{action} less than {years} years after "
              "accreditation ({since})"),
    "never": ("{action}时工作室尚未授牌", "{action} before the studio was accredited"),
    "honor": ("{action}需要领衔人有{level}及以上荣誉", "{action} needs a leader honor at {level} level or above"),
})
def l003(ctx: Context):
    """Recommending or naming a demonstration studio (示范性创新工作室) needs a studio accredited for at
    least ``lifecycle.demonstrate_min_years`` years whose leader has an honor at
    ``lifecycle.demonstrate_leader_honor_level`` or above."""
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


@rule("D001", ("经费支出超出预算", "Spending over budget"), {
    "over": ("{year} 年经费支出 {spent:g} 元超过预算 {budget:g} 元", "{year}: spent {spent:g} yuan, over the "
             "budget of {budget:g} yuan"),
})
def d001(ctx: Context):
    """经费使用要专款专用、手续完备: a year's ``spent_yuan`` may not exceed its ``budget_yuan``."""
    for folder in ctx.repo.studios:
        studio = folder.studio
        for i, f in enumerate((studio.funding or []) if studio else []):
            if f.spent_yuan > f.budget_yuan:
                yield hit("over", folder.profile, "funding", i, "spent_yuan", year=f.year, spent=f.spent_yuan,
                          budget=f.budget_yuan)


@rule("D002", ("缺少本年度工作台账", "No ledger this year"), {
    "ledger": ("已授牌工作室没有 {year} 年的工作台账（ledger/{year}.yml）", "accredited studio has no ledger for "
               "{year} (ledger/{year}.yml)"),
}, severity="warning")
def d002(ctx: Context):
    """创新工作室须建立工作台账: a studio holding a plaque keeps a ledger file for the evaluation year."""
    for folder in ctx.repo.studios:
        if ctx.statuses[folder.slug].status in HOLDS_PLAQUE and not any(
                d.year == ctx.as_of.year for d in folder.ledgers):
            yield Hit("ledger", f"{folder.path}/ledger/{ctx.as_of.year}.yml", None, {"year": ctx.as_of.year})


@rule("D003", ("缺少上年度检查记录", "No inspection last year"), {
    "inspection": ("已授牌工作室没有 {year} 年度检查记录（union/inspections/{year}.yml）",
                   "accredited studio has no inspection record for {year} (union/inspections/{year}.yml)"),
}, severity="warning")
def d003(ctx: Context):
    """学校工会每年对创新工作室进行检查: after ``lifecycle.inspection_due_month`` (March), a studio holding a
    plaque that was accredited at least ``lifecycle.inspection_min_months`` months before the end of the
    previous year has an inspection record for that year."""
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
