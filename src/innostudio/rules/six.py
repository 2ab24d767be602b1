"""S rules: the six accreditation standards (六有) of policy section 三（一）.

Each rule runs per studio (not for revoked ones). Its findings are errors for accredited,
demonstration and rectifying studios and information for candidates. All thresholds come from
union/standards.yml.
"""
from __future__ import annotations

from ..corpus import StudioFolder, resolve_ref
from ..model import (
    LEVEL_RANK,
    STAGES,
    TITLE_RANK,
    VOCATIONAL_RANK,
    Board,
    Level,
    RuleKind,
    Stage,
    TitleLevel,
    VenueFunction,
    VocationalLevel,
)
from .base import Context, Hit, profile_hit, rule
from .refs import IMAGE_EXT, file_info

STANDARDS = {
    "S1": ("有领衔人才", "Qualified leader"),
    "S2": ("有明显标志", "Visible signage"),
    "S3": ("有创新团队", "Innovation team"),
    "S4": ("有场地经费", "Venue and funding"),
    "S5": ("有规章制度", "Rules and closed-loop process"),
    "S6": ("有创新成效", "Innovation results"),
}


@rule("S1.1", ("领衔人资格", "Leader qualification"), {
    "unqualified": ("领衔人 {name} 没有{level}及以上的劳动模范/先进工作者/五一劳动奖章等荣誉，职称（{title}）"
                    "也未达到{min_title}，职业资格未达到{min_voc}",
                    "leader {name} has no honor of a listed kind at {level} level or above, title level "
                    "({title}) below {min_title} and vocational level below {min_voc}"),
}, scope="studio")
def s1_1(ctx: Context, folder: StudioFolder):
    """有领衔人才: at least one municipal-or-higher model worker, advanced worker, May Day medal holder, or
    a front-line staff member with a senior qualification leads the studio. Met by an honor of a kind in
    ``s1.honor_kinds`` at ``s1.honor_min_level`` or above, or ``title_level`` at ``s1.min_title_level``
    or above, or ``vocational_level`` at ``s1.min_vocational_level`` or above."""
    std = ctx.std.s1
    leader = folder.studio.leader
    min_level = LEVEL_RANK[str(std.honor_min_level)]
    kinds = {str(k) for k in std.honor_kinds}
    honored = any(str(h.kind) in kinds and LEVEL_RANK[str(h.level)] >= min_level for h in leader.honors)
    titled = TITLE_RANK[str(leader.title_level)] >= TITLE_RANK[str(std.min_title_level)]
    vocational = leader.vocational_level is not None and \
        VOCATIONAL_RANK[str(leader.vocational_level)] >= VOCATIONAL_RANK[str(std.min_vocational_level)]
    if not (honored or titled or vocational):
        lang = ctx.lang
        yield profile_hit("unqualified", folder, "leader", name=leader.name,
                          level=Level.label_of(std.honor_min_level, lang),
                          title=TitleLevel.label_of(leader.title_level, lang),
                          min_title=TitleLevel.label_of(std.min_title_level, lang),
                          min_voc=VocationalLevel.label_of(std.min_vocational_level, lang))


@rule("S1.2", ("领衔人在一线", "Leader is front-line"), {
    "frontline": ("领衔人 {name} 不是一线教职工（frontline: false）", "leader {name} is not front-line staff"),
}, scope="studio")
def s1_2(ctx: Context, folder: StudioFolder):
    """The policy asks for a front-line (一线) leader: ``leader.frontline`` must be true."""
    leader = folder.studio.leader
    if ctx.std.s1.require_frontline and not leader.frontline:
        yield profile_hit("frontline", folder, "leader", "frontline", name=leader.name)


@rule("S2.1", ("工作室标牌", "Studio plaque"), {
    "missing": ("没有工作室标牌照片（signage.plaque）", "no photo of the studio plaque (signage.plaque)"),
    "bad": ("标牌照片 {ref} 不存在或不是图片", "plaque photo {ref} does not exist or is not an image"),
}, scope="studio")
def s2_1(ctx: Context, folder: StudioFolder):
    """有明显标志: the studio's sign is visible. Evidence: ``signage.plaque`` is an existing image of it."""
    signage = folder.studio.signage
    if signage is None:
        yield profile_hit("missing", folder, "signage")
        return
    target = resolve_ref(folder.abspath, signage.plaque)
    info = file_info(str(target)) if target is not None else None
    if info is None or not info.exists or info.real_type not in set(IMAGE_EXT.values()):
        yield profile_hit("bad", folder, "signage", "plaque", ref=signage.plaque)


@rule("S2.2", ("规范性标志上墙", "Boards on the wall"), {
    "boards": ("缺少上墙的规范性标志：{missing}", "boards missing on the wall: {missing}"),
}, scope="studio")
def s2_2(ctx: Context, folder: StudioFolder):
    """组织机构、工作职责、目标任务、管理办法 are displayed: ``signage.boards`` lists all of
    ``s2.boards``."""
    signage = folder.studio.signage
    have = {str(b) for b in signage.boards} if signage else set()
    missing = [str(b) for b in ctx.std.s2.boards if str(b) not in have]
    if missing:
        names = "、".join(Board.label_of(b, ctx.lang) for b in missing)
        loc = ("signage", "boards") if signage else ("signage",)
        yield profile_hit("boards", folder, *loc, missing=names)


