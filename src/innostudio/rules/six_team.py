"""S1–S3 of the six accreditation standards (六有): the leader, the signage and the team.

Each rule runs per studio (not for revoked ones). Its findings are errors for accredited,
demonstration and rectifying studios and information for candidates. All thresholds come from
union/standards.yml.
"""
from __future__ import annotations

from ..corpus import StudioFolder, resolve_ref
from ..domain.media import IMAGE_EXT, file_info
from ..domain.status import plaque_required
from ..domain.windows import age_tier
from ..model import (
    LEVEL_RANK,
    TITLE_RANK,
    VOCATIONAL_RANK,
    Board,
    HonorKind,
    Level,
    TitleLevel,
    VocationalLevel,
)
from .base import Context, profile_hit, rule, studio_of


@rule("S1.1", ("领衔人资格", "Leader qualification"), {
    "unqualified": ("领衔人 {name} 没有{level}及以上的{kinds}荣誉，职称（{title}）未达到{min_title}，职业资格也未达到{min_voc}",
                    "leader {name} has no honor of a listed kind at {level} level or above, title level "
                    "({title}) below {min_title} and vocational level below {min_voc}"),
}, scope="studio", reads=("leader",),
   thresholds={"unqualified": ("s1.honor_kinds", "s1.honor_min_level", "s1.min_vocational_level",
                                                "s1.min_title_level")})
def s1_1(ctx: Context, folder: StudioFolder):
    """## 依据

    {cite:S1}：{quote:S1}
    荣誉和职业资格条件依据：{basis:s1.honor_min_level}；职称条件依据：{basis:s1.min_title_level}。

    ## 要求

    领衔人满足以下任一条件：有{value:s1.honor_kinds}荣誉之一，级别在{value:s1.honor_min_level}及以上；
    或职称层级达到{value:s1.min_title_level}及以上；或职业资格达到{value:s1.min_vocational_level}及以上。

    ## 示例

    不通过（校级荣誉、中级职称、无职业资格）：

    ```yaml
    leader:
      name: 赵明
      title_level: intermediate
      honors:
      - {name: 校优秀教师, kind: other, level: school, year: 2024}
    ```

    通过：

    ```yaml
    leader:
      name: 赵明
      title_level: intermediate
      honors:
      - {name: 某市劳动模范, kind: model_worker, level: municipal, year: 2023}
    ```

    ## 如何修改

    在 studio.yml 的 leader 下补登领衔人已获的荣誉（名称、类别、级别、年份）或职称、职业资格；确无符合条件的，
    应由符合条件的教职工领衔。"""
    std = ctx.std.s1
    leader = studio_of(folder).leader
    min_level = LEVEL_RANK[str(std.honor_min_level)]
    kinds = {str(k) for k in std.honor_kinds}
    # an honour counts from its year (evaluated as of a decision, a later honour does not count)
    honored = any(str(h.kind) in kinds and LEVEL_RANK[str(h.level)] >= min_level and h.year <= ctx.as_of.year
                  for h in leader.honors)
    titled = TITLE_RANK[str(leader.title_level)] >= TITLE_RANK[str(std.min_title_level)]
    vocational = leader.vocational_level is not None and \
        VOCATIONAL_RANK[str(leader.vocational_level)] >= VOCATIONAL_RANK[str(std.min_vocational_level)]
    if not (honored or titled or vocational):
        lang = ctx.lang
        yield profile_hit("unqualified", folder, "leader", name=leader.name,
                          level=Level.label_of(std.honor_min_level, lang),
                          kinds="/".join(HonorKind.label_of(k, lang) for k in std.honor_kinds),
                          title=TitleLevel.label_of(leader.title_level, lang),
                          min_title=TitleLevel.label_of(std.min_title_level, lang),
                          min_voc=VocationalLevel.label_of(std.min_vocational_level, lang))


