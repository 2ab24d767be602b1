"""The repository's settings, read once per run into one typed :class:`Settings` object.

Three files make them: mkdocs.yml (its ``site_name``/``site_url``/``repo_url`` and ``extra``: what an
adopting union changes, its name and filings), union/standards.yml (the thresholds, see standards.py)
and union/policy.yml (the policy document as data: its names, the clauses the portal cites and its
targets; see /work/shared/design/policy-profile.md). Every file is optional: a missing or broken one
gives the defaults (the checker still runs, and reports the broken file by itself). mkdocs.yml is read as
plain YAML (no MkDocs import).

Until union/policy.yml exists, the document's names come from mkdocs.yml ``extra.policy_title``,
``policy_short`` and ``policy_number``, as before.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

import yaml

from .standards import CLAUSE_KEYS, DEFAULT_LOCAL_LABEL, DEFAULTS, SEED_POLICY_SHORT, Standards

__all__ = ["CLAUSE_KEYS", "SEED_POLICY_SHORT", "Clause", "Policy", "PolicyDocument", "Settings", "Target",
           "policy_short", "read_policy", "site_settings"]

POLICY_FILE = "union/policy.yml"

# The clause keys policy.yml may cite (policy-profile.md); rules name theirs in @rule(clause_key=...).


class _Loader(yaml.SafeLoader):
    pass


_Loader.add_multi_constructor("", lambda loader, suffix, node: None)  # !!python/name and other tags


def _read_yaml(path: Path) -> Any:
    """A YAML file's data; None when it is missing or unreadable."""
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return None


def site_settings(root: Path) -> dict:
    """mkdocs.yml as a mapping; empty when it is missing or unreadable (the checker still runs)."""
    data = _read_yaml(Path(root) / "mkdocs.yml")
    return data if isinstance(data, dict) else {}


def _text(value: Any) -> str:
    return str(value).strip() if isinstance(value, (str, int, float)) and not isinstance(value, bool) else ""


def policy_short(extra: Mapping[str, Any]) -> str:
    """How pages and messages cite the policy: 《<short>》 and a clause's ref; the seed's name when unset."""
    value = extra.get("policy_short")
    return str(value).strip() if isinstance(value, (str, int)) and str(value).strip() else SEED_POLICY_SHORT


@dataclass(frozen=True)
class PolicyDocument:
    """The policy document's names (policy.yml ``document``)."""

    title: str = ""
    short: str = ""  # how pages refer to it: 《short》
    number: str = ""  # its document number (文号)
    date: dt.date | None = None
    page: str = ""  # the page under content/ that holds its full text


@dataclass(frozen=True)
class Clause:
    """Where the document says something the portal cites: its place (``ref``), its exact words (``quote``)
    and, where the portal reads it in a way the words do not say, that reading."""

    ref: str = ""
    quote: str = ""
    reading: str = ""


@dataclass(frozen=True)
class Target:
    """What the document commits to: ``min``…``max`` studios with ``status`` by the end of ``year``."""

    year: int
    status: str
    min: int
    max: int | None = None
    ref: str = ""


@dataclass(frozen=True)
class Policy:
    """union/policy.yml; empty when the file is absent (``present`` False)."""

    document: PolicyDocument = PolicyDocument()
    clauses: Mapping[str, Clause] = field(default_factory=lambda: MappingProxyType({}))
    targets: tuple[Target, ...] = ()
    present: bool = False

    def clause(self, key: str | None) -> Clause | None:
        """The clause ``key`` cites, when policy.yml has it."""
        return self.clauses.get(key) if key else None


def _document(data: Any) -> PolicyDocument:
    if not isinstance(data, dict):
        return PolicyDocument()
    date = data.get("date")
    return PolicyDocument(_text(data.get("title")), _text(data.get("short")), _text(data.get("number")),
                          date if isinstance(date, dt.date) else None, _text(data.get("page")))


