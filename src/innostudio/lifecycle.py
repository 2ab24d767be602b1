"""A studio's status, derived from union records as of the evaluation date (never self-declared).

candidate 筹建 → accredited 已授牌 → demonstration 示范; rectifying 整改中 (until restore or revoke);
revoked 已摘牌. An inspection result ``rectify`` acts as a rectify decision with its deadline, a
``fail`` as a revoke. Records of the same date apply in file order (decisions before inspections).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from .corpus import Doc, Repo
from .model import HOLDS_PLAQUE, LEVEL_RANK, Person

# action -> statuses it may be taken from
ALLOWED: dict[str, frozenset[str]] = {
    "accredit": frozenset({"candidate", "revoked"}),
    "recommend": frozenset({"accredited", "demonstration"}),
    "demonstrate": frozenset({"accredited"}),
    "rectify": HOLDS_PLAQUE,
    "restore": frozenset({"rectifying"}),
    "revoke": HOLDS_PLAQUE,
}


@dataclass(slots=True)
class Event:
    date: dt.date
    action: str
    doc: Doc
    index: int  # item index in the file's list
    key: str  # "decisions" or "inspections"
    deadline: dt.date | None = None
    order: tuple = ()


@dataclass(slots=True)
class StatusInfo:
    slug: str
    status: str = "candidate"
    recommended: bool = False
    accredited_on: dt.date | None = None
    revoked_on: dt.date | None = None
    rectify: Event | None = None  # the rectification in force
    before_rectify: str | None = None
    history: list[tuple[Event, str]] = field(default_factory=list)  # (event, status after)
    impossible: list[tuple[Event, str]] = field(default_factory=list)  # (event, status before)


def years_between(a: dt.date, b: dt.date) -> float:
    return (b - a).days / 365.25


def has_honor_at(person: Person, level: str) -> bool:
    """True when the person holds an honor (of any kind) at ``level`` or above."""
    need = LEVEL_RANK[str(level)]
    return any(LEVEL_RANK[str(h.level)] >= need for h in person.honors)


def _events(repo: Repo) -> dict[str, list[Event]]:
    by_studio: dict[str, list[Event]] = {}
    for n, (doc, i, d) in enumerate(repo.decisions):
        by_studio.setdefault(d.studio, []).append(
            Event(d.date, str(d.action), doc, i, "decisions", d.deadline, (d.date, 0, n)))
    for n, (doc, i, ins) in enumerate(repo.inspections):
        action = {"rectify": "rectify", "fail": "revoke"}.get(str(ins.result))
        if action is None:
            continue
        by_studio.setdefault(ins.studio, []).append(
            Event(ins.date, action, doc, i, "inspections", ins.deadline, (ins.date, 1, n)))
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


def _apply(info: StatusInfo, ev: Event) -> None:
    before = info.status
    if before not in ALLOWED[ev.action]:
        info.impossible.append((ev, before))
        return
    a = ev.action
    if a == "accredit":
        info.status, info.accredited_on = "accredited", ev.date
        info.revoked_on = None
    elif a == "recommend":
        info.recommended = True
    elif a == "demonstrate":
        info.status = "demonstration"
    elif a == "rectify":
        if before != "rectifying":
            info.before_rectify = before
        info.status, info.rectify = "rectifying", ev
    elif a == "restore":
        info.status, info.rectify = info.before_rectify or "accredited", None
    elif a == "revoke":
        info.status, info.revoked_on, info.rectify = "revoked", ev.date, None
        info.recommended = False
    info.history.append((ev, info.status))
