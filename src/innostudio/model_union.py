"""Model stage: the union's configuration files beside its records (union/policy.yml, union/privacy.yml).

union/policy.yml is the policy document as data (docs/contract/policy-profile.md); union/privacy.yml lists
the values the union has reviewed for P001/P002 (docs/contract/data-format.md).
"""
from __future__ import annotations

from typing import Annotated

from pydantic import Field

from .model import _EMPTY_LIST, MAX_YEAR, MIN_YEAR, STATUS, Date, Entry, Text


class PrivacyException(Entry):
    """A value the union has reviewed and allows in public text (e.g. a public office number that looks
    like a mobile number): P001/P002 do not flag it."""

    value: Text
    note: Text


class Privacy(Entry):
    """union/privacy.yml: the reviewed exceptions to P001/P002."""

    allow: list[PrivacyException] = Field(default_factory=list)


class PolicyDocumentEntry(Entry):
    """union/policy.yml ``document``: the policy's names (docs/contract/policy-profile.md)."""

    title: Text
    short: Text
    number: str | None = None
    date: Date | None = None
    page: Text = "policy.md"


class PolicyClause(Entry):
    """Where the document says it (``ref``), its exact words (``quote``, C001) and the portal's reading."""

    ref: Text
    quote: Text | None = None
    reading: Text | None = None


class PolicyClauses(Entry):
    """The fixed set of clause keys; every key is optional and an unknown one is F002."""

    S1: PolicyClause | None = None
    S2: PolicyClause | None = None
    S3: PolicyClause | None = None
    S4: PolicyClause | None = None
    S5: PolicyClause | None = None
    S6: PolicyClause | None = None
    accredit: PolicyClause | None = None
    recommend: PolicyClause | None = None
    ledger: PolicyClause | None = None
    funding: PolicyClause | None = None
    inspection: PolicyClause | None = None
    challenges: PolicyClause | None = None
    publish: PolicyClause | None = None
    recommend_achievement: PolicyClause | None = None
    commend: PolicyClause | None = None


class PolicyTarget(Entry):
    """What the document commits to: ``min``…``max`` studios with ``status`` by the end of ``year``."""

    year: Annotated[int, Field(ge=MIN_YEAR, le=MAX_YEAR)]
    status: STATUS
    min: Annotated[int, Field(ge=0)]
    max: Annotated[int, Field(ge=0)] | None = None
    ref: Text | None = None


class PolicyFile(Entry):
    """union/policy.yml: the policy document as data."""

    document: PolicyDocumentEntry
    clauses: PolicyClauses = Field(default_factory=PolicyClauses)
    targets: list[PolicyTarget] = _EMPTY_LIST
