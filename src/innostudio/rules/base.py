"""What a rule's check receives (:class:`Context`: the facts, the language and a memo) and the helpers that
place its hits in a file."""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from ..corpus import Doc, Repo, StudioFolder
from ..domain.facts import Facts
from ..domain.six import STANDARDS, broken_input
from ..domain.status import Event, StatusInfo
from ..load import Pos
from ..model import Person, Studio
from ..standards import Standards
from ..validate import locate, to_file
from .registry import RULES, Hit, Kind, Rule, Severity, rule

__all__ = ["Context", "Hit", "Kind", "Rule", "Severity", "at", "hit", "profile_hit", "rule", "studio_of"]


@dataclass(slots=True)
class Context:
    facts: Facts
    lang: str = "zh"
    _memo: dict[str, Any] = field(default_factory=dict)

    @property
    def repo(self) -> Repo:
        return self.facts.repo

    @property
    def as_of(self) -> dt.date:
        return self.facts.as_of

    @property
    def statuses(self) -> dict[str, StatusInfo]:
        return self.facts.statuses

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
        return self.facts.months_before(months)

    def at_date(self, date: dt.date) -> Context:
        """The same repository evaluated as of ``date`` (rules.md, "Evaluating as of a date D"): windows end
        on ``date``, records dated after it are ignored, undated fields are taken as they are now. Status
        findings of the evaluation date are kept (the S-rules do not depend on the status)."""
        if date == self.as_of:
            return self
        key = f"at:{date.isoformat()}"
        return self.memo(key, lambda: Context(self.facts.at_date(date), self.lang))

    def six(self, folder: StudioFolder, date: dt.date | None = None) -> dict[str, list[tuple[Rule, Hit]]]:
        """The six standards (六有) of one studio as of ``date`` (default: the evaluation date): for each
        standard, the failed rules and their hits (empty = met). Computed once per studio and date."""
        ctx = self if date is None else self.at_date(date)
        key = f"six:{folder.slug}"

        def compute() -> dict[str, list[tuple[Rule, Hit]]]:
            out: dict[str, list[tuple[Rule, Hit]]] = {s: [] for s in STANDARDS}
            if folder.studio is None:
                return out
            for r in RULES.studio_rules():
                assert r.standard is not None
                for h in r.check(ctx, folder):
                    out[r.standard].append((r, h))
            return out

        result: dict[str, list[tuple[Rule, Hit]]] = ctx.memo(key, compute)
        return result

    def unmet(self, folder: StudioFolder, date: dt.date | None = None) -> list[str]:
        """Codes of the standards (S1…S6) not met as of ``date``. A standard whose failing rules all read a
        broken file or section cannot be judged (无法评价) and is not called unmet: the broken file is
        reported by itself, and a decision is not blamed for what a GBK ledger hides."""
        return [s for s, pairs in self.six(folder, date).items()
                if any(broken_input(folder, r.reads) is None for r, _h in pairs)]

    def studio_events(self) -> Iterator[tuple[StudioFolder, Event]]:
        """Each union record in the history of each studio whose studio.yml was read, with its folder (the
        records L005 and L008 judge against the six standards of their date)."""
        folders = self.repo.by_slug()
        for slug, info in self.statuses.items():
            folder = folders[slug]
            if folder.studio is not None:
                for ev, _after in info.history:
                    yield folder, ev

    def team(self, studio: Studio) -> list[Person]:
        """Leader and the members who have joined and not left by the evaluation date."""
        return self.facts.team(studio)


def at(doc: Doc, *loc: Any, key: bool = False) -> tuple[str, Pos | None]:
    """Path and position of a node of a document (nearest ancestor if the node is missing)."""
    return doc.path, locate(doc.data, to_file(loc, doc.kept), key_only=key)


def hit(key: str, doc: Doc, *loc: Any, key_pos: bool = False, **params: Any) -> Hit:
    path, pos = at(doc, *loc, key=key_pos)
    return Hit(key, path, pos, params)


def studio_of(folder: StudioFolder) -> Studio:
    """The studio an S-rule checks: :meth:`Context.six` runs the S-rules only where studio.yml was read."""
    studio = folder.studio
    assert studio is not None
    return studio


def profile_hit(key: str, folder: StudioFolder, *loc: Any, **params: Any) -> Hit:
    """A hit on studio.yml at ``loc``; on the file alone when the section does not exist."""
    doc = folder.profile
    assert doc is not None
    data = doc.data
    if loc and (not isinstance(data, dict) or loc[0] not in data):
        return Hit(key, doc.path, None, params)
    return hit(key, doc, *loc, key_pos=isinstance(loc[-1], str), **params)
