"""The policy as configuration: thresholds of union/standards.yml, with the defaults of rules.md.

Another union adopts the portal by editing union/standards.yml; no code changes. Every key is
optional: a missing key keeps its default.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Annotated, Any

from pydantic import ConfigDict, Field, PrivateAttr, model_validator
from pydantic_core import PydanticCustomError

from .model import (
    BOARD,
    EXPENSE_PURPOSE,
    HONOR_KIND,
    LEVEL,
    MAX_YEAR,
    MIN_YEAR,
    RULE_KIND,
    STAGE,
    TITLE_LEVEL,
    VENUE_FN,
    VOCATIONAL,
    Date,
    Entry,
)

SEED_POLICY_SHORT = "实施意见"  # the short name of the seed policy, cited in rule texts

# Rule texts, key descriptions and default bases are written citing the seed policy by this name;
# Standards.cite() turns it into the adopter's (mkdocs.yml extra.policy_short).
POLICY = f"《{SEED_POLICY_SHORT}》"


# The clause keys of union/policy.yml (docs/contract/policy-profile.md); "targets" stands for the document's
# targets (their ``ref``), which the old ``goals`` thresholds cite.
CLAUSE_KEYS = ("S1", "S2", "S3", "S4", "S5", "S6", "accredit", "recommend", "ledger", "funding", "inspection",
               "challenges", "publish", "recommend_achievement", "commend")
DEFAULT_LOCAL_LABEL = "本单位细则"  # extra.local_label when mkdocs.yml sets none (the sample says 本校细则)
LOCAL_TOKEN = "本校细则"  # how rule texts write the local label; Standards.cite() puts the configured one


@dataclass(frozen=True)
class Basis:
    """Where a threshold comes from: the policy (a clause key of union/policy.yml, cited by the clause's
    ``ref``) or the union's own rule (the local label). A policy basis whose clause union/policy.yml does
    not define reads as local: nothing local is attributed to the policy."""

    kind: str  # policy | local
    clause: str = ""  # a clause key (S1, inspection, …); an old clause number still reads as its own ref
    policy: str = SEED_POLICY_SHORT  # the policy's short name, as the site cites it
    ref: str = ""  # where the document says it (policy.yml clauses.<key>.ref)
    local: str = DEFAULT_LOCAL_LABEL

    def label(self, lang: str = "zh") -> str:
        if self.kind == "policy" and self.ref:
            return f"《{self.policy}》{self.ref}" if lang != "en" else f"policy {self.ref}"
        return self.local if lang != "en" else "local rule"


LOCAL = Basis("local")


class Conf(Entry):
    """A section of standards.yml. A threshold is a plain value (its default basis applies) or a mapping
    ``{value: …, basis: policy|local, clause: …}`` that states its basis."""

    model_config = ConfigDict(strict=True, extra="forbid", frozen=True, validate_default=True)
    _bases: dict[str, Basis] = PrivateAttr(default_factory=dict)
    _given: frozenset[str] = PrivateAttr(default_factory=frozenset)

    @model_validator(mode="wrap")
    @classmethod
    def _unwrap_basis(cls, data: Any, handler):
        bases: dict[str, Basis] = {}
        given: set[str] = set()
        if isinstance(data, dict):
            data = dict(data)
            for key, value in list(data.items()):
                if key not in cls.model_fields:
                    continue
                given.add(key)
                if isinstance(value, dict) and "value" in value:
                    extra = set(value) - {"value", "basis", "clause"}
                    if extra:
                        raise PydanticCustomError("basis", "{key} 只能有 value、basis、clause 三项，多了 {extra}",
                                                  {"key": key, "extra": "、".join(sorted(map(str, extra)))})
                    kind = value.get("basis", "local")
                    clause = value.get("clause", "")
                    if kind not in ("policy", "local") or not isinstance(clause, str):
                        raise PydanticCustomError("basis", "{key} 的 basis 应为 policy（政策文件的规定，在 clause "
                                                  "中写明 union/policy.yml 的条款键）或 local（本单位细则）",
                                                  {"key": key})
                    if kind == "policy" and not clause.strip():
                        raise PydanticCustomError("basis", "{key} 的 basis 为 policy 时须在 clause 中写明 "
                                                  "union/policy.yml 的条款键，例如 S4", {"key": key})
                    bases[key] = Basis(kind, clause.strip() if kind == "policy" else "")
                    data[key] = value["value"]
        obj = handler(data)
        if isinstance(obj, Conf):
            obj._bases = bases
            obj._given = frozenset(given)
        return obj

    def basis(self, key: str, section: str) -> Basis:
        """The basis of a threshold: as stated in standards.yml; else its default basis, except that a
        value changed from a policy default is the union's own rule (the local label)."""
        if key in self._bases:
            return self._bases[key]
        default_basis = DEFAULT_BASES.get(f"{section}.{key}", LOCAL)
        if default_basis.kind == "policy" and key in self._given:
            default_value = type(self)().__getattribute__(key)
            if getattr(self, key) != default_value:
                return LOCAL
        return default_basis


