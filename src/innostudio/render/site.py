"""Render the whole public site from a checked repository: pages (Markdown with escaped HTML) and files.

This is generator-neutral: it returns :class:`Output` objects (a site path and its content). The MkDocs
hooks turn them into MkDocs files; another generator would do the same with its own API.
"""
from __future__ import annotations

import datetime as dt
import html
import json
import os
import posixpath
import re
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from .. import model as m
from ..check import Report
from ..domain.status import IN_GOOD_STANDING
from ..rules.registry import RULES, STANDARDS, Rule, standard_bases
from . import achievement_pages, exports
from .charts import bars
from .fields import field_reference
from .images import many_versions
from .markup import SITE_PREFIX
from .view import ChallengeView, SiteConfig, StudioView, View, build_view


@dataclass
class Output:
    path: str  # site path, e.g. "studios/x/index.md" or "api/studios.json"
    content: str | bytes  # for pages: Markdown = YAML front matter + an HTML body
    edit: str | None = None  # repository path a lead edits for this page (studio.yml, the .md)
    # Instead of content: a file whose bytes are the output (a photo in the encoder's cache, never rewritten
    # in place), which place() hard-links into the site rather than reading and writing it again.
    file: Path | None = None

    def data(self) -> bytes:
        if self.file is not None:
            return self.file.read_bytes()
        return self.content.encode("utf-8") if isinstance(self.content, str) else self.content

    def place(self, site_dir: Path) -> None:
        """Write the output into ``site_dir`` (a file output as a hard link where the file system allows)."""
        dest = site_dir / self.path
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.unlink(missing_ok=True)  # never write through an existing link into the cache
        if self.file is not None:
            try:
                os.link(self.file, dest)
                return
            except OSError:  # another file system, or links not allowed
                pass
        dest.write_bytes(self.data())

    def split(self) -> tuple[str, str]:
        """A page's front matter block (with its --- lines) and its HTML body."""
        text = self.content if isinstance(self.content, str) else self.content.decode("utf-8")
        if text.startswith("---\n"):
            end = text.find("\n---\n", 4)
            if end >= 0:
                return text[: end + 5], text[end + 5:]
        return "", text


@dataclass(frozen=True)
class Accredited:
    """A line of a year's 授牌名单: a studio and its status at the end of that year."""

    page: str
    name: str
    unit: str
    status_then: str
    deadline_then: dt.date | None = None  # 整改中: the rectification deadline then
    overdue_then: bool = False


def rule_page(code: str) -> str:
    """The page of a rule (site.md): /rules/<code>/, the code in lower case with "." as "-"."""
    return f"rules/{code.lower().replace('.', '-')}/index.md"


def page_url(path: str, directory_urls: bool = True) -> str:
    """The URL (relative to the site root) a generated path is served at."""
    if not path.endswith(".md"):
        return path
    stem = path[:-3]
    if stem == "index" or stem.endswith("/index"):
        return stem[:-5] if directory_urls else stem + ".html"
    return stem + "/" if directory_urls else stem + ".html"


