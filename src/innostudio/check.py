"""Run every rule over a repository and collect the findings and each studio's six-standard matrix."""
from __future__ import annotations

import contextlib
import datetime as dt
import gc
import os
from dataclasses import dataclass, field
from pathlib import Path

from .corpus import Repo, load_repo
from .lifecycle import StatusInfo, derive
from .model import HOLDS_PLAQUE
from .rules import RULES, STANDARDS, Context, Finding, Hit, Rule, sort_key
from .rules.base import READS, broken_input as _broken_input  # noqa: F401 - READS: part of check's API

AS_OF_ENV = "INNOSTUDIO_AS_OF"


class InvalidAsOf(ValueError):
    """An evaluation date that is not YYYY-MM-DD."""


def resolve_as_of(value: str | None) -> dt.date:
    """The evaluation date: --as-of, else $INNOSTUDIO_AS_OF, else today (read once, here)."""
    raw = value or os.environ.get(AS_OF_ENV) or ""
    if not raw:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(raw.strip())
    except ValueError:
        raise InvalidAsOf(f"日期 “{raw}” 无效：应为 YYYY-MM-DD") from None


S_SEVERITY = {"candidate": "info"} | {status: "error" for status in HOLDS_PLAQUE}


@dataclass(slots=True)
class StudioResult:
    slug: str
    name: str
    status: str
    recommended: bool
    evaluated: bool  # False when studio.yml could not be read well enough to judge the standards
    standards: dict[str, bool] = field(default_factory=dict)
    reasons: dict[str, list[Finding]] = field(default_factory=dict)
    # standards that cannot be judged because the file or section they read is broken (无法评价): unmet in
    # `standards` (the JSON contract's booleans), shown as a third state in text output and status
    blocked: set[str] = field(default_factory=set)

    @property
    def met(self) -> int:
        return sum(self.standards.values())

    def as_json(self) -> dict:
        return {"slug": self.slug, "name": self.name, "status": self.status, "met": self.met,
                "standards": dict(self.standards), "recommended": self.recommended,
                "evaluated": self.evaluated}


@dataclass(slots=True)
class Report:
    as_of: dt.date
    repo: Repo
    statuses: dict[str, StatusInfo]
    findings: list[Finding]
    studios: list[StudioResult]

    def count(self, severity: str) -> int:
        return sum(f.severity == severity for f in self.findings)

    @property
    def exit_code(self) -> int:
        return 1 if self.count("error") else 0

    def as_json(self) -> dict:
        return {"as_of": self.as_of.isoformat(), "findings": [f.as_json() for f in self.findings],
                "studios": [s.as_json() for s in self.studios]}


def _finding(rule: Rule, h: Hit, ctx: Context, severity: str, studio: str | None) -> Finding:
    line, col = h.pos if h.pos is not None else (None, None)
    return Finding(rule.code, h.severity or severity, h.path, line, col, h.studio or studio,
                   rule.message(h.key, ctx.lang, h.params, ctx.std))


def _studio_of(path: str | None) -> str | None:
    if path and path.startswith("studios/"):
        parts = path.split("/")
        if len(parts) > 1 and parts[1]:
            return parts[1]
    return None


# What each S-rule reads, and the guard against judging a standard on a broken file, live beside the
# standards themselves (rules/base.py) so that every evaluation of them, as of any date, applies them.
BLOCKED_MSG = ("无法评价：{path} 有错误，先修正它（见该文件的错误）", "cannot be judged: {path} has errors; fix it first")


def evaluate(repo: Repo, as_of: dt.date, lang: str = "zh") -> Report:
    statuses = derive(repo, as_of)
    ctx = Context(repo, as_of, statuses, lang)
    findings: list[Finding] = []
    results: list[StudioResult] = []
    rules = sorted(RULES.values(), key=lambda r: sort_key(r.code))
    for rule in rules:
        if rule.scope == "repo":
            for h in rule.check(ctx):
                findings.append(_finding(rule, h, ctx, rule.severity, _studio_of(h.path)))
    for folder in repo.studios:
        info = statuses[folder.slug]
        studio = folder.studio
        res = StudioResult(folder.slug, studio.name if studio else folder.slug, info.status, info.recommended,
                           studio is not None, {s: False for s in STANDARDS}, {s: [] for s in STANDARDS})
        results.append(res)
        if studio is None:
            continue
        severity = S_SEVERITY.get(info.status)
        genuine: set[str] = set()
        for std, pairs in ctx.six(folder).items():
            by_rule: dict[str, tuple[Rule, list[Hit]]] = {}
            for rule, h in pairs:
                by_rule.setdefault(rule.code, (rule, []))[1].append(h)
            for rule, hits in by_rule.values():
                broken = _broken_input(folder, rule.code)
                if broken is not None:  # unmet, but only the broken file is reported
                    zh, en = BLOCKED_MSG
                    msg = (en if lang == "en" else zh).format(path=broken)
                    res.reasons[std].append(Finding(rule.code, "info", broken.split("（")[0], None, None,
                                                    folder.slug, msg))
                    continue
                genuine.add(std)
                for h in hits:
                    f = _finding(rule, h, ctx, severity or "info", folder.slug)
                    res.reasons[std].append(f)
                    if severity is not None:
                        findings.append(f)
        res.standards = {s: not res.reasons[s] for s in STANDARDS}
        res.blocked = {s for s in STANDARDS if res.reasons[s] and s not in genuine}
    findings = sorted(set(findings), key=lambda f: (f.path or "", f.line or 0, f.column or 0, sort_key(f.code),
                                                    f.message))
    return Report(as_of, repo, statuses, findings, results)


DATA_LETTERS = ("Y", "F", "R", "P")


def blocking(report: Report) -> list[Finding]:
    """The errors that stop `innostudio build`: data that would publish something wrong or unsafe (Y, F, R,
    P). State findings (S, L002, D002, D003, L006) say where a studio stands; time alone raises them and the
    site publishes them instead of freezing (rules.md, "Output of check")."""
    return [f for f in report.findings if f.severity == "error" and f.code.startswith(DATA_LETTERS)]


@contextlib.contextmanager
def paused_gc():
    """Pause the cyclic garbage collector while a repository is loaded and checked.

    Loading builds hundreds of thousands of small acyclic objects that all stay alive; the collector
    would re-scan them again and again (about a third of the run time at 300 studios) to free nothing.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def run(root: Path, as_of: dt.date, lang: str = "zh") -> Report:
    with paused_gc():
        return evaluate(load_repo(root), as_of, lang)