def _clauses(data: Any) -> Mapping[str, Clause]:
    out: dict[str, Clause] = {}
    if isinstance(data, dict):
        for key, value in data.items():
            if isinstance(value, dict):
                out[str(key)] = Clause(_text(value.get("ref")), _text(value.get("quote")),
                                       _text(value.get("reading")))
    return MappingProxyType(out)


def _raw(value: Any) -> str:
    return str(value) if value is not None else ""


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _targets(data: Any) -> tuple[Target, ...]:
    out: list[Target] = []
    for item in data if isinstance(data, list) else []:
        if not isinstance(item, dict):
            continue
        year, low = _int(item.get("year")), _int(item.get("min"))
        if year is None or low is None or not _text(item.get("status")):
            continue
        out.append(Target(year, _text(item.get("status")), low, _int(item.get("max")), _text(item.get("ref"))))
    return tuple(out)


def read_policy(root: Path) -> Policy:
    """union/policy.yml as far as it can be read (the checks of its contents are rules' work)."""
    path = Path(root) / POLICY_FILE
    if not path.is_file():
        return Policy()
    data = _read_yaml(path)
    if not isinstance(data, dict):
        return Policy(present=True)
    return Policy(_document(data.get("document")), _clauses(data.get("clauses")), _targets(data.get("targets")),
                  True)


@dataclass(frozen=True)
class Settings:
    """Everything a run reads from the repository's configuration files, read once."""

    site_name: str = ""
    site_url: str = ""
    repo_url: str = ""
    extra: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))  # mkdocs.yml `extra`
    policy: Policy = Policy()
    standards: Standards = DEFAULTS

    @property
    def organisation(self) -> str:
        """The organisation named in mkdocs.yml (`extra.organisation`); empty when unknown."""
        return str(self.extra.get("organisation") or "")

    @property
    def policy_title(self) -> str:
        """The document's title (policy.yml, else extra.policy_title); empty when neither names it."""
        return self.policy.document.title or _raw(self.extra.get("policy_title"))

    @property
    def policy_short(self) -> str:
        """How pages and messages cite the policy (policy.yml, else extra.policy_short, else the seed's)."""
        return self.policy.document.short or policy_short(self.extra)

    @property
    def local_label(self) -> str:
        """How the union's own rules are labelled (extra.local_label; the sample says 本校细则)."""
        return _text(self.extra.get("local_label")) or DEFAULT_LOCAL_LABEL

    @property
    def clause_refs(self) -> dict[str, str]:
        """Clause key → ref of union/policy.yml, with "targets" for the document's first target."""
        refs = {key: clause.ref for key, clause in self.policy.clauses.items() if clause.ref}
        if self.policy.targets and self.policy.targets[0].ref:
            refs["targets"] = self.policy.targets[0].ref
        return refs

    @property
    def policy_number(self) -> str:
        """The document's number (policy.yml, else extra.policy_number); empty when neither names it."""
        return self.policy.document.number or _raw(self.extra.get("policy_number"))

    @classmethod
    def from_site(cls, site: Mapping[str, Any], policy: Policy | None = None,
                  standards: Standards = DEFAULTS) -> Settings:
        """Settings from mkdocs.yml's mapping (or MkDocs' config), policy.yml and the standards; the
        standards cite the policy by its short name."""
        extra = site.get("extra")
        extra = dict(extra) if isinstance(extra, Mapping) else {}
        made = cls(_raw(site.get("site_name")), _raw(site.get("site_url")), _raw(site.get("repo_url")),
                   MappingProxyType(extra), policy or Policy(), standards)
        quotes = {key: (c.quote, c.reading) for key, c in made.policy.clauses.items() if c.quote}
        cited = standards.with_policy(made.policy_short).with_clauses(made.clause_refs, made.local_label, quotes)
        return made if cited is standards else \
            cls(made.site_name, made.site_url, made.repo_url, made.extra, made.policy, cited)

    @classmethod
    def read(cls, root: Path, standards: Standards = DEFAULTS) -> Settings:
        """The settings of the repository at ``root`` (``standards``: union/standards.yml, loaded by the
        caller, which reports its errors)."""
        return cls.from_site(site_settings(root), read_policy(root), standards)
