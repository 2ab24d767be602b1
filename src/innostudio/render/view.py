"""Public view of a checked repository: plain dicts with only the fields a page may show.

Privacy by construction: nothing reaches a template unless this module copies it here. Birth years
only appear as age-tier counts; funding only when the site configuration publishes it; ``private``
mappings never.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import model as m
from ..check import Report, StudioResult
from ..corpus import StudioFolder, resolve_ref
from ..rules import STANDARDS
from ..rules.base import Context
from ..rules.refs import IMAGE_EXT, file_info
from ..rules.six import achievements_in_window, activities_in_window, age_tier
from .images import FULL_SIZE, SMALL_SIZE, THUMB_SIZE, fitted
from .markup import render_markdown


@dataclass(frozen=True)
class SiteConfig:
    """The site's own settings (mkdocs.yml `extra`), with defaults for a new adopter."""

    organisation: str = "工会"
    site_name: str = "劳模和优秀人才创新工作室"
    site_url: str = ""
    repo_url: str = ""
    publish_funding: bool = False
    icp: str = ""
    police_filing: str = ""
    policy_url: str = "policy/"
    policy_title: str = "劳模和优秀人才创新工作室创建工作实施意见"
    union_team: tuple[str, ...] = ()

    @classmethod
    def from_extra(cls, extra: dict, site_name: str = "", site_url: str = "", repo_url: str = "") -> "SiteConfig":
        def s(key: str, default: str = "") -> str:
            v = extra.get(key, default)
            return str(v) if v is not None else default

        return cls(organisation=s("organisation", cls.organisation), site_name=site_name or cls.site_name,
                   site_url=(site_url or "").rstrip("/") + ("/" if site_url else ""), repo_url=repo_url or "",
                   publish_funding=bool(extra.get("publish_funding", False)), icp=s("icp"),
                   police_filing=s("police_filing"), policy_url=s("policy_url", cls.policy_url),
                   policy_title=s("policy_title", cls.policy_title),
                   union_team=tuple(str(x) for x in extra.get("union_team") or ()))


@dataclass
class Media:
    """A published image or document: where it comes from and where it goes."""

    source: Path
    target: str  # site path
    thumb: str | None = None  # site path of the thumbnail (images)
    kind: str = "image"  # image | pdf
    small: str | None = None  # site path of the small thumbnail (images, for srcset)


def lbl(enum, code: Any) -> str:
    return enum.labels().get(str(code), str(code)) if code is not None else ""


STAGE_LABELS = m.Stage.labels()


@dataclass
class View:
    as_of: dt.date
    config: SiteConfig
    studios: list[dict] = field(default_factory=list)
    achievements: list[dict] = field(default_factory=list)
    challenges: list[dict] = field(default_factory=list)
    inspections: dict[int, list[dict]] = field(default_factory=dict)
    media: dict[str, Media] = field(default_factory=dict)  # by site path
    rule_docs: list[dict] = field(default_factory=list)
    decisions: list[dict] = field(default_factory=list)
    recognitions: list[dict] = field(default_factory=list)  # newest first

    def by_slug(self) -> dict[str, dict]:
        return {s["slug"]: s for s in self.studios}


def _publish(view: View, folder: StudioFolder, ref: str | None, kind: str = "image") -> dict | None:
    """Register a studio file for publication; None when it cannot be published safely."""
    if not ref:
        return None
    target = resolve_ref(folder.abspath, ref)
    if target is None:
        return None
    info = file_info(str(target))
    if not info.exists:
        return None
    ext = target.suffix.lower()
    rel = target.relative_to(folder.abspath)
    site_path = f"studios/{folder.slug}/files/{rel.as_posix()}"
    if kind == "image" or (kind == "evidence" and ext in IMAGE_EXT):
        if IMAGE_EXT.get(ext) != info.real_type:  # only real raster images are served as photos
            return None
        site_path = f"studios/{folder.slug}/files/{rel.with_suffix('.jpg').as_posix()}"  # re-encoded as JPEG
        thumb = f"studios/{folder.slug}/thumbs/{rel.with_suffix('.jpg').as_posix()}"
        small = f"studios/{folder.slug}/small/{rel.with_suffix('.jpg').as_posix()}"
        view.media[site_path] = Media(target, site_path, thumb, "image", small)
        # the widths actually published, for srcset (thumbnail() never enlarges)
        widths = [fitted(info.width or 0, info.height or 0, box)[0] for box in (SMALL_SIZE, THUMB_SIZE, FULL_SIZE)]
        return {"url": site_path, "thumb": thumb, "small": small, "name": rel.name, "kind": "image",
                "width": info.width, "height": info.height,
                "srcset": [(small, widths[0]), (thumb, widths[1]), (site_path, widths[2])]}
    if ext == ".pdf" and info.real_type == "pdf":
        view.media[site_path] = Media(target, site_path, None, "pdf")
        return {"url": site_path, "thumb": None, "name": rel.name, "kind": "pdf"}
    return None


