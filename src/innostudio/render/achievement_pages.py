"""/achievements/: an index by year and type, a page per year at achievements/<YYYY>/, split into numbered
pages (achievements/<YYYY>/2/, /3/ …; the first part stays at achievements/<YYYY>/) when a year's page would
pass 300 KB (site.md). A school of 1,000 studios then serves pages as small as the sample's."""
from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from jinja2 import Environment

from .. import model as m
from .view import AchievementView

PAGE_LIMIT = 300_000  # bytes of a built page (site.md)
# What the theme adds around a page's body (header, navigation, footer, scripts): about 19 KB on the
# sample; the budget leaves room for a longer navigation or organisation name.
CHROME_ALLOWANCE = 50_000
LIST_BUDGET = PAGE_LIMIT - CHROME_ALLOWANCE  # bytes of achievement list items on one page


@dataclass
class YearPart:
    """One page of a year's achievements."""

    year: int
    number: int  # 1 for achievements/<YYYY>/
    items: list[AchievementView]

    @property
    def page(self) -> str:
        return f"achievements/{self.year}/index.md" if self.number == 1 else \
            f"achievements/{self.year}/{self.number}/index.md"


@dataclass
class Year:
    year: int
    items: list[AchievementView]
    parts: list[YearPart] = field(default_factory=list)

    @property
    def page(self) -> str:
        return f"achievements/{self.year}/index.md"

    @property
    def type_counts(self) -> list[tuple[str, int]]:
        return _type_counts(self.items)


def _type_counts(items: list[AchievementView]) -> list[tuple[str, int]]:
    counts = Counter(a.type_label for a in items)
    return [(label, counts[label]) for label in m.AchievementType.labels().values() if counts[label]]


def split(items: list[AchievementView], size: Callable[[AchievementView], int], budget: int = LIST_BUDGET
          ) -> list[list[AchievementView]]:
    """Consecutive runs of ``items`` whose sizes add up to at most ``budget`` (at least one item a run)."""
    runs: list[list[AchievementView]] = [[]]
    used = 0
    for a in items:
        n = size(a)
        if runs[-1] and used + n > budget:
            runs.append([])
            used = 0
        runs[-1].append(a)
        used += n
    return runs if runs[0] else []


def years(achievements: list[AchievementView], env: Environment, url_from: Callable[[str], Callable[[str], str]]
          ) -> list[Year]:
    """Every year with achievements, newest first, each split into parts that fit a page.

    ``url_from(path)`` gives the relative-URL function of a page at ``path``: each item is measured as
    rendered on the deepest page (achievements/<YYYY>/<n>/, the longest relative links)."""
    by_year: dict[int, list[AchievementView]] = defaultdict(list)
    for a in achievements:
        by_year[a.year].append(a)
    item = env.get_template("_macros.j2").module.achievement_item  # type: ignore[attr-defined]
    out = []
    for year, items in sorted(by_year.items(), reverse=True):
        runs = split(items, _measure(item, url_from(f"achievements/{year}/2/index.md")))
        out.append(Year(year, items, [YearPart(year, k, run) for k, run in enumerate(runs, 1)]))
    return out


def _measure(item: Callable[..., object], u: Callable[[str], str]) -> Callable[[AchievementView], int]:
    """The bytes an achievement's list item takes on a page whose relative URLs ``u`` gives."""
    def size(a: AchievementView) -> int:
        return len(str(item(a, u)).encode("utf-8")) + 1
    return size


def index_context(achievements: list[AchievementView], all_years: list[Year]) -> dict:
    return {"years": all_years, "type_counts": _type_counts(achievements), "total": len(achievements)}