@rule("S1.2", ("领衔人在一线", "Leader is front-line"), {
    "frontline": ("领衔人 {name} 不是一线教职工", "leader {name} is not front-line staff"),
}, scope="studio", reads=("leader",), thresholds={"frontline": ("s1.require_frontline",)})
def s1_2(ctx: Context, folder: StudioFolder):
    """## 依据

    {cite:S1}：{quote:S1}本项依据：{basis:s1.require_frontline}。

    ## 要求

    领衔人须为一线教职工：{value:s1.require_frontline}（“否”表示本校不作要求）。

    ## 示例

    不通过：

    ```yaml
    leader:
      name: 赵明
      frontline: false
    ```

    通过：

    ```yaml
    leader:
      name: 赵明
      frontline: true
    ```

    ## 如何修改

    领衔人在教学、科研、医疗或服务一线工作的，把 leader 下的 frontline 改为 true；否则应由一线教职工领衔。"""
    leader = studio_of(folder).leader
    if ctx.std.s1.require_frontline and not leader.frontline:
        yield profile_hit("frontline", folder, "leader", "frontline", name=leader.name)


@rule("S2.1", ("工作室标牌", "Studio plaque"), {
    "missing": ("没有工作室标牌照片（{since} 授牌，挂牌宽限 {days} 天已过）", "no photo of the studio plaque "
                "(accredited on {since}; the {days} days of grace have passed)"),
    "bad": ("标牌照片 {ref} 不存在或不是图片", "plaque photo {ref} does not exist or is not an image"),
}, scope="studio", reads=("signage",), clause="S2", thresholds={"missing": ("s2.plaque_grace_days",)})
def s2_1(ctx: Context, folder: StudioFolder):
    """## 依据

    {cite:S2}：{quote:S2}

    ## 要求

    持牌的工作室（已授牌、示范、整改中），studio.yml 的 signage.plaque 指向工作室文件夹中一张真实存在的标牌
    照片（JPEG 或 PNG）。标牌在授牌之后才悬挂，所以最近一次授牌后 {value:s2.plaque_grace_days} 天内不要求
    （{basis:s2.plaque_grace_days}），从次日起要求；筹建中的工作室、按授牌当日评价（L005）时都不要求标牌照片。

    ## 示例

    不通过（照片文件不存在）：

    ```yaml
    signage:
      plaque: media/标牌.jpg   # 文件夹中没有这张照片
    ```

    通过：

    ```yaml
    signage:
      plaque: media/plaque.jpg
      boards: [org_structure, duties, goals, management_rules]
    ```

    ## 如何修改

    拍一张悬挂好的标牌照片，放到工作室文件夹的 media/ 下，在 signage.plaque 中填写它的路径。"""
    info = ctx.facts.status_at(ctx.as_of).get(folder.slug)
    if not plaque_required(info, ctx.as_of, ctx.std.s2.plaque_grace_days):
        return
    signage = studio_of(folder).signage
    if signage is None or signage.plaque is None:
        assert info is not None and info.accredited_on is not None
        since = info.accredited_on
        yield profile_hit("missing", folder, "signage", since=since, days=ctx.std.s2.plaque_grace_days)
        return
    target = resolve_ref(folder.abspath, signage.plaque)
    photo = file_info(str(target)) if target is not None else None
    if photo is None or not photo.exists or photo.real_type not in set(IMAGE_EXT.values()):
        yield profile_hit("bad", folder, "signage", "plaque", ref=signage.plaque)


@rule("S2.2", ("规范性标志上墙", "Boards on the wall"), {
    "boards": ("缺少上墙的规范性标志：{missing}", "boards missing on the wall: {missing}"),
}, scope="studio", reads=("signage",), thresholds={"boards": ("s2.boards",)})
def s2_2(ctx: Context, folder: StudioFolder):
    """## 依据

    {cite:S2}：{quote:S2}本项依据：{basis:s2.boards}。

    ## 要求

    signage.boards 列出以下全部上墙内容：{value:s2.boards}。

    ## 示例

    不通过：

    ```yaml
    signage:
      plaque: media/plaque.jpg
      boards: [org_structure]
    ```

    通过：

    ```yaml
    signage:
      plaque: media/plaque.jpg
      boards: [org_structure, duties, goals, management_rules]
    ```

    ## 如何修改

    把缺少的内容制作上墙后，在 signage.boards 中补上（可写代码，也可写中文名称，如“工作职责”）。"""
    signage = studio_of(folder).signage
    have = {str(b) for b in signage.boards} if signage else set()
    missing = [str(b) for b in ctx.std.s2.boards if str(b) not in have]
    if missing:
        names = "、".join(Board.label_of(b, ctx.lang) for b in missing)
        loc = ("signage", "boards") if signage else ("signage",)
        yield profile_hit("boards", folder, *loc, missing=names)


