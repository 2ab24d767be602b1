"""The rule registry: each rule's metadata and the explicit list of the modules that implement rules.

This module sits below the rule implementations: they import :func:`rule` from here, and the
check runner, the renderers and the CLI read :data:`RULES` from here without importing any
implementation themselves. :data:`RULES` is filled on first use from :data:`IMPLEMENTATIONS`, the one
place that lists where rules live (a new rule module is added there).
"""
from __future__ import annotations

import importlib
import inspect
import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from ..domain.six import STANDARDS
from ..load import Pos
from ..standards import Standards, bases_label, short_name

STRICT_MESSAGES_ENV = "INNOSTUDIO_STRICT_MESSAGES"  # set: a message template that fails to format raises

# The modules (under innostudio.rules) whose @rule functions make the catalogue, in no particular order.
IMPLEMENTATIONS = ("crosscheck", "format", "funding", "layout", "lifecycle_rules", "links", "placeholder",
                   "policy_rules", "privacy", "refs", "six_team", "six_work", "syntax", "unread", "yearly")


class Severity(StrEnum):
    """How bad a finding is. ``standard``: an S-rule, whose findings are errors for a studio holding a
    plaque and information for a candidate."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"
    STANDARD = "standard"


class Kind(StrEnum):
    """``data``: the data would publish something wrong or unsafe (its errors stop a build); ``state``:
    where a studio stands (time alone raises it; the site publishes it)."""

    DATA = "data"
    STATE = "state"


@dataclass(frozen=True, slots=True)
class Finding:
    code: str
    severity: str
    path: str | None
    line: int | None
    column: int | None
    studio: str | None
    message: str

    @property
    def place(self) -> str:
        """``path:line:column`` (or the path alone) as editors and CI logs link it."""
        path = self.path or "."
        return path if self.line is None else f"{path}:{self.line}:{self.column or 1}"

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
    severity: Severity
    scope: str  # repo | studio
    messages: dict[str, tuple[str, str]]
    check: Callable[..., Iterable[Hit]]
    doc: str
    standard: str | None = None
    thresholds: dict[str, tuple[str, ...]] = field(default_factory=dict)  # message key -> standards.yml keys
    clause: str = ""  # the policy clause of a rule whose message reads no threshold (S-rules)
    kind: Kind = Kind.STATE
    clause_key: str | None = None  # the policy.yml clause the rule's content comes from (S1…S6, inspection, …)
    # What the rule reads: top-level sections of studio.yml, or "ledger" / "achievements" (the files). A
    # standard whose rule reads a broken input cannot be judged (无法评价).
    reads: tuple[str, ...] = ()
    # > 0: a repo-wide rule that reads each file's own text and shares no memo with the others, so it may
    # run in a forked process; lower numbers are the more expensive ones, started first
    fork: int = 0

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


RULE_ATTR = "__innostudio_rule__"


def rule(code: str, title: tuple[str, str], messages: dict[str, tuple[str, str]], *,
         severity: Severity = Severity.ERROR, scope: str = "repo",
         thresholds: dict[str, tuple[str, ...]] | None = None, clause: str = "", kind: Kind = Kind.STATE,
         clause_key: str | None = None, reads: tuple[str, ...] = (),
         fork: int = 0) -> Callable[[Callable[..., Iterable[Hit]]], Callable[..., Iterable[Hit]]]:
    """Mark a check function as the rule ``code`` (the registry collects it from its module). Its docstring
    is the rule's documentation: Chinese Markdown with the sections ``## 依据``, ``## 要求``, ``## 示例`` and
    ``## 如何修改`` (see ruledoc.py for the live values it may quote). ``thresholds`` names, per message key,
    the standards.yml keys the message reports on: the message then ends with their basis (a policy clause
    or 本校细则). An S-rule (code ``S<n>.<m>``) belongs to the standard ``S<n>`` and cites its clause key."""

    def deco(fn: Callable[..., Iterable[Hit]]) -> Callable[..., Iterable[Hit]]:
        standard = code.split(".")[0] if code.startswith("S") else None
        meta = Rule(code, title, Severity.STANDARD if standard else Severity(severity), scope, messages, fn,
                    inspect.getdoc(fn) or "", standard, dict(thresholds or {}), clause, Kind(kind),
                    standard or clause_key, tuple(reads), fork)
        setattr(fn, RULE_ATTR, meta)
        return fn

    return deco


def sort_key(code: str) -> tuple:
    letter = code[0]
    order = "YFRPCLDSW".find(letter)
    nums = tuple(int(x) for x in code[1:].replace(".", " ").split())
    return (order if order >= 0 else 99, nums)


def _collect() -> dict[str, Rule]:
    found: list[Rule] = []
    for name in IMPLEMENTATIONS:
        module = importlib.import_module(f"{__package__}.{name}")
        for value in vars(module).values():
            meta = getattr(value, RULE_ATTR, None)
            if isinstance(meta, Rule) and getattr(value, "__module__", None) == module.__name__:
                found.append(meta)
    out: dict[str, Rule] = {}
    for meta in sorted(found, key=lambda r: sort_key(r.code)):
        if meta.code in out:
            raise RuntimeError(f"rule {meta.code} is defined twice")
        out[meta.code] = meta
    return out


class Registry(Mapping[str, Rule]):
    """Code -> rule, in code order; the implementation modules are imported on first use."""

    def __init__(self) -> None:
        self._rules: dict[str, Rule] | None = None

    def _all(self) -> dict[str, Rule]:
        if self._rules is None:
            self._rules = _collect()
        return self._rules

    def __getitem__(self, code: str) -> Rule:
        return self._all()[code]

    def __iter__(self) -> Iterator[str]:
        return iter(self._all())

    def __len__(self) -> int:
        return len(self._all())

    def ordered(self) -> list[Rule]:
        """Every rule in code order."""
        return list(self._all().values())

    def catalogue_order(self) -> list[Rule]:
        """Every rule as the catalogue lists them: the six standards (S-rules) first, then the others, each
        in code order."""
        return sorted(self._all().values(), key=lambda r: (r.standard is None, r.code))

    def studio_rules(self) -> list[Rule]:
        """The S-rules (one studio each), in code order."""
        return [r for r in self._all().values() if r.scope == "studio" and r.standard is not None]

    def of_standard(self, standard: str) -> list[Rule]:
        return sorted((r for r in self._all().values() if r.standard == standard), key=lambda r: r.code)


RULES = Registry()


def standard_bases(std: Standards) -> dict[str, str]:
    """Per standard (S1…S6), the basis of its rules: the policy clauses, and 本校细则 with what it sets."""
    out = {}
    for code in STANDARDS:
        policy: list[str] = []
        local: list[str] = []
        for r in RULES.of_standard(code):
            if r.clause:
                policy.append(std.clause(r.clause).label())
            for path in r.all_thresholds():
                b = std.basis(path)
                (policy if b.kind == "policy" else local).append(b.label() if b.kind == "policy" else short_name(path))
        text = "；".join(dict.fromkeys(policy))
        if local:
            text += ("；" if text else "") + f"{std.local_label}（{'、'.join(dict.fromkeys(local))}）"
        out[code] = text
    return out

__all__ = ["RULES", "STANDARDS", "Finding", "Hit", "Kind", "Rule", "Severity", "rule", "sort_key", "standard_bases"]
