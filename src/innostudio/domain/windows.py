"""Time windows and the team as of a date: what the standards count (recent activities, achievements,
the members who have joined and not left, age tiers)."""
from __future__ import annotations

import datetime as dt

from ..corpus import StudioFolder
from ..model import Achievement, Activity, Person, Studio


def months_before(as_of: dt.date, months: int) -> dt.date:
    """The date ``months`` calendar months before ``as_of`` (day clamped)."""
    y, mth = divmod(as_of.year * 12 + as_of.month - 1 - months, 12)
    mth += 1
    day = as_of.day
    while True:
        try:
            return dt.date(y, mth, day)
        except ValueError:
            day -= 1


def activities_in_window(folder: StudioFolder, as_of: dt.date, months: int) -> list[Activity]:
    """The ledger activities of the ``months`` months up to ``as_of``."""
    since = months_before(as_of, months)
    return [a for a in folder.activities() if since < a.date <= as_of]


def achievements_in_window(folder: StudioFolder, as_of: dt.date, months: int) -> list[Achievement]:
    """The achievements dated in the ``months`` months up to ``as_of``."""
    since = months_before(as_of, months)
    return [a for a in folder.achievement_models() if since < a.date <= as_of]


def age_tier(age: int, bounds: list[int]) -> int:
    """The age tier of ``age`` (0: below the first bound)."""
    return sum(age >= b for b in sorted(bounds))


def team(studio: Studio, as_of: dt.date) -> list[Person]:
    """Leader and the members who have joined and not left by ``as_of``."""
    out: list[Person] = [studio.leader]
    for mem in studio.members or []:
        if mem.joined is not None and mem.joined > as_of:
            continue
        if mem.left is not None and mem.left <= as_of:
            continue
        out.append(mem)
    return out
