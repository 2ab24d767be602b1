"""The union officer's desk (``innostudio status`` without a studio): what needs action today, then each
studio in one or a few lines. Reads the report and its facts only."""
from __future__ import annotations

import datetime as dt

from .check import Report
from .domain.inspections import inspection_round
from .model import Status
from .output import format_status


def _days(a: dt.date, b: dt.date) -> int:
    return (b - a).days


def _names(report: Report, slugs: list[str]) -> str:
    names = {s.slug: s.name for s in report.studios}
    return "、".join(f"{names.get(s, s)}（{s}）" for s in slugs)


def _inspections(report: Report) -> list[str]:
    """The inspection rounds a union officer must see to: last year's (due by inspection.due) and this
    year's (to be held)."""
    facts, today = report.facts, report.as_of
    out = []
    for year in (today.year - 1, today.year):
        due = facts.inspection_deadline(year)
        done = set(inspection_round(report.repo, year, today))
        missing = facts.uninspected(year, done)
        if not missing:
            if year < today.year:
                out.append(f"  {year} 年度检查：需检查的工作室都已登记结果。")
            continue
        when = (f"已过登记日期 {due}（{_days(due, today)} 天），请尽快登记" if today > due else
                f"应于 {due} 前登记（还有 {_days(today, due)} 天）")
        out.append(f"  {year} 年度检查：{when}；尚未登记：{_names(report, missing)}")
    return out or ["  没有待办的年度检查。"]


def _rectifications(report: Report) -> list[str]:
    out = []
    for s in report.studios:
        info = report.statuses[s.slug]
        if info.status != "rectifying" or info.rectify is None or info.rectify.deadline is None:
            continue
        deadline = info.rectify.deadline
        if info.overdue(report.as_of):
            what = (f"整改期限 {deadline} 已过 {_days(deadline, report.as_of)} 天，尚无复查结果："
                    "请登记复查结果（合格则整改通过，不合格则摘牌）")
        else:
            what = f"整改期限 {deadline}（还有 {_days(report.as_of, deadline)} 天），期满复查"
        out.append(f"  {s.name}（{s.slug}）：{what}")
    return out or ["  没有正在整改的工作室。"]


def _records(report: Report) -> list[str]:
    """Findings on the union's own files, and the studios whose status is under review because of one."""
    out = [f"  {f.place}: {f.code} {f.message}" for f in report.findings
           if f.path and f.path.startswith("union/") and f.severity in ("error", "warning")]
    review = [s.slug for s in report.studios if s.under_review]
    if review:
        out.append("  状态待核实（有一条工会记录不符合政策顺序，公开网站按不含它的状态显示）："
                   + _names(report, review))
    return out or ["  工会记录没有问题。"]


def _studio_line(report: Report, slug: str) -> str:
    s = next(x for x in report.studios if x.slug == slug)
    info = report.statuses[slug]
    revoked = info.revocation()
    if revoked is not None:
        date, docs = revoked
        return f"  {s.name}（{slug}）：已摘牌，{date}" + (f"（{'、'.join(docs)}）" if docs else "")
    status = Status.label_of(s.status, "zh")
    extra = "，已推荐省级示范" if s.recommended and s.status != "demonstration" else ""
    extra += "，状态待核实" if s.under_review else ""
    errors = sum(f.severity == "error" and f.studio == slug for f in report.findings)
    six = f"六有 {s.met}/6" if s.evaluated else "六有未评价（studio.yml 有错误）"
    return f"  {s.name}（{slug}）：{status}{extra}；{six}；错误 {errors} 个"


def format_desk(report: Report) -> str:
    """``status`` for the union (Chinese): what needs action today, then one line per studio and each
    non-revoked studio's matrix."""
    out = [f"校工会待办（评价日期 {report.as_of}）", "", "一、年度检查", *_inspections(report), "",
           "二、整改期限", *_rectifications(report), "", "三、工会记录的问题", *_records(report), "",
           "四、各工作室", *[_studio_line(report, s.slug) for s in report.studios], ""]
    matrices = [format_status(report, "zh", s.slug) for s in report.studios if s.status != "revoked"]
    return "\n".join(out) + "\n" + "\n".join(m for m in matrices if m)
