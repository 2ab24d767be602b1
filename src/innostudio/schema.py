"""JSON Schemas of every entry file, for editors that validate while you type."""
from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel

from . import model as m
from . import model_union as mu
from .settings import SEED_POLICY_SHORT
from .standards import DEFAULTS, KEYS, SECTION_TITLES, Standards

SCHEMAS: dict[str, tuple[type[BaseModel], str]] = {
    "studio": (m.Studio, "studios/<slug>/studio.yml：工作室档案"),
    "achievement": (m.Achievement, "studios/<slug>/achievements/*.md 的 front matter：成果"),
    "ledger": (m.Ledger, "studios/<slug>/ledger/<YYYY>.yml：工作台账"),
    "decisions": (m.Decisions, "union/decisions.yml：授牌、推荐、示范、整改、摘牌决定"),
    "inspections": (m.Inspections, "union/inspections/<YYYY>.yml：年度检查结果"),
    "challenges": (m.Challenges, "union/challenges.yml：揭榜挂帅榜单"),
    "recognitions": (m.Recognitions, "union/recognitions.yml：工会推荐优秀成果与表彰"),
    "standards": (Standards, "union/standards.yml：六有标准等阈值；每项注明依据（政策文件的条款，或本单位细则）"),
    "team": (m.UnionTeam, "union/team.yml：校工会维护人员（CODEOWNERS）"),
    "privacy": (mu.Privacy, "union/privacy.yml：工会审核后允许公开的号码（隐私检查 P001、P002 不再报告）"),
}


def schema_of(name: str) -> dict:
    model, title = SCHEMAS[name]
    schema = model.model_json_schema(mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = title
    if model is Standards:
        _describe_standards(schema)
    return schema


def _describe_standards(schema: dict) -> None:
    """A Chinese description on every key of standards.yml (editors show it on hover), with the basis of
    its default; every threshold may also be written as ``{value, basis, clause}``."""
    defs = schema.get("$defs", {})
    for section, prop in schema["properties"].items():
        prop.pop("default", None)
        ref = prop.get("$ref") or next((x["$ref"] for x in prop.get("allOf", []) if "$ref" in x), None)
        prop.clear()
        prop.update({"$ref": ref, "description": SECTION_TITLES[section]})
        assert isinstance(ref, str), section
        sub = defs[ref.rsplit("/", 1)[1]]
        sub["description"] = SECTION_TITLES[section]
        for key, kprop in list(sub["properties"].items()):
            path = f"{section}.{key}"
            name, text = KEYS[path]
            basis = DEFAULTS.basis(path).label()
            default = kprop.pop("default", None)
            plain = dict(kprop)
            plain.pop("title", None)
            desc = f"{name}：{text} 默认值 {json.dumps(default, ensure_ascii=False)}，默认依据：{basis}。"
            based = {"type": "object", "additionalProperties": False, "required": ["value"],
                     "description": "写成映射时注明依据：basis 为 policy（并在 clause 写明 union/policy.yml 的条款键）"
                                    "或 local（本单位细则）",
                     "properties": {"value": plain,
                                    "basis": {"type": "string", "enum": ["policy", "local"],
                                              "description": "policy = 政策文件规定（在 clause 写明条款键）；"
                                                             "local = 本单位细则"},
                                    "clause": {"type": "string", "description": "union/policy.yml 的条款键，例如 S4"}}}
            sub["properties"][key] = {"title": name, "description": desc, "default": default,
                                      "anyOf": [plain, based]}


def schema_texts(policy_short: str = SEED_POLICY_SHORT) -> dict[str, str]:
    """The schema files; their descriptions cite the policy as 《policy_short》 (mkdocs.yml extra.policy_short)."""
    std = DEFAULTS.with_policy(policy_short)
    return {f"{name}.schema.json": std.cite(json.dumps(schema_of(name), ensure_ascii=False, indent=2,
                                                       sort_keys=True)) + "\n"
            for name in SCHEMAS}


def write_schemas(folder: Path, policy_short: str = SEED_POLICY_SHORT) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in schema_texts(policy_short).items():
        path = folder / name
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
        written.append(path)
    return written
