"""The rule framework: a registry of small units, each with its code, doc, messages and check."""
from __future__ import annotations

import datetime as dt
import difflib
import functools
import inspect
import os
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable

from ..corpus import Doc, Repo, StudioFolder
from ..lifecycle import StatusInfo
from ..load import Pos
from ..model import Person, Studio
from ..standards import Standards, bases_label, short_name
from ..validate import to_file
from ..validate import locate

STRICT_MESSAGES_ENV = "INNOSTUDIO_STRICT_MESSAGES"  # set: a message template that fails to format raises



@dataclass(frozen=True, slots=True)
class Finding:
    code: str
    severity: str
    path: str | None
    line: int | None
    column: int | None
    studio: str | None
    message: str

    def as_json(self) -> dict[str, Any]:
        return {"code": self.code, "severity": self.severity, "path": self.path, "line": self.line,
                "column": self.column, "studio": self.studio, "message": self.message}


@dataclass(slots=True)
class Hit:
    """What a check yields: a message key, a place and the message's parameters."""

    key: str
    path: str | None
    pos: Pos | None = None
    params: dict[str, Any] = field(default_factory=dict)
    studio: str | None = None
    severity: str | None = None  # overrides the rule's default


@dataclass(slots=True)
class Rule:
    code: str
    title: tuple[str, str]
    severity: str  # error | warning | standard (S-rules: depends on the studio's status)
    scope: str  # repo | studio
    messages: dict[str, tuple[str, str]]
    check: Callable[..., Iterable[Hit]]
    doc: str
    standard: str | None = None
    thresholds: dict[str, tuple[str, ...]] = field(default_factory=dict)  # message key -> standards.yml keys
    clause: str = ""  # the policy clause of a rule whose message reads no threshold (S-rules)

    def message(self, key: str, lang: str, params: dict[str, Any], std: Standards | None = None) -> str:
        zh, en = self.messages[key]
        template = en if lang == "en" else zh
        try:
            text = template.format(**params)
        except (KeyError, IndexError, ValueError):
            if os.environ.get(STRICT_MESSAGES_ENV):  # set by the test suite: a broken template is a bug
                raise
            text = template  # a reader still gets the rule's words rather than a crash
        paths = self.thresholds.get(key)
        if std is not None and (paths or self.clause):
            label = bases_label(paths, std, lang) if paths else std.clause(self.clause).label(lang)
            text += f" (basis: {label})" if lang == "en" else f"（依据：{label}）"
        return std.cite(text) if std is not None else text

    def all_thresholds(self) -> tuple[str, ...]:
        """Every standards.yml key this rule reads (in the order of its messages)."""
        out: list[str] = []
        for paths in self.thresholds.values():
            out += [p for p in paths if p not in out]
        return tuple(out)

    def basis(self, std: Standards, lang: str = "zh") -> str:
        """The basis of the rule's thresholds (their clause or 本校细则), else its own clause, else ""."""
        paths = self.all_thresholds()
        own = std.clause(self.clause).label(lang) if self.clause else ""
        if not paths:
            return own
        label = bases_label(paths, std, lang)
        if own and own not in label:  # the standard is the policy's, its numbers are the school's
            names = "、".join(short_name(p) for p in paths)
            label = label if "（" in label else f"{label}（{names}）"
            return f"{own}; {label}" if lang == "en" else f"{own}；{label}"
        return label


RULES: dict[str, Rule] = {}


def rule(code: str, title: tuple[str, str], messages: dict[str, tuple[str, str]], *,
         severity: str = "error", scope: str = "repo", thresholds: dict[str, tuple[str, ...]] | None = None,
         clause: str = ""):
    """Register a check function as the rule ``code``. Its docstring is the rule's documentation: Chinese
    Markdown with the sections ``## 依据``, ``## 要求``, ``## 示例`` and ``## 如何修改`` (see ruledoc.py
    for the live values it may quote). ``thresholds`` names, per message key, the standards.yml keys the
    message reports on: the message then ends with their basis (a policy clause or 本校细则)."""

    def deco(fn: Callable[..., Iterable[Hit]]):
        standard = code.split(".")[0] if code.startswith("S") else None
        RULES[code] = Rule(code, title, "standard" if standard else severity, scope, messages, fn,
                           inspect.getdoc(fn) or "", standard, dict(thresholds or {}), clause)
        return fn

    return deco


def sort_key(code: str) -> tuple:
    letter = code[0]
    order = "YFRPLDSW".find(letter)
    nums = tuple(int(x) for x in code[1:].replace(".", " ").split())
    return (order if order >= 0 else 99, nums)


@functools.lru_cache(maxsize=4)
def _studio_rules(_n: int) -> tuple[Rule, ...]:
    """The S-rules in code order (cached; ``_n`` is the registry's size, so a new rule renews it)."""
    return tuple(r for r in sorted(RULES.values(), key=lambda r: sort_key(r.code))
                 if r.scope == "studio" and r.standard is not None)


