"""Public view of a checked repository: builds the page dataclasses of pages.py from the check report and the
facts, copying only the fields a page may show.

Privacy by construction: nothing reaches a template unless this module copies it here. Birth years
only appear as age-tier counts; funding only when the site configuration publishes it; ``private``
mappings never.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

from .. import model as m
from ..check import Report, StudioResult
from ..corpus import StudioFolder, file_year, resolve_ref
from ..domain.facts import Facts
from ..domain.media import IMAGE_EXT, file_info
from ..domain.windows import age_tier
from ..rules.registry import STANDARDS, standard_bases
from .config import SiteConfig
from .images import FULL_SIZE, SMALL_SIZE, THUMB_SIZE, fitted
from .markup import converted, render_markdown
from .pages import (
    AchievementView,
    ActivityView,
    AgeTierView,
    ChallengeView,
    DecisionView,
    DevelopmentView,
    ExpenseView,
    FundingView,
    HistoryView,
    HonorView,
    InspectionView,
    Media,
    MediaRef,
    MemberView,
    PersonView,
    ProjectView,
    RecognitionView,
    RuleDocView,
    RuleEntryView,
    SignageView,
    StageView,
    StandardView,
    StudioView,
    VenueView,
    View,
)

STAGE_LABELS = m.Stage.labels()


def _publish(view: View, folder: StudioFolder, ref: str | None, kind: str = "image") -> MediaRef | None:
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
        return MediaRef(site_path, rel.name, "image", thumb, info.width, info.height, small=small,
                        srcset=((small, widths[0]), (thumb, widths[1]), (site_path, widths[2])))
    if ext == ".pdf" and info.real_type == "pdf":
        view.media[site_path] = Media(target, site_path, None, "pdf")
        return MediaRef(site_path, rel.name, "pdf")
    return None


def _resolver(view: View, folder: StudioFolder):
    """Publishes the files a studio's Markdown names: images through the photo pipeline, other files as
    evidence is (PDFs; photos)."""
    return lambda target, kind: _publish(view, folder, target, "image" if kind == "image" else "evidence")


def _honors(p: m.Person) -> list[HonorView]:
    return [HonorView(h.name, m.HonorKind.label_of(h.kind), m.Level.label_of(h.level), h.year)
            for h in sorted(p.honors, key=lambda h: -h.year)]


def _person_fields(p: m.Person) -> dict:
    return {"name": p.name, "title": p.title, "title_level": m.TitleLevel.label_of(p.title_level),
            "vocational_level": m.VocationalLevel.label_of(p.vocational_level), "discipline": p.discipline,
            "education": m.Education.label_of(p.education), "honors": _honors(p)}


def _standards(report: Report, res: StudioResult, studio: m.Studio, folder: StudioFolder, bases: dict[str, str],
               date: dt.date | None = None) -> list[StandardView]:
    """The 六有 matrix: as of the evaluation date, or as of ``date`` (an archived studio's revocation)."""
    facts = report.facts
    if date is not None and date != facts.as_of:
        evidence = _evidence(studio, folder, facts.at_date(date))
        reasons = report.reasons_at(folder.slug, date)
        return [StandardView(code, zh, not reasons[code], bases[code], reasons[code], evidence[code])
                for code, (zh, _en) in STANDARDS.items()]
    evidence = _evidence(studio, folder, facts)
    return [StandardView(code, zh, res.standards.get(code, False), bases[code],
                         [f.message for f in res.reasons.get(code, [])], evidence[code])
            for code, (zh, _en) in STANDARDS.items()]


def _evidence(studio: m.Studio, folder: StudioFolder, ctx: Facts) -> dict[str, str]:
    """A one-line public summary of what evidences each standard."""
    leader = studio.leader
    honors = "、".join(h.name for h in leader.honors[:2])
    n_rules = len({str(r.kind) for r in studio.rules or []})
    projects = studio.projects or []
    window = ctx.std.s6.ledger_window_months
    acts = ctx.activities_in_window(folder, window)
    months = len({(a.date.year, a.date.month) for a in acts})
    recent = len(ctx.achievements_in_window(folder, ctx.std.s6.achievement_window_months))
    return {
        "S1": f"领衔人 {leader.name}，{leader.title}" + (f"；{honors}" if honors else ""),
        "S2": "已悬挂标牌" + (f"，上墙制度 {len(studio.signage.boards)} 项" if studio.signage else "")
        if studio.signage else "尚未登记标牌",
        "S3": f"团队 {len(ctx.team(studio))} 人（含领衔人）",
        "S4": (f"{studio.venue.location}，{studio.venue.area_m2:g} 平方米" if studio.venue else "尚未登记场所")
        + _funding_note(studio, ctx),
        "S5": f"制度 {n_rules} 类；课题 {len(projects)} 项",
        "S6": f"近 {window} 个月活动 {len(acts)} 次（{months} 个月）；"
              f"近 {ctx.std.s6.achievement_window_months} 个月成果 {recent} 项",
    }


def _funding_note(studio: m.Studio, ctx: Facts) -> str:
    """The funding half of S4's summary, true as of the evaluation date: the latest funding year with a budget,
    called a guarantee (经费保障) only inside the window S4.2 counts."""
    years = [f.year for f in studio.funding or [] if f.budget_yuan > 0 and f.year <= ctx.as_of.year]
    if not years:
        return "；尚无经费记录"
    latest = max(years)
    if latest >= ctx.as_of.year - ctx.std.s4.funding_years_back:
        return f"；有经费保障（{latest} 年度）"
    return f"；最近经费为 {latest} 年度，近年无经费记录"


def _age_structure(team: list[m.Person], year: int, bounds: list[int]) -> list[AgeTierView]:
    b = sorted(bounds)
    names = [f"{b[0]} 岁以下"] + [f"{lo}–{hi - 1} 岁" for lo, hi in zip(b, b[1:], strict=False)] + [f"{b[-1]} 岁及以上"]
    counts = [0] * len(names)
    for p in team:
        counts[age_tier(year - p.birth_year, b)] += 1
    return [AgeTierView(n, c) for n, c in zip(names, counts, strict=True)]


def _project(p: m.Project, as_of: dt.date, challenges: dict[str, str]) -> ProjectView:
    stages = []
    current = None
    for code, label in STAGE_LABELS.items():
        d = p.stages.get(code)
        done = d is not None and d <= as_of
        if done:
            current = label
        stages.append(StageView(code, label, d if done else None, done))
    return ProjectView(p.id, p.title, m.ProjectSource.label_of(p.source), m.Level.label_of(p.level), p.challenge,
                       challenges.get(p.challenge or "", ""), stages, current or "未开始")


def _rules(view: View, folder: StudioFolder, studio: m.Studio) -> list[RuleEntryView]:
    """A studio's rules; one written in Markdown becomes its own page (once, however many kinds it serves)."""
    rules = []
    pages: set[str] = set()  # this studio's rule documents (their pages are under its own folder)
    for r in studio.rules or []:
        kind, url = m.RuleKind.label_of(r.kind), None
        target = resolve_ref(folder.abspath, r.file)
        if target is not None and target.suffix.lower() == ".md":
            src = next((s for s in folder.extra_sources if s.abspath == target and s.text is not None), None)
            page = f"studios/{folder.slug}/rules/{Path(r.file).stem}.md"
            if src is not None and page in pages:
                url = page  # one document serving several kinds
            elif src is not None:
                assert src.text is not None  # chosen above for having text
                url = page
                pages.add(page)
                body = render_markdown(src.text, resolve=_resolver(view, folder))
                view.rule_docs.append(RuleDocView(page, r.title, kind, r.adopted, body, folder.slug, studio.name,
                                                  src.path))
        else:
            pub = _publish(view, folder, r.file, "document")
            url = pub.url if pub else None
        rules.append(RuleEntryView(kind, r.title, r.adopted, url))
    return rules


def _achievements(view: View, folder: StudioFolder, studio: m.Studio,
                  recognitions: list[RecognitionView]) -> list[AchievementView]:
    """The studio's achievement pages, newest first."""
    project_titles = {p.id: p.title for p in studio.projects or []}
    out = []
    for doc in folder.achievements:
        a = doc.model
        if a is None or a.date > view.as_of:  # nothing from the future is published (F004)
            continue
        evidence = []
        for e in a.evidence:
            if e.lower().startswith("https://"):
                evidence.append(MediaRef(e, e, "link", external=True))
            else:
                pub = _publish(view, folder, e, "evidence")
                if pub:
                    evidence.append(pub)
        out.append(AchievementView(
            slug=folder.slug, studio=studio.name, name=doc.name, title=a.title, type=str(a.type),
            type_label=m.AchievementType.label_of(a.type), date=a.date, year=a.date.year,
            level=m.Level.label_of(a.level), members=list(a.members), project=a.project,
            project_title=project_titles.get(a.project or "", ""), identifier=a.identifier,
            value_yuan=a.value_yuan, evidence=evidence, tags=list(a.tags),
            html=render_markdown(doc.source.body or "", resolve=_resolver(view, folder)),
            page=f"studios/{folder.slug}/achievements/{doc.name}.md", source=doc.path,
            recognitions=[r for r in recognitions if r.achievement == doc.name]))
    out.sort(key=lambda x: (x.date, x.title), reverse=True)
    return out


def _ledger(view: View, folder: StudioFolder, as_of: dt.date) -> tuple[list[ActivityView], list[DevelopmentView]]:
    """Activities and members' development up to the evaluation date, newest first."""
    activities, development = [], []
    for doc in sorted(folder.ledgers, key=lambda d: d.year):
        if doc.model is None:
            continue
        for a in doc.model.activities:
            if a.date > as_of:
                continue
            activities.append(ActivityView(a.date, m.ActivityKind.label_of(a.kind), a.title, a.participants,
                                           a.hours, a.project, a.summary,
                                           [p for p in (_publish(view, folder, x) for x in a.photos) if p]))
        for d in doc.model.development:
            if d.date <= as_of:
                development.append(DevelopmentView(d.date, d.member, d.event))
    activities.sort(key=lambda x: x.date, reverse=True)
    development.sort(key=lambda x: x.date, reverse=True)
    return activities, development


def _studio(view: View, report: Report, res: StudioResult, folder: StudioFolder, bases: dict[str, str],
            challenge_titles: dict[str, str]) -> StudioView:
    """The studio page's view (its achievements, rule documents and media are registered on ``view``)."""
    studio, as_of, config = folder.studio, report.as_of, view.config
    assert studio is not None and folder.profile is not None  # build_view skips a folder without a studio
    info = report.statuses[folder.slug]
    team_current = report.facts.team(studio)
    members = [MemberView(**_person_fields(x), photo=_publish(view, folder, x.photo),
                          role=m.Role.label_of(x.role), joined=x.joined, left=x.left,
                          current=any(x is t for t in team_current[1:])) for x in studio.members or []]
    leader = PersonView(**_person_fields(studio.leader), photo=_publish(view, folder, studio.leader.photo))
    signage = None
    if studio.signage is not None:
        signage = SignageView(_publish(view, folder, studio.signage.plaque),
                              [m.Board.label_of(b) for b in studio.signage.boards],
                              [p for p in (_publish(view, folder, x) for x in studio.signage.photos) if p])
    venue = None
    if studio.venue is not None:
        v = studio.venue
        venue = VenueView(v.location, v.area_m2, [m.VenueFunction.label_of(f) for f in v.functions],
                          list(v.equipment))
    rules = _rules(view, folder, studio)
    projects = [_project(p, as_of, challenge_titles) for p in studio.projects or []]
    recognitions = _recognitions(report.repo, folder, as_of, studio.name)
    achievements = _achievements(view, folder, studio, recognitions)
    activities, development = _ledger(view, folder, as_of)
    history, before = [], "candidate"
    for ev, after in info.history:
        label = (f"检查结果：{m.InspectionResult.label_of(ev.result)}" if ev.inspection
                 else m.Action.label_of(ev.action))
        history.append(HistoryView(ev.date, label + _after_label(ev, before, after), ev.action, _document(ev)))
        before = after
    # an archived (revoked) studio is shown as it stood when its plaque was removed
    six_date = info.revoked_on if info.status == "revoked" and info.revoked_on else None
    standards = _standards(report, res, studio, folder, bases, six_date)
    funding = None
    if config.publish_funding:
        funding = [_funding(f) for f in sorted(studio.funding or [], key=lambda f: f.year)]
    return StudioView(
        slug=folder.slug, name=studio.name, unit=studio.unit, fields=list(studio.fields),
        established=studio.established, summary=studio.summary,
        description_html=render_markdown(studio.description, resolve=_resolver(view, folder)) if studio.description
        else "",
        status=info.status, status_label=m.Status.label_of(info.status), recommended=info.recommended,
        met=sum(x.met for x in standards), standards=standards, leader=leader,
        members=members, team_size=len(team_current),
        age_structure=_age_structure(team_current, as_of.year, report.repo.standards.s3.age_tier_bounds),
        signage=signage, venue=venue, rules=rules, projects=projects,
        achievements=achievements, activities=activities, development=development,
        history=history, accredited_on=info.accredited_on, revoked_on=info.revoked_on,
        rectify_deadline=info.rectify.deadline if info.status == "rectifying" and info.rectify else None,
        overdue=info.overdue(as_of), under_review=info.under_review, six_date=six_date or as_of, funding=funding,
        page=f"studios/{folder.slug}/index.md", source=folder.profile.path,
        activities_year=sum(1 for a in activities if a.date.year == as_of.year), recognitions=recognitions)


def _markdown_texts(report: Report) -> Iterator[str]:
    """Every Markdown text the studio pages may show (descriptions, achievements, rule documents)."""
    for folder in report.repo.studios:
        if folder.studio is not None and folder.studio.description:
            yield folder.studio.description
        for doc in folder.achievements:
            if doc.source.body:
                yield doc.source.body
        for src in folder.extra_sources:
            if src.text and src.abspath.suffix.lower() == ".md":
                yield src.text


def build_view(report: Report, config: SiteConfig) -> View:
    """What the pages show, computed once for every page (their Markdown converted up front, on two
    processes where a second core is free)."""
    with converted(_markdown_texts(report)):
        return _view(report, config)


def _view(report: Report, config: SiteConfig) -> View:
    view = View(report.as_of, config)
    repo = report.repo
    results = {r.slug: r for r in report.studios}
    bases = standard_bases(repo.standards)
    challenge_titles = {c.id: c.title for _, _, c in repo.challenges}
    for folder in repo.studios:
        if folder.studio is None:
            continue
        s = _studio(view, report, results[folder.slug], folder, bases, challenge_titles)
        view.studios.append(s)
        view.achievements.extend(s.achievements)
        view.recognitions.extend(s.recognitions)
    view.recognitions.sort(key=lambda r: (r.date, r.slug, r.document), reverse=True)
    view.achievements.sort(key=lambda x: (x.date, x.slug, x.name), reverse=True)
    for _doc, _i, c in repo.challenges:
        view.challenges.append(ChallengeView(c.id, c.title, c.posted, c.owner, c.description, c.reward,
                                             str(c.status), m.ChallengeStatus.label_of(c.status),
                                             list(c.claimed_by)))
    # a union record with an L001/L004 error never reaches the public site (状态待核实 instead)
    left_out = {(ev.key, ev.doc.path, ev.index) for info in report.statuses.values() for ev in info.left_out}
    for doc, i, ins in repo.inspections:
        if ("inspections", doc.path, i) in left_out:
            continue
        view.inspections.setdefault(file_year(doc.path), []).append(
            InspectionView(ins.studio, ins.date, str(ins.result), m.InspectionResult.label_of(ins.result),
                           ins.findings, ins.deadline))
    for doc, i, d in repo.decisions:
        if d.date <= report.as_of and ("decisions", doc.path, i) not in left_out:
            view.decisions.append(DecisionView(d.studio, m.Action.label_of(d.action), str(d.action), d.date,
                                               d.document))
    return view


def _after_label(ev, before: str, after: str) -> str:
    """What an inspection result did to the status."""
    if not ev.inspection:
        return ""
    if ev.result == "pass" and before == "rectifying" and after != "rectifying":
        return "，整改通过"
    if ev.result == "fail" and after == "revoked":
        return "，予以摘牌"
    if ev.result == "rectify" and ev.deadline:
        return f"，整改期限 {ev.deadline.isoformat()}"
    return ""


def _ref(repo, key: str) -> str:
    """The clause's ref in union/policy.yml ("" where the union has not cited it)."""
    clause = repo.settings.policy.clause(key)
    return clause.ref if clause is not None else ""


def _recognitions(repo, folder: StudioFolder, as_of: dt.date, studio_name: str) -> list[RecognitionView]:
    """union/recognitions.yml entries of one studio up to the evaluation date (newest first)."""
    out = []
    for _doc, _i, r in repo.recognitions:
        if r.studio != folder.slug or r.date > as_of:
            continue
        ach = folder.achievement_named(r.achievement) if r.achievement else None
        title = ach.model.title if ach is not None and ach.model is not None else ""
        if str(r.kind) == "recommend_achievement":
            what = f"成果“{title}”" if title else "成果"
        else:
            what = r.member if r.member else studio_name
        out.append(RecognitionView(
            slug=folder.slug, studio=studio_name, kind=str(r.kind), kind_label=m.RecognitionKind.label_of(r.kind),
            clause=_ref(repo, "recommend_achievement" if str(r.kind) == "recommend_achievement" else "commend"),
            achievement=ach.name if ach is not None else None, achievement_title=title, member=r.member,
            what=what, date=r.date, document=r.document, to=r.to or "", note=r.note or "",
            page=f"studios/{folder.slug}/achievements/{ach.name}.md" if ach is not None else
            f"studios/{folder.slug}/index.md"))
    out.sort(key=lambda r: (r.date, r.document), reverse=True)
    return out


def _funding(f: m.Funding) -> FundingView:
    """A funding year as published when the site configuration publishes funding (expenses included)."""
    return FundingView(f.year, f.budget_yuan, f.spent, f.source,
                       [ExpenseView(e.date, e.amount_yuan, m.ExpensePurpose.label_of(e.purpose), e.voucher,
                                    e.note or "") for e in sorted(f.expenses or [], key=lambda e: e.date)])


def _document(ev) -> str:
    """The decision's document number (文号); none for an inspection result."""
    if ev.key != "decisions":
        return ""
    record = ev.doc.data[ev.key][ev.index]
    return str(record.get("document", "")) if isinstance(record, dict) else ""
