"""The yearly inspection (the inspection clause): which records make a year's round, which studios are due
for it, and by when it must be done."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from ..corpus import Repo, file_year
from ..model import HOLDS_PLAQUE, Inspection
from ..standards import Standards
from .status import StatusInfo


def inspection_round(repo: Repo, year: int, until: dt.date) -> dict[str, list[Inspection]]:
    """The inspection round of ``year`` per studio, in date order: the records of
    union/inspections/<year>.yml (the work of that year, inspected then or early the next year, with any
    re-inspection after rectification), recorded on or before ``until``. Not the records dated in ``year``:
    those may belong to the round before."""
    out: dict[str, list[Inspection]] = {}
    for doc, _i, ins in sorted(repo.inspections, key=lambda x: x[2].date):
        if file_year(doc.path) == year and ins.date <= until:
            out.setdefault(ins.studio, []).append(ins)
    return out


def month_end(year: int, month: int) -> dt.date:
    nxt = dt.date(year + (month == 12), month % 12 + 1, 1)
    return nxt - dt.timedelta(days=1)


def inspection_deadline(year: int, std: Standards) -> dt.date:
    """The last day on which the inspection of ``year``'s work may still be recorded (``inspection.due`` of
    the next year, default 03-31); it is overdue from the day after."""
    month, day = std.inspection_due()
    return min(dt.date(year + 1, month, 1) + dt.timedelta(days=day - 1), month_end(year + 1, month))


def accredited_by(year: int, std: Standards) -> dt.date:
    """The last accreditation date that makes a studio due for the inspection of ``year``: it held its plaque
    for at least ``inspection.min_months`` before the end of that year."""
    months = std.inspection_min_months()
    month = 12 - months
    if month >= 1:
        return month_end(year, month)
    return dt.date(year - 1, 12, 31)


def due_for_inspection(info: StatusInfo, year: int, std: Standards) -> bool:
    """True when the studio, in the status ``info`` gives, is due for the inspection of ``year``."""
    return info.status in HOLDS_PLAQUE and info.accredited_on is not None \
        and info.accredited_on <= accredited_by(year, std)


def uninspected(statuses: dict[str, StatusInfo], inspected: Iterable[str], year: int,
                std: Standards) -> list[str]:
    """Slugs (in the order of ``statuses``) due for the inspection of ``year`` with no record of it."""
    done = set(inspected)
    return [slug for slug, info in statuses.items() if slug not in done and due_for_inspection(info, year, std)]


def held_plaque_in(info: StatusInfo, year: int) -> bool:
    """True when the studio held a plaque at any time in ``year`` (its work of that year is inspected; the
    yearly workbook lists it): in a plaque-holding status on 1 January, or after any record of that year.
    ``info`` is the studio's status as of the year's end or later."""
    start = dt.date(year, 1, 1)
    before = "candidate"
    for ev, after in info.history:
        if ev.date < start:
            before = after
        elif ev.date.year == year and after in HOLDS_PLAQUE:
            return True
    return before in HOLDS_PLAQUE
