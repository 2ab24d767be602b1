"""A transparent score to help the union choose 2-3 studios to recommend as demonstration studios.

Every component of every score is shown; the weights live in union/standards.yml (``ranking``). A
studio that cannot be recommended (L003: accredited less than the required years, or a leader without
a provincial-or-higher honor; or not holding a plaque) is listed as ineligible with the reason.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from . import model as m
from .check import Report, StudioResult
from .corpus import StudioFolder
from .domain.inspections import inspection_round
from .domain.status import StatusInfo, has_honor_at, years_between


@dataclass
class Score:
    slug: str
    name: str
    status: str
    components: list[tuple[str, float, str]] = field(default_factory=list)  # (name, points, basis)
    ineligible: list[str] = field(default_factory=list)

    @property
    def total(self) -> float:
        return round(sum(p for _n, p, _b in self.components), 2)

    def as_json(self) -> dict:
        return {"slug": self.slug, "name": self.name, "status": self.status, "total": self.total,
                "eligible": not self.ineligible, "ineligible": self.ineligible,
                "components": [{"name": n, "points": p, "basis": b} for n, p, b in self.components]}


def rank(report: Report, year: int, recorded_until: dt.date | None = None) -> list[Score]:
    """Scores for ``year``; the inspection component is the year's round (union/inspections/<year>.yml) as
    recorded by ``recorded_until`` (default: the report's date). The annual inspection's own result counts: a
    rectification order stays a rectification after the re-inspection passes (that restores the plaque)."""
    repo = report.repo
    results = {r.slug: r for r in report.studios}
    inspections = {slug: rnd[0] for slug, rnd in
                   inspection_round(repo, year, recorded_until or report.as_of).items()}
    scores = []
    for folder in repo.studios:
        studio = folder.studio
        info = report.statuses[folder.slug]
        res = results[folder.slug]
        sc = Score(folder.slug, res.name, info.status)
        scores.append(sc)
        if studio is None:
            sc.ineligible.append("studio.yml 有错误，无法评分")
            continue
        sc.ineligible += _ineligible(report, info, res, studio)
        sc.components += _components(report, folder, studio, res, year, inspections.get(folder.slug))
    scores.sort(key=lambda s: (bool(s.ineligible), -s.total, s.slug))
    return scores


def _ineligible(report: Report, info: StatusInfo, res: StudioResult, studio: m.Studio) -> list[str]:
    """Why a studio cannot be recommended (L003's conditions)."""
    life = report.repo.standards.lifecycle
    local = report.repo.standards.local_label
    out = []
    if info.status != "accredited":
        out.append({"candidate": "尚未授牌", "revoked": "已摘牌", "rectifying": "正在限期整改",
                    "demonstration": "已是示范工作室"}[info.status])
    if life.demonstrate_min_years is not None and info.accredited_on is not None and \
            years_between(info.accredited_on, report.as_of) < life.demonstrate_min_years:
        out.append(f"授牌不满 {life.demonstrate_min_years} 年（{info.accredited_on} 授牌）（L003，" + local + "）")
    if life.demonstrate_leader_honor_level is not None and \
            not has_honor_at(studio.leader, str(life.demonstrate_leader_honor_level)):
        out.append(f"领衔人没有{m.Level.labels()[str(life.demonstrate_leader_honor_level)]}及以上荣誉"
                   f"（L003，{local}）")
    if info.status == "accredited" and res.met != len(res.standards):
        out.append(f"六有 {res.met}/6，推荐须达到全部 6 项（L003）")
    return out


def _components(report: Report, folder: StudioFolder, studio: m.Studio, res: StudioResult, year: int,
                ins: m.Inspection | None) -> list[tuple[str, float, str]]:
    """The scored items of ``year`` (name, points, how they were counted)."""
    repo = report.repo
    w = repo.standards.ranking
    out: list[tuple[str, float, str]] = []
    achs = [a for a in folder.achievement_models() if a.date.year == year]
    for level in ("national", "provincial", "municipal", "school", None):
        n = sum(1 for a in achs if (str(a.level) if a.level else None) == level)
        if n:
            key = level or "unleveled"
            label = m.Level.labels()[level] if level else "未注明级别"
            out.append((f"{label}成果", n * getattr(w, key), f"{n} 项 × {getattr(w, key):g}"))
    value = sum(a.value_yuan or 0 for a in achs if str(a.type) == "transformation")
    if value:
        pts = min(value / 10000 * w.transformation_per_10k_yuan, w.transformation_cap)
        out.append(("成果转化金额", round(pts, 2), f"{value:,.0f} 元（上限 {w.transformation_cap:g}）"))
    acts = sum(1 for a in folder.activities() if a.date.year == year)
    if acts:
        out.append(("台账活动", round(min(acts * w.activity, w.activity_cap), 2),
                    f"{acts} 次 × {w.activity:g}（上限 {w.activity_cap:g}）"))
    if res.met:
        out.append(("六有达标", res.met * w.standard_met, f"{res.met} 项 × {w.standard_met:g}"))
    for stage, weight, label in (("transformed", w.project_transformed, "课题成果转化"),
                                 ("promoted", w.project_promoted, "课题总结推广")):
        n = sum(1 for p in studio.projects or [] if p.stages.get(stage) and p.stages[stage].year == year)
        if n:
            out.append((label, n * weight, f"{n} 项 × {weight:g}"))
    claimed = [c for _d, _i, c in repo.challenges if folder.slug in c.claimed_by]
    if claimed:
        solved = sum(1 for c in claimed if str(c.status) == "solved")
        out.append(("揭榜挂帅", len(claimed) * w.challenge_claimed + solved * w.challenge_solved,
                    f"揭榜 {len(claimed)} 项 × {w.challenge_claimed:g}，已解决 {solved} 项 × {w.challenge_solved:g}"))
    if ins is not None and str(ins.result) in ("pass", "rectify"):
        weight = w.inspection_pass if str(ins.result) == "pass" else w.inspection_rectify
        out.append(("年度检查", weight, m.InspectionResult.labels()[str(ins.result)]))
    recs = [r for _d, _i, r in repo.recognitions if r.studio == folder.slug and r.date.year == year
            and r.date <= report.as_of]
    if recs:
        out.append(("工会推荐与表彰", len(recs) * w.recognition,
                    f"{len(recs)} 项 × {w.recognition:g}（{'、'.join(r.document for r in recs)}）"))
    return out


def format_rank(scores: list[Score], year: int, as_of: dt.date) -> str:
    out = [f"{year} 年度示范工作室推荐参考排序（评价日期 {as_of}；权重见 union/standards.yml 的 ranking）", ""]
    n = 0
    for s in scores:
        if s.ineligible:
            continue
        n += 1
        out.append(f"{n}. {s.name}（{s.slug}）  总分 {s.total:g}")
        out += [f"     {name}：{p:+g}（{basis}）" for name, p, basis in s.components] or ["     （无得分项）"]
    if not n:
        out.append("没有符合推荐条件的工作室。")
    bad = [s for s in scores if s.ineligible]
    if bad:
        out += ["", "不符合推荐条件："]
        for s in bad:
            out.append(f"  - {s.name}（{s.slug}），总分 {s.total:g}：{'；'.join(s.ineligible)}")
    return "\n".join(out) + "\n"
