"""Model stage: typed entries of data-format.md (pydantic v2).

Every model forbids unknown keys. Every enum accepts its English code or its Chinese label and is
normalised to the code. Dates are strict ISO ``YYYY-MM-DD`` (``YYYY-MM`` where a month is allowed),
never a number. Money and areas are finite and not negative.
"""
from __future__ import annotations

import datetime as dt
import difflib
import functools
import math
import re
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    WithJsonSchema,
)
from pydantic_core import PydanticCustomError


class Choice(StrEnum):
    """An enum whose members also have a Chinese label."""

    @classmethod
    def labels(cls) -> dict[str, str]:
        return cls._labels_  # type: ignore[attr-defined]

    @property
    def label(self) -> str:
        return type(self)._labels_[self.value]  # type: ignore[attr-defined]

    @classmethod
    def label_of(cls, code: Any, lang: str = "zh") -> str:
        """The label a reader sees for ``code``: "" for none, the code itself in English or when unknown."""
        if code is None:
            return ""
        code = str(code)
        return code if lang == "en" else cls._labels_.get(code, code)  # type: ignore[attr-defined]


def choice(name: str, pairs: list[tuple[str, str]]) -> type[Choice]:
    functional: Any = Choice  # the functional API makes a new subclass (which mypy does not model)
    enum = functional(name, [(code, code) for code, _ in pairs])
    enum._labels_ = dict(pairs)
    enum._by_label_ = {label: code for code, label in pairs}
    return enum


Level = choice("Level", [("national", "国家级"), ("provincial", "省级"), ("municipal", "市级"), ("school", "校级")])
LEVEL_RANK = {"school": 1, "municipal": 2, "provincial": 3, "national": 4}
TitleLevel = choice("TitleLevel", [("full_senior", "正高级"), ("associate_senior", "副高级"),
                                   ("intermediate", "中级"), ("junior", "初级"), ("none", "无")])
TITLE_RANK = {"none": 0, "junior": 1, "intermediate": 2, "associate_senior": 3, "full_senior": 4}
VocationalLevel = choice("VocationalLevel", [("senior_technician", "高级技师"), ("technician", "技师"),
                                             ("senior_worker", "高级工"), ("intermediate_worker", "中级工"),
                                             ("junior_worker", "初级工")])
VOCATIONAL_RANK = {"junior_worker": 1, "intermediate_worker": 2, "senior_worker": 3, "technician": 4,
                   "senior_technician": 5}
Education = choice("Education", [("doctorate", "博士研究生"), ("master", "硕士研究生"), ("bachelor", "本科"),
                                 ("other", "其他")])
Role = choice("Role", [("core", "骨干"), ("member", "成员"), ("apprentice", "徒弟")])
HonorKind = choice("HonorKind", [("model_worker", "劳动模范"), ("advanced_worker", "先进工作者"),
                                 ("may_day_medal", "五一劳动奖章"), ("craftsman", "工匠"),
                                 ("famous_teacher", "名师"), ("other", "其他")])
Board = choice("Board", [("org_structure", "组织机构"), ("duties", "工作职责"), ("goals", "目标任务"),
                         ("management_rules", "管理办法")])
VenueFunction = choice("VenueFunction", [("study", "学习研讨"), ("practice", "创新实践"),
                                         ("exhibition", "成果荣誉展示")])
RuleKind = choice("RuleKind", [("study", "学习研究"), ("breakthrough", "技术攻关"), ("collaboration", "协同创新"),
                               ("transformation", "成果转化"), ("incentive", "激励机制"),
                               ("management", "内部管理")])
ProjectSource = choice("ProjectSource", [("problem_collection", "问题征集"), ("assigned", "上级/学校下达"),
                                         ("open_call", "揭榜挂帅")])
Stage = choice("Stage", [("collected", "问题收集"), ("approved", "课题立项"), ("breakthrough", "项目攻关"),
                         ("transformed", "成果转化"), ("promoted", "总结推广")])
STAGES = [s.value for s in Stage]
AchievementType = choice("AchievementType", [
    ("invention_patent", "发明专利"), ("utility_patent", "实用新型专利"), ("software_copyright", "软件著作权"),
    ("paper", "论文"), ("standard", "标准"), ("teaching_award", "教学成果奖"), ("science_award", "科技奖励"),
    ("competition_award", "竞赛获奖"), ("transformation", "成果转化"), ("rationalization", "合理化建议"),
    ("innovation", "技术革新/五小"), ("talent", "人才培养/师带徒"), ("other", "其他")])