def _person(p: m.Person) -> dict:
    return {"name": p.name, "title": p.title, "title_level": lbl(m.TitleLevel, p.title_level),
            "vocational_level": lbl(m.VocationalLevel, p.vocational_level), "discipline": p.discipline,
            "education": lbl(m.Education, p.education),
            "honors": [{"name": h.name, "kind": lbl(m.HonorKind, h.kind), "level": lbl(m.Level, h.level),
                        "year": h.year} for h in sorted(p.honors, key=lambda h: -h.year)]}


def standard_bases(std) -> dict[str, str]:
    """Per standard (S1…S6), the basis of its rules: the policy clauses, and 本校细则 with what it sets."""
    from ..rules import RULES
    from ..standards import short_name

    out = {}
    for code in STANDARDS:
        policy: list[str] = []
        local: list[str] = []
        for rule in sorted((r for r in RULES.values() if r.standard == code), key=lambda r: r.code):
            if rule.clause:
                policy.append(f"《实施意见》{rule.clause}")
            for path in rule.all_thresholds():
                b = std.basis(path)
                (policy if b.kind == "policy" else local).append(b.label() if b.kind == "policy" else short_name(path))
        text = "；".join(dict.fromkeys(policy))
        if local:
            text += ("；" if text else "") + f"本校细则（{'、'.join(dict.fromkeys(local))}）"
        out[code] = text
    return out


def _standards(res: StudioResult, studio: m.Studio, folder: StudioFolder, ctx: Context) -> list[dict]:
    evidence = _evidence(studio, folder, ctx)
    bases = ctx.memo("standard_bases", lambda: standard_bases(ctx.std))
    out = []
    for code, (zh, _en) in STANDARDS.items():
        out.append({"code": code, "name": zh, "met": res.standards.get(code, False), "basis": bases[code],
                    "reasons": [f.message for f in res.reasons.get(code, [])], "evidence": evidence[code]})
    return out


def _evidence(studio: m.Studio, folder: StudioFolder, ctx: Context) -> dict[str, str]:
    """A one-line public summary of what evidences each standard."""
    leader = studio.leader
    honors = "、".join(h.name for h in leader.honors[:2])
    n_rules = len({str(r.kind) for r in studio.rules or []})
    projects = studio.projects or []
    window = ctx.std.s6.ledger_window_months
    acts = activities_in_window(ctx, folder, window)
    months = len({(a.date.year, a.date.month) for a in acts})
    recent = len(achievements_in_window(ctx, folder, ctx.std.s6.achievement_window_months))
    return {
        "S1": f"领衔人 {leader.name}，{leader.title}" + (f"；{honors}" if honors else ""),
        "S2": "已悬挂标牌" + (f"，上墙制度 {len(studio.signage.boards)} 项" if studio.signage else "")
        if studio.signage else "尚未登记标牌",
        "S3": f"团队 {len(ctx.team(studio))} 人（含领衔人）",
        "S4": (f"{studio.venue.location}，{studio.venue.area_m2:g} 平方米" if studio.venue else "尚未登记场所")
        + ("；有经费保障" if studio.funding else ""),
        "S5": f"制度 {n_rules} 类；课题 {len(projects)} 项",
        "S6": f"近 {window} 个月活动 {len(acts)} 次（{months} 个月）；"
              f"近 {ctx.std.s6.achievement_window_months} 个月成果 {recent} 项",
    }


def _age_structure(team: list[m.Person], year: int, bounds: list[int]) -> list[dict]:
    b = sorted(bounds)
    names = [f"{b[0]} 岁以下"] + [f"{lo}–{hi - 1} 岁" for lo, hi in zip(b, b[1:])] + [f"{b[-1]} 岁及以上"]
    counts = [0] * len(names)
    for p in team:
        counts[age_tier(year - p.birth_year, b)] += 1
    return [{"label": n, "count": c} for n, c in zip(names, counts)]


def _project(p: m.Project, as_of: dt.date, challenges: dict[str, str]) -> dict:
    stages = []
    current = None
    for code, label in STAGE_LABELS.items():
        d = p.stages.get(code)
        done = d is not None and d <= as_of
        if done:
            current = label
        stages.append({"code": code, "label": label, "date": d if done else None, "done": done})
    return {"id": p.id, "title": p.title, "source": lbl(m.ProjectSource, p.source), "level": lbl(m.Level, p.level),
            "challenge": p.challenge, "challenge_title": challenges.get(p.challenge or "", ""), "stages": stages,
            "current": current or "未开始"}