Count = Annotated[int, Field(ge=0, le=10_000)]
Months = Annotated[int, Field(ge=1, le=240)]


class S1(Conf):
    honor_kinds: list[HONOR_KIND] = ["model_worker", "advanced_worker", "may_day_medal"]
    honor_min_level: LEVEL = "municipal"
    min_title_level: TITLE_LEVEL = "associate_senior"
    min_vocational_level: VOCATIONAL = "senior_worker"
    require_frontline: bool = True


class S2(Conf):
    boards: list[BOARD] = ["org_structure", "duties", "goals", "management_rules"]
    plaque_grace_days: Annotated[int, Field(ge=0, le=3650)] = 60


class S3(Conf):
    min_members: Count = 3
    age_tier_bounds: list[Annotated[int, Field(ge=1, le=120)]] = [35, 50]
    min_age_tiers: Count = 2
    min_young: Count = 1
    min_title_levels: Count = 2
    min_disciplines: Count = 2
    min_frontline_ratio: Annotated[float, Field(ge=0, le=1)] = 0.5


class S4(Conf):
    min_area_m2: Annotated[float, Field(ge=0)] = 15
    functions: list[VENUE_FN] = ["study", "practice", "exhibition"]
    min_equipment: Count = 1
    funding_years_back: Annotated[int, Field(ge=0, le=10)] = 1


class S5(Conf):
    rule_kinds: list[RULE_KIND] = ["study", "breakthrough", "collaboration", "transformation", "incentive",
                                   "management"]
    min_stage: STAGE = "approved"


class S6(Conf):
    project_window_months: Months = 12
    ledger_window_months: Months = 12
    min_activities: Count = 10
    min_active_months: Count = 8
    achievement_window_months: Months = 24


class Lifecycle(Conf):
    # optional local demonstration conditions (the union's own, not in the policy): off unless set
    demonstrate_min_years: Annotated[int, Field(ge=0, le=50)] | None = None
    demonstrate_leader_honor_level: LEVEL | None = None
    inspection_due_month: Annotated[int, Field(ge=1, le=12)] = 3
    inspection_min_months: Annotated[int, Field(ge=0, le=12)] = 6
    # accreditations decided before this date (before the portal was adopted) are not checked (L005)
    enforce_from: Date | None = None


MonthDay = Annotated[str, Field(pattern=r"^(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$")]


class InspectionConf(Conf):
    """The yearly inspection (the inspection clause): by when the previous year's round is recorded, and
    how long a studio must have held its plaque to be due."""

    due: MonthDay = "03-31"  # month-day of the next year (a day past the month's end is its last day)
    min_months: Annotated[int, Field(ge=0, le=12)] = 6


class FundingConf(Conf):
    allowed_purposes: list[EXPENSE_PURPOSE] = ["equipment", "materials", "training", "exchange", "research",
                                               "promotion", "venue", "other"]


class Goals(Conf):
    """The older form of the document's target (W006: union/policy.yml ``targets`` replace it). No default:
    a target is what a union's document commits to, never the code's."""

    demonstration_min: Count | None = None
    demonstration_max: Count | None = None
    target_year: Annotated[int, Field(ge=MIN_YEAR, le=MAX_YEAR)] | None = None


class Limits(Conf):
    text_kib: Annotated[int, Field(ge=1, le=100_000)] = 256
    image_mib: Annotated[float, Field(gt=0, le=1000)] = 5
    image_warn_mib: Annotated[float, Field(gt=0, le=1000)] = 2
    image_min_side_px: Annotated[int, Field(ge=0, le=10_000)] = 300


Points = Annotated[float, Field(ge=-1000, le=1000)]