ActivityKind = choice("ActivityKind", [("meeting", "例会"), ("training", "学习培训"), ("breakthrough", "攻关"),
                                       ("exchange", "交流研讨"), ("mentoring", "师带徒"), ("promotion", "成果推广"),
                                       ("other", "其他")])
Action = choice("Action", [("accredit", "授牌"), ("recommend", "推荐省级示范"), ("demonstrate", "获评示范"),
                           ("rectify", "限期整改"), ("restore", "整改通过"), ("revoke", "摘牌")])
InspectionResult = choice("InspectionResult", [("pass", "合格"), ("rectify", "限期整改"), ("fail", "不合格")])
ChallengeStatus = choice("ChallengeStatus", [("open", "待揭榜"), ("claimed", "已揭榜"), ("solved", "已解决")])
ExpensePurpose = choice("ExpensePurpose", [("equipment", "设备购置"), ("materials", "耗材资料"),
                                         ("training", "学习培训"), ("exchange", "交流研讨"), ("research", "课题研究"),
                                         ("promotion", "成果推广"), ("venue", "场地建设"), ("other", "其他")])
RecognitionKind = choice("RecognitionKind", [("recommend_achievement", "推荐优秀成果"), ("commend", "表彰")])
Status = choice("Status", [("candidate", "筹建"), ("accredited", "已授牌"), ("demonstration", "示范"),
                           ("rectifying", "整改中"), ("revoked", "已摘牌")])
HOLDS_PLAQUE = frozenset({"accredited", "demonstration", "rectifying"})  # the statuses of a studio with a plaque



@functools.lru_cache(maxsize=1024)
def _nearest(enum: type[Choice], value: str) -> str | None:
    """The code or label of ``enum`` that ``value`` most resembles (a typo is usually repeated: cached)."""
    names = list(enum.__members__) + list(enum._by_label_)  # type: ignore[attr-defined]
    near = difflib.get_close_matches(value, names, n=1, cutoff=0.5)
    return near[0] if near else None


def _enum_field(enum: type[Choice]):
    # each label and each member name to its member, looked up once per value (thousands per check)
    member_of = {name: member for name, member in enum.__members__.items()}
    member_of.update((label, enum(code)) for label, code in enum._by_label_.items())  # type: ignore[attr-defined]

    def normalise(value: Any) -> Any:
        if isinstance(value, str):
            member = member_of.get(value.strip())
            if member is not None:
                return member
        allowed = "、".join(f"{code}（{label}）" for code, label in enum.labels().items())
        near = _nearest(enum, value.strip()) if isinstance(value, str) and value.strip() else None
        if near:  # a slip of the keyboard: papr → paper, 学习陪训 → 学习培训
            code = member_of[near].value
            suggest = f"{code}（{enum.labels()[code]}）"
            raise PydanticCustomError("enum_choice_near", "取值不在允许范围内：{allowed}",
                                      {"allowed": allowed, "suggest": suggest})
        raise PydanticCustomError("enum_choice", "取值不在允许范围内：{allowed}", {"allowed": allowed})

    values = list(enum.labels().keys()) + list(enum.labels().values())
    schema = {"type": "string", "enum": values,
              "description": "；".join(f"{code} = {label}" for code, label in enum.labels().items())}
    return Annotated[enum, BeforeValidator(normalise), WithJsonSchema(schema)]


_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_MONTH_RE = re.compile(r"^\d{4}-\d{2}$")


def _to_date(value: Any, allow_month: bool = False) -> dt.date:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str):
        v = value.strip()
        try:
            if _DATE_RE.match(v):
                return dt.date.fromisoformat(v)
            if allow_month and _MONTH_RE.match(v):
                return dt.date.fromisoformat(v + "-01")
        except ValueError:
            raise PydanticCustomError("date_impossible", "日期不存在：{value}", {"value": v}) from None
    fmt = "YYYY-MM-DD 或 YYYY-MM" if allow_month else "YYYY-MM-DD"
    raise PydanticCustomError("date_format", "日期格式应为 {fmt}", {"fmt": fmt})


MIN_YEAR, MAX_YEAR = 1900, 2200  # a year outside these is a typing mistake, wherever a year is given


