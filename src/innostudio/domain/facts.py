"""The facts of a repository at an evaluation date, computed once per run: each studio's status and history,
the team, the time windows and the inspections due. Rules judge them; the renderers read them."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ..corpus import Repo, StudioFolder
from ..model import Achievement, Activity, Person, Studio
from ..standards import Standards
from . import windows
from .inspections import inspection_deadline, uninspected
from .status import StatusInfo, derive


@dataclass(slots=True)
class Facts:
    repo: Repo
    as_of: dt.date
    statuses: dict[str, StatusInfo]  # each studio's status and history as of the evaluation date
    _status_at: dict[dt.date, dict[str, StatusInfo]] = field(default_factory=dict, repr=False)

    @property
    def std(self) -> Standards:
        return self.repo.standards

    def at_date(self, date: dt.date) -> Facts:
        """The same repository evaluated as of ``date`` (windows end on ``date``; records dated after it are
        ignored by what reads them). The statuses stay those of the evaluation date."""
        if date == self.as_of:
            return self
        return Facts(self.repo, date, self.statuses, self._status_at)

    def status_at(self, date: dt.date) -> dict[str, StatusInfo]:
        """Every studio's status as of ``date`` (the evaluation date's are :attr:`statuses`)."""
        if date == self.as_of:
            return self.statuses
        if date not in self._status_at:
            self._status_at[date] = derive(self.repo, date)
        return self._status_at[date]

    def months_before(self, months: int) -> dt.date:
        return windows.months_before(self.as_of, months)

    def team(self, studio: Studio) -> list[Person]:
        """Leader and the members who have joined and not left by the evaluation date."""
        return windows.team(studio, self.as_of)

    def activities_in_window(self, folder: StudioFolder, months: int) -> list[Activity]:
        return windows.activities_in_window(folder, self.as_of, months)

    def achievements_in_window(self, folder: StudioFolder, months: int) -> list[Achievement]:
        return windows.achievements_in_window(folder, self.as_of, months)

    def inspection_deadline(self, year: int) -> dt.date:
        return inspection_deadline(year, self.std)

    def uninspected(self, year: int, inspected: set[str], date: dt.date | None = None) -> list[str]:
        """Studios due for the inspection of ``year`` (in their status as of ``date``, default the evaluation
        date) that are not in ``inspected``."""
        statuses = self.statuses if date is None else self.status_at(date)
        return uninspected(statuses, inspected, year, self.std)


def facts_of(repo: Repo, as_of: dt.date) -> Facts:
    """The facts of ``repo`` as of ``as_of``."""
    return Facts(repo, as_of, derive(repo, as_of))