def build_view(report: Report, config: SiteConfig) -> View:
    view = View(report.as_of, config)
    repo = report.repo
    as_of = report.as_of
    results = {r.slug: r for r in report.studios}
    ctx = Context(repo, as_of, report.statuses)
    challenge_titles = {c.id: c.title for _, _, c in repo.challenges}
    for folder in repo.studios:
        studio = folder.studio
        res = results[folder.slug]
        if studio is None:
            continue
        info = report.statuses[folder.slug]
        team_current = ctx.team(studio)
        members = []
        for x in studio.members or []:
            d = _person(x)
            d.update({"role": lbl(m.Role, x.role), "joined": x.joined, "left": x.left,
                      "current": any(x is t for t in team_current[1:])})
            members.append(d)
        leader = _person(studio.leader)
        leader["photo"] = _publish(view, folder, studio.leader.photo)
        for x, d in zip(studio.members or [], members):
            d["photo"] = _publish(view, folder, x.photo)
        signage = None
        if studio.signage is not None:
            signage = {"plaque": _publish(view, folder, studio.signage.plaque),
                       "boards": [lbl(m.Board, b) for b in studio.signage.boards],
                       "photos": [p for p in (_publish(view, folder, x) for x in studio.signage.photos) if p]}
        venue = None
        if studio.venue is not None:
            v = studio.venue
            venue = {"location": v.location, "area_m2": v.area_m2, "functions": [lbl(m.VenueFunction, f) for f in
                                                                                 v.functions],
                     "equipment": list(v.equipment)}
        rules = []
        for r in studio.rules or []:
            entry = {"kind": lbl(m.RuleKind, r.kind), "title": r.title, "adopted": r.adopted, "url": None}
            target = resolve_ref(folder.abspath, r.file)
            if target is not None and target.suffix.lower() == ".md":
                src = next((s for s in folder.extra_sources if s.abspath == target and s.text is not None), None)
                page = f"studios/{folder.slug}/rules/{Path(r.file).stem}.md"
                if src is not None and any(d["page"] == page for d in view.rule_docs):
                    entry["url"] = page  # one document serving several kinds
                elif src is not None:
                    entry["url"] = page
                    view.rule_docs.append({"page": page, "title": r.title, "kind": entry["kind"],
                                           "adopted": r.adopted, "html": render_markdown(src.text),
                                           "studio": folder.slug, "studio_name": studio.name,
                                           "source": src.path})
            else:
                pub = _publish(view, folder, r.file, "document")
                entry["url"] = pub["url"] if pub else None
            rules.append(entry)
        projects = [_project(p, as_of, challenge_titles) for p in studio.projects or []]
        project_titles = {p.id: p.title for p in studio.projects or []}
        achievements = []
        for doc in folder.achievements:
            a = doc.model
            if a is None:
                continue
            evidence = []
            for e in a.evidence:
                if e.lower().startswith("https://"):
                    evidence.append({"url": e, "name": e, "kind": "link", "external": True})
                else:
                    pub = _publish(view, folder, e, "evidence")
                    if pub:
                        evidence.append(pub)
            ach = {"slug": folder.slug, "studio": studio.name, "name": doc.name, "title": a.title,
                   "type": str(a.type), "type_label": lbl(m.AchievementType, a.type), "date": a.date,
                   "year": a.date.year, "level": lbl(m.Level, a.level), "members": list(a.members),
                   "project": a.project, "project_title": project_titles.get(a.project or "", ""),
                   "identifier": a.identifier, "value_yuan": a.value_yuan, "evidence": evidence,
                   "tags": list(a.tags), "html": render_markdown(doc.source.body or ""),
                   "page": f"studios/{folder.slug}/achievements/{doc.name}.md", "source": doc.path}
            achievements.append(ach)
        achievements.sort(key=lambda x: (x["date"], x["title"]), reverse=True)
        recognitions = _recognitions(repo, folder, as_of, studio.name)
        for ach in achievements:
            ach["recognitions"] = [r for r in recognitions if r["achievement"] == ach["name"]]
        activities, development = [], []
        for doc in sorted(folder.ledgers, key=lambda d: d.year):
            if doc.model is None:
                continue
            for a in doc.model.activities:
                if a.date > as_of:
                    continue
                activities.append({"date": a.date, "kind": lbl(m.ActivityKind, a.kind), "title": a.title,
                                   "participants": a.participants, "hours": a.hours, "project": a.project,
                                   "summary": a.summary,
                                   "photos": [p for p in (_publish(view, folder, x) for x in a.photos) if p]})
            for d in doc.model.development:
                if d.date <= as_of:
                    development.append({"date": d.date, "member": d.member, "event": d.event})
        activities.sort(key=lambda x: x["date"], reverse=True)
        development.sort(key=lambda x: x["date"], reverse=True)
        history = [{"date": ev.date, "action": lbl(m.Action, ev.action), "code": ev.action,
                    "document": _document(ev)} for ev, _after in info.history]
        funding = None
        if config.publish_funding:
            funding = [_funding(f) for f in sorted(studio.funding or [], key=lambda f: f.year)]
        s = {
            "slug": folder.slug, "name": studio.name, "unit": studio.unit, "fields": list(studio.fields),
            "established": studio.established, "summary": studio.summary,
            "description_html": render_markdown(studio.description) if studio.description else "",
            "status": info.status, "status_label": lbl(m.Status, info.status), "recommended": info.recommended,
            "met": res.met, "standards": _standards(res, studio, folder, ctx), "leader": leader,
            "members": members, "team_size": len(team_current),
            "age_structure": _age_structure(team_current, as_of.year, repo.standards.s3.age_tier_bounds),
            "signage": signage, "venue": venue, "rules": rules, "projects": projects,
            "achievements": achievements, "activities": activities, "development": development,
            "history": history, "accredited_on": info.accredited_on, "revoked_on": info.revoked_on,
            "rectify_deadline": info.rectify.deadline if info.status == "rectifying" and info.rectify else None,
            "funding": funding, "page": f"studios/{folder.slug}/index.md", "source": folder.profile.path,
            "activities_year": sum(1 for a in activities if a["date"].year == as_of.year),
            "recognitions": recognitions,
        }
        view.studios.append(s)
        view.achievements.extend(achievements)
        view.recognitions.extend(recognitions)
    view.recognitions.sort(key=lambda r: (r["date"], r["slug"], r["document"]), reverse=True)
    view.achievements.sort(key=lambda x: (x["date"], x["slug"], x["name"]), reverse=True)
    for _doc, _i, c in repo.challenges:
        view.challenges.append({"id": c.id, "title": c.title, "posted": c.posted, "owner": c.owner,
                                "description": c.description, "reward": c.reward, "status": str(c.status),
                                "status_label": lbl(m.ChallengeStatus, c.status), "claimed_by": list(c.claimed_by)})
    for doc, _i, ins in repo.inspections:
        year = int(doc.path.rsplit("/", 1)[1][:4])
        view.inspections.setdefault(year, []).append({"studio": ins.studio, "date": ins.date,
                                                      "result": str(ins.result),
                                                      "result_label": lbl(m.InspectionResult, ins.result),
                                                      "findings": ins.findings, "deadline": ins.deadline})
    for doc, _i, d in repo.decisions:
        if d.date <= as_of:
            view.decisions.append({"studio": d.studio, "action": lbl(m.Action, d.action), "code": str(d.action),
                                   "date": d.date, "document": d.document})
    return view