def _parse_date(value: Any) -> dt.date:
    d = _to_date(value)
    if not MIN_YEAR <= d.year <= MAX_YEAR:
        raise PydanticCustomError("date_impossible", "年份不合理：{value}", {"value": str(value)})
    return d


def _parse_month(value: Any) -> dt.date:
    d = _to_date(value, allow_month=True)
    if not MIN_YEAR <= d.year <= MAX_YEAR:
        raise PydanticCustomError("date_impossible", "年份不合理：{value}", {"value": str(value)})
    return d


Date = Annotated[dt.date, BeforeValidator(_parse_date),
                 WithJsonSchema({"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"})]
DateOrMonth = Annotated[dt.date, BeforeValidator(_parse_month),
                        WithJsonSchema({"type": "string", "pattern": r"^\d{4}-\d{2}(-\d{2})?$"})]


# An optional list's default: a fresh empty list per model without pydantic's deep copy of ``[]`` (about
# ten thousand copies per check at 300 studios); the JSON Schema still shows the default [].
_EMPTY_LIST: Any = Field(default_factory=list, json_schema_extra={"default": []})


def _finite(value: float) -> float:
    if math.isnan(value) or math.isinf(value):
        raise PydanticCustomError("number_finite", "数值必须是有限的数")
    return value


Money = Annotated[float, Field(ge=0), AfterValidator(_finite)]
Text = Annotated[str, Field(min_length=1)]
Year = Annotated[int, Field(ge=MIN_YEAR, le=MAX_YEAR)]
PathStr = Annotated[str, Field(min_length=1, max_length=300)]

if TYPE_CHECKING:  # to a type checker, each field is its code (a StrEnum member, so a str)
    LEVEL = str
    TITLE_LEVEL = str
    VOCATIONAL = str
    EDUCATION = str
    ROLE = str
    HONOR_KIND = str
    BOARD = str
    VENUE_FN = str
    RULE_KIND = str
    PROJECT_SOURCE = str
    STAGE = str
    ACH_TYPE = str
    ACT_KIND = str
    ACTION = str
    INSPECTION_RESULT = str
    CHALLENGE_STATUS = str
    EXPENSE_PURPOSE = str
    RECOGNITION_KIND = str
    STATUS = str
else:
    LEVEL = _enum_field(Level)
    TITLE_LEVEL = _enum_field(TitleLevel)
    VOCATIONAL = _enum_field(VocationalLevel)
    EDUCATION = _enum_field(Education)
    ROLE = _enum_field(Role)
    HONOR_KIND = _enum_field(HonorKind)
    BOARD = _enum_field(Board)
    VENUE_FN = _enum_field(VenueFunction)
    RULE_KIND = _enum_field(RuleKind)
    PROJECT_SOURCE = _enum_field(ProjectSource)
    STAGE = _enum_field(Stage)
    ACH_TYPE = _enum_field(AchievementType)
    ACT_KIND = _enum_field(ActivityKind)
    ACTION = _enum_field(Action)
    INSPECTION_RESULT = _enum_field(InspectionResult)
    CHALLENGE_STATUS = _enum_field(ChallengeStatus)
    EXPENSE_PURPOSE = _enum_field(ExpensePurpose)
    RECOGNITION_KIND = _enum_field(RecognitionKind)
    STATUS = _enum_field(Status)

Private = dict[str, Any]


