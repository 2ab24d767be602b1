"""Member sites' open data for the federation tests, written from the contract (federation.md, "What every
site publishes"): ``<folder>/api/site.json``, ``studios.json`` and ``achievements.json``, schema_version 1.
Also used by benchmarks/bench_federate.py for its synthetic 50 x 60 province."""
from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

STATUS_LABELS = {"candidate": "筹建", "accredited": "已授牌", "demonstration": "示范", "rectifying": "整改中",
                 "revoked": "已摘牌"}
CYCLE = ["accredited", "accredited", "demonstration", "candidate", "rectifying", "revoked"]
FIELDS = ["临床医学", "药学", "机械工程", "信息技术", "教育教学", "材料科学"]
TYPES = [("patent", "专利"), ("paper", "论文"), ("award", "获奖"), ("project", "科研项目")]


def studio(base: str, i: int, *, name: str | None = None, status: str | None = None, org: str = "",
           recommendations: list[tuple[str, str]] | None = None, summary: str = "") -> dict[str, Any]:
    status = status or CYCLE[i % len(CYCLE)]
    recs = [{"date": d, "document": doc} for d, doc in (recommendations or [])]
    return {"slug": f"s{i:03d}", "name": name or f"{org}第{i}创新工作室", "unit": f"{org}第{i % 7 + 1}学院",
            "fields": [FIELDS[i % len(FIELDS)], FIELDS[(i * 5 + 1) % len(FIELDS)]][: 1 + i % 2],
            "established": "2022-03-01", "summary": summary, "status": status, "status_label": STATUS_LABELS[status],
            "recommended": bool(recs), "met": 5, "leader_name": f"领衔人{i}", "leader_title": "教授",
            "team_size": 8, "achievement_count": 2, "accredited_on": "2023-05-01",
            "url": f"{base}studios/s{i:03d}/", "under_review": False,
            "recommendation": recs[-1] if recs else None, "recommendations": recs, "recognitions": []}


def achievement(base: str, st: dict[str, Any], j: int, summary: str = "") -> dict[str, Any]:
    code, label = TYPES[j % len(TYPES)]
    return {"studio": st["slug"], "studio_name": st["name"], "name": f"a{j}", "title": f"{st['name']}成果{j}：{label}",
            "type": code, "type_label": label, "date": f"202{4 + j % 3}-0{1 + j % 9}-15", "level": "provincial",
            "members": ["甲"], "project": None, "identifier": None, "value_yuan": None, "tags": [],
            "recognitions": [], "url": f"{st['url']}achievements/a{j}/", "summary": summary}


def site(base: str, org: str, studios: list[dict[str, Any]], as_of: str = "2026-11-30") -> dict[str, Any]:
    counts = Counter(s["status"] for s in studios)
    return {"schema_version": 1, "org": org, "url": base,
            "policy": {"title": f"{org}劳模和优秀人才创新工作室实施意见", "number": "某工字〔2024〕1号",
                       "date": "2024-03-01"},
            "as_of": as_of, "generated_with": "innostudio 0.1.0",
            "counts": {**{c: counts.get(c, 0) for c in STATUS_LABELS},
                       "plaque_holders": sum(counts.get(c, 0) for c in ("accredited", "demonstration", "rectifying"))}}


def write_member(folder: Path, base: str, org: str, studios: list[dict[str, Any]],
                 achievements: list[dict[str, Any]] | None = None, as_of: str = "2026-11-30",
                 site_doc: dict[str, Any] | None = None) -> Path:
    """Write a member's api/ folder; returns ``folder``."""
    api = folder / "api"
    api.mkdir(parents=True, exist_ok=True)
    achievements = achievements if achievements is not None else [
        achievement(base, s, j) for s in studios for j in range(2)]
    docs = {"site.json": site_doc or site(base, org, studios, as_of),
            "studios.json": {"schema_version": 1, "as_of": as_of, "count": len(studios), "items": studios},
            "achievements.json": {"schema_version": 1, "as_of": as_of, "count": len(achievements),
                                  "items": achievements}}
    for name, doc in docs.items():
        (api / name).write_text(json.dumps(doc, ensure_ascii=False, indent=1), encoding="utf-8")
    return folder


def simple_member(folder: Path, member_id: str, org: str, n: int = 6,
                  recommendations: dict[int, list[tuple[str, str]]] | None = None) -> Path:
    base = f"https://{member_id}.example.edu.cn/"
    studios = [studio(base, i, org=org, recommendations=(recommendations or {}).get(i)) for i in range(n)]
    return write_member(folder, base, org, studios)
