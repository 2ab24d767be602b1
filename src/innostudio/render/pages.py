"""The public fields of each page kind: one dataclass per page kind, with only the fields a page may show.

Dataclasses list exactly what a template may show; a misspelt field fails where it is built (view.py
builds them from a checked repository).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from .config import SiteConfig


@dataclass
class Media:
    """A published image or document: where it comes from and where it goes."""

    source: Path
    target: str  # site path
    thumb: str | None = None  # site path of the thumbnail (images)
    kind: str = "image"  # image | pdf
    small: str | None = None  # site path of the small thumbnail (images, for srcset)




@dataclass(frozen=True)
class MediaRef:
    """A published file or an outside link, as a page refers to it."""

    url: str  # site path, or an https:// address when external
    name: str
    kind: str  # image | pdf | link
    thumb: str | None = None
    width: int | None = None
    height: int | None = None
    external: bool = False
    small: str | None = None  # 320 px copy (images)
    srcset: tuple[tuple[str, int], ...] = ()  # (site path, real width) of each published size


@dataclass(frozen=True)
class HonorView:
    name: str
    kind: str
    level: str
    year: int


@dataclass
class PersonView:
    name: str
    title: str
    title_level: str
    vocational_level: str
    discipline: str
    education: str
    honors: list[HonorView]
    photo: MediaRef | None = None


@dataclass
class MemberView(PersonView):
    role: str = ""
    joined: dt.date | None = None
    left: dt.date | None = None
    current: bool = True


@dataclass(frozen=True)
class StandardView:
    code: str
    name: str
    met: bool
    basis: str  # the policy clauses and local rules its thresholds come from
    reasons: list[str]
    evidence: str


@dataclass(frozen=True)
class AgeTierView:
    label: str
    count: int


@dataclass(frozen=True)
class StageView:
    code: str
    label: str
    date: dt.date | None
    done: bool


@dataclass(frozen=True)
class ProjectView:
    id: str
    title: str
    source: str
    level: str
    challenge: str | None
    challenge_title: str
    stages: list[StageView]
    current: str


@dataclass(frozen=True)
class SignageView:
    plaque: MediaRef | None
    boards: list[str]
    photos: list[MediaRef]


@dataclass(frozen=True)
class VenueView:
    location: str
    area_m2: float
    functions: list[str]
    equipment: list[str]


@dataclass(frozen=True)
class RuleEntryView:
    """One of a studio's rules (规章制度): its kind, title and, when published, its page or file."""

    kind: str
    title: str
    adopted: dt.date | None
    url: str | None


@dataclass(frozen=True)
class RuleDocView:
    """A rule written in Markdown, published as its own page."""

    page: str
    title: str
    kind: str
    adopted: dt.date | None
    html: str
    studio: str
    studio_name: str
    source: str


@dataclass(frozen=True)
class RecognitionView:
    """A union/recognitions.yml entry: an achievement recommended (recommend_achievement clause) or a
    commendation (commend clause)."""

    slug: str
    studio: str
    kind: str
    kind_label: str
    clause: str
    achievement: str | None
    achievement_title: str
    member: str | None
    what: str
    date: dt.date
    document: str
    to: str
    note: str
    page: str


@dataclass(frozen=True)
class AchievementView:
    slug: str  # the studio's folder
    studio: str  # the studio's name
    name: str  # the file name without .md
    title: str
    type: str
    type_label: str
    date: dt.date
    year: int
    level: str
    members: list[str]
    project: str | None
    project_title: str
    identifier: str | None
    value_yuan: float | None
    evidence: list[MediaRef]
    tags: list[str]
    html: str
    page: str
    source: str
    recognitions: list[RecognitionView]


@dataclass(frozen=True)
class ActivityView:
    date: dt.date
    kind: str
    title: str
    participants: int
    hours: float | None
    project: str | None
    summary: str
    photos: list[MediaRef]


@dataclass(frozen=True)
class DevelopmentView:
    date: dt.date
    member: str
    event: str


@dataclass(frozen=True)
class HistoryView:
    date: dt.date
    action: str
    code: str
    document: str


@dataclass(frozen=True)
class ExpenseView:
    date: dt.date
    amount_yuan: float
    purpose: str
    voucher: str | None
    note: str


@dataclass(frozen=True)
class FundingView:
    year: int
    budget_yuan: float
    spent_yuan: float
    source: str | None
    expenses: list[ExpenseView]


@dataclass
class StudioView:
    slug: str
    name: str
    unit: str
    fields: list[str]
    established: dt.date | None
    summary: str
    description_html: str
    status: str
    status_label: str
    recommended: bool
    met: int
    standards: list[StandardView]
    leader: PersonView
    members: list[MemberView]
    team_size: int
    age_structure: list[AgeTierView]
    signage: SignageView | None
    venue: VenueView | None
    rules: list[RuleEntryView]
    projects: list[ProjectView]
    achievements: list[AchievementView]
    activities: list[ActivityView]
    development: list[DevelopmentView]
    history: list[HistoryView]
    accredited_on: dt.date | None
    revoked_on: dt.date | None
    rectify_deadline: dt.date | None
    overdue: bool  # 整改逾期: rectifying and the deadline has passed
    under_review: bool  # 状态待核实: a union record with an L001/L004 error is left out of `status`
    six_date: dt.date  # the date the 六有 matrix is evaluated at (an archived studio: its revocation)
    funding: list[FundingView] | None
    page: str
    source: str
    activities_year: int
    recognitions: list[RecognitionView]


@dataclass(frozen=True)
class ChallengeView:
    id: str
    title: str
    posted: dt.date
    owner: str
    description: str
    reward: str | None
    status: str
    status_label: str
    claimed_by: list[str]


@dataclass(frozen=True)
class InspectionView:
    studio: str
    date: dt.date
    result: str
    result_label: str
    findings: str
    deadline: dt.date | None


@dataclass(frozen=True)
class DecisionView:
    studio: str
    action: str
    code: str
    date: dt.date
    document: str | None  # 文号 (none in history imported from paper before lifecycle.enforce_from)


@dataclass
class View:
    as_of: dt.date
    config: SiteConfig
    studios: list[StudioView] = field(default_factory=list)
    achievements: list[AchievementView] = field(default_factory=list)
    challenges: list[ChallengeView] = field(default_factory=list)
    inspections: dict[int, list[InspectionView]] = field(default_factory=dict)
    media: dict[str, Media] = field(default_factory=dict)  # by site path
    rule_docs: list[RuleDocView] = field(default_factory=list)
    decisions: list[DecisionView] = field(default_factory=list)
    recognitions: list[RecognitionView] = field(default_factory=list)  # newest first

    def by_slug(self) -> dict[str, StudioView]:
        return {s.slug: s for s in self.studios}
