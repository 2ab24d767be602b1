"""Generate a synthetic repository: N studios, 12 achievements each, 2 ledgers each, 10 photos each
(plaque, 4 venue photos, 5 activity photos) and 6 rule documents each (fictional data).

Shared by the benchmarks and tests/test_opendata.py. Deterministic for a given N.
Usage: python benchmarks/corpus.py N DIR [--findings]
"""
from __future__ import annotations

import random
import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
SAMPLE_MEDIA = REPO / "studios" / "jingzhun-yaoxue" / "media"
RULE_KINDS = ("study", "breakthrough", "collaboration", "transformation", "incentive", "management")
TYPES = ["invention_patent", "utility_patent", "software_copyright", "paper", "standard", "teaching_award",
         "science_award", "competition_award", "rationalization", "innovation", "talent", "other"]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红梅"
UNITS = ["药学院分工会", "临床医学院分工会", "护理学院分工会", "公共卫生学院分工会", "医学影像学院分工会",
         "口腔医学院分工会", "基础医学院分工会", "机关分工会"]


def person(rng: random.Random, role: str | None, year: int) -> str:
    name = rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN)
    lines = [f"name: {name}", "title: 副教授", f"title_level: {rng.choice(['associate_senior', 'intermediate', 'junior'])}",
             f"discipline: {['药学', '护理学', '临床医学', '公共卫生', '医学影像'][year % 5]}",
             "education: master", f"birth_year: {year}", "frontline: true"]
    if role:
        lines.append(f"role: {role}")
    return lines, name


def studio_yaml(i: int, rng: random.Random) -> tuple[str, list[str]]:
    leader, lname = person(rng, None, 1970)
    leader[2] = "title_level: full_senior"
    members = []
    names = [lname]
    for k, year in enumerate((1982, 1993, 1998)):
        lines, name = person(rng, ["core", "member", "apprentice"][k], year)
        names.append(name + str(k))
        lines[0] = f"name: {name}{k}"
        members.append("  - " + "\n    ".join(lines))
    rules = "\n".join(f"  - {{kind: {k}, title: 合成创新工作室{i:04d}{k}制度, adopted: 2021-04-01, file: rules/{k}.md}}"
                      for k in RULE_KINDS)
    text = f"""name: 合成创新工作室{i:04d}
unit: {UNITS[i % len(UNITS)]}
fields: [领域{i % 17}, 领域{i % 5}]
established: 2021-03-01
summary: 用于基准测试的合成工作室 {i}，开展技术攻关和人才培养。
description: |
  合成的工作室介绍，第 {i} 号。包含**Markdown** 文本和一个[链接](https://example.org/{i})。
maintainers: [user{i}]
leader:
  {chr(10).join('  ' + x if n else x for n, x in enumerate(leader)).replace(chr(10) + '  ', chr(10) + '  ')}
  honors:
    - {{name: 市级劳动模范, kind: model_worker, level: municipal, year: 2019}}
members:
{chr(10).join(members)}
signage:
  plaque: media/plaque.jpg
  photos: [media/venue1.jpg, media/venue2.jpg, media/venue3.jpg, media/venue4.jpg]
  boards: [org_structure, duties, goals, management_rules]
venue:
  location: 实验楼 {i} 室
  area_m2: 40
  functions: [study, practice, exhibition]
  equipment: [电脑, 投影仪]
funding:
  - {{year: 2026, budget_yuan: 10000, spent_yuan: 2000, source: 学校专项经费}}
rules:
{rules}
projects:
  - id: p{i}
    title: 合成课题 {i}
    source: problem_collection
    stages: {{collected: 2025-12-01, approved: 2026-01-10}}
"""
    return text, names


