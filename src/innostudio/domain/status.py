"""A studio's status, derived from union records as of the evaluation date (never self-declared).

The policy's order (rules.md, "Status"): candidate 筹建 → accredited 已授牌 → demonstration 示范;
检查不达标 → 限期整改 (rectifying 整改中) → 整改不达标 → 摘牌 (revoked 已摘牌). Inspection results act as
decisions: ``rectify`` as a rectify decision with its deadline; ``fail`` (a failed re-inspection of a
rectifying studio) as a revoke; ``pass`` for a rectifying studio on or before its deadline as a restore.
Records of the same date apply in file order (decisions before inspections).

Records that skip a step are kept as findings (``impossible`` → L001, ``skipped`` → L004,
``not_accredited`` → L007). A record with an L001 or L004 error is left out of the status (the public site
says 状态待核实, :attr:`StatusInfo.under_review`); later records are judged against the status without it.
A revoke outside rectification whose ``note`` states the reason and a second rectify with a ``note`` (an
extension of the deadline) are warnings and apply. Records dated before ``lifecycle.enforce_from`` (history
imported from paper) are ``legacy``: their order findings are warnings and the decisions apply. A decision
that confirms an inspection result already in force is accepted (``confirms``).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ..corpus import Doc, Repo
from ..model import HOLDS_PLAQUE, LEVEL_RANK, Person

IN_GOOD_STANDING = frozenset({"accredited", "demonstration"})

# action -> statuses it may be taken from without any finding
ALLOWED: dict[str, frozenset[str]] = {
    "accredit": frozenset({"candidate", "revoked"}),
    "recommend": frozenset({"accredited", "demonstration"}),
    "demonstrate": frozenset({"accredited"}),
    "rectify": frozenset({"accredited", "demonstration"}),
    "restore": frozenset({"rectifying"}),
    "revoke": frozenset({"rectifying"}),
    "pass": HOLDS_PLAQUE,
}


@dataclass(slots=True)
class Event:
    date: dt.date
    action: str  # decision action, or for an inspection: rectify | revoke (fail) | pass
    doc: Doc
    index: int  # item index in the file's list
    key: str  # "decisions" or "inspections"
    deadline: dt.date | None = None
    order: tuple = ()
    note: str | None = None
    result: str | None = None  # an inspection's result code (pass, rectify, fail)
    legacy: bool = False  # dated before lifecycle.enforce_from (imported from paper): order findings are warnings
    document: str | None = None  # a decision's 文号

    @property
    def inspection(self) -> bool:
        return self.key == "inspections"


@dataclass(slots=True)
class StatusInfo:
    slug: str
    status: str = "candidate"
    recommended: bool = False
    accredited_on: dt.date | None = None
    revoked_on: dt.date | None = None
    rectify: Event | None = None  # the rectification in force
    before_rectify: str | None = None
    last: Event | None = None  # the event that made the current status (for confirmations)
    history: list[tuple[Event, str]] = field(default_factory=list)  # (event, status after)
    impossible: list[tuple[Event, str]] = field(default_factory=list)  # L001: (event, status before)
    skipped: list[tuple[Event, str, str]] = field(default_factory=list)  # L004: (event, status before, why)
    not_accredited: list[tuple[Event, str]] = field(default_factory=list)  # L007: (event, status before)
    confirms: list[Event] = field(default_factory=list)  # decisions confirming an inspection result
    left_out: list[Event] = field(default_factory=list)  # records with an L001/L004 error, not applied

    @property
    def under_review(self) -> bool:
        """状态待核实: a union record with an L001 or L004 error was left out when deriving the status (the
        public site shows the status without it, and says so)."""
        return bool(self.left_out)

    def revocation(self) -> tuple[dt.date, list[str]] | None:
        """A revoked studio's 摘牌: its date and the 文号 of the decisions that made or confirmed it."""
        if self.status != "revoked" or self.revoked_on is None:
            return None
        made = next((ev for ev, after in reversed(self.history) if after == "revoked" and ev.date == self.revoked_on
                     and ev.action == "revoke"), None)
        docs = [made.document] if made is not None and made.document else []
        docs += [ev.document for ev in self.confirms if ev.action == "revoke" and ev.document
                 and ev.date >= self.revoked_on and ev.document not in docs]
        return self.revoked_on, docs

    def overdue(self, as_of: dt.date) -> bool:
        """整改逾期: rectifying, and the deadline has passed."""
        ev = self.rectify
        return self.status == "rectifying" and ev is not None and ev.deadline is not None and ev.deadline < as_of


def plaque_required(info: StatusInfo | None, as_of: dt.date, grace_days: int) -> bool:
    """S2.1: a studio holding a plaque must show its photo from the day after ``grace_days`` days have passed
    since its latest accreditation (the plaque follows the 授牌). A candidate, and a studio judged at its
    accreditation, is judged without it."""
    return info is not None and info.status in HOLDS_PLAQUE and info.accredited_on is not None \
        and (as_of - info.accredited_on).days > grace_days


def years_between(a: dt.date, b: dt.date) -> float:
    return (b - a).days / 365.25


def has_honor_at(person: Person, level: str) -> bool:
    """True when the person holds an honor (of any kind) at ``level`` or above."""
    need = LEVEL_RANK[str(level)]
    return any(LEVEL_RANK[str(h.level)] >= need for h in person.honors)


