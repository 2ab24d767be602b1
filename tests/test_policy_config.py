"""Issue 9, configuration half: expenses, the basis of every threshold, rule docs, recognitions, /stats/.

Rule codes with their file and line are in test_rules.py (D001 sum, D004, D005, expense F001/F004,
recognition R004); here: what a person reads (pages, feed, open data, CLI, workbook) and the rule docs.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook

from conftest import BASE, BASE_AS_OF, REPO, SAMPLE_AS_OF, build_site, copy_repo, edit, run
from innostudio.corpus import load_repo
from innostudio.rules.registry import RULES
from innostudio.rules.ruledoc import PLACEHOLDER, SECTIONS, fill, problems, sections
from innostudio.schema import schema_of
from innostudio.standards import DEFAULTS, KEYS, Standards

S = "studios/alpha/studio.yml"
STD = "union/standards.yml"
SRC = "    source: 学校专项经费\n"
EXPENSES = ("    expenses:\n"
            "      - {date: 2026-03-02, amount_yuan: 1500, purpose: equipment, voucher: BX2026-01}\n"
            "      - {date: 2026-04-02, amount_yuan: 500, purpose: other, voucher: BX2026-02, note: 成果展板制作}\n")


def _html(site: Path, page: str) -> str:
    return (site / page).read_text(encoding="utf-8")


# -- rule documentation -------------------------------------------------------------------------
@pytest.mark.parametrize("code", sorted(RULES))
def test_every_rule_doc_has_its_four_sections_and_live_values(code: str):
    rule = RULES[code]
    assert problems(rule.doc) == [], (code, problems(rule.doc))
    found = sections(rule.doc)
    assert [h for h in found if h in SECTIONS] == list(SECTIONS)
    filled = fill(rule.doc, DEFAULTS)
    assert not PLACEHOLDER.search(filled) and "{value:" not in filled and "{basis:" not in filled
    assert "``" not in re.sub(r"```.*?```", "", rule.doc, flags=re.S), f"{code}: raw reStructuredText markup"
    # every threshold a message reports on is quoted live in the doc's 要求
    for path in rule.all_thresholds():
        assert f"{{value:{path}}}" in found["要求"] or f"{{value:{path}}}" in found["依据"], (code, path)
    # Chinese prose: more CJK characters than ASCII letters outside the code examples
    prose = re.sub(r"```.*?```", "", filled, flags=re.S)
    cjk = len(re.findall(r"[\u4e00-\u9fff]", prose))
    ascii_letters = len(re.findall(r"[A-Za-z]", prose))
    assert cjk > ascii_letters, code


def test_a_doc_without_a_section_or_with_an_unknown_value_is_reported():
    doc = RULES["S3.1"].doc
    assert problems(doc.replace("## 如何修改", "## 怎么办")) == ["缺少“如何修改”一节"]
    assert any("s3.nope" in p for p in problems(doc + "\n{value:s3.nope}"))


def test_rules_command_prints_the_chinese_doc_with_live_values(base: Path):
    (base / STD).write_text("s3:\n  min_members: 5\n", encoding="utf-8")
    res = run("rules", "S3.1", "--root", str(base))
    assert res.code == 0
    for heading in SECTIONS:
        assert f"## {heading}" in res.out
    assert "至少 5 名" in res.out and "本校细则" in res.out
    assert "``" not in re.sub(r"```.*?```", "", res.out, flags=re.S) and "s3.min_members" not in res.out
    listing = run("rules", "--root", str(base))
    assert re.search(r"S3\.1 .*本校细则", listing.out) and re.search(r"S2\.2 .*《实施意见》三（一）2", listing.out)


# -- basis and messages from the configured values ----------------------------------------------
def test_messages_are_built_from_configured_values(base: Path):
    edit(base, S, "birth_year: 1995", "birth_year: 1980")
    edit(base, S, "birth_year: 1999", "birth_year: 1981")
    first = run("check", "--format", "json", "--as-of", BASE_AS_OF, cwd=base).json()["findings"]
    s32 = [f["message"] for f in first if f["code"] == "S3.2"]
    assert s32 and "35 岁以下" in s32[0] and "本校细则" in s32[0]
    (base / STD).write_text("s3:\n  age_tier_bounds: [40, 55]\n  min_young: 2\n", encoding="utf-8")
    second = run("check", "--format", "json", "--as-of", BASE_AS_OF, cwd=base).json()["findings"]
    s32 = [f["message"] for f in second if f["code"] == "S3.2"]
    assert s32 and "40 岁以下" in s32[0] and "需要 2 人" in s32[0] and "35" not in s32[0]


def test_a_policy_threshold_says_its_clause_and_a_changed_one_becomes_local(base: Path):
    edit(base, S, "boards: [org_structure, duties, goals, management_rules]", "boards: [org_structure]")
    msg = [f["message"] for f in run("check", "--format", "json", "--as-of", BASE_AS_OF, cwd=base).json()["findings"]
           if f["code"] == "S2.2"]
    assert msg and msg[0].endswith("（依据：《实施意见》三（一）2）")
    (base / STD).write_text("s2:\n  boards: [org_structure, duties]\n", encoding="utf-8")
    msg = [f["message"] for f in run("check", "--format", "json", "--as-of", BASE_AS_OF, cwd=base).json()["findings"]
           if f["code"] == "S2.2"]
    assert msg and msg[0].endswith("（依据：本校细则）")


def test_standards_accept_a_stated_basis_and_refuse_a_bad_one(base: Path):
    (base / STD).write_text("s4:\n  min_area_m2: {value: 30, basis: policy, clause: 三（一）4}\n", encoding="utf-8")
    edit(base, S, "area_m2: 40", "area_m2: 20")
    res = run("check", "--format", "json", "--as-of", BASE_AS_OF, cwd=base)
    msg = [f["message"] for f in res.json()["findings"] if f["code"] == "S4.1"]
    assert msg and "不足 30 平方米" in msg[0] and "《实施意见》三（一）4" in msg[0]
    (base / STD).write_text("s4:\n  min_area_m2: {value: 30, basis: maybe}\n", encoding="utf-8")
    res = run("check", "--format", "json", "--as-of", BASE_AS_OF, cwd=base)
    assert res.code == 1 and any(f["path"] == STD and f["code"].startswith("F") for f in res.json()["findings"])


def test_every_standards_key_has_a_chinese_description_in_the_schema():
    schema = schema_of("standards")
    defs = schema["$defs"]
    seen = 0
    for section, prop in schema["properties"].items():
        assert re.search(r"[\u4e00-\u9fff]", prop["description"])
        sub = defs[prop["$ref"].rsplit("/", 1)[1]]
        for key, kprop in sub["properties"].items():
            seen += 1
            assert f"{section}.{key}" in KEYS
            assert re.search(r"[\u4e00-\u9fff]", kprop["description"]), (section, key)
            assert "默认依据" in kprop["description"]
    assert seen == sum(len(type(getattr(DEFAULTS, s)).model_fields) for s in Standards.model_fields)


def test_default_bases_follow_the_rules_md_table():
    # the defaults cite clause keys of union/policy.yml (policy-profile.md); the sample's policy.yml gives the refs
    policy = {"s1.honor_min_level": "S1", "s1.min_vocational_level": "S1", "s2.boards": "S2",
              "s4.functions": "S4", "s5.rule_kinds": "S5", "s5.min_stage": "S5"}
    refs = {"S1": "三（一）1", "S2": "三（一）2", "S4": "三（一）4", "S5": "三（一）5"}
    sample = load_repo(REPO).standards
    for path, clause in policy.items():
        assert DEFAULTS.basis(path).kind == "policy" and DEFAULTS.basis(path).clause == clause
        assert sample.basis(path).label() == f"《实施意见》{refs[clause]}"
        assert DEFAULTS.basis(path).label() == DEFAULTS.local_label  # without policy.yml a clause reads as local
    for path in ("s1.min_title_level", "s3.min_members", "s3.age_tier_bounds", "s3.min_frontline_ratio",
                 "s4.min_area_m2", "s4.min_equipment", "s4.funding_years_back", "s6.project_window_months",
                 "s6.min_activities", "s6.min_active_months", "s6.achievement_window_months"):
        assert DEFAULTS.basis(path).label() == DEFAULTS.local_label, path


def test_sample_standards_file_attributes_no_local_number_to_the_policy():
    text = (Path(__file__).parent.parent / STD).read_text(encoding="utf-8")
    for line in text.splitlines():
        if re.match(r"\s+(min_members|min_area_m2|min_activities|min_active_months|age_tier_bounds|"
                    r"achievement_window_months|project_window_months|ledger_window_months|min_title_level):", line):
            assert "本校细则" in line and "依据《实施意见》" not in line, line


def test_status_names_the_basis_of_each_standard(base: Path):
    res = run("status", "--as-of", BASE_AS_OF, cwd=base)
    assert res.code == 0
    assert re.search(r"S3 有创新团队：达标 .*本校细则", res.out)
    assert re.search(r"S2 有明显标志：达标 .*《实施意见》三（一）2", res.out)


# -- the public site ----------------------------------------------------------------------------
def test_public_page_of_a_local_threshold_failure_says_local_rule(tmp_path: Path):
    repo = copy_repo(BASE, tmp_path / "repo")
    edit(repo, S, "area_m2: 40", "area_m2: 5")
    (repo / STD).write_text("s6:\n  achievement_window_months: 36\n", encoding="utf-8")
    # alpha stays accredited (since 2022, long past the plaque's grace period): S findings are state, still built
    build_site(repo, BASE_AS_OF)
    page = _html(repo / "build" / "site", "studios/alpha/index.html")
    assert "场所面积 5 平方米，不足 15 平方米（依据：本校细则）" in page
    assert "近 36 个月成果" in page and "近两年" not in page
    assert "按《实施意见》三（一）创建标准" not in page
    rules = _html(repo / "build" / "site", "rules/index.html")
    assert "近 36 个月内至少有 1 项成果" in rules
    assert 'href="s6-3/"' in rules  # the index links each rule's own page (site.md: /rules/<code>/)
    rule = _html(repo / "build" / "site", "rules/s6-3/index.html")
    assert "近 36 个月" in rule
    for heading in SECTIONS:
        assert f">{heading}</h2>" in rule
    for text in (rules, rule):
        assert "s6.achievement_window_months" not in text and "``" not in text
    guide = _html(repo / "build" / "site", "guide/standards/index.html")
    assert "成果时间窗" in guide and "36" in guide and "本校细则" in guide


def test_no_raw_field_names_in_the_reasons_on_studio_pages(tmp_path: Path):
    repo = copy_repo(BASE, tmp_path / "repo")
    edit(repo, S, "signage:\n  plaque: media/plaque.jpg\n  boards: [org_structure, duties, goals, management_rules]\n",
         "")
    edit(repo, S, "  frontline: true\n  honors", "  frontline: false\n  honors")
    # alpha stays accredited (since 2022, long past the plaque's grace period): S findings are state, still built
    build_site(repo, BASE_AS_OF)
    page = _html(repo / "build" / "site", "studios/alpha/index.html")
    reasons = " ".join(re.findall(r'<ul class="inno-reasons">(.*?)</ul>', page, flags=re.S))
    assert "没有工作室标牌照片" in reasons and "不是一线教职工" in reasons
    assert not re.search(r"[（(][a-z_]+(\.[a-z_]+)*[:：）)]", reasons), reasons
    assert "signage" not in reasons and "frontline" not in reasons


def test_recognitions_on_pages_feed_open_data_and_stats(sample_site: Path):
    studio = _html(sample_site, "studios/jingzhun-yaoxue/index.html")
    assert "工会推荐与表彰" in studio and "济医工字〔2024〕26号" in studio and "济医工字〔2025〕9号" in studio
    ach = _html(sample_site, "studios/jingzhun-yaoxue/achievements/2024-vancomycin-kit/index.html")
    assert "推荐优秀成果" in ach and "学校科技处" in ach
    member = _html(sample_site, "studios/weizhongzheng-jiuzhi/index.html")
    assert "张建国" in member and "表彰" in member
    feed = _html(sample_site, "feed.xml")
    assert "推荐优秀成果：成果“一种万古霉素血药浓度快速检测试剂盒”" in feed
    data = json.loads(_html(sample_site, "api/recognitions.json"))
    kinds = {(r["studio"], r["kind"], r["document"]) for r in data["items"]}
    assert ("yingxiang-zhineng", "recommend_achievement", "济医工字〔2026〕2号") in kinds
    assert ("weizhongzheng-jiuzhi", "commend", "济医工字〔2025〕9号") in kinds
    assert "济医工字〔2026〕2号" in _html(sample_site, "api/recognitions.csv")
    studios = json.loads(_html(sample_site, "api/studios.json"))["items"]
    assert any(r["kind"] == "commend" for s in studios if s["slug"] == "jingzhun-yaoxue" for r in s["recognitions"])
    achievements = json.loads(_html(sample_site, "api/achievements.json"))["items"]
    assert any(a["recognitions"] for a in achievements if a["name"] == "2024-vancomycin-kit")
    stats = _html(sample_site, "stats/index.html")
    assert "选树 2–3 个" in stats and "二（二）" in stats and "各年末工作室数" in stats
    row = re.search(r"<tr><th scope=\"row\">2023</th>(.*?)</tr>", stats, flags=re.S)
    assert row, "no 2023 row in the studios-per-year table"


def test_future_recognition_is_not_published(tmp_path: Path):
    repo = copy_repo(BASE, tmp_path / "repo")
    (repo / "union/recognitions.yml").write_text(
        "recognitions:\n  - {studio: alpha, kind: commend, date: 2026-01-10, document: 早先文号1号}\n"
        "  - {studio: alpha, kind: commend, date: 2026-09-10, document: 未来文号9号}\n", encoding="utf-8")
    build_site(repo, BASE_AS_OF)
    site = repo / "build" / "site"
    assert "早先文号1号" in _html(site, "studios/alpha/index.html") and "早先文号1号" in _html(site, "feed.xml")
    for page in ("studios/alpha/index.html", "feed.xml", "api/recognitions.json"):
        assert "未来文号9号" not in _html(site, page)


def test_expenses_are_published_only_with_publish_funding(tmp_path: Path):
    repo = copy_repo(BASE, tmp_path / "repo")
    edit(repo, S, "    spent_yuan: 2000\n", "")
    edit(repo, S, SRC, SRC + EXPENSES)
    build_site(repo, BASE_AS_OF)
    assert "BX2026-02" not in _html(repo / "build/site", "studios/alpha/index.html")
    edit(repo, "mkdocs.yml", "extra:\n", "extra:\n  publish_funding: true\n")
    build_site(repo, BASE_AS_OF)
    page = _html(repo / "build/site", "studios/alpha/index.html")
    assert "2026 年支出明细" in page and "BX2026-02" in page and "成果展板制作" in page and "其他" in page
    data = json.loads(_html(repo / "build/site", "api/studios.json"))["items"][0]
    assert data["funding"][0]["spent_yuan"] == 2000
    assert [e["voucher"] for e in data["funding"][0]["expenses"]] == ["BX2026-01", "BX2026-02"]


# -- workbook and ranking -----------------------------------------------------------------------
def test_workbook_lists_expenses_with_purpose_subtotals_and_the_bases(sample: Path):
    res = run("report", "--year", "2026", "--as-of", SAMPLE_AS_OF, cwd=sample)
    assert res.code == 0, res.out
    wb = load_workbook(sample / "build" / "reports" / "inspection-2026.xlsx")
    rows = {r[0].value: [c.value for c in r] for r in wb["经费支出"].iter_rows(min_row=2)}
    manbing = rows["慢病健康管理创新工作室"]  # a row per studio: budget, spending, the expenses by purpose
    assert manbing[2] == 21000
    purposes = {line.split(" 小计 ")[0]: line for line in manbing[3].split("\n")}
    assert purposes["其他"].startswith("其他 小计 4,800.00：") and "BX2026-MA003" in purposes["其他"]
    bases = [[c.value for c in r] for r in wb["标准依据"].iter_rows(min_row=2)]
    assert any("团队人数：3" in r[1].split("；") and r[2] == "本校细则" for r in bases)
    assert any("场所功能：学习研讨、创新实践、成果荣誉展示" in r[1] and "《实施意见》三（一）4" in r[2] for r in bases)


def test_rank_counts_recognitions(sample: Path):
    res = run("rank", "--year", "2026", "--format", "json", "--as-of", SAMPLE_AS_OF, cwd=sample)
    assert res.code == 0, res.out
    scores = {s["slug"]: s for s in res.json()["studios"]}
    comp = [c for c in scores["manbing-guanli"]["components"] if c["name"] == "工会推荐与表彰"]
    assert comp and comp[0]["points"] == 3 and "济医工字〔2026〕6号" in comp[0]["basis"]
    edit(sample, STD, "  recognition: 3 ", "  recognition: 7 ")
    res = run("rank", "--year", "2026", "--format", "json", "--as-of", SAMPLE_AS_OF, cwd=sample)
    comp = [c for s in res.json()["studios"] if s["slug"] == "manbing-guanli" for c in s["components"]
            if c["name"] == "工会推荐与表彰"]
    assert comp[0]["points"] == 7