def make(n: int, dest: Path, achievements: int = 12, findings: bool = False) -> Path:
    """``achievements`` per studio (12 by default); with ``findings``, every studio has one error finding
    (an achievement whose type is not a known code: a format error at its line), as a school's pull
    requests often do."""
    rng = random.Random(n)
    if dest.exists():
        shutil.rmtree(dest)
    (dest / "content").mkdir(parents=True)
    (dest / "union" / "inspections").mkdir(parents=True)
    (dest / "content" / "index.md").write_text("# 合成站点\n", encoding="utf-8")
    (dest / "mkdocs.yml").write_text("site_name: 合成站点\ndocs_dir: content\nsite_dir: build/site\n", encoding="utf-8")
    decisions, inspections = [], []
    plaque = (SAMPLE_MEDIA / "plaque.jpg").read_bytes()
    photo = (SAMPLE_MEDIA / "venue.jpg").read_bytes()
    activity = (SAMPLE_MEDIA / "activity-2026.jpg").read_bytes()
    for i in range(n):
        slug = f"studio-{i:04d}"
        folder = dest / "studios" / slug
        for sub in ("achievements", "ledger", "media", "rules"):
            (folder / sub).mkdir(parents=True)
        text, names = studio_yaml(i, rng)
        (folder / "studio.yml").write_text(text, encoding="utf-8")
        (folder / "media" / "plaque.jpg").write_bytes(plaque)
        for k in range(1, 5):
            (folder / "media" / f"venue{k}.jpg").write_bytes(photo)
        for k in range(1, 6):
            (folder / "media" / f"activity{k}.jpg").write_bytes(activity)
        for k in RULE_KINDS:
            clauses = "\n".join(f"{c}. 工作室成员应当按照第 {c} 条的要求开展{k}相关工作，定期总结并报告进展。"
                                 for c in range(1, 13))
            (folder / "rules" / f"{k}.md").write_text(f"# 合成创新工作室{i:04d}{k}制度\n\n{clauses}\n",
                                                      encoding="utf-8")
        for k in range(achievements):
            t = TYPES[k % len(TYPES)] if not (findings and k == 0) else "patent_invention"  # not a type code
            body = f"第 {k} 项合成成果的介绍。" * 8
            (folder / "achievements" / f"a{k:02d}.md").write_text(
                f"---\ntitle: 合成成果 {i}-{k}\ntype: {t}\ndate: 2026-{(k % 6) + 1:02d}-{(k % 27) + 1:02d}\n"
                f"level: school\nmembers: [{names[0]}, {names[1]}]\nproject: p{i}\ntags: [合成, 测试]\n---\n\n{body}\n",
                encoding="utf-8")
        for year, months in ((2025, range(7, 13)), (2026, range(1, 7))):
            acts = "\n".join(f"  - date: {year}-{m:02d}-{d:02d}\n    kind: meeting\n    title: 例会 {m}-{d}\n"
                             f"    participants: 6\n    hours: 2\n    summary: 讨论课题进展和下一步分工。"
                             + (f"\n    photos: [media/activity{(m % 5) + 1}.jpg]" if d == 5 and year == 2026 and m <= 5
                                else "")
                             for m in months for d in (5, 20))
            (folder / "ledger" / f"{year}.yml").write_text(
                f"activities:\n{acts}\ndevelopment:\n  - {{date: {year}-06-01, member: {names[2]}, event: 晋升}}\n",
                encoding="utf-8")
        # accredited when it met all six standards (L005 evaluates every accreditation as of its date)
        decisions.append(f"  - {{studio: {slug}, action: accredit, date: 2026-03-01, document: 合成〔2026〕{i}号}}")
        inspections.append(f"  - {{studio: {slug}, date: 2026-06-01, result: pass, findings: 合格}}")
    (dest / "union" / "decisions.yml").write_text("decisions:\n" + "\n".join(decisions) + "\n", encoding="utf-8")
    (dest / "union" / "inspections" / "2026.yml").write_text("inspections:\n" + "\n".join(inspections) + "\n",
                                                             encoding="utf-8")
    return dest


if __name__ == "__main__":
    make(int(sys.argv[1]), Path(sys.argv[2]), findings="--findings" in sys.argv[3:])
