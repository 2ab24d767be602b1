"""What the federation relies on in a member's open data (federation.md, "What every site publishes"),
as typed models. Unknown fields are allowed (fields are only ever added within a ``schema_version``);
every field listed here is required, and a document of another ``schema_version`` is refused.

- ``/api/site.json``: ``schema_version`` (1), ``org``, ``url``, ``policy`` {``title``, ``number``, ``date``},
  ``as_of``, ``generated_with``, ``counts`` (one integer per status code, and ``plaque_holders``).
- ``/api/studios.json``: ``schema_version``, ``items``: ``slug``, ``name``, ``url``, ``status``,
  ``under_review``, ``recommended``, ``recommendation`` ({``date``, ``document``} or null) and
  ``recommendations`` (a list of them); read when present: ``status_label``, ``unit``, ``fields``,
  ``leader_name``, ``summary``.
- ``/api/achievements.json``: ``schema_version``, ``items``: ``title``, ``url``, ``studio``; read when present:
  ``studio_name``, ``type``, ``type_label``, ``date``, ``summary``.

A public URL of a member (its site, a studio, an achievement) must be an absolute http(s) address: the
portal links to it, and a ``javascript:`` address would run in the portal's pages.
"""
from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from ..model import Status
from .config import check_url

SCHEMA_VERSION = 1
STATUS_CODES: tuple[str, ...] = tuple(str(m.value) for m in Status)
STATUS_LABELS: dict[str, str] = {code: Status.label_of(code, "zh") for code in STATUS_CODES}


class _Open(BaseModel):
    model_config = ConfigDict(extra="allow", frozen=False)


def _public_url(value: str) -> str:
    check_url(value, fetch=False)
    return value


class Policy(_Open):
    title: str
    number: str
    date: dt.date


class SiteDoc(_Open):
    schema_version: Literal[1]
    org: str = Field(min_length=1)
    url: str
    policy: Policy
    as_of: dt.date
    generated_with: str
    counts: dict[str, int]

    @field_validator("url")
    @classmethod
    def _url(cls, value: str) -> str:
        return check_url(value, fetch=False)

    @field_validator("counts")
    @classmethod
    def _counts(cls, value: dict[str, int]) -> dict[str, int]:
        missing = [code for code in (*STATUS_CODES, "plaque_holders") if code not in value]
        if missing:
            raise ValueError(f"缺少计数 {'、'.join(missing)}")
        return value


class Recommendation(_Open):
    date: dt.date
    document: str


class StudioItem(_Open):
    slug: str = Field(min_length=1)
    name: str = Field(min_length=1)
    url: str
    status: str
    under_review: bool
    recommended: bool
    recommendation: Recommendation | None
    recommendations: list[Recommendation]
    status_label: str | None = None
    unit: str | None = None
    fields: list[str] = Field(default_factory=list)
    leader_name: str | None = None
    summary: str | None = None

    @field_validator("url")
    @classmethod
    def _url(cls, value: str) -> str:
        return _public_url(value)

    @field_validator("status")
    @classmethod
    def _status(cls, value: str) -> str:
        if value not in STATUS_CODES:
            raise ValueError(f"状态代码 “{value}” 不在 {'、'.join(STATUS_CODES)} 之中")
        return value


class AchievementItem(_Open):
    title: str = Field(min_length=1)
    url: str
    studio: str
    studio_name: str | None = None
    type: str | None = None
    type_label: str | None = None
    date: dt.date | None = None
    summary: str | None = None

    @field_validator("url")
    @classmethod
    def _url(cls, value: str) -> str:
        return _public_url(value)


class StudiosDoc(_Open):
    schema_version: Literal[1]
    items: list[StudioItem]


class AchievementsDoc(_Open):
    schema_version: Literal[1]
    items: list[AchievementItem]


DOCUMENTS: dict[str, type[_Open]] = {"site.json": SiteDoc, "studios.json": StudiosDoc,
                                     "achievements.json": AchievementsDoc}


def relied_on() -> dict[str, Any]:
    """The JSON Schemas of what the federation relies on (for the lead, and for comparing with a site's
    published ``/api/schema/``)."""
    return {name: model.model_json_schema() for name, model in DOCUMENTS.items()}