def _recognitions(repo, folder: StudioFolder, as_of: dt.date, studio_name: str) -> list[dict]:
    """union/recognitions.yml entries of one studio up to the evaluation date (newest first)."""
    from ..rules.refs import recognised_achievement

    out = []
    for _doc, _i, r in repo.recognitions:
        if r.studio != folder.slug or r.date > as_of:
            continue
        ach = recognised_achievement(folder, r.achievement) if r.achievement else None
        title = ach.model.title if ach is not None and ach.model is not None else ""
        kind = lbl(m.RecognitionKind, r.kind)
        if str(r.kind) == "recommend_achievement":
            what = f"成果“{title}”" if title else "成果"
        else:
            what = r.member if r.member else studio_name
        out.append({"slug": folder.slug, "studio": studio_name, "kind": str(r.kind), "kind_label": kind,
                    "clause": "四（三）" if str(r.kind) == "recommend_achievement" else "四（四）",
                    "achievement": ach.name if ach is not None else None, "achievement_title": title,
                    "member": r.member, "what": what, "date": r.date, "document": r.document, "to": r.to or "",
                    "note": r.note or "",
                    "page": f"studios/{folder.slug}/achievements/{ach.name}.md" if ach is not None else
                    f"studios/{folder.slug}/index.md"})
    out.sort(key=lambda r: (r["date"], r["document"]), reverse=True)
    return out


def _funding(f: m.Funding) -> dict:
    """A funding year as published when the site configuration publishes funding (expenses included)."""
    return {"year": f.year, "budget_yuan": f.budget_yuan, "spent_yuan": f.spent, "source": f.source,
            "expenses": [{"date": e.date, "amount_yuan": e.amount_yuan, "purpose": lbl(m.ExpensePurpose, e.purpose),
                          "voucher": e.voucher, "note": e.note or ""}
                         for e in sorted(f.expenses or [], key=lambda e: e.date)]}


def _document(ev) -> str:
    """The decision's document number (文号), or 年度检查 for an inspection result."""
    if ev.key != "decisions":
        return "年度检查"
    record = ev.doc.data[ev.key][ev.index]
    return str(record.get("document", "")) if isinstance(record, dict) else ""