class Ranking(Conf):
    """Weights of the demonstration-studio ranking (innostudio rank)."""

    national: Points = 10
    provincial: Points = 6
    municipal: Points = 3
    school: Points = 1
    unleveled: Points = 1
    transformation_per_10k_yuan: Points = 0.5
    transformation_cap: Points = 10
    activity: Points = 0.2
    activity_cap: Points = 6
    standard_met: Points = 2
    project_transformed: Points = 3
    project_promoted: Points = 3
    challenge_claimed: Points = 2
    challenge_solved: Points = 4
    inspection_pass: Points = 5
    inspection_rectify: Points = -5
    recognition: Points = 3


class Standards(Conf):
    s1: S1 = S1()
    s2: S2 = S2()
    s3: S3 = S3()
    s4: S4 = S4()
    s5: S5 = S5()
    s6: S6 = S6()
    lifecycle: Lifecycle = Lifecycle()
    inspection: InspectionConf = InspectionConf()
    funding: FundingConf = FundingConf()
    goals: Goals = Goals()
    limits: Limits = Limits()
    ranking: Ranking = Ranking()
    _policy: str = PrivateAttr(default=SEED_POLICY_SHORT)
    _refs: dict[str, str] = PrivateAttr(default_factory=dict)  # union/policy.yml: clause key → ref
    _local: str = PrivateAttr(default=DEFAULT_LOCAL_LABEL)
    _quotes: dict[str, tuple[str, str]] = PrivateAttr(default_factory=dict)

    def with_policy(self, short: str) -> Standards:
        """These standards citing the policy as 《short》 (mkdocs.yml extra.policy_short)."""
        if short == self._policy:
            return self
        copy = self.model_copy()
        copy._policy = short
        return copy

    @property
    def policy(self) -> str:
        return self._policy

    def cite(self, text: str) -> str:
        """``text`` as the union reads it: rule texts are written with POLICY (the seed's short name) and 本校细则
        (LOCAL_TOKEN) for the local label; both become the configured ones."""
        if self._policy != SEED_POLICY_SHORT:
            text = text.replace(POLICY, f"《{self._policy}》")
        return text.replace(LOCAL_TOKEN, self._local) if self._local != LOCAL_TOKEN else text

    def inspection_due(self) -> tuple[int, int]:
        """(month, day) of the next year by which a year's inspection is recorded: ``inspection.due``, else
        the older ``lifecycle.inspection_due_month`` (its month's end), else 03-31."""
        if "due" in self.inspection._given or "inspection_due_month" not in self.lifecycle._given:
            month, day = self.inspection.due.split("-")
            return int(month), int(day)
        return self.lifecycle.inspection_due_month, 31

    def inspection_min_months(self) -> int:
        """``inspection.min_months``, else the older ``lifecycle.inspection_min_months``."""
        if "min_months" in self.inspection._given or "inspection_min_months" not in self.lifecycle._given:
            return self.inspection.min_months
        return self.lifecycle.inspection_min_months

    def section(self, name: str) -> Conf:
        return getattr(self, name)

    def value(self, path: str) -> Any:
        section, key = path.split(".", 1)
        return getattr(self.section(section), key)

    def with_clauses(self, refs: dict[str, str], local: str,
                     quotes: dict[str, tuple[str, str]] | None = None) -> Standards:
        """The standards citing union/policy.yml's clauses (key → ref, key → (quote, reading)) and the union's
        local label."""
        quotes = dict(quotes or {})
        if refs == self._refs and local == self._local and quotes == self._quotes:
            return self
        copy = self.model_copy()
        copy._refs, copy._local, copy._quotes = dict(refs), local, quotes
        return copy

    def quote_of(self, clause: str) -> tuple[str, str]:
        """The clause's verbatim quote and the portal's reading of it ("" where policy.yml has none)."""
        return self._quotes.get(clause, ("", ""))

    @property
    def local_label(self) -> str:
        return self._local

    def ref_of(self, clause: str) -> str:
        """Where the document says ``clause``: its ref in policy.yml; "" for a key policy.yml does not
        define; an old clause number as written (W006 names the new form)."""
        if clause in self._refs:
            return self._refs[clause]
        return "" if clause in CLAUSE_KEYS or clause == "targets" else clause

    def basis(self, path: str, section: str = "") -> Basis:
        """The basis of the threshold at ``path`` (``s3.min_members``), citing the configured policy."""
        section, key = path.split(".", 1)
        b = self.section(section).basis(key, section)
        if b.kind == "policy":
            return replace(b, policy=self._policy, ref=self.ref_of(b.clause), local=self._local)
        return replace(b, local=self._local)

    def clause(self, clause: str) -> Basis:
        """The basis of a rule that cites the policy directly (its own clause key, no threshold)."""
        return Basis("policy", clause, self._policy, self.ref_of(clause), self._local)