class Renderer:
    def __init__(self, report: Report, config: SiteConfig, directory_urls: bool = True):
        self.report = report
        self.config = config
        self.directory_urls = directory_urls
        self.view: View = build_view(report, config)
        self.env = Environment(loader=PackageLoader("innostudio", "templates/site"), undefined=StrictUndefined,
                               autoescape=select_autoescape(default=True, default_for_string=True),
                               trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
        # Front matter: a YAML-safe scalar, HTML-escaped because the theme prints titles and descriptions raw
        self.env.filters["yq"] = lambda v: Markup(json.dumps(html.escape(str(v), quote=True), ensure_ascii=False))
        self.env.filters["date"] = lambda d: d.isoformat() if d else ""
        self.env.filters["cn_date"] = lambda d: f"{d.year} 年 {d.month} 月 {d.day} 日" if d else ""
        self.env.filters["money"] = lambda v: f"{v:,.0f}" if v is not None else ""
        self.env.filters["num"] = lambda v: f"{v:g}" if isinstance(v, float) else str(v)
        self.env.filters["site_urls"] = self.site_urls
        self.env.globals.update(config=config, as_of=report.as_of, STANDARDS=STANDARDS)
        self._current = ""
        # re-encoded photos are kept by content under build/.cache (git-ignored), reused by the next build
        self.photo_cache = report.repo.root / "build" / ".cache" / "photos"

    # -- URLs -------------------------------------------------------------------------------------
    def url(self, path: str) -> str:
        """A relative URL from the page being rendered to ``path`` (a site path)."""
        target = page_url(path, self.directory_urls)
        here = page_url(self._current, self.directory_urls)
        base = here if here.endswith("/") or here == "" else posixpath.dirname(here) + "/"
        rel = posixpath.relpath(target or ".", base or ".")
        if target.endswith("/") or target == "":
            rel = rel.rstrip("/") + "/" if rel != "." else "./"
        return rel

    def site_urls(self, text: str, absolute: bool = False) -> str:
        """Rendered Markdown (already sanitised) with its published files' site paths made relative to the
        page being rendered (``absolute``: full addresses, for the feed, whose template escapes the text)."""
        to = self.absolute if absolute else self.url
        if SITE_PREFIX in text:
            text = re.sub(re.escape(SITE_PREFIX) + r'([^"]*)"', lambda m: html.escape(to(html.unescape(m.group(1))))
                          + '"', text)
        return text if absolute else Markup(text)

    def absolute(self, path: str) -> str:
        return (self.config.site_url or "/") + page_url(path, self.directory_urls)

    def render(self, template: str, path: str, **context) -> str:
        self._current = path
        return self.env.get_template(template).render(u=self.url, here=path, **context)

    # -- outputs ----------------------------------------------------------------------------------
    def outputs(self) -> list[Output]:
        v = self.view
        out: list[Output] = []
        by_slug = v.by_slug()
        for s in v.studios:
            out.append(Output(s.page, self.render("studio.md.j2", s.page, s=s, chart=self._age_chart(s)),
                              s.source))
            for a in s.achievements:
                out.append(Output(a.page, self.render("achievement.md.j2", a.page, a=a, s=s), a.source))
            out.append(Output(f"badges/{s.slug}.svg", self.render("badge.svg.j2", "badges/x.svg", s=s)))
            out.append(Output(f"qr/{s.slug}.svg", exports.qr_svg(self.absolute(s.page))))
        for doc in v.rule_docs:
            out.append(Output(doc.page, self.render("rule_doc.md.j2", doc.page, d=doc,
                                                       s=by_slug[doc.studio]), doc.source))
        out.append(Output("studios/index.md", self.render("studios.md.j2", "studios/index.md",
                                                          studios=self._directory_order(), **self._filters())))
        out += self._achievement_pages()
        out.append(Output("challenges/index.md", self.render("challenges.md.j2", "challenges/index.md",
                                                             groups=self._challenge_groups(), studios=by_slug)))
        first = min((d.date.year for d in v.decisions if d.code == "accredit"), default=None)
        years = sorted(set(v.inspections) | (set(range(first, v.as_of.year + 1)) if first else set()))
        for year in years:
            path = f"inspections/{year}/index.md"
            out.append(Output(path, self.render("inspection.md.j2", path, year=year,
                                                results=v.inspections.get(year, []), studios=by_slug,
                                                decisions=[d for d in v.decisions if d.date.year == year],
                                                **self._accredited_list(year))))
        std = self.report.repo.standards
        month, day = std.inspection_due()
        out.append(Output("inspections/index.md", self.render(
            "inspections.md.j2", "inspections/index.md", years=sorted(years, reverse=True),
            due=f"{month} 月 {day} 日", min_months=std.inspection_min_months(),
            due_basis=std.basis("inspection.due").label())))
        out.append(Output("stats/index.md", self.render("stats.md.j2", "stats/index.md", charts=self._charts(),
                                                        growth=self._growth())))
        rules = self._rules()
        out.append(Output("rules/index.md", self.render("rules.md.j2", "rules/index.md", rules=rules,
                                                        std=self.report.repo.standards)))
        for i, r in enumerate(rules):  # a page per rule (site.md): /rules/<code>/
            out.append(Output(r["page"], self.render("rule.md.j2", r["page"], r=r,
                                                     prev=rules[i - 1] if i else None,
                                                     next=rules[i + 1] if i + 1 < len(rules) else None)))
        out.append(Output("guide/fields.md", self.render("fields.md.j2", "guide/fields.md",
                                                         sections=field_reference())))
        out.append(Output("guide/standards.md", self.render("standards.md.j2", "guide/standards.md",
                                                            sections=self._threshold_sections())))
        entries = sorted([("achievement", a) for a in v.achievements] + [("recognition", r) for r in v.recognitions],
                         key=lambda e: (e[1].date, e[0] == "recognition"), reverse=True)[:50]
        out.append(Output("feed.xml", self.render("feed.xml.j2", "feed.xml", entries=entries, absolute=self.absolute,
                                                  updated=self._feed_updated())))
        studios = exports.studio_records(v, self.absolute)
        achievements = exports.achievement_records(v, self.absolute)
        out += [Output("api/studios.json", exports.to_json(studios, v.as_of)),
                Output("api/studios.csv", exports.to_csv(studios, exports.STUDIO_FIELDS)),
                Output("api/achievements.json", exports.to_json(achievements, v.as_of)),
                Output("api/achievements.csv", exports.to_csv(achievements, exports.ACHIEVEMENT_FIELDS))]
        recognitions = exports.recognition_records(v, self.absolute)
        out += [Output("api/recognitions.json", exports.to_json(recognitions, v.as_of)),
                Output("api/recognitions.csv", exports.to_csv(recognitions, exports.RECOGNITION_FIELDS)),
                Output("api/site.json", exports.site_json(v, self._policy_date()))]
        out += [Output(path, text) for path, text in exports.schema_files()]
        out += self._media()
        return out

    def home(self) -> str:
        """The generated part of the home page (appended below the hand-written home text)."""
        v = self.view
        year = v.as_of.year
        figures = {
            "studios": len(v.studios),
            "accredited": sum(s.status in m.HOLDS_PLAQUE for s in v.studios),
            "demonstration": sum(s.status == "demonstration" for s in v.studios),
            "members": sum(s.team_size for s in v.studios if s.status != "revoked"),
            "achievements_year": sum(a.year == year for a in v.achievements),
        }
        figures["rectifying"] = sum(s.status == "rectifying" for s in v.studios)  # counted among 已授牌 too
        demo = [s for s in v.studios if s.status == "demonstration"]  # 示范 counts demonstration only
        recommended = [s for s in v.studios if s.recommended and s.status != "demonstration"]
        return self.render("home.html.j2", "index.md", figures=figures, demo=demo, recommended=recommended,
                           latest=v.achievements[:6], year=year)

    # -- helpers ----------------------------------------------------------------------------------
    def _directory_order(self) -> list[StudioView]:
        order = {"demonstration": 0, "accredited": 1, "rectifying": 2, "candidate": 3, "revoked": 4}
        return sorted(self.view.studios, key=lambda s: (order.get(s.status, 9), s.unit, s.name))

    def _filters(self) -> dict:
        studios = self.view.studios
        return {"units": sorted({s.unit for s in studios}),
                "fields": sorted({f for s in studios for f in s.fields}),
                "statuses": [(code, label) for code, label in m.Status.labels().items()
                             if any(s.status == code for s in studios)]}

    def _achievement_pages(self) -> list[Output]:
        """/achievements/ (an index by year and type) and a page per year, split when it would pass 300 KB."""
        achievements = self.view.achievements
        all_years = achievement_pages.years(achievements, self.env, self._url_from)
        out = [Output("achievements/index.md", self.render("achievements.md.j2", "achievements/index.md",
                                                           **achievement_pages.index_context(achievements,
                                                                                             all_years)))]
        for y in all_years:
            start = 1
            for part in y.parts:
                out.append(Output(part.page, self.render("achievements_year.md.j2", part.page, y=y, part=part,
                                                         start=start)))
                start += len(part.items)
        return out

    def _policy_date(self) -> dt.date | None:
        """union/policy.yml's ``document.date`` where the repository's settings read that file (the typed
        Settings of the domain layer); None before then."""
        settings = getattr(self.report.repo, "settings", None)
        date = getattr(getattr(getattr(settings, "policy", None), "document", None), "date", None)
        return date if isinstance(date, dt.date) else None

    def _url_from(self, path: str) -> Callable[[str], str]:
        """The relative-URL function of the page at ``path`` (for measuring what a page will hold)."""
        def url(target: str) -> str:
            current, self._current = self._current, path
            try:
                return self.url(target)
            finally:
                self._current = current
        return url

    def _challenge_groups(self) -> list[tuple[str, str, list[ChallengeView]]]:
        out = []
        for code, label in m.ChallengeStatus.labels().items():
            items = sorted((c for c in self.view.challenges if c.status == code), key=lambda c: c.posted,
                           reverse=True)
            out.append((code, label, items))
        return out

    def _accredited_list(self, year: int) -> dict:
        """授牌名单 at the end of ``year`` (or the evaluation date): studios holding a plaque in good standing,
        those under rectification listed apart, and the studios due for that year's inspection that have no
        record of it (a gap; due as D003 counts it: accredited before the year's last
        ``lifecycle.inspection_min_months`` months)."""
        facts = self.report.facts
        end = min(dt.date(year, 12, 31), self.view.as_of)
        statuses = facts.status_at(end)
        by_slug = self.view.by_slug()
        good, rectifying = [], []
        inspected = {r.studio for r in self.view.inspections.get(year, [])}
        for slug, info in sorted(statuses.items()):
            if slug not in by_slug:
                continue
            s = by_slug[slug]
            if info.status in IN_GOOD_STANDING:
                good.append(Accredited(s.page, s.name, s.unit, m.Status.label_of(info.status)))
            elif info.status == "rectifying":  # still holds its plaque: listed, marked 整改中
                deadline = info.rectify.deadline if info.rectify else None
                good.append(Accredited(s.page, s.name, s.unit, m.Status.label_of(info.status), deadline,
                                       info.overdue(end)))
                rectifying.append(s.name)
        gap = [by_slug[slug] for slug in sorted(facts.uninspected(year, inspected, end)) if slug in by_slug]
        due = facts.inspection_deadline(year)
        return {"accredited": good, "rectifying": rectifying, "gap": gap, "gap_due": due,
                "gap_pending": self.view.as_of <= due,
                "due_basis": self.report.repo.standards.basis("inspection.due").label()}

    def _age_chart(self, s: StudioView) -> str:
        rows = [(x.label, [("人数", x.count)]) for x in s.age_structure]
        return bars(self.env, f"age-{s.slug}", "团队年龄结构（人）", rows, unit=" 人")

    def _charts(self) -> list[dict]:
        v = self.view
        types = [label for label in m.AchievementType.labels().values()]
        by_year: dict[int, Counter] = defaultdict(Counter)
        for a in v.achievements:
            by_year[a.year][a.type_label] += 1
        used = [t for t in types if any(c[t] for c in by_year.values())]
        charts = []
        if by_year:
            rows = [(f"{y} 年", [(t, c[t]) for t in used]) for y, c in sorted(by_year.items())]
            title = "各年度成果数（按类型）"
            charts.append({"title": title, "svg": bars(self.env, "ach-year", title, rows, keys=used, unit=" 项")})
        months = []
        y, mth = v.as_of.year, v.as_of.month
        for _ in range(12):
            months.append((y, mth))
            y, mth = (y, mth - 1) if mth > 1 else (y - 1, 12)
        counts = Counter((a.date.year, a.date.month) for s in v.studios for a in s.activities)
        rows = [(f"{yy} 年 {mm} 月", [("活动", counts[(yy, mm)])]) for yy, mm in reversed(months)]
        title = "近 12 个月各月活动次数"
        charts.append({"title": title, "svg": bars(self.env, "act-month", title, rows, unit=" 次")})
        units = Counter(s.unit for s in v.studios if s.status != "revoked")
        rows = [(u, [("工作室", n)]) for u, n in sorted(units.items(), key=lambda x: (-x[1], x[0]))]
        charts.append({"title": "各单位工作室数", "svg": bars(self.env, "by-unit", "各单位工作室数", rows, unit=" 个")})
        ages: Counter = Counter()
        labels: list[str] = []
        for s in v.studios:
            if s.status == "revoked":
                continue
            for x in s.age_structure:
                ages[x.label] += x.count
                if x.label not in labels:
                    labels.append(x.label)
        rows = [(label, [("人数", ages[label])]) for label in labels]
        title = "团队年龄结构（全部工作室）"
        charts.append({"title": title, "svg": bars(self.env, "ages", title, rows, unit=" 人")})
        return charts

    def _growth(self) -> dict:
        """The targets: studios per year by status (as of each year's end) and demonstration studios against the
        policy's target."""
        repo = self.report.repo
        as_of = self.view.as_of
        dates = [d.date for _doc, _i, d in repo.decisions if d.date <= as_of]
        dates += [ins.date for _doc, _i, ins in repo.inspections if ins.date <= as_of]
        first = min(dates).year if dates else as_of.year
        labels = m.Status.labels()
        years, rows = [], []
        for year in range(first, as_of.year + 1):
            end = min(dt.date(year, 12, 31), as_of)
            established = {f.slug: f.studio.established for f in repo.studios if f.studio is not None}
            counts = Counter(info.status for slug, info in self.report.facts.status_at(end).items()
                             if slug in established and established[slug] <= end)
            by_status = [(labels[c], counts[c]) for c in labels]
            years.append({"year": year, "end": end, "counts": by_status,
                          "holding": sum(counts[c] for c in m.HOLDS_PLAQUE)})
            rows.append((f"{year} 年", list(by_status)))
        svg = bars(self.env, "status-year", "各年末工作室数（按状态）", rows, keys=list(labels.values()), unit=" 个")
        demo = sum(s.status == "demonstration" for s in self.view.studios)
        return {"years": years, "svg": svg, "demo": demo, "targets": self._targets(),
                "recommended": sum(bool(s.recommended) and s.status != "demonstration"
                                   for s in self.view.studios)}

    def _targets(self) -> list[dict]:
        """The document's targets (union/policy.yml ``targets``; else standards.yml ``goals``), each judged
        at the end of its year once that year has passed (rules.md, "Public counts and lists")."""
        repo, as_of = self.report.repo, self.view.as_of
        settings = repo.settings
        targets = [(t.year, t.status, t.min, t.max if t.max is not None else t.min,
                    f"《{settings.policy_short}》{t.ref}" if t.ref else f"《{settings.policy_short}》")
                   for t in settings.policy.targets]
        goals = repo.standards.goals
        if not targets and goals.target_year is not None and goals.demonstration_min is not None:  # older form
            high = goals.demonstration_max if goals.demonstration_max is not None else goals.demonstration_min
            targets = [(goals.target_year, "demonstration", goals.demonstration_min, high,
                        repo.standards.basis("goals.demonstration_min").label())]
        out = []
        for year, status, low, high, basis in targets:
            end = min(dt.date(year, 12, 31), as_of)
            count = sum(info.status == status for info in self.report.facts.status_at(end).values())
            out.append({"year": year, "status": m.Status.label_of(status), "min": low, "max": high, "basis": basis,
                        "past": as_of > dt.date(year, 12, 31), "end": end, "count": count,
                        "reached": count >= low, "over": count > high})
        return out

    def _threshold_sections(self) -> list[dict]:
        """The guide's table of every threshold: its live value and its basis, per standard."""
        from ..rules.ruledoc import format_value
        from ..standards import KEYS, SECTION_TITLES

        std = self.report.repo.standards
        bases = standard_bases(std)
        by_path: dict[str, Rule] = {}
        for rule in RULES.ordered():
            for path in rule.all_thresholds():
                by_path.setdefault(path, rule)
        out = []
        for section in ("s1", "s2", "s3", "s4", "s5", "s6", "funding", "goals", "lifecycle", "inspection"):
            rows = []
            for key in type(std.section(section)).model_fields:
                path = f"{section}.{key}"
                name, text = KEYS[path]
                owner = by_path.get(path)
                rows.append({"rule": f"{owner.code} {owner.title[0]}" if owner else "",
                             "page": rule_page(owner.code) if owner else "", "name": name,
                             "value": format_value(path, std.value(path)), "basis": std.basis(path).label(),
                             "description": std.cite(text)})
            code = section.upper()
            title = f"{code} {STANDARDS[code][0]}" if code in STANDARDS else SECTION_TITLES[section].split("（")[0]
            out.append({"id": section, "title": std.cite(title), "basis": bases.get(code, ""), "rows": rows})
        return out

    def _rules(self) -> list[dict]:
        from ..rules.ruledoc import render as render_doc
        from ..rules.ruledoc import summary
        from .markup import render_markdown

        std = self.report.repo.standards
        out = []
        for rule in RULES.catalogue_order():
            out.append({"code": rule.code, "anchor": rule.code.replace(".", "-"), "title": rule.title[0],
                        "page": rule_page(rule.code),
                        "severity": rule.severity, "standard": rule.standard, "basis": rule.basis(std),
                        "summary": summary(rule, std),
                        "html": render_markdown(render_doc(rule, std), shift_headings=0, fenced=True),
                        "messages": [zh for zh, _en in rule.messages.values()]})
        return out

    def _feed_updated(self) -> str:
        dates = [x[0].date for x in (self.view.achievements, self.view.recognitions) if x]
        return max(dates).isoformat() if dates else self.view.as_of.isoformat()

    def _media(self) -> list[Output]:
        out = []
        media_list = sorted(self.view.media.values(), key=lambda x: x.target)
        photos = iter(many_versions([x.source for x in media_list if x.kind == "image"], self.photo_cache,
                                    as_files=True))
        for media in media_list:
            if media.kind == "image":
                versions = next(photos)
                if versions is None:  # a broken image (already an R003) is not published
                    continue
                assert media.thumb is not None and media.small is not None  # every image has both (view._publish)
                files: tuple[bytes | Path, ...] = versions
                for target, version in zip((media.target, media.thumb, media.small), files, strict=True):
                    out.append(Output(target, b"", file=version) if isinstance(version, Path) else
                               Output(target, version))
            else:
                out.append(Output(media.target, media.source.read_bytes()))
        return out


def render_site(report: Report, config: SiteConfig, directory_urls: bool = True) -> tuple[list[Output], str]:
    """All generated outputs, and the HTML of the generated home-page sections."""
    r = Renderer(report, config, directory_urls)
    return r.outputs(), r.home()
