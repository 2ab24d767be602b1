"""The policy as configuration: thresholds of union/standards.yml, with the defaults of rules.md.

Another union adopts the portal by editing union/standards.yml; no code changes. Every key is
optional: a missing key keeps its default.
"""
from __future__ import annotations

from typing import Annotated

from pydantic import ConfigDict, Field

from .model import (
    BOARD,
    HONOR_KIND,
    LEVEL,
    RULE_KIND,
    STAGE,
    TITLE_LEVEL,
    VENUE_FN,
    VOCATIONAL,
    Date,
    Entry,
)

class Conf(Entry):
    model_config = ConfigDict(strict=True, extra="forbid", frozen=True, validate_default=True)


Count = Annotated[int, Field(ge=0, le=10_000)]
Months = Annotated[int, Field(ge=1, le=240)]


class S1(Conf):
    honor_kinds: list[HONOR_KIND] = ["model_worker", "advanced_worker", "may_day_medal"]
    honor_min_level: LEVEL = "municipal"
    min_title_level: TITLE_LEVEL = "associate_senior"
    min_vocational_level: VOCATIONAL = "senior_worker"
    require_frontline: bool = True


class S2(Conf):
    boards: list[BOARD] = ["org_structure", "duties", "goals", "management_rules"]


class S3(Conf):
    min_members: Count = 3
    age_tier_bounds: list[Annotated[int, Field(ge=1, le=120)]] = [35, 50]
    min_age_tiers: Count = 2
    min_young: Count = 1
    min_title_levels: Count = 2
    min_disciplines: Count = 2
    min_frontline_ratio: Annotated[float, Field(ge=0, le=1)] = 0.5


class S4(Conf):
    min_area_m2: Annotated[float, Field(ge=0)] = 15
    functions: list[VENUE_FN] = ["study", "practice", "exhibition"]
    min_equipment: Count = 1
    funding_years_back: Annotated[int, Field(ge=0, le=10)] = 1


class S5(Conf):
    rule_kinds: list[RULE_KIND] = ["study", "breakthrough", "collaboration", "transformation", "incentive",
                                   "management"]
    min_stage: STAGE = "approved"


class S6(Conf):
    project_window_months: Months = 12
    ledger_window_months: Months = 12
    min_activities: Count = 10
    min_active_months: Count = 8
    achievement_window_months: Months = 24


class Lifecycle(Conf):
    # optional local demonstration conditions (本校细则, not in the policy): off unless set
    demonstrate_min_years: Annotated[int, Field(ge=0, le=50)] | None = None
    demonstrate_leader_honor_level: LEVEL | None = None
    inspection_due_month: Annotated[int, Field(ge=1, le=12)] = 3
    inspection_min_months: Annotated[int, Field(ge=0, le=12)] = 6
    # accreditations decided before this date (before the portal was adopted) are not checked (L005)
    enforce_from: Date | None = None


class Limits(Conf):
    text_kib: Annotated[int, Field(ge=1, le=100_000)] = 256
    image_mib: Annotated[float, Field(gt=0, le=1000)] = 5
    image_warn_mib: Annotated[float, Field(gt=0, le=1000)] = 2
    image_min_side_px: Annotated[int, Field(ge=0, le=10_000)] = 300


Points = Annotated[float, Field(ge=-1000, le=1000)]


class Ranking(Conf):
    """Weights of the demonstration-studio ranking (innostudio rank)."""

    national: Points = 10
    provincial: Points = 6
    municipal: Points = 3
    school: Points = 1
    unleveled: Points = 1
    transformation_per_10k_yuan: Points = 0.5
    transformation_cap: Points = 10
    activity: Points = 0.2
    activity_cap: Points = 6
    standard_met: Points = 2
    project_transformed: Points = 3
    project_promoted: Points = 3
    challenge_claimed: Points = 2
    challenge_solved: Points = 4
    inspection_pass: Points = 5
    inspection_rectify: Points = -5


class Standards(Conf):
    s1: S1 = S1()
    s2: S2 = S2()
    s3: S3 = S3()
    s4: S4 = S4()
    s5: S5 = S5()
    s6: S6 = S6()
    lifecycle: Lifecycle = Lifecycle()
    limits: Limits = Limits()
    ranking: Ranking = Ranking()


DEFAULTS = Standards()