INSPECTION_ACTION = {"rectify": "rectify", "fail": "revoke", "pass": "pass"}


def _events(repo: Repo) -> dict[str, list[Event]]:
    by_studio: dict[str, list[Event]] = {}
    since = repo.standards.lifecycle.enforce_from
    for n, (doc, i, d) in enumerate(repo.decisions):
        by_studio.setdefault(d.studio, []).append(
            Event(d.date, str(d.action), doc, i, "decisions", d.deadline, (d.date, 0, n), d.note,
                  legacy=since is not None and d.date < since, document=d.document))
    for n, (doc, i, ins) in enumerate(repo.inspections):
        result = str(ins.result)
        by_studio.setdefault(ins.studio, []).append(
            Event(ins.date, INSPECTION_ACTION[result], doc, i, "inspections", ins.deadline, (ins.date, 1, n),
                  None, result, legacy=since is not None and ins.date < since))
    for events in by_studio.values():
        events.sort(key=lambda e: e.order)
    return by_studio


def unknown_studio_events(repo: Repo) -> list[Event]:
    known = {s.slug for s in repo.studios}
    return [e for slug, events in _events(repo).items() if slug not in known for e in events]


def derive(repo: Repo, as_of: dt.date) -> dict[str, StatusInfo]:
    """Status of every studio folder as of ``as_of``."""
    events = _events(repo)
    out: dict[str, StatusInfo] = {}
    for folder in repo.studios:
        info = StatusInfo(folder.slug)
        for ev in events.get(folder.slug, []):
            if ev.date > as_of:
                continue
            _apply(info, ev)
        out[folder.slug] = info
    return out


def _confirms(info: StatusInfo, ev: Event) -> bool:
    """A decision that confirms an inspection result already in force (the union's 文号 for it)."""
    if ev.action == "rectify":  # the running deadline, however it was set (a decision or a re-inspection)
        return info.status == "rectifying" and info.rectify is not None and ev.deadline == info.rectify.deadline
    if ev.inspection or info.last is None:
        return False
    last = info.last
    if not last.inspection:
        return False
    if ev.action == "revoke":
        return info.status == "revoked" and last.result == "fail"
    if ev.action == "restore":
        return info.status in IN_GOOD_STANDING and last.result == "pass"
    return False


def _noted(ev: Event) -> bool:
    return bool(ev.note and ev.note.strip())


def _apply(info: StatusInfo, ev: Event) -> None:
    before = info.status
    a = ev.action
    if _confirms(info, ev):
        info.confirms.append(ev)
        info.history.append((ev, info.status))
        return
    if ev.inspection and before not in HOLDS_PLAQUE:
        if before == "candidate":  # L007: recorded, changes no status
            info.not_accredited.append((ev, before))
        else:
            info.impossible.append((ev, before))
            if not ev.legacy:
                info.left_out.append(ev)
        return
    if a == "pass":
        # a pass for a studio in good standing is recorded; for a rectifying studio it restores the studio
        # (after the deadline as well: L002 was reported while it was overdue)
        if before == "rectifying" and info.rectify is not None:
            info.status, info.rectify = info.before_rectify or "accredited", None
            info.last = ev
        info.history.append((ev, info.status))
        return
    if a == "rectify" and before == "rectifying":
        if not ev.inspection and _noted(ev) or ev.legacy:  # an extension of the deadline (L004 warning)
            info.skipped.append((ev, before, "extension"))
            info.rectify = ev
            info.last = ev
            info.history.append((ev, info.status))
        else:  # L004: a new deadline without a note is not applied
            info.skipped.append((ev, before, "deadline"))
            info.left_out.append(ev)
        return
    if before not in ALLOWED[a]:
        if a == "revoke" and before in IN_GOOD_STANDING:
            info.skipped.append((ev, before, "revoke"))  # L004 (a warning when the note gives a reason)
            if not (_noted(ev) and not ev.inspection) and not ev.legacy:
                info.left_out.append(ev)
                return
        else:
            info.impossible.append((ev, before))
            if not ev.legacy or ev.inspection or a in ("restore", "recommend") and before not in HOLDS_PLAQUE:
                if not ev.legacy:
                    info.left_out.append(ev)
                return
    _change(info, ev, before)


def _change(info: StatusInfo, ev: Event, before: str) -> None:
    a = ev.action
    if a == "accredit":
        info.status, info.accredited_on = "accredited", ev.date
        info.revoked_on, info.rectify, info.recommended = None, None, False
    elif a == "recommend":
        info.recommended = True
    elif a == "demonstrate":
        info.status = "demonstration"
        if info.accredited_on is None:  # legacy: a demonstration recorded without its accreditation
            info.accredited_on = ev.date
    elif a == "rectify":
        info.before_rectify = before if before in IN_GOOD_STANDING else "accredited"
        info.status, info.rectify = "rectifying", ev
    elif a == "restore":
        info.status, info.rectify = info.before_rectify or "accredited", None
    elif a == "revoke":
        info.status, info.revoked_on, info.rectify = "revoked", ev.date, None
        info.recommended = False
    info.last = ev
    info.history.append((ev, info.status))