class Entry(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid", frozen=True, str_strip_whitespace=True)


class Honor(Entry):
    name: Text
    kind: HONOR_KIND
    level: LEVEL
    year: Year


class Person(Entry):
    name: Text
    title: Text
    title_level: TITLE_LEVEL
    vocational_level: VOCATIONAL | None = None
    discipline: Text
    education: EDUCATION
    birth_year: Year
    frontline: bool
    honors: list[Honor] = _EMPTY_LIST
    photo: PathStr | None = None
    joined: DateOrMonth | None = None
    left: DateOrMonth | None = None
    private: Private | None = None


class Member(Person):
    role: ROLE


class Signage(Entry):
    plaque: PathStr | None = None  # the photo of the plaque, which follows the 授牌 (S2.1)
    boards: list[BOARD]
    photos: list[PathStr] = _EMPTY_LIST
    private: Private | None = None


class Venue(Entry):
    location: Text
    area_m2: Annotated[float, Field(ge=0, le=1_000_000), AfterValidator(_finite)]
    functions: list[VENUE_FN]
    equipment: list[Text]
    private: Private | None = None


class Expense(Entry):
    """One payment of a funding year (专款专用、手续完备): what it was for and its voucher."""

    date: Date
    amount_yuan: Annotated[float, Field(gt=0), AfterValidator(_finite)]
    purpose: EXPENSE_PURPOSE
    voucher: Text
    note: str | None = None
    private: Private | None = None


class Funding(Entry):
    year: Year
    budget_yuan: Money
    spent_yuan: Money | None = None
    source: Text
    expenses: list[Expense] | None = None
    private: Private | None = None

    @property
    def spent(self) -> float:
        """Spending of the year: the sum of the expenses where they are given, else ``spent_yuan``."""
        if self.expenses:
            return sum(e.amount_yuan for e in self.expenses)
        return self.spent_yuan or 0.0


class StudioRule(Entry):
    kind: RULE_KIND
    title: Text
    adopted: Date
    file: PathStr
    private: Private | None = None


class Project(Entry):
    id: Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$")]
    title: Text
    source: PROJECT_SOURCE
    challenge: Text | None = None
    stages: dict[STAGE, Date]
    level: LEVEL | None = None
    private: Private | None = None


class Studio(Entry):
    name: Text
    unit: Text
    fields: Annotated[list[Text], Field(min_length=1)]
    established: Date
    summary: Annotated[str, Field(min_length=1, max_length=200)]
    description: str | None = None
    maintainers: Annotated[list[Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,38}$")]],
                           Field(min_length=1)]
    leader: Person
    members: list[Member] | None = None
    signage: Signage | None = None
    venue: Venue | None = None
    funding: list[Funding] | None = None
    rules: list[StudioRule] | None = None
    projects: list[Project] | None = None
    private: Private | None = None


class Achievement(Entry):
    title: Text
    type: ACH_TYPE
    date: Date
    level: LEVEL | None = None
    members: list[Text] = _EMPTY_LIST
    project: Text | None = None
    identifier: Text | None = None
    value_yuan: Money | None = None
    evidence: list[PathStr] = _EMPTY_LIST
    tags: list[Text] = _EMPTY_LIST


class Activity(Entry):
    date: Date
    kind: ACT_KIND
    title: Text
    participants: Annotated[int, Field(ge=1, le=100_000)]
    hours: Annotated[float, Field(ge=0, le=10_000), AfterValidator(_finite)] | None = None
    project: Text | None = None
    summary: Text
    photos: list[PathStr] = _EMPTY_LIST
    private: Private | None = None


class Development(Entry):
    date: Date
    member: Text
    event: Text


class Ledger(Entry):
    activities: list[Activity]
    development: list[Development] = _EMPTY_LIST


class Decision(Entry):
    studio: Text
    action: ACTION
    date: Date
    document: Text | None = None  # 文号: required (F001) except in history before lifecycle.enforce_from
    deadline: Date | None = None
    note: str | None = None


class Decisions(Entry):
    decisions: list[Decision]


class Inspection(Entry):
    studio: Text
    date: Date
    result: INSPECTION_RESULT
    findings: Text
    deadline: Date | None = None


class Inspections(Entry):
    inspections: list[Inspection]


class Challenge(Entry):
    id: Text
    title: Text
    posted: Date
    owner: Text
    description: Text
    reward: str | None = None
    status: CHALLENGE_STATUS
    claimed_by: list[Text] = _EMPTY_LIST


class Challenges(Entry):
    challenges: list[Challenge]


class Recognition(Entry):
    """union/recognitions.yml: an achievement recommended to other departments (the recommend_achievement clause) or a
    commendation of a studio or one of its members (the commend clause)."""

    studio: Text
    kind: RECOGNITION_KIND
    achievement: Text | None = None
    member: Text | None = None
    date: Date
    document: Text
    to: str | None = None
    note: str | None = None


class Recognitions(Entry):
    recognitions: list[Recognition]


class UnionTeam(Entry):
    """union/team.yml: who in the union may change union/ and the configuration (CODEOWNERS)."""

    team: Annotated[list[Annotated[str, Field(pattern=r"^@?[A-Za-z0-9][A-Za-z0-9_./-]{0,80}$")]],
                    Field(min_length=1)]