def _p(clause: str) -> Basis:
    return Basis("policy", clause)


# The basis of each default (rules.md, "The six standards", column "basis of the defaults"). Keys not
# listed here are the union's own settings (the local label).
DEFAULT_BASES: dict[str, Basis] = {
    "s1.honor_kinds": _p("S1"),
    "s1.honor_min_level": _p("S1"),
    "s1.min_vocational_level": _p("S1"),
    "s1.require_frontline": _p("S1"),
    "s2.boards": _p("S2"),
    "s4.functions": _p("S4"),
    "s5.rule_kinds": _p("S5"),
    "s5.min_stage": _p("S5"),
    "funding.allowed_purposes": _p("funding"),
    "goals.demonstration_min": _p("targets"),
    "goals.demonstration_max": _p("targets"),
    "goals.target_year": _p("targets"),
}

# A short Chinese name and the hover description (JSON Schema ``description``) of every key.
SECTION_TITLES: dict[str, str] = {
    "s1": "有领衔人才", "s2": "有明显标志", "s3": "有创新团队", "s4": "有场地经费", "s5": "有规章制度",
    "s6": "有创新成效",
    "lifecycle": "动态管理：推荐、示范与年度检查", "inspection": "年度检查的时间", "funding": "经费使用",
    "goals": "工作目标（旧写法：现由 union/policy.yml 的 targets 规定）",
    "limits": "文件大小与图片限制（系统设置）", "ranking": "示范工作室推荐排序的计分权重（innostudio rank）",
}