@rule("S3.1", ("团队人数", "Team size"), {
    "size": ("除领衔人外只有 {n} 名在册成员，至少需要 {min} 名", "{n} current members besides the leader, at "
             "least {min} needed"),
}, scope="studio")
def s3_1(ctx: Context, folder: StudioFolder):
    """有创新团队: at least ``s3.min_members`` current members besides the leader (members who left, or
    join after the evaluation date, do not count)."""
    n = len(ctx.team(folder.studio)) - 1
    if n < ctx.std.s3.min_members:
        yield profile_hit("size", folder, "members", n=n, min=ctx.std.s3.min_members)


def age_tier(age: int, bounds: list[int]) -> int:
    return sum(age >= b for b in sorted(bounds))


@rule("S3.2", ("年龄梯次", "Age tiers"), {
    "tiers": ("团队年龄只覆盖 {n} 个梯次（需要 {min} 个），35 岁以下 {young} 人（需要 {min_young} 人）",
              "the team spans {n} age tier(s) ({min} needed) with {young} member(s) under 35 ({min_young} "
              "needed)"),
}, scope="studio")
def s3_2(ctx: Context, folder: StudioFolder):
    """年龄上形成梯次: the team (leader and current members) spans at least ``s3.min_age_tiers`` of the
    tiers cut at ``s3.age_tier_bounds`` (<35, 35–49, ≥50), with at least ``s3.min_young`` under the first
    bound. Ages are taken at the evaluation year from ``birth_year``, which is never published."""
    std = ctx.std.s3
    year = ctx.as_of.year
    ages = [year - p.birth_year for p in ctx.team(folder.studio)]
    tiers = {age_tier(a, std.age_tier_bounds) for a in ages}
    young = sum(a < min(std.age_tier_bounds) for a in ages)
    if len(tiers) < std.min_age_tiers or young < std.min_young:
        yield profile_hit("tiers", folder, "members", n=len(tiers), min=std.min_age_tiers, young=young,
                          min_young=std.min_young)


@rule("S3.3", ("知识与专业结构", "Knowledge structure"), {
    "levels": ("团队只有 {levels} 种职称层级，至少需要 {min_levels} 种", "the team has {levels} title level(s), "
               "{min_levels} needed"),
    "disciplines": ("团队只有 {disciplines} 个学科/专业，至少需要 {min_disc} 个", "the team has {disciplines} "
                    "discipline(s), {min_disc} needed"),
}, scope="studio")
def s3_3(ctx: Context, folder: StudioFolder):
    """知识上互补、专业层级合理: at least ``s3.min_title_levels`` distinct title levels and
    ``s3.min_disciplines`` distinct disciplines in the team."""
    std = ctx.std.s3
    team = ctx.team(folder.studio)
    levels = len({str(p.title_level) for p in team})
    disciplines = len({p.discipline for p in team})
    if levels < std.min_title_levels:
        yield profile_hit("levels", folder, "members", levels=levels, min_levels=std.min_title_levels)
    if disciplines < std.min_disciplines:
        yield profile_hit("disciplines", folder, "members", disciplines=disciplines, min_disc=std.min_disciplines)


@rule("S3.4", ("一线教职工参与", "Front-line participation"), {
    "frontline": ("一线教职工占团队 {pct:.0f}%（需要至少 {min:.0f}%）", "front-line staff are {pct:.0f}% of the "
                  "team (at least {min:.0f}% needed)"),
}, scope="studio")
def s3_4(ctx: Context, folder: StudioFolder):
    """积极组织一线教职工参与: at least ``s3.min_frontline_ratio`` of the team is front-line."""
    team = ctx.team(folder.studio)
    ratio = sum(p.frontline for p in team) / len(team)
    if ratio < ctx.std.s3.min_frontline_ratio:
        yield profile_hit("frontline", folder, "members", pct=ratio * 100, min=ctx.std.s3.min_frontline_ratio * 100)


@rule("S4.1", ("固定场所", "Venue"), {
    "missing": ("没有固定场所信息（venue）", "no venue given"),
    "venue": ("场所不达标：{why}", "venue falls short: {why}"),
}, scope="studio")
def s4_1(ctx: Context, folder: StudioFolder):
    """有场地: a fixed place of at least ``s4.min_area_m2`` m² used for study, practice and exhibition
    (``s4.functions``), with at least ``s4.min_equipment`` equipment items."""
    std = ctx.std.s4
    venue = folder.studio.venue
    if venue is None:
        yield profile_hit("missing", folder, "venue")
        return
    en = ctx.lang == "en"
    why = []
    if venue.area_m2 < std.min_area_m2:
        why.append(f"area {venue.area_m2:g} m² < {std.min_area_m2:g} m²" if en else
                   f"面积 {venue.area_m2:g} 平方米，不足 {std.min_area_m2:g} 平方米")
    have = {str(f) for f in venue.functions}
    missing = [str(f) for f in std.functions if str(f) not in have]
    if missing:
        names = "、".join(VenueFunction.label_of(f, ctx.lang) for f in missing)
        why.append(f"functions missing: {names}" if en else f"缺少功能：{names}")
    if len(venue.equipment) < std.min_equipment:
        why.append(f"fewer than {std.min_equipment} equipment items" if en else
                   f"设施设备少于 {std.min_equipment} 项")
    if why:
        yield profile_hit("venue", folder, "venue", why="; ".join(why) if en else "；".join(why))


