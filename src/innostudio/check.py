"""Run every rule over a repository and collect the findings and each studio's six-standard matrix."""
from __future__ import annotations

import contextlib
import datetime as dt
import gc
import os
from dataclasses import dataclass, field
from pathlib import Path

from .corpus import Repo, load_repo
from .domain.facts import Facts, facts_of
from .domain.six import STANDARDS, blocked_message, broken_input
from .domain.status import StatusInfo
from .forking import Pickled, fork_jobs
from .model import HOLDS_PLAQUE
from .rules.base import Context
from .rules.registry import RULES, Finding, Hit, Kind, Rule, sort_key

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
    # 状态待核实: a union record with an L001/L004 error was left out of `status` (rules.md, Status)
    under_review: bool = False

    @property
    def met(self) -> int:
        return sum(self.standards.values())

    def as_json(self) -> dict:
        return {"slug": self.slug, "name": self.name, "status": self.status, "met": self.met,
                "standards": dict(self.standards), "recommended": self.recommended,
                "evaluated": self.evaluated, "under_review": self.under_review}


@dataclass(slots=True)
class Report:
    facts: Facts
    findings: list[Finding]
    studios: list[StudioResult]
    context: Context  # the rules' context of this run (its memo holds the standards judged at other dates)

    @property
    def as_of(self) -> dt.date:
        return self.facts.as_of

    @property
    def repo(self) -> Repo:
        return self.facts.repo

    @property
    def statuses(self) -> dict[str, StatusInfo]:
        return self.facts.statuses

    def reasons_at(self, slug: str, date: dt.date) -> dict[str, list[str]]:
        """Why each standard (S1…S6) of a studio is unmet as of ``date`` (empty: met), in Chinese and without
        the bases; a rule reading a broken file says so (无法评价), as the evaluation date's reasons do."""
        folder = self.repo.by_slug()[slug]
        out: dict[str, list[str]] = {}
        for code, pairs in self.context.six(folder, date).items():
            texts: list[str] = []
            for rule, h in pairs:
                broken = broken_input(folder, rule.reads)
                text = blocked_message(broken) if broken is not None else rule.message(h.key, "zh", h.params)
                if text not in texts:
                    texts.append(text)
            out[code] = texts
        return out

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
    return Finding(rule.code, str(h.severity or severity), h.path, line, col, h.studio or studio,
                   rule.message(h.key, ctx.lang, h.params, ctx.std))


def _studio_of(path: str | None) -> str | None:
    if path and path.startswith("studios/"):
        parts = path.split("/")
        if len(parts) > 1 and parts[1]:
            return parts[1]
    return None


# How many processes evaluate the rules (INNOSTUDIO_JOBS, forking.py): two on a repository big enough to pay
# for a fork (each process then runs a part of the repo-wide rules on the same loaded data, copy-on-write,
# and sends back only its findings); the tests compare N processes with one.
PARALLEL_MIN_DOCS = 600  # below this the rules take less time than starting a process
# Repo-wide rules run in a forked process, most expensive first; they read each file's own text and parse
# and share no memo with the rules left here (the file references of R*, Y004 and W001 stay together; L005
# judges the standards as of past dates, not the evaluation date the studio matrix uses).
def offloaded() -> list[str]:
    """The rules that may run in a forked process (``fork`` in their metadata), most expensive first."""
    return [r.code for r in sorted((r for r in RULES.values() if r.fork), key=lambda r: r.fork)]


def jobs_for(repo: Repo) -> int:
    """The number of processes that evaluate the rules of ``repo`` (forking.fork_jobs)."""
    return fork_jobs(sum(1 for _ in repo.all_docs()), PARALLEL_MIN_DOCS)


def _rule_findings(rule: Rule, ctx: Context) -> list[Finding]:
    return [_finding(rule, h, ctx, rule.severity, _studio_of(h.path)) for h in rule.check(ctx)]


@dataclass(slots=True)
class _Child:
    process: Pickled
    codes: tuple[str, ...]


def _fork_rules(ctx: Context, codes: tuple[str, ...]) -> _Child | None:
    """Run the repo-wide rules ``codes`` in a forked process that sends their findings back. None when no
    process could be started (the rules then run here)."""
    def compute() -> tuple[str, object]:
        try:
            return ("ok", {code: [(f.code, f.severity, f.path, f.line, f.column, f.studio, f.message)
                                  for f in _rule_findings(RULES[code], ctx)]  # tuples: quicker to pickle
                           for code in codes})
        except BaseException as exc:  # noqa: BLE001 - the parent runs the rules again and meets it
            return ("error", repr(exc))

    process = Pickled.start(compute)
    return _Child(process, codes) if process is not None else None