@dataclass(slots=True)
class Context:
    repo: Repo
    as_of: dt.date
    statuses: dict[str, StatusInfo]
    lang: str = "zh"
    _memo: dict[str, Any] = field(default_factory=dict)

    def memo(self, key: str, compute: Callable[[], Any]) -> Any:
        """Compute something several rules share once per run."""
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]

    @property
    def std(self) -> Standards:
        return self.repo.standards

    def months_before(self, months: int) -> dt.date:
        """The date ``months`` calendar months before the evaluation date (day clamped)."""
        y, mth = divmod(self.as_of.year * 12 + self.as_of.month - 1 - months, 12)
        mth += 1
        day = self.as_of.day
        while True:
            try:
                return dt.date(y, mth, day)
            except ValueError:
                day -= 1

    def at_date(self, date: dt.date) -> "Context":
        """The same repository evaluated as of ``date`` (rules.md, "Evaluating as of a date D"): windows end
        on ``date``, records dated after it are ignored, undated fields are taken as they are now. Status
        findings of the evaluation date are kept (the S-rules do not depend on the status)."""
        if date == self.as_of:
            return self
        key = f"at:{date.isoformat()}"
        return self.memo(key, lambda: Context(self.repo, date, self.statuses, self.lang))

    def six(self, folder: StudioFolder, date: dt.date | None = None) -> dict[str, list[tuple["Rule", Hit]]]:
        """The six standards (六有) of one studio as of ``date`` (default: the evaluation date): for each
        standard, the failed rules and their hits (empty = met). Computed once per studio and date."""
        ctx = self if date is None else self.at_date(date)
        key = f"six:{folder.slug}"

        def compute() -> dict[str, list[tuple[Rule, Hit]]]:
            from .six import STANDARDS
            out: dict[str, list[tuple[Rule, Hit]]] = {s: [] for s in STANDARDS}
            if folder.studio is None:
                return out
            for r in _studio_rules(len(RULES)):
                for h in r.check(ctx, folder):
                    out[r.standard].append((r, h))
            return out

        return ctx.memo(key, compute)

    def unmet(self, folder: StudioFolder, date: dt.date | None = None) -> list[str]:
        """Codes of the standards (S1…S6) not met as of ``date``. A standard whose failing rules all read a
        broken file or section cannot be judged (无法评价) and is not called unmet: the broken file is
        reported by itself, and a decision is not blamed for what a GBK ledger hides."""
        return [s for s, pairs in self.six(folder, date).items()
                if any(broken_input(folder, r.code) is None for r, _h in pairs)]

    def team(self, studio: Studio) -> list[Person]:
        """Leader and the members who have joined and not left by the evaluation date."""
        out: list[Person] = [studio.leader]
        for mem in studio.members or []:
            if mem.joined is not None and mem.joined > self.as_of:
                continue
            if mem.left is not None and mem.left <= self.as_of:
                continue
            out.append(mem)
        return out


def at(doc: Doc, *loc: Any, key: bool = False) -> tuple[str, Pos | None]:
    """Path and position of a node of a document (nearest ancestor if the node is missing)."""
    return doc.path, locate(doc.data, to_file(loc, doc.kept), key_only=key)


def hit(key: str, doc: Doc, *loc: Any, key_pos: bool = False, **params: Any) -> Hit:
    path, pos = at(doc, *loc, key=key_pos)
    return Hit(key, path, pos, params)


def profile_hit(key: str, folder: StudioFolder, *loc: Any, **params: Any) -> Hit:
    """A hit on studio.yml at ``loc``; on the file alone when the section does not exist."""
    doc = folder.profile
    assert doc is not None
    data = doc.data
    if loc and (not isinstance(data, dict) or loc[0] not in data):
        return Hit(key, doc.path, None, params)
    return hit(key, doc, *loc, key_pos=isinstance(loc[-1], str), **params)


# What each S-rule reads: top-level sections of studio.yml, or "ledger" / "achievements" (the files).
READS = {"S1": ("leader",), "S2": ("signage",), "S3": ("leader", "members"), "S4.1": ("venue",),
         "S4.2": ("funding",), "S5.1": ("rules",), "S5.2": ("projects",), "S6.1": ("projects",),
         "S6.2": ("ledger",), "S6.3": ("achievements",)}


# What a standard shows instead of its reasons when broken_input() names the file it cannot read (无法评价).
BLOCKED_MSG = ("无法评价：{path} 有错误，先修正它（见该文件的错误）", "cannot be judged: {path} has errors; fix it first")


def broken_input(folder: StudioFolder, code: str) -> str | None:
    """The broken file or section an S-rule would read, if any: then the rule cannot claim that data is
    missing or insufficient (a GBK ledger is not "only 2 activities", a mistyped area is not "no venue")."""
    reads = READS.get(code) or READS.get(code.split(".")[0]) or ()
    for what in reads:
        if what in ("ledger", "achievements"):
            docs = folder.ledgers if what == "ledger" else folder.achievements
            for doc in docs:
                if doc.model is None or doc.errors or not doc.source.ok:
                    return doc.path
            if what == "ledger" and any(p.kind in ("encoding", "binary", "size", "parse", "ledgername")
                                        for path, p in folder.problems if "/ledger/" in path):
                return folder.path + "/ledger"
            continue
        prof = folder.profile
        if prof is not None and any(e.field == what or e.field.startswith((what + ".", what + "["))
                                    for e in prof.errors):
            return f"{prof.path}（{what}）"
        near = near_miss(prof, what)
        if near is not None:
            return f"{prof.path}（{near}）"
    return None


def near_miss(prof: Doc | None, what: str) -> str | None:
    """An unknown top-level key of studio.yml that is a misspelling of the absent section `what` (``venu:`` for
    ``venue:``): the section is then broken, not missing."""
    if prof is None or not isinstance(prof.data, dict) or what in prof.data:
        return None
    known = list(Studio.model_fields)
    for e in prof.errors:
        if e.kind == "unknown" and "." not in e.field and "[" not in e.field:
            if difflib.get_close_matches(e.field, known, n=1) == [what]:
                return e.field
    return None


def section_broken(prof: Doc | None, what: str) -> bool:
    """True when studio.yml's section `what` has errors or is absent under a misspelt key: rules that look
    things up in it must not report them as missing."""
    if prof is None:
        return False
    return near_miss(prof, what) is not None or any(
        e.field == what or e.field.startswith((what + ".", what + "[")) for e in prof.errors)