@rule("S4.2", ("专项经费", "Funding"), {
    "funding": ("没有 {years} 年度预算大于 0 的经费记录", "no funding record with a budget above 0 for {years}"),
}, scope="studio")
def s4_2(ctx: Context, folder: StudioFolder):
    """有经费: a ``funding`` record for the evaluation year or up to ``s4.funding_years_back`` years before,
    with ``budget_yuan`` above 0. Funding figures are private unless the site configuration publishes
    them; the standard's result is public."""
    back = ctx.std.s4.funding_years_back
    years = range(ctx.as_of.year - back, ctx.as_of.year + 1)
    ok = any(f.year in years and f.budget_yuan > 0 for f in folder.studio.funding or [])
    if not ok:
        span = "/".join(str(y) for y in years)
        yield profile_hit("funding", folder, "funding", years=span)


@rule("S5.1", ("规章制度齐全", "Rules complete"), {
    "rules": ("缺少以下制度（或其文件不存在）：{missing}", "rules missing (or their file does not exist): {missing}"),
}, scope="studio")
def s5_1(ctx: Context, folder: StudioFolder):
    """有规章制度: rules of every kind in ``s5.rule_kinds`` (学习研究、技术攻关、协同创新、成果转化、激励机制、
    内部管理), each with an existing document in the studio folder."""

    have = set()
    for r in folder.studio.rules or []:
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
}, scope="studio")
def s5_2(ctx: Context, folder: StudioFolder):
    """形成问题收集、课题立项、项目攻关、成果转化、总结推广的闭环管理流程: at least one project has reached
    ``s5.min_stage`` by the evaluation date, and every project's stages follow the loop order."""
    projects = folder.studio.projects or []
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
}, scope="studio")
def s6_1(ctx: Context, folder: StudioFolder):
    """有明确的创新课题或攻关项目: at least one project approved within the last
    ``s6.project_window_months`` months, or approved and not yet promoted (still open)."""
    since = ctx.months_before(ctx.std.s6.project_window_months)
    ok = False
    for p in folder.studio.projects or []:
        approved = p.stages.get("approved")
        if approved is None or approved > ctx.as_of:
            continue
        promoted = p.stages.get("promoted")
        if approved > since or promoted is None or promoted > ctx.as_of:
            ok = True
    if not ok:
        yield profile_hit("stale", folder, "projects", months=ctx.std.s6.project_window_months)


def activities_in_window(ctx: Context, folder: StudioFolder, months: int):
    since = ctx.months_before(months)
    return [a for a in folder.activities() if since < a.date <= ctx.as_of]


def achievements_in_window(ctx: Context, folder: StudioFolder, months: int):
    since = ctx.months_before(months)
    return [a for a in folder.achievement_models() if since < a.date <= ctx.as_of]


@rule("S6.2", ("定期开展活动（月月有活动）", "Regular activity"), {
    "ledger": ("近 {window} 个月的台账只有 {n} 次活动、分布在 {m} 个月（需要至少 {min_n} 次、{min_m} 个月）",
               "the ledger of the last {window} months has {n} activities in {m} months (at least {min_n} in "
               "{min_m} months needed)"),
}, scope="studio")
def s6_2(ctx: Context, folder: StudioFolder):
    """定期开展活动: the work ledger (工作台账) of the last ``s6.ledger_window_months`` months holds at least
    ``s6.min_activities`` activities in at least ``s6.min_active_months`` distinct months."""
    std = ctx.std.s6
    acts = activities_in_window(ctx, folder, std.ledger_window_months)
    months = {(a.date.year, a.date.month) for a in acts}
    if len(acts) < std.min_activities or len(months) < std.min_active_months:
        doc = max(folder.ledgers, key=lambda d: d.year, default=None)
        path = doc.path if doc is not None else folder.path + "/ledger"
        yield Hit("ledger", path, None, {"window": std.ledger_window_months, "n": len(acts), "m": len(months),
                                         "min_n": std.min_activities, "min_m": std.min_active_months})


@rule("S6.3", ("取得创新成效", "Recent achievement"), {
    "none": ("近 {months} 个月没有成果记录（achievements/）", "no achievement in the last {months} months"),
}, scope="studio")
def s6_3(ctx: Context, folder: StudioFolder):
    """取得一定创新成效: at least one achievement dated within the last ``s6.achievement_window_months``
    months."""
    if not achievements_in_window(ctx, folder, ctx.std.s6.achievement_window_months):
        yield Hit("none", folder.path + "/achievements", None, {"months": ctx.std.s6.achievement_window_months})
