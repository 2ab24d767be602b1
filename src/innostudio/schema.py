"""JSON Schemas of every entry file, for editors that validate while you type."""
from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel

from . import model as m
from .standards import Standards

SCHEMAS: dict[str, tuple[type[BaseModel], str]] = {
    "studio": (m.Studio, "studios/<slug>/studio.yml：工作室档案"),
    "achievement": (m.Achievement, "studios/<slug>/achievements/*.md 的 front matter：成果"),
    "ledger": (m.Ledger, "studios/<slug>/ledger/<YYYY>.yml：工作台账"),
    "decisions": (m.Decisions, "union/decisions.yml：授牌、推荐、示范、整改、摘牌决定"),
    "inspections": (m.Inspections, "union/inspections/<YYYY>.yml：年度检查结果"),
    "challenges": (m.Challenges, "union/challenges.yml：揭榜挂帅榜单"),
    "standards": (Standards, "union/standards.yml：六有标准的阈值"),
    "team": (m.UnionTeam, "union/team.yml：校工会维护人员（CODEOWNERS）"),
}


def schema_of(name: str) -> dict:
    model, title = SCHEMAS[name]
    schema = model.model_json_schema(mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = title
    return schema


def schema_texts() -> dict[str, str]:
    return {f"{name}.schema.json": json.dumps(schema_of(name), ensure_ascii=False, indent=2, sort_keys=True) + "\n"
            for name in SCHEMAS}


def write_schemas(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in schema_texts().items():
        path = folder / name
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
        written.append(path)
    return written