@rule("S3.1", ("团队人数", "Team size"), {
    "size": ("除领衔人外只有 {n} 名在册成员，至少需要 {min} 名", "{n} current members besides the leader, at "
             "least {min} needed"),
}, scope="studio", reads=("leader", "members"), clause="S3", thresholds={"size": ("s3.min_members",)})
def s3_1(ctx: Context, folder: StudioFolder):
    """## 依据

    {cite:S3}：{quote:S3}人数要求依据：{basis:s3.min_members}。

    ## 要求

    除领衔人外，评价日期在册的成员至少 {value:s3.min_members} 名（已离开或尚未加入的成员不计）。

    ## 示例

    不通过（设为 3 名时，只有 2 名在册）：

    ```yaml
    members:
    - {name: 甲, role: core, left: 2026-01}
    - {name: 乙, role: member}
    - {name: 丙, role: apprentice}
    ```

    通过：

    ```yaml
    members:
    - {name: 甲, role: core}
    - {name: 乙, role: member}
    - {name: 丙, role: apprentice}
    ```

    （成员的其他必填字段从略。）

    ## 如何修改

    在 studio.yml 的 members 中补登实际参加工作室的成员；离开的成员保留并填写 left，不计入人数。"""
    n = len(ctx.team(studio_of(folder))) - 1
    if n < ctx.std.s3.min_members:
        yield profile_hit("size", folder, "members", n=n, min=ctx.std.s3.min_members)


@rule("S3.2", ("年龄梯次", "Age tiers"), {
    "tiers": ("团队（含领衔人）年龄只覆盖 {n} 个梯次，需要 {min} 个", "the team spans {n} age tier(s), {min} needed"),
    "young": ("{young_bound} 岁以下的团队成员只有 {young} 人，需要 {min_young} 人",
              "{young} member(s) under {young_bound}, {min_young} needed"),
    "both": ("团队年龄只覆盖 {n} 个梯次（需要 {min} 个），{young_bound} 岁以下 {young} 人（需要 {min_young} 人）",
             "the team spans {n} age tier(s) ({min} needed) with {young} member(s) under {young_bound} "
             "({min_young} needed)"),
}, scope="studio", reads=("leader", "members"),
   clause="S3", thresholds={"tiers": ("s3.age_tier_bounds", "s3.min_age_tiers"),
                                                 "young": ("s3.age_tier_bounds", "s3.min_young"),
                                                 "both": ("s3.age_tier_bounds", "s3.min_age_tiers", "s3.min_young")})
def s3_2(ctx: Context, folder: StudioFolder):
    """## 依据

    {cite:S3}：{quote:S3}
    年龄梯次与人数依据：{basis:s3.min_age_tiers}。

    ## 要求

    团队（领衔人和在册成员）按 {value:s3.age_tier_bounds} 岁分界划分年龄梯次，至少覆盖 {value:s3.min_age_tiers} 个梯次，
    且低于第一个分界年龄的成员至少 {value:s3.min_young} 人。年龄按评价年度和出生年份计算；出生年份不公开。

    ## 示例

    不通过（按默认分界，全体成员都在同一年龄段；示意，出生年份不公开）：

    ```text
    领衔人 51 岁；成员 50 岁、48 岁、47 岁
    ```

    通过：

    ```text
    领衔人 56 岁；成员 41 岁、33 岁、28 岁
    ```

    ## 如何修改

    吸收青年教职工加入团队，在 members 中登记其出生年份（只用于计算年龄梯次，不公开）；核对已登记成员的出生年份是否填写正确。"""
    std = ctx.std.s3
    year = ctx.as_of.year
    ages = [year - p.birth_year for p in ctx.team(studio_of(folder))]
    tiers = {age_tier(a, std.age_tier_bounds) for a in ages}
    young = sum(a < min(std.age_tier_bounds) for a in ages)
    few_tiers, few_young = len(tiers) < std.min_age_tiers, young < std.min_young
    if few_tiers or few_young:  # say only what fails
        key = "both" if few_tiers and few_young else "tiers" if few_tiers else "young"
        yield profile_hit(key, folder, "members", n=len(tiers), min=std.min_age_tiers, young=young,
                          min_young=std.min_young, young_bound=min(std.age_tier_bounds))