KEYS: dict[str, tuple[str, str]] = {
    "s1.honor_kinds": ("认可的荣誉类别", "领衔人须有的荣誉类别（劳动模范、先进工作者、五一劳动奖章等）。"),
    "s1.honor_min_level": ("荣誉最低级别", "荣誉至少达到的级别。"),
    "s1.min_title_level": ("职称最低层级", "没有上述荣誉时，职称达到此层级也可领衔。"),
    "s1.min_vocational_level": ("职业资格最低等级", "没有上述荣誉时，职业资格达到此等级也可领衔。"),
    "s1.require_frontline": ("领衔人须为一线教职工", "领衔人须为一线教职工。"),
    "s2.boards": ("须上墙的规范性标志", "须上墙的规范性标志：组织机构、工作职责、目标任务、管理办法。"),
    "s2.plaque_grace_days": ("挂牌宽限天数",
                             "授牌后这么多天内不要求标牌照片（先授牌后挂牌），之后持牌工作室须有标牌照片（S2.1）。"),
    "s3.min_members": ("团队人数", "除领衔人外至少的在册成员人数。"),
    "s3.age_tier_bounds": ("年龄梯次分界",
                           "划分年龄梯次的年龄分界（岁），例如 [35, 50] 分为 35 岁以下、35–49 岁、50 岁及以上。"),
    "s3.min_age_tiers": ("年龄梯次数", "团队（含领衔人）至少覆盖的年龄梯次数。"),
    "s3.min_young": ("青年成员人数", "年龄低于第一个分界的成员至少人数。"),
    "s3.min_title_levels": ("职称层级数", "团队至少有几种不同的职称层级。"),
    "s3.min_disciplines": ("学科/专业数", "团队至少涵盖几个学科/专业。"),
    "s3.min_frontline_ratio": ("一线教职工比例", "一线教职工至少占团队的比例，0–1。"),
    "s4.min_area_m2": ("场所面积", "固定场所至少的面积，平方米。"),
    "s4.functions": ("场所功能", "场所须具备的功能：学习研讨、创新实践、成果荣誉展示。"),
    "s4.min_equipment": ("设施设备数", "至少登记的设施设备项数。"),
    "s4.funding_years_back": ("经费年度范围", "评价年度及此前几年内须有预算大于 0 的经费记录。"),
    "s5.rule_kinds": ("制度类别", "须建立的制度：学习研究、技术攻关、协同创新、成果转化、激励机制、内部管理。"),
    "s5.min_stage": ("课题最低阶段", "至少一个课题须达到的闭环阶段（闭环管理流程）。"),
    "s6.project_window_months": ("课题时间窗", "近几个月内须有立项课题（或仍在研的课题），月数。"),
    "s6.ledger_window_months": ("台账时间窗", "统计台账活动的近几个月，月数。"),
    "s6.min_activities": ("活动次数", "时间窗内台账至少的活动次数。"),
    "s6.min_active_months": ("有活动的月份数", "活动至少分布在几个不同月份。"),
    "s6.achievement_window_months": ("成果时间窗", "近几个月内须至少有 1 项成果，月数。"),
    "lifecycle.demonstrate_min_years": ("授牌年限", "推荐示范时授牌须满的年数。"),
    "lifecycle.demonstrate_leader_honor_level": ("领衔人荣誉级别", "推荐示范时领衔人须有的荣誉级别。"),
    "lifecycle.inspection_due_month": ("检查完成月份", "每年此月底前完成上一年度检查。"),
    "lifecycle.enforce_from": ("授牌检查起始日期",
                               "此日期之前（采用本系统之前）作出的授牌决定不检查授牌当日的“六有”（L005）；"
                               "不设则全部检查。"),
    "lifecycle.inspection_min_months": ("检查前最短授牌月数", "上年授牌满此月数的工作室须有上年度检查记录。"),
    "funding.allowed_purposes": ("允许的经费用途",
                                 "经费支出允许的用途；不在其中的支出为 D004；其他（other）须写明说明并由工会审核。"),
    "goals.demonstration_min": ("示范工作室目标下限", "选树示范性创新工作室的目标个数下限。"),
    "goals.demonstration_max": ("示范工作室目标上限", "选树示范性创新工作室的目标个数上限。"),
    "goals.target_year": ("目标年份", "工作目标的年份。"),
    "inspection.due": ("检查完成日期",
                       "每年此日期（月-日，如 03-31）前登记上一年度的检查结果，次日起未登记的为 D003。"),
    "inspection.min_months": ("检查前最短持牌月数", "上一年底前持牌满此月数的工作室须有上一年度检查记录。"),
    "limits.text_kib": ("文本文件大小上限", "文本文件（YAML、Markdown）的大小上限，KiB（系统设置）。"),
    "limits.image_mib": ("图片大小上限", "图片和 PDF 的大小上限，MiB（系统设置）。"),
    "limits.image_warn_mib": ("图片提示压缩的大小", "图片超过此大小时提示压缩，MiB（系统设置）。"),
    "limits.image_min_side_px": ("图片短边最小像素", "图片短边小于此像素数时提示更换清晰照片（系统设置）。"),
    "ranking.national": ("国家级成果", "每项国家级成果的得分。"),
    "ranking.provincial": ("省级成果", "每项省级成果的得分。"),
    "ranking.municipal": ("市级成果", "每项市级成果的得分。"),
    "ranking.school": ("校级成果", "每项校级成果的得分。"),
    "ranking.unleveled": ("未注明级别的成果", "每项未注明级别的成果的得分。"),
    "ranking.transformation_per_10k_yuan": ("成果转化金额", "成果转化每万元的得分。"),
    "ranking.transformation_cap": ("成果转化得分上限", "成果转化金额得分的上限。"),
    "ranking.activity": ("台账活动", "每次台账活动的得分。"),
    "ranking.activity_cap": ("活动得分上限", "台账活动得分的上限。"),
    "ranking.standard_met": ("六有达标", "“六有”每达标一项的得分。"),
    "ranking.project_transformed": ("课题成果转化", "当年进入“成果转化”阶段的课题，每项得分。"),
    "ranking.project_promoted": ("课题总结推广", "当年进入“总结推广”阶段的课题，每项得分。"),
    "ranking.challenge_claimed": ("揭榜", "揭榜每项的得分。"),
    "ranking.challenge_solved": ("揭榜已解决", "揭榜难题已解决，每项得分。"),
    "ranking.inspection_pass": ("检查合格", "当年检查合格的得分。"),
    "ranking.inspection_rectify": ("检查限期整改", "当年检查限期整改的得分（负数为扣分）。"),
    "ranking.recognition": ("工会推荐与表彰", "当年每项工会推荐优秀成果或表彰（union/recognitions.yml）的得分。"),
}


def short_name(path: str) -> str:
    return KEYS.get(path, (path, ""))[0]


def bases_label(paths: list[str] | tuple[str, ...], std: Standards, lang: str = "zh") -> str:
    """The basis of a group of thresholds: one label when they share it, else each label with its keys."""
    groups: dict[str, list[str]] = {}
    for path in paths:
        groups.setdefault(std.basis(path).label(lang), []).append(short_name(path))
    if len(groups) == 1:
        return next(iter(groups))
    sep = "; " if lang == "en" else "；"
    return sep.join(f"{label}（{'、'.join(names)}）" for label, names in groups.items())


DEFAULTS = Standards()
