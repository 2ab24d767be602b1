"""The portal's view of its members: one flat list of studios, achievements and recommendations, in the
CONFIG's member order and each member's published order (so rebuilds are identical)."""
from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from .config import FederationConfig
from .reader import Member
from .schema import STATUS_CODES, STATUS_LABELS


@dataclass(frozen=True)
class StudioRow:
    member: str  # member id
    member_name: str
    slug: str
    name: str
    url: str
    status: str
    status_label: str
    unit: str
    fields: tuple[str, ...]
    leader: str
    summary: str
    under_review: bool
    recommended: bool
    member_as_of: dt.date  # the date of the member's data
    stale: bool  # the member's data is a cached copy (it could not be read now)


@dataclass(frozen=True)
class AchievementRow:
    member: str
    member_name: str
    title: str
    url: str
    studio_name: str
    type_label: str
    date: str
    summary: str


@dataclass(frozen=True)
class RecommendationRow:
    year: int
    date: dt.date
    document: str
    studio: StudioRow


@dataclass
class MemberView:
    id: str
    name: str
    org: str
    url: str
    policy_title: str
    policy_number: str
    as_of: dt.date
    generated_with: str
    stale: bool
    error: str
    counts: dict[str, int]
    studios: list[StudioRow] = field(default_factory=list)
    achievements: int = 0
    recommendations: list[RecommendationRow] = field(default_factory=list)


@dataclass
class Portal:
    config: FederationConfig
    as_of: dt.date
    members: list[MemberView]
    missing: list[tuple[str, str, str]]  # (id, name, file or field at fault) of members left out
    studios: list[StudioRow]
    achievements: list[AchievementRow]
    recommendations: list[RecommendationRow]  # newest year first, then member order
    statuses: list[tuple[str, str]]  # (code, label)
    status_totals: dict[str, int]
    fields: list[str]

    @property
    def years(self) -> list[int]:
        return sorted({r.year for r in self.recommendations}, reverse=True)

    def recommended_in(self, year: int) -> list[RecommendationRow]:
        return [r for r in self.recommendations if r.year == year]


def _member_view(m: Member) -> MemberView:
    c, site = m.config, m.site
    view = MemberView(c.id, c.name, site.org, c.url, site.policy.title, site.policy.number, site.as_of,
                      site.generated_with, m.stale, m.error, dict(site.counts))
    for s in m.studios.items:
        row = StudioRow(c.id, c.name, s.slug, s.name, s.url, s.status,
                        s.status_label or STATUS_LABELS.get(s.status, s.status), s.unit or "", tuple(s.fields),
                        s.leader_name or "", s.summary or "", s.under_review, s.recommended, site.as_of, m.stale)
        view.studios.append(row)
        for r in s.recommendations:
            view.recommendations.append(RecommendationRow(r.date.year, r.date, r.document, row))
    view.achievements = len(m.achievements.items)
    return view


def build_portal(config: FederationConfig, members: list[Member], missing: list[tuple[str, str, str]],
                 as_of: dt.date) -> Portal:
    views = [_member_view(m) for m in members]
    studios = [s for v in views for s in v.studios]
    names = {m.config.id: m.config.name for m in members}
    achievements = [AchievementRow(m.config.id, names[m.config.id], a.title, a.url, a.studio_name or a.studio,
                                   a.type_label or a.type or "", a.date.isoformat() if a.date else "", a.summary or "")
                    for m in members for a in m.achievements.items]
    recs = [r for v in views for r in v.recommendations]
    recs.sort(key=lambda r: -r.year)  # stable: member order, then each member's order, within a year
    totals = Counter(s.status for s in studios)
    fields = sorted({f for s in studios for f in s.fields})
    return Portal(config, as_of, views, missing, studios, achievements, recs,
                  [(code, STATUS_LABELS[code]) for code in STATUS_CODES], {c: totals.get(c, 0) for c in STATUS_CODES},
                  fields)