@rule("S3.3", ("知识与专业结构", "Knowledge structure"), {
    "levels": ("团队只有 {levels} 种职称层级，至少需要 {min_levels} 种", "the team has {levels} title level(s), "
               "{min_levels} needed"),
    "disciplines": ("团队只有 {disciplines} 个学科/专业，至少需要 {min_disc} 个", "the team has {disciplines} "
                    "discipline(s), {min_disc} needed"),
}, scope="studio", reads=("leader", "members"),
   clause="S3", thresholds={"levels": ("s3.min_title_levels",), "disciplines": ("s3.min_disciplines",)})
def s3_3(ctx: Context, folder: StudioFolder):
    """## 依据

    {cite:S3}：{quote:S3}职称层级数依据：{basis:s3.min_title_levels}；
    学科数依据：{basis:s3.min_disciplines}。

    ## 要求

    团队至少有 {value:s3.min_title_levels} 种不同的职称层级，并至少涵盖 {value:s3.min_disciplines} 个学科/专业。

    ## 示例

    不通过（全部为中级职称、同一学科）：

    ```yaml
    members:
    - {name: 甲, title_level: intermediate, discipline: 药学}
    - {name: 乙, title_level: intermediate, discipline: 药学}
    ```

    通过：

    ```yaml
    members:
    - {name: 甲, title_level: associate_senior, discipline: 药学}
    - {name: 乙, title_level: intermediate, discipline: 临床医学}
    ```

    ## 如何修改

    核对成员的职称层级和学科是否登记准确；需要时吸收其他专业或层级的教职工加入。"""
    std = ctx.std.s3
    team = ctx.team(studio_of(folder))
    levels = len({str(p.title_level) for p in team})
    disciplines = len({p.discipline for p in team})
    if levels < std.min_title_levels:
        yield profile_hit("levels", folder, "members", levels=levels, min_levels=std.min_title_levels)
    if disciplines < std.min_disciplines:
        yield profile_hit("disciplines", folder, "members", disciplines=disciplines, min_disc=std.min_disciplines)


@rule("S3.4", ("一线教职工参与", "Front-line participation"), {
    "frontline": ("一线教职工占团队 {pct:.0f}%（需要至少 {min:.0f}%）", "front-line staff are {pct:.0f}% of the "
                  "team (at least {min:.0f}% needed)"),
}, scope="studio", reads=("leader", "members"), clause="S3", thresholds={"frontline": ("s3.min_frontline_ratio",)})
def s3_4(ctx: Context, folder: StudioFolder):
    """## 依据

    {cite:S3}：{quote:S3}比例依据：{basis:s3.min_frontline_ratio}。

    ## 要求

    团队（领衔人和在册成员）中一线教职工至少占 {value:s3.min_frontline_ratio}。

    ## 示例

    不通过（4 人中只有 1 人在一线）：

    ```yaml
    leader: {name: 赵明, frontline: true}
    members:
    - {name: 甲, frontline: false}
    - {name: 乙, frontline: false}
    - {name: 丙, frontline: false}
    ```

    通过：

    ```yaml
    leader: {name: 赵明, frontline: true}
    members:
    - {name: 甲, frontline: true}
    - {name: 乙, frontline: false}
    - {name: 丙, frontline: true}
    ```

    ## 如何修改

    核对每位成员的 frontline 是否如实填写；吸收一线教职工加入团队。"""
    team = ctx.team(studio_of(folder))
    ratio = sum(p.frontline for p in team) / len(team)
    if ratio < ctx.std.s3.min_frontline_ratio:
        yield profile_hit("frontline", folder, "members", pct=ratio * 100, min=ctx.std.s3.min_frontline_ratio * 100)