def _without_layout_noise(findings: list[Finding]) -> list[Finding]:
    """W003 (layout) is held back on a file that has an error: the lead fixes the error first, and the fix in
    the editor or with `innostudio fmt` brings the layout with it."""
    broken = {f.path for f in findings if f.severity == "error" and f.path}
    return [f for f in findings if not (f.code == "W003" and f.path in broken)]


def _collect(child: _Child) -> dict[str, list[Finding]] | None:
    """The findings a forked process sent, or None when it failed (its rules then run here)."""
    ok, value = child.process.result()
    if not ok or not isinstance(value, tuple) or value[0] != "ok":
        return None
    return {code: [Finding(*t) for t in rows] for code, rows in value[1].items()}


def evaluate(repo: Repo, as_of: dt.date, lang: str = "zh", jobs: int | None = None) -> Report:
    facts = facts_of(repo, as_of)
    statuses = facts.statuses
    ctx = Context(facts, lang)
    results: list[StudioResult] = []
    repo_rules = [r for r in RULES.ordered() if r.scope == "repo"]
    jobs = jobs_for(repo) if jobs is None else jobs
    children: list[_Child] = []
    if jobs > 1:
        offload = [c for c in offloaded() if RULES[c].scope == "repo"]
        groups = [tuple(offload[i::jobs - 1]) for i in range(jobs - 1)]
        children = [c for c in (_fork_rules(ctx, g) for g in groups if g) if c is not None]
    try:
        sent = {code for c in children for code in c.codes}
        by_rule: dict[str, list[Finding]] = {}
        for rule in repo_rules:
            if rule.code not in sent:
                by_rule[rule.code] = _rule_findings(rule, ctx)
        studio_findings = _studio_results(repo, ctx, statuses, lang, results)
    finally:
        received = [(c, _collect(c)) for c in children]
    for child, got in received:
        for code in child.codes:
            by_rule[code] = got[code] if got is not None else _rule_findings(RULES[code], ctx)
    findings = _without_layout_noise([f for rule in repo_rules for f in by_rule[rule.code]] + studio_findings)
    findings = sorted(set(findings), key=lambda f: (f.path or "", f.line or 0, f.column or 0, sort_key(f.code),
                                                    f.message))
    return Report(facts, findings, results, ctx)


def _studio_results(repo: Repo, ctx: Context, statuses: dict[str, StatusInfo], lang: str,
                    results: list[StudioResult]) -> list[Finding]:
    """Each studio's six-standard matrix (appended to ``results``) and the findings of its S-rules."""
    findings: list[Finding] = []
    for folder in repo.studios:
        info = statuses[folder.slug]
        studio = folder.studio
        res = StudioResult(folder.slug, studio.name if studio else folder.slug, info.status, info.recommended,
                           studio is not None, {s: False for s in STANDARDS}, {s: [] for s in STANDARDS},
                           under_review=info.under_review)
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
                broken = broken_input(folder, rule.reads)
                if broken is not None:  # unmet, but only the broken file is reported
                    res.reasons[std].append(Finding(rule.code, "info", broken.split("（")[0], None, None,
                                                    folder.slug, blocked_message(broken, lang)))
                    continue
                genuine.add(std)
                for h in hits:
                    f = _finding(rule, h, ctx, severity or "info", folder.slug)
                    res.reasons[std].append(f)
                    if severity is not None:
                        findings.append(f)
        res.standards = {s: not res.reasons[s] for s in STANDARDS}
        res.blocked = {s for s in STANDARDS if res.reasons[s] and s not in genuine}
    return findings


def blocking(report: Report) -> list[Finding]:
    """The errors that stop `innostudio build`: data that would publish something wrong or unsafe (rules of
    kind ``data``: Y, F, R, P). State findings (S, L002, D002, D003, L006) say where a studio stands; time alone
    raises them and the site publishes them instead of freezing (rules.md, "Output of check")."""
    return [f for f in report.findings
            if f.severity == "error" and f.code in RULES and RULES[f.code].kind is Kind.DATA]


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
            # Everything made meanwhile would be in the youngest generation, and the first collection
            # after re-enabling would scan all of it (~0.15 s at 300 studios). Move it to the oldest
            # generation unscanned instead (freeze, then unfreeze): it is collected like any long-lived
            # data when it becomes garbage.
            gc.freeze()
            gc.unfreeze()
            gc.enable()


def run(root: Path, as_of: dt.date, lang: str = "zh") -> Report:
    with paused_gc():
        return evaluate(load_repo(root), as_of, lang)
